"""Decisions per month for the consent history's chart (pure).

The ledger counts records per (month, decision) (:meth:`guard.ledger.Ledger.month_counts`);
this turns those rows into bars: every month between the first and the last (empty ones
too, so the time axis is honest), grouped into quarters or years when there are too many
months for the space available.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from guard.ledger.models import Decision
from guard.presentation.i18n import N_, _, format_month, words_for

DECISION_ORDER: tuple[str, ...] = tuple(str(d) for d in Decision)


@dataclass(frozen=True)
class Bar:
    """One bar: a period (``2024-03``, ``2024-Q1`` or ``2024``) and its count per decision."""

    label: str
    counts: tuple[tuple[str, int], ...]  # (decision, count), in DECISION_ORDER, zero counts left out

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self, decision: str) -> int:
        return next((n for d, n in self.counts if d == decision), 0)


@dataclass(frozen=True)
class Timeline:
    bars: tuple[Bar, ...]
    period: str  # "month", "quarter" or "year"

    @property
    def peak(self) -> int:
        return max((bar.total for bar in self.bars), default=0)

    @property
    def total(self) -> int:
        return sum(bar.total for bar in self.bars)

    @property
    def decisions(self) -> tuple[str, ...]:
        """Decisions that occur at all, in the legend's order."""
        seen = {d for bar in self.bars for d, n in bar.counts if n}
        return tuple(d for d in DECISION_ORDER if d in seen) + tuple(sorted(seen - set(DECISION_ORDER)))


def _month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _period_label(index: int, period: str) -> str:
    year, month0 = divmod(index, 12)
    if period == "year":
        return f"{year:04d}"
    if period == "quarter":
        return f"{year:04d}-Q{month0 // 3 + 1}"
    return _month_label(index)


def build_timeline(rows: Iterable[tuple[str, str, int]], max_bars: int = 36) -> Timeline:
    """Bars from ``(YYYY-MM, decision, count)`` rows; months, else quarters, else years,
    whichever first fits in ``max_bars``. Rows with a malformed month are ignored."""
    per_month: dict[int, dict[str, int]] = {}
    for month, decision, count in rows:
        try:
            index = _month_index(month)
        except (ValueError, AttributeError):
            continue
        if count <= 0:
            continue
        slot = per_month.setdefault(index, {})
        slot[decision] = slot.get(decision, 0) + count
    if not per_month:
        return Timeline((), "month")
    first, last = min(per_month), max(per_month)
    for period in ("month", "quarter", "year"):
        bars = _group(per_month, first, last, period)
        if len(bars) <= max_bars or period == "year":
            return Timeline(tuple(bars), period)
    raise AssertionError("unreachable")


def _group(per_month: dict[int, dict[str, int]], first: int, last: int, period: str) -> list[Bar]:
    order: list[str] = []
    totals: dict[str, dict[str, int]] = {}
    for index in range(first, last + 1):
        label = _period_label(index, period)
        if label not in totals:
            order.append(label)
            totals[label] = {}
        for decision, count in per_month.get(index, {}).items():
            totals[label][decision] = totals[label].get(decision, 0) + count
    bars = []
    for label in order:
        counts = totals[label]
        ranked = [d for d in DECISION_ORDER if d in counts] + sorted(set(counts) - set(DECISION_ORDER))
        bars.append(Bar(label, tuple((d, counts[d]) for d in ranked)))
    return bars


PERIOD_NAMES = {"month": N_("month"), "quarter": N_("quarter"), "year": N_("year")}


def bar_caption(label: str) -> str:
    """How a bar's period reads under it: ``Mar 2024`` / ``März 2024``, ``Q1 2024``, ``2024``."""
    if "-Q" in label:
        year, quarter = label.split("-Q")
        return _("Q{quarter} {year}").format(quarter=quarter, year=year)
    if "-" in label:
        year, month = label.split("-")
        return format_month(int(year), int(month))
    return label


def period_name(period: str) -> str:
    return words_for(PERIOD_NAMES, period)


def empty_chart_words(filtered: bool) -> str:
    """What the chart says with no bar: with a filter, that none match; with none, that the ledger is empty and
    how a record gets there (a first start said "in this selection", as if something were hidden)."""
    if filtered:
        return _("No decisions recorded in this selection.")
    return _("No decisions recorded yet. When a meeting turns on an AI feature, the app asks what you decided; "
             "“Add record…” records one yourself.")
