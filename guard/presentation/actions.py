"""What the user can ask for from the tray menu, the no-tray window and notifications, as
typed values. The UI hands them to the shell, which dispatches on the type; nothing is
encoded in a string and parsed back."""

from __future__ import annotations

from dataclasses import dataclass

from guard.events import Evidence


@dataclass(frozen=True)
class RecordConsent:
    """Open the consent form. ``meeting_id``: the meeting it is about (None: the one in
    progress, else the one seen last); ``provider_id``/``feature_id``: what the decision is
    about, when not the meeting's provider (a note-taker) or a particular feature (an AI notice);
    ``evidence``: what was seen besides the meeting's own (the notice shown, the bot's name, a
    note-taker's process); ``notice``: the text of the AI notice seen in the meeting."""

    meeting_id: str | None = None
    provider_id: str | None = None
    feature_id: str | None = None
    evidence: tuple[Evidence, ...] = ()
    notice: str | None = None


@dataclass(frozen=True)
class AnswerConsent:
    """The user answered a notification's question directly: record ``decision``
    (a :class:`guard.ledger.Decision` value) for ``request`` without opening the form."""

    decision: str
    request: RecordConsent


@dataclass(frozen=True)
class PauseMonitoring:
    """Stop looking for an hour."""


@dataclass(frozen=True)
class ResumeMonitoring:
    pass


@dataclass(frozen=True)
class CheckTerms:
    provider_id: str | None = None  # None: every watched document


@dataclass(frozen=True)
class OpenSettings:
    tab: str | None = None


@dataclass(frozen=True)
class ShowTermsChange:
    provider_id: str
    document_id: str
    sha256: str = ""


@dataclass(frozen=True)
class OpenUrl:
    url: str


@dataclass(frozen=True)
class SetAutostart:
    """The menu's checkable "Start when I log in"; ``on`` None: take the item's checked state."""

    on: bool | None = None


@dataclass(frozen=True)
class ShowWelcome:
    """The welcome: what the app watches and never sends, terms checks, browsers, where data lives."""


@dataclass(frozen=True)
class Quit:
    pass


Action = (RecordConsent | AnswerConsent | PauseMonitoring | ResumeMonitoring | CheckTerms | OpenSettings
          | ShowTermsChange | OpenUrl | SetAutostart | ShowWelcome | Quit)
