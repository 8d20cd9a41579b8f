"""Small helpers every tab uses: accessible names, palette-derived tints, HTML escaping."""

from __future__ import annotations

import html
from datetime import date
from typing import TypeVar

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from guard.presentation.i18n import _, format_date

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, description: str = "") -> W:
    """Give ``widget`` the name a screen reader says (and an object name tests can find)."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    if not widget.objectName():
        widget.setObjectName(name.lower().replace(" ", "-").replace("&", ""))
    return widget


def palette(widget: QWidget | None = None) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * amount,
                           a.greenF() + (b.greenF() - a.greenF()) * amount,
                           a.blueF() + (b.blueF() - a.blueF()) * amount)


def highlight_tint(pal: QPalette, amount: float = 0.28) -> QColor:
    """The background for something to notice (an AI-relevant change): the palette's
    highlight blended into its base, so it suits light and dark themes alike."""
    return mix(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Highlight), amount)


def muted_tint(pal: QPalette, amount: float = 0.14) -> QColor:
    """A quiet background (a badge such as "unverified"): text blended into base."""
    return mix(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), amount)


def is_dark(pal: QPalette) -> bool:
    return pal.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def series_colours(pal: QPalette, count: int) -> list[QColor]:
    """``count`` distinct colours for chart series, all derived from the palette's highlight:
    its hue turned in equal steps, lightness kept readable against the base colour."""
    base = pal.color(QPalette.ColorRole.Highlight).toHsl()
    hue = max(base.hslHue(), 0)
    lightness = 0.62 if is_dark(pal) else 0.45
    colours = []
    for index in range(count):
        colour = QColor.fromHslF(((hue + index * 360 / max(count, 1)) % 360) / 360,
                                 max(base.hslSaturationF(), 0.45), lightness)
        colours.append(colour)
    return colours


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def css_colour(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


DATE_FORMAT = "yyyy-MM-dd"  # ISO 8601: never read the wrong way round, as 02/12/2026 is next to "2 Dec 2026"


def date_format() -> str:
    """The date edits' form, ISO 8601 in every language (``2026-12-02``): the locale's short
    numeric form is ambiguous (day or month first) beside the "2 Dec 2026" used elsewhere."""
    return DATE_FORMAT


def date_hint(day: date | None = None) -> str:
    """A date edit's tooltip line saying how it reads, with today as the example in both forms."""
    day = day or date.today()
    return _("Dates are written year-month-day (ISO 8601): {example} is {day}.").format(
        example=day.isoformat(), day=format_date(day))


def with_date_hint(widget: W) -> W:
    """Add :func:`date_hint` under the widget's tooltip (and its screen-reader description)."""
    description = "\n".join(part for part in (widget.toolTip(), date_hint()) if part)
    widget.setToolTip(description)
    widget.setAccessibleDescription(description)
    return widget
