"""Small helpers every tab uses: accessible names, palette-derived tints, HTML escaping."""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

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


def date_format() -> str:
    """The locale's short date with a four-digit year (``dd.MM.yyyy``, ``dd/MM/yyyy``, ``M/d/yyyy``),
    for date edits (Qt formats them itself, from the default QLocale the app's language set)."""
    form = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in form:
        form = form.replace("yy", "yyyy")
    return form
