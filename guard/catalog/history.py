"""Clause history: a provider's clauses grouped by where they live, oldest first.

A *thread* is every wording a document section has had (or, for clauses without a
section, every clause on one topic in that document). Pure functions: values in, values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guard.catalog.models import Clause, Provider


@dataclass(frozen=True)
class ClauseThread:
    """The successive wordings of one section (or topic) of one document."""

    document: str
    section: str | None
    topic: str | None
    clauses: tuple[Clause, ...]

    @property
    def label(self) -> str:
        where = f"section {self.section}" if self.section else f"topic {self.topic}"
        return f"{self.document} {where}"

    def in_force(self, day: date) -> list[Clause]:
        return [clause for clause in self.clauses if clause.in_force_on(day)]


def clause_history(provider: Provider) -> list[ClauseThread]:
    """Threads in the order their first clause appears in the file; clauses sorted by date."""
    groups: dict[tuple[str, str, str], list[Clause]] = {}
    for clause in provider.clauses:
        key = (clause.document, "section", clause.section) if clause.section else (
            clause.document, "topic", clause.topic.value)
        groups.setdefault(key, []).append(clause)
    threads = []
    for (document, kind, value), clauses in groups.items():
        ordered = tuple(sorted(clauses, key=lambda c: (c.effective_from, c.effective_to or date.max)))
        threads.append(ClauseThread(
            document=document,
            section=value if kind == "section" else None,
            topic=value if kind == "topic" else None,
            clauses=ordered,
        ))
    return threads


def unverified_count(provider: Provider) -> int:
    """How many statements were not checked against their source: features, clauses, and the
    detection data as one item when it makes claims (names, patterns or sources) unverified."""
    detect = provider.detect
    detect_claims = bool(detect.sources) or any(
        getattr(getattr(detect, os_name), attr)
        for os_name in ("linux", "windows", "macos")
        for attr in ("processes", "meeting_processes", "window_titles", "meeting_window_titles")
    ) or bool(detect.web.url_patterns or detect.web.any_host_url_patterns or detect.web.meeting_window_titles
             or detect.web.device_window_titles or detect.participant_names)
    return (sum(not f.verified for f in provider.ai_features) + sum(not c.verified for c in provider.clauses)
            + int(detect_claims and not detect.verified))
