"""The plain values the door hands to the UI (besides the core's own models, re-exported by
:mod:`guard.services`). Frozen, no I/O, safe to pass between threads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from guard.export_format import ExportFormat
    from guard.ledger import EffectiveStatus, KeyStatus, Record, VerifyReport
    from guard.presentation.overview import DocumentVersions
    from guard.terms.models import FetchRecord


@dataclass(frozen=True)
class RecordRow:
    """A record as the history table lists it; ``status`` says what later records made of it
    (e.g. "given, then withdrawn"), None when nothing changed it."""

    record: Record
    status: str | None
    effective: EffectiveStatus | None = None  # what ``status`` says, for the window to word in its language


@dataclass(frozen=True)
class RecordDetails:
    """One record with what it means now, and the number of the record it withdraws or corrects."""

    record: Record
    status: EffectiveStatus
    refers_to_seq: int | None
    terms_dates: Mapping[str, date] = field(default_factory=dict)  # the date of each cited terms version, by SHA-256


@dataclass(frozen=True)
class LedgerCheck:
    """The whole ledger verified: how many records, the report, where the key lives, and how many
    decisions are kept on this computer until the key can be read (not in the ledger yet)."""

    count: int
    report: VerifyReport | None
    key: KeyStatus | None
    waiting: int = 0


@dataclass(frozen=True)
class LetterText:
    title: str
    text: str
    suggested_name: str
    mailto: str = ""
    notice: str = ""  # who to write to when no company holds the data, or that the service ended
    record_id: str | None = None  # the record the letter is about, for a second letter about it
    offers_host_letter: bool = False  # the provider may be a processor: offer a letter to the host (controller)
    fill_in: str = ""  # "Fill in before sending: 5 places marked [FILL IN: ...]" in the letter's language, or ""
    kind: str = "withdrawal"  # or "objection" (GDPR Art. 21), "access" (Art. 15): the same kind goes to the host
    language: str = "en"  # the letter's language (its blanks are marked in it)


def letter_blanks_left(text: str, language: str) -> str:
    """What a letter being completed still lacks, in its ``language``: "Fill in before sending: 4
    places marked [FILL IN: ...]", or "" once every blank is filled."""
    from guard.export.letter_guide import LetterGuide

    return LetterGuide(language).blanks_left(text)


@dataclass(frozen=True)
class Withdrawal:
    """A consent withdrawn: the new record, the one it withdraws, and the letter to send (or
    why it could not be prepared: the withdrawal is recorded whatever happens to the letter)."""

    record: Record
    original: Record
    letter: LetterText | None = None
    letter_problem: str | None = None


@dataclass(frozen=True)
class ExportRequest:
    format: ExportFormat
    dest: Path
    provider_id: str | None = None
    occurred_from: datetime | None = None  # inclusive
    occurred_to: datetime | None = None  # exclusive
    decision: str | None = None  # guard.ledger.Decision's value
    text: str | None = None  # in the meeting title or the note (the history's search)


@dataclass(frozen=True)
class ExportOutcome:
    dest: Path
    records: int
    files: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermsLog:
    """When the terms were last checked, and the latest fetches (every network request made)."""

    last_check: datetime | None
    fetches: tuple[FetchRecord, ...]


@dataclass(frozen=True)
class TermsOverview:
    """The documents changed most recently, and per document how many changes touch AI or data
    use (or why they could not be compared)."""

    changes: tuple[DocumentVersions, ...]
    relevant: dict[tuple[str, str], int | str]


@dataclass(frozen=True)
class AutostartState:
    """Whether the app starts at log-in (None: cannot be told), where the entry lives, and what
    went wrong, if anything."""

    enabled: bool | None
    location: str
    problem: str | None = None


class BrowserIntegration(Protocol):
    """One browser's companion-extension status, as :mod:`guard.browser` reports it
    (:class:`guard.browser.install.BrowserStatus`)."""

    @property
    def id(self) -> str: ...  # e.g. "chromium": what install/remove take

    @property
    def browser(self) -> str: ...  # the browser's name

    @property
    def state(self) -> str: ...  # not installed, host not registered, host registered, extension connected, ...

    @property
    def supported(self) -> bool: ...

    @property
    def registered(self) -> bool: ...

    @property
    def connected(self) -> bool: ...

    @property
    def last_seen(self) -> datetime | None: ...

    @property
    def problem(self) -> str | None: ...

    @property
    def servers(self) -> tuple[tuple[str, str], ...]: ...  # while connected: (host, service id) the user added

    @property
    def servers_refused(self) -> int: ...  # entries of the extension's server list the host refused
