"""The terms watcher's event: a watched document changed in a clause about AI or data use.

Re-exported by :mod:`guard.events` (import them from there), loaded with the first of them: a
detection pass never defines them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from guard.event_kinds import Event

if TYPE_CHECKING:  # plain values of the standard library; named here only for the type
    from guard.terms.summary_model import ChangeSummary


@dataclass(frozen=True)
class ClauseChange:
    """One clause of a terms document that changed; ``old``/``new`` are None when added/removed.

    ``summary`` says the change in plain words, quoting only the provider's own sentences;
    ``severity`` says whether what the provider may do with data grew or shrank ("material");
    ``said`` is the same summary as values, which the app says in the user's language (None: a
    change made without it, shown as its English ``summary``).
    """

    topics: tuple[str, ...]
    old: str | None
    new: str | None
    section: str | None = None
    summary: str | None = None
    severity: str | None = None  # "material" | "minor" (guard.terms.classify.Severity)
    kind: str | None = None  # "changed" | "added" | "removed" (guard.terms.diff.ChangeKind)
    said: ChangeSummary | None = None  # guard.terms.summary_model
    clauses: int = 1  # above 1: a section added or removed whole, told as one change of this many clauses


@dataclass(frozen=True)
class TermsChanged(Event):
    """A watched terms document changed in a clause about AI or data use."""

    kind: ClassVar[str] = "terms-changed"
    document_id: str = ""
    title: str = ""  # the document's title as watched (a user's declaration has no catalog entry to name it)
    url: str = ""
    old_sha256: str | None = None
    new_sha256: str = ""
    changes: tuple[ClauseChange, ...] = field(default_factory=tuple)
