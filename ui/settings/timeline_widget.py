"""A stacked bar chart of decisions per month, drawn with QPainter (QtCharts is not part of
PySide6-Essentials). Colours come from the palette; click a bar (or pick it with the arrow
keys and press Enter) to show only that period in the table."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from guard.presentation.i18n import _, format_number, labelled, ngettext
from guard.presentation.records import decision_label
from guard.presentation.timeline import DECISION_ORDER, Bar, Timeline, bar_caption, period_name
from ui.settings.common import named, series_colours

MAX_SLOT = 56  # px: a bar's slot is never wider, so one month is a bar, not the whole width


def period_bounds(label: str) -> tuple[date, date]:
    """The first day of a bar's period and the first day after it (``2024-03``, ``2024-Q1``, ``2024``)."""
    if "-Q" in label:
        year, quarter = label.split("-Q")
        start = date(int(year), (int(quarter) - 1) * 3 + 1, 1)
        months = 3
    elif "-" in label:
        year, month = label.split("-")
        start = date(int(year), int(month), 1)
        months = 1
    else:
        start = date(int(label), 1, 1)
        months = 12
    index = start.year * 12 + start.month - 1 + months
    return start, date(index // 12, index % 12 + 1, 1)


class TimelineChart(QWidget):
    period_chosen = Signal(object, object)  # first day, first day after

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, _("Decisions per month"), _("Chart of your decisions per period. Click a bar, or choose one "
                                                "with the arrow keys and press Enter, to show only that period."))
        self.timeline = Timeline((), "month")
        self.message = _("Counting…")
        self.selected: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(120)

    def sizeHint(self) -> QSize:
        return QSize(600, 150)

    def set_timeline(self, timeline: Timeline, message: str = "") -> None:
        self.timeline = timeline
        self.message = message or (_("No decisions recorded in this selection.") if not timeline.bars else "")
        self.selected = None
        self.setAccessibleDescription(self.describe())
        self.update()

    def set_message(self, message: str) -> None:
        self.message = message
        self.update()

    def describe(self) -> str:
        """The chart in words (what a screen reader says)."""
        if not self.timeline.bars:
            return self.message
        total = self.timeline.total
        parts = [ngettext("{count} decision from {first} to {last}, per {period}.",
                          "{count} decisions from {first} to {last}, per {period}.", total).format(
            count=format_number(total), first=bar_caption(self.timeline.bars[0].label),
            last=bar_caption(self.timeline.bars[-1].label), period=period_name(self.timeline.period))]
        busiest = max(self.timeline.bars, key=lambda bar: bar.total)
        parts.append(_("Busiest: {period} with {count}.").format(period=bar_caption(busiest.label),
                                                                  count=format_number(busiest.total)))
        return " ".join(parts)

    # -- geometry ----------------------------------------------------------------------------
    def _legend_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6

    def _plot(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        left = metrics.horizontalAdvance(str(max(self.timeline.peak, 1))) + 10
        bottom = metrics.height() + 6
        return QRectF(left, self._legend_height() + 4, max(self.width() - left - 8, 10),
                      max(self.height() - bottom - self._legend_height() - 8, 10))

    def _slot(self, plot: QRectF) -> float:
        """The width each bar gets: the plot shared out, at most MAX_SLOT or, where the plot has room,
        as wide as the widest caption (bars start at the left), so each bar keeps its own caption."""
        return min(plot.width() / max(len(self.timeline.bars), 1), max(MAX_SLOT, self._widest_caption() + 8))

    def _widest_caption(self) -> float:
        if not self.timeline.bars:
            return 0.0
        metrics = QFontMetrics(self.font())
        return float(max(metrics.horizontalAdvance(bar_caption(bar.label)) for bar in self.timeline.bars))

    def captioned_bars(self) -> list[int]:
        """The bars whose caption is drawn under them: every one when they fit, else every n-th."""
        slot = self._slot(self._plot())
        widest = self._widest_caption()
        every = 1 if widest + 8 <= slot else int((widest + 8) / max(slot, 1)) + 1
        return list(range(0, len(self.timeline.bars), every))

    def _bar_rect(self, plot: QRectF, index: int, bar: Bar) -> QRectF:
        slot = self._slot(plot)
        height = plot.height() * bar.total / max(self.timeline.peak, 1)
        gap = min(slot * 0.2, 6)
        return QRectF(plot.left() + index * slot + gap / 2, plot.bottom() - height, max(slot - gap, 1), height)

    def _bar_at(self, x: float) -> int | None:
        plot = self._plot()
        slot = self._slot(plot)
        if not self.timeline.bars or not plot.left() <= x < plot.left() + slot * len(self.timeline.bars):
            return None
        return min(int((x - plot.left()) // slot), len(self.timeline.bars) - 1)

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        if not self.timeline.bars:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            painter.end()
            return
        colours = dict(zip(DECISION_ORDER, series_colours(pal, len(DECISION_ORDER)), strict=True))
        metrics = QFontMetrics(self.font())
        # legend
        x = 8.0
        for decision in self.timeline.decisions:
            painter.fillRect(QRectF(x, 6, 10, 10), colours.get(decision, text))
            label = decision_label(decision)
            painter.setPen(text)
            painter.drawText(QPointF(x + 14, 6 + metrics.ascent() - 2), label)
            x += 14 + metrics.horizontalAdvance(label) + 16
        plot = self._plot()
        # axis
        grid = QPen(pal.color(QPalette.ColorRole.Mid))
        painter.setPen(grid)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(text)
        painter.drawText(QRectF(0, plot.top() - metrics.height() / 2, plot.left() - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, format_number(self.timeline.peak))
        painter.drawText(QRectF(0, plot.bottom() - metrics.height() / 2, plot.left() - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "0")
        # bars, stacked in legend order
        captions = [bar_caption(bar.label) for bar in self.timeline.bars]
        widest = self._widest_caption()
        captioned = set(self.captioned_bars())
        for index, bar in enumerate(self.timeline.bars):
            rect = self._bar_rect(plot, index, bar)
            y = plot.bottom()
            for decision, count in bar.counts:
                height = rect.height() * count / max(bar.total, 1)
                y -= height
                painter.fillRect(QRectF(rect.left(), y, rect.width(), height), colours.get(decision, text))
            if index == self.selected:
                painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
                painter.drawRect(rect.adjusted(-2, -2, 2, 2) if rect.height() else
                                 QRectF(rect.left() - 2, plot.bottom() - 4, rect.width() + 4, 4))
            if index in captioned:
                painter.setPen(text)
                painter.drawText(QRectF(rect.center().x() - widest / 2 - 4, plot.bottom() + 3, widest + 8,
                                        metrics.height()),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, captions[index])
        if self.hasFocus() and self.selected is None:
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1, Qt.PenStyle.DotLine))
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()

    # -- interaction -------------------------------------------------------------------------
    def _tooltip(self, bar: Bar) -> str:
        lines = [labelled(bar_caption(bar.label), ngettext("{count} decision", "{count} decisions", bar.total).format(
            count=format_number(bar.total)))]
        lines += [labelled(decision_label(d), format_number(n)) for d, n in bar.counts]
        return "\n".join(lines)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._bar_at(event.position().x())
        if index is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self._tooltip(self.timeline.bars[index]), self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._bar_at(event.position().x())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.choose(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bars = self.timeline.bars
        if not bars:
            return super().keyPressEvent(event)
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            if self.selected is None:
                start = len(bars) if step < 0 else -1
            else:
                start = self.selected
            self.selected = max(0, min(len(bars) - 1, start + step))
            bar = bars[self.selected]
            self.setAccessibleDescription(self._tooltip(bar).replace("\n", "; "))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.selected is not None:
            self.choose(self.selected)
        else:
            super().keyPressEvent(event)

    def choose(self, index: int) -> None:
        self.selected = index
        self.update()
        start, end = period_bounds(self.timeline.bars[index].label)
        self.period_chosen.emit(start, end)
