"""The events of a meeting: it started or ended, a note-taker was seen, an AI notice was shown.

Re-exported by :mod:`guard.events` (import them from there), loaded with the first of them: a
detection pass that sees only a running app (``meeting-guard scan`` with a client open, issue
18) does not define them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from guard.event_kinds import DetectionEvent
from guard.events import Evidence, MeetingSession


@dataclass(frozen=True, kw_only=True)
class _MeetingEvent(DetectionEvent):
    """Base of a meeting's events: ``meeting`` is the one meeting value, ``session_id`` its id."""

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
    # In a meeting: whether more than the display name says a note-taker records it (the meeting showed a recording,
    # transcription or AI notice); a name alone is unconfirmed, since any guest can join under "Otter.ai". None on
    # this computer (its process was seen).
    confirmed: bool | None = None


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
