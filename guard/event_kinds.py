"""The event classes of :mod:`guard.events` (re-exported there; import them from there).

Kept apart so that a detection pass that emits no event does not define them: each frozen
dataclass compiles its methods when its module loads (issue 18, ``meeting-guard scan``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from guard.events import Evidence, MeetingSession, RunningApp
from guard.jsonable import to_json_data

if TYPE_CHECKING:  # plain values of the standard library; named here only for the type
    from guard.terms.summary_model import ChangeSummary


@dataclass(frozen=True)
class Event:
    """Base of every event. ``to_dict()`` is its JSON form: ``{"event": kind, ...fields}``."""

    kind: ClassVar[str] = "event"
    json_extra: ClassVar[tuple[str, ...]] = ()
    provider_id: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json_data(self)
        return data


@dataclass(frozen=True)
class DetectionEvent(Event):
    """Base of the detection events: ``session_id`` ties a start to its end; ``evidence`` says why."""

    @property
    def session_id(self) -> str:
        raise NotImplementedError

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class _AppEvent(DetectionEvent):
    json_extra: ClassVar[tuple[str, ...]] = ("session_id", "evidence")
    app: RunningApp

    @property
    def session_id(self) -> str:
        return self.app.id

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self.app.evidence


@dataclass(frozen=True, kw_only=True)
class AppStarted(_AppEvent):
    kind: ClassVar[str] = "app-started"


@dataclass(frozen=True, kw_only=True)
class AppStopped(_AppEvent):
    kind: ClassVar[str] = "app-stopped"


@dataclass(frozen=True, kw_only=True)
class _MeetingEvent(DetectionEvent):
    meeting: MeetingSession

    @property
    def session_id(self) -> str:
        return self.meeting.id

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self.meeting.evidence

    @property
    def meeting_title(self) -> str | None:
        return self.meeting.title

    @property
    def meeting_url(self) -> str | None:
        return self.meeting.url

    @property
    def started_at(self) -> datetime:
        return self.meeting.started_at


@dataclass(frozen=True, kw_only=True)
class MeetingStarted(_MeetingEvent):
    """A meeting began (``at`` is ``meeting.started_at``)."""

    kind: ClassVar[str] = "meeting-started"
    # The flat fields older ``watch --json`` readers use, besides "meeting".
    json_extra: ClassVar[tuple[str, ...]] = ("session_id", "evidence", "meeting_title", "meeting_url")


@dataclass(frozen=True, kw_only=True)
class MeetingEnded(_MeetingEvent):
    """A meeting ended (``at`` is ``meeting.ended_at``)."""

    kind: ClassVar[str] = "meeting-ended"
    json_extra: ClassVar[tuple[str, ...]] = ("session_id", "evidence", "meeting_title", "started_at")


class NotetakerWhere(StrEnum):
    THIS_COMPUTER = "this-computer"  # a note-taker app runs here
    IN_MEETING = "in-meeting"  # a bot with a note-taker's display name is among the participants


@dataclass(frozen=True, kw_only=True)
class NotetakerSeen(DetectionEvent):
    """An AI note-taker runs on this computer, or sits in a meeting as a bot (``participant``).

    ``provider_id`` is the note-taker's provider. On this computer ``session_id`` is its
    running app's id (the ``AppStopped`` that ends it has the same); in a meeting it is the
    meeting's id, like ``meeting_id``.
    """

    kind: ClassVar[str] = "notetaker-seen"
    session_id: str = ""
    evidence: tuple[Evidence, ...] = ()
    where: NotetakerWhere = NotetakerWhere.THIS_COMPUTER
    meeting_id: str | None = None  # the MeetingSession it sits in, for a bot
    participant: str | None = None  # the bot's display name as shown in the meeting


@dataclass(frozen=True, kw_only=True)
class AiFeatureNoticed(DetectionEvent):
    """The meeting page showed a notice that an AI feature, recording or transcription is on.

    ``provider_id`` is the meeting's provider; ``feature_id`` the catalog feature whose notice
    phrase matched (None when only a generic phrase matched); ``notice`` the text shown;
    ``session_id`` and ``meeting_id`` the meeting's id.
    """

    kind: ClassVar[str] = "ai-feature-noticed"
    session_id: str = ""
    evidence: tuple[Evidence, ...] = ()
    feature_id: str | None = None
    meeting_id: str | None = None
    notice: str = ""


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


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data: ``{"event": kind, ...fields}`` (same as ``event.to_dict()``)."""
    return event.to_dict()
