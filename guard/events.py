"""Events: what the core tells the UI and the command line.

Detection emits AppStarted, MeetingStarted, MeetingEnded, AppStopped, NotetakerSeen and
AiFeatureNoticed, each carrying the evidence that made it; meeting events carry the one
:class:`MeetingSession` value the whole app uses for a meeting. The terms watcher emits
TermsChanged with the old and new wording. Events are plain frozen values that serialise
themselves (``event.to_dict()``, through :mod:`guard.jsonable`).

This module defines the values every detection pass uses (signals, evidence, meetings, running
apps). The event classes live in :mod:`guard.event_kinds` (a running app's),
:mod:`guard.event_kinds_meeting` (a meeting's) and :mod:`guard.event_kinds_terms`, and are
re-exported here, each module loaded on the first use of one of its names: a pass that emits no
event (``meeting-guard scan`` on a computer without a meeting client, issue 18) defines none, a
pass that sees only a client running defines only a running app's. ``from guard.events import X``
works for every X.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from guard.i18n import Text

if TYPE_CHECKING:
    from guard.event_kinds import (
        AppStarted as AppStarted,
        AppStopped as AppStopped,
        DetectionEvent as DetectionEvent,
        Event as Event,
        event_to_dict as event_to_dict,
    )
    from guard.event_kinds_meeting import (
        AiFeatureNoticed as AiFeatureNoticed,
        MeetingEnded as MeetingEnded,
        MeetingStarted as MeetingStarted,
        NotetakerSeen as NotetakerSeen,
        NotetakerWhere as NotetakerWhere,
    )
    from guard.event_kinds_terms import ClauseChange as ClauseChange, TermsChanged as TermsChanged


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
    # A browser window's title only: True when the browser extension shows a meeting tab so titled in
    # front; False when no extension could confirm it (weaker: any page may title itself like a
    # meeting); None for every other signal. Records keep it in ``detail``'s words.
    confirmed: bool | None = None
    # ``detail`` as a sentence the UI can translate (guard.i18n.Text); ``detail`` stays the English
    # that records and exports keep. Not compared, not in JSON.
    said: Text | None = field(default=None, compare=False, repr=False, metadata={"json": False})


@dataclass(frozen=True)
class SeenInMeeting:
    """Something the meeting page showed: an AI notice (``signal`` AI_NOTICE: ``text`` is the
    notice, ``feature_id`` the catalog feature whose phrase matched, if any) or a note-taker bot
    among the participants (PARTICIPANT: ``text`` is its display name, ``provider_id`` the
    note-taker's provider)."""

    signal: Signal
    provider_id: str
    text: str
    seen_at: datetime
    feature_id: str | None = None
    confirmed: bool | None = None  # a bot: whether more than its display name says so (as NotetakerSeen.confirmed)


@dataclass(frozen=True)
class MeetingSession:
    """One meeting, the same value from detection through the monitor and the tray to the consent form.

    ``id`` is stable for the meeting's life; a new meeting with the same title gets a new id
    (re-created window, other URL or tab, or a gap). ``evidence`` is what made the app believe it.
    ``window`` is the OS window id and ``tab`` the browser tab (``"<browser>/<tab id>"``) that
    identify it, when known; ``seen`` what the meeting page showed (AI notices, note-taker
    bots), first seen first; ``ended_at`` is set once it is over. ``resumes``: the id a meeting
    that ended moments ago was told under, when this one is it seen again (its tab reloaded, its
    window hidden a while: guard.detect.meeting_tracks.resumed); it is not announced again.
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
    seen: tuple[SeenInMeeting, ...] = ()
    resumes: str | None = None

    @property
    def told_as(self) -> str:
        """The id its notices are told under: the meeting it resumes, else its own."""
        return self.resumes or self.id

    @property
    def in_progress(self) -> bool:
        return self.ended_at is None

    @property
    def ai_notices(self) -> tuple[SeenInMeeting, ...]:
        return tuple(item for item in self.seen if item.signal == Signal.AI_NOTICE)

    @property
    def notetakers(self) -> tuple[SeenInMeeting, ...]:
        return tuple(item for item in self.seen if item.signal == Signal.PARTICIPANT)


@dataclass(frozen=True)
class RunningApp:
    """A meeting client or note-taker app running on this computer: not a meeting by itself."""

    id: str
    provider_id: str
    started_at: datetime
    evidence: tuple[Evidence, ...] = ()


# Defined in guard.event_kinds (bases and a running app's events), guard.event_kinds_meeting and
# guard.event_kinds_terms, each loaded when one of its names is first asked for (see the docstring).
_EVENT_KINDS = {
    **dict.fromkeys(("AppStarted", "AppStopped", "DetectionEvent", "Event", "event_to_dict", "_AppEvent"),
                    "guard.event_kinds"),
    **dict.fromkeys(("AiFeatureNoticed", "MeetingEnded", "MeetingStarted", "NotetakerSeen", "NotetakerWhere",
                     "_MeetingEvent"), "guard.event_kinds_meeting"),
    **dict.fromkeys(("ClauseChange", "TermsChanged"), "guard.event_kinds_terms"),
}

if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name stays an error

    def __getattr__(name: str) -> Any:
        module = _EVENT_KINDS.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_EVENT_KINDS})
