"""Counts for the people-facing exports (HTML, PDF): records per decision, per decision in
force now, per provider, and the period covered. Pure: entries in, counts out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from guard.export.selection import Entry
from guard.i18n import Nn_, translation

DECISIONS = ("given", "refused", "withdrawn", "left-meeting", "notice-only")


@dataclass
class Summary:
    records: int = 0
    by_decision: Counter[str] = field(default_factory=Counter)
    by_decision_now: Counter[str] = field(default_factory=Counter)
    by_provider: Counter[str] = field(default_factory=Counter)  # provider ids
    first: str | None = None  # earliest occurred_at (UTC text)
    last: str | None = None

    def add(self, entry: Entry) -> None:
        self.records += 1
        self.by_decision[entry.decision] += 1
        self.by_decision_now[entry.standing.decision] += 1
        self.by_provider[entry.provider_id] += 1
        when = entry.occurred_at
        if self.first is None or when < self.first:
            self.first = when
        if self.last is None or when > self.last:
            self.last = when

    def decisions(self) -> list[tuple[str, int, int]]:
        """(decision, recorded, in force now) for every decision, in a fixed order."""
        return [(d, self.by_decision[d], self.by_decision_now[d]) for d in DECISIONS]


def when_text(utc: str | None) -> str:
    """``2026-05-01T12:30:00.000000Z`` → ``2026-05-01 12:30 UTC`` (no parsing: exports list
    100,000 of these)."""
    if not utc:
        return ""
    return f"{utc[:10]} {utc[11:16]} UTC"


RECORDS = Nn_("{count} record", "{count} records")


def records_text(count: int, language: str = "en") -> str:
    """"1 record", "2 records": the count in the export's language with its plural form."""
    return translation(language).ngettext(*RECORDS, count).replace("{count}", str(count))
