"""Events: what the core tells the UI and the command line.

Detection emits AppStarted, MeetingStarted, MeetingEnded, AppStopped and NotetakerSeen, each
carrying the evidence that made it; the terms watcher emits TermsChanged with the old and
new wording. Events are plain frozen values; :func:`event_to_dict` gives their JSON form.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar


class Signal(StrEnum):
    """Kinds of evidence, cheapest first (see DESIGN.md, "Detection signals")."""

    PROCESS = "process"
    MEETING_PROCESS = "meeting-process"
    COMMAND_LINE = "command-line"
    WINDOW_TITLE = "window-title"
    MICROPHONE = "microphone"
    CAMERA = "camera"
    SOCKET = "socket"
    # From the browser extension (guard/browser): a meeting tab, in the foreground or the background;
    # an AI or recording notice shown inside the meeting page; a participant named like a note-taker bot.
    BROWSER_TAB = "browser-tab"
    AI_NOTICE = "ai-notice"
    PARTICIPANT = "participant"


@dataclass(frozen=True)
class Evidence:
    """One thing detection saw, said so a user understands why the app believes something."""

    signal: Signal
    detail: str
    seen_at: datetime
    pid: int | None = None
    tab: str | None = None  # "<browser>/<tab id>" when a browser tab was the source


@dataclass(frozen=True)
class MeetingSession:
    """One meeting, the same value from detection through the monitor and the tray to the consent form.

    ``id`` is stable for the meeting's life; a new meeting with the same title gets a new id
    (re-created window, other URL or tab, or a gap). ``evidence`` is what made the app believe it.
    """

    id: str
    provider_id: str
    started_at: datetime
    evidence: tuple[Evidence, ...] = ()
    title: str | None = None
    url: str | None = None
    tab: str | None = None
    window: str | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"
    provider_id: str
    at: datetime


@dataclass(frozen=True)
class DetectionEvent(Event):
    """Base of the detection events; ``session_id`` ties a start to its end."""

    session_id: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class AppStarted(DetectionEvent):
    kind: ClassVar[str] = "app-started"


@dataclass(frozen=True)
class AppStopped(DetectionEvent):
    kind: ClassVar[str] = "app-stopped"


@dataclass(frozen=True)
class MeetingStarted(DetectionEvent):
    kind: ClassVar[str] = "meeting-started"
    meeting_title: str | None = None
    meeting_url: str | None = None


@dataclass(frozen=True)
class MeetingEnded(DetectionEvent):
    kind: ClassVar[str] = "meeting-ended"
    meeting_title: str | None = None
    started_at: datetime | None = None


class NotetakerWhere(StrEnum):
    THIS_COMPUTER = "this-computer"  # a note-taker app runs here
    IN_MEETING = "in-meeting"  # a bot with a note-taker's display name is among the participants


@dataclass(frozen=True)
class NotetakerSeen(DetectionEvent):
    """An AI note-taker runs on this computer, or sits in a meeting as a bot (``participant``)."""

    kind: ClassVar[str] = "notetaker-seen"
    where: NotetakerWhere = NotetakerWhere.THIS_COMPUTER
    meeting_id: str | None = None  # the MeetingSession it sits in, for a bot
    participant: str | None = None  # the bot's display name as shown in the meeting


@dataclass(frozen=True)
class AiFeatureNoticed(DetectionEvent):
    """The meeting page showed a notice that an AI feature, recording or transcription is on.

    ``provider_id`` is the meeting's provider; ``feature_id`` the catalog feature whose notice
    phrase matched (None when only a generic phrase matched); ``notice`` the text shown.
    """

    kind: ClassVar[str] = "ai-feature-noticed"
    feature_id: str | None = None
    meeting_id: str | None = None
    notice: str = ""


@dataclass(frozen=True)
class ClauseChange:
    """One clause of a terms document that changed; ``old``/``new`` are None when added/removed.

    ``summary`` says the change in plain words, quoting only the provider's own sentences;
    ``severity`` says whether what the provider may do with data grew or shrank ("material").
    """

    topics: tuple[str, ...]
    old: str | None
    new: str | None
    section: str | None = None
    summary: str | None = None
    severity: str | None = None  # "material" | "minor" (guard.terms.classify.Severity)
    kind: str | None = None  # "changed" | "added" | "removed" (guard.terms.diff.ChangeKind)


@dataclass(frozen=True)
class TermsChanged(Event):
    """A watched terms document changed in a clause about AI or data use."""

    kind: ClassVar[str] = "terms-changed"
    document_id: str = ""
    url: str = ""
    old_sha256: str | None = None
    new_sha256: str = ""
    changes: tuple[ClauseChange, ...] = field(default_factory=tuple)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data: ``{"event": kind, ...fields}``."""
    return {"event": event.kind, **_plain(event)}
