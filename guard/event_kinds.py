"""The event classes of :mod:`guard.events` (re-exported there; import them from there).

Kept apart so that a detection pass that emits no event does not define them: each frozen
dataclass compiles its methods when its module loads (issue 18, ``meeting-guard scan``). This
module holds the bases and the events of a running app (what ``scan`` prints with a meeting
client open); a meeting's events are in :mod:`guard.event_kinds_meeting` and the terms
watcher's in :mod:`guard.event_kinds_terms`, each loaded with the first of its events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from guard.events import Evidence, RunningApp
from guard.jsonable import to_json_data


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
    """Base of a running app's events: ``app`` is the app, ``session_id`` its id."""

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
    """A meeting client or note-taker app started running on this computer."""

    kind: ClassVar[str] = "app-started"


@dataclass(frozen=True, kw_only=True)
class AppStopped(_AppEvent):
    """A running app stopped (``at`` is when it was last seen missing)."""

    kind: ClassVar[str] = "app-stopped"


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data: ``{"event": kind, ...fields}`` (same as ``event.to_dict()``)."""
    return event.to_dict()
