"""The session state machine: observations in, events out. Pure: no I/O, no clock, no globals.

Each provider has two independent tracks:

* the **app** track: present while a process of the provider runs (or its own window is
  seen). Start → ``AppStarted`` (``NotetakerSeen`` for note-takers), gone → ``AppStopped``.
* the **meeting** track: present only with *corroborating* evidence: a meeting-only process,
  a meeting URL on a command line, a meeting window title, or the microphone or camera held by
  the provider's process. "The app is running" never starts a meeting; media sockets are
  supporting evidence only.

Flapping is debounced: a track ends only after its evidence has been missing for a number
of consecutive ticks (:class:`SessionRules`), and an end is dated when the evidence was last
missed first, not when the debounce ran out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from guard.detect.observation import Observation
from guard.events import (
    AppStarted,
    AppStopped,
    DetectionEvent,
    Evidence,
    MeetingEnded,
    MeetingStarted,
    NotetakerSeen,
    Signal,
)

PRESENCE_SIGNALS = frozenset({Signal.PROCESS, Signal.MEETING_PROCESS})
CORROBORATING_SIGNALS = frozenset({Signal.MEETING_PROCESS, Signal.COMMAND_LINE, Signal.MICROPHONE, Signal.CAMERA})
SUPPORTING_SIGNALS = frozenset({Signal.SOCKET})


def shows_presence(obs: Observation) -> bool:
    """The provider's app runs: one of its processes, or one of its own (non-meeting) windows."""
    return obs.signal in PRESENCE_SIGNALS or (obs.signal == Signal.WINDOW_TITLE and not obs.meeting)


def corroborates_meeting(obs: Observation) -> bool:
    """Evidence strong enough to say a meeting is in progress."""
    return obs.signal in CORROBORATING_SIGNALS or (obs.signal == Signal.WINDOW_TITLE and obs.meeting)


@dataclass(frozen=True)
class SessionRules:
    """Debounce and naming rules (ticks are the monitor's polling periods)."""

    notetakers: frozenset[str] = frozenset()
    app_end_ticks: int = 2
    meeting_start_ticks: int = 1
    meeting_end_ticks: int = 3


@dataclass(frozen=True)
class Session:
    """An app or meeting in progress, with the evidence seen for it on its latest tick."""

    provider_id: str
    session_id: str
    started_at: datetime
    evidence: tuple[Evidence, ...]
    title: str | None = None
    url: str | None = None
    missing_ticks: int = 0
    missing_since: datetime | None = None


@dataclass(frozen=True)
class SessionState:
    """Everything the machine remembers between ticks. Treat as immutable."""

    apps: Mapping[str, Session] = field(default_factory=dict)
    meetings: Mapping[str, Session] = field(default_factory=dict)
    pending: Mapping[str, int] = field(default_factory=dict)  # ticks of corroboration before a start


def advance(
    state: SessionState, observations: Iterable[Observation], at: datetime, rules: SessionRules = SessionRules()
) -> tuple[SessionState, list[DetectionEvent]]:
    """One tick: the new state and the events it produced.

    Events come ends first (meetings, then apps), then starts (apps, then meetings), each
    group ordered by provider id, so a client opening straight into a call reads
    ``AppStarted`` then ``MeetingStarted``.
    """
    by_provider: dict[str, list[Observation]] = {}
    for obs in observations:
        by_provider.setdefault(obs.provider_id, []).append(obs)

    apps: dict[str, Session] = {}
    meetings: dict[str, Session] = {}
    pending: dict[str, int] = {}
    meeting_ends: list[DetectionEvent] = []
    app_ends: list[DetectionEvent] = []
    app_starts: list[DetectionEvent] = []
    meeting_starts: list[DetectionEvent] = []

    providers = sorted(set(by_provider) | set(state.apps) | set(state.meetings) | set(state.pending))
    for provider_id in providers:
        seen = by_provider.get(provider_id, [])
        presence = [obs for obs in seen if shows_presence(obs)]
        corroboration = [obs for obs in seen if corroborates_meeting(obs)]
        support = [obs for obs in seen if obs.signal in SUPPORTING_SIGNALS]

        app = state.apps.get(provider_id)
        app_ending = app is not None and not presence and app.missing_ticks + 1 >= rules.app_end_ticks

        meeting = state.meetings.get(provider_id)
        if meeting is not None:
            if corroboration:
                meetings[provider_id] = _refresh(meeting, corroboration + support)
            else:
                missing = _missed(meeting, at)
                if missing.missing_ticks >= rules.meeting_end_ticks or app_ending:
                    meeting_ends.append(_meeting_ended(missing))
                else:
                    meetings[provider_id] = missing
        elif corroboration:
            ticks = state.pending.get(provider_id, 0) + 1
            if ticks >= rules.meeting_start_ticks:
                started = _start(provider_id, "meeting", at, corroboration + support)
                meetings[provider_id] = started
                meeting_starts.append(MeetingStarted(
                    provider_id=provider_id, at=at, session_id=started.session_id, evidence=started.evidence,
                    meeting_title=started.title, meeting_url=started.url,
                ))
            else:
                pending[provider_id] = ticks

        if app is not None:
            if presence:
                apps[provider_id] = _refresh(app, presence)
            elif app_ending:
                gone = _missed(app, at)
                app_ends.append(AppStopped(
                    provider_id=provider_id, at=gone.missing_since or at, session_id=app.session_id,
                    evidence=app.evidence,
                ))
            else:
                apps[provider_id] = _missed(app, at)
        elif presence:
            started = _start(provider_id, "app", at, presence)
            apps[provider_id] = started
            kind = NotetakerSeen if provider_id in rules.notetakers else AppStarted
            app_starts.append(kind(provider_id=provider_id, at=at, session_id=started.session_id,
                                   evidence=started.evidence))

    events = [*meeting_ends, *app_ends, *app_starts, *meeting_starts]
    return SessionState(apps=apps, meetings=meetings, pending=pending), events


def _evidence(observations: Iterable[Observation], earlier: Iterable[Evidence] = ()) -> tuple[Evidence, ...]:
    """Distinct evidence in first-seen order; something seen before keeps its first time."""
    first_seen = {(e.signal, e.pid, e.detail): e.seen_at for e in earlier}
    result: dict[tuple[Signal, int | None, str], Evidence] = {}
    for obs in observations:
        key = (obs.signal, obs.pid, obs.detail)
        if key not in result:
            result[key] = Evidence(signal=obs.signal, detail=obs.detail, pid=obs.pid,
                                   seen_at=first_seen.get(key, obs.seen_at))
    return tuple(sorted(result.values(), key=lambda e: (e.seen_at, _SIGNAL_ORDER[e.signal], e.detail)))


_SIGNAL_ORDER = {signal: index for index, signal in enumerate(Signal)}


def _title_and_url(observations: list[Observation]) -> tuple[str | None, str | None]:
    title = next((obs.title for obs in observations if obs.title), None)
    url = next((obs.url for obs in observations if obs.url), None)
    return title, url


def _start(provider_id: str, track: str, at: datetime, observations: list[Observation]) -> Session:
    title, url = _title_and_url(observations)
    return Session(provider_id=provider_id, session_id=f"{provider_id}:{track}:{at.isoformat()}",
                   started_at=at, evidence=_evidence(observations), title=title, url=url)


def _refresh(session: Session, observations: list[Observation]) -> Session:
    title, url = _title_and_url(observations)
    return replace(session, evidence=_evidence(observations, session.evidence), title=title or session.title,
                   url=url or session.url, missing_ticks=0, missing_since=None)


def _missed(session: Session, at: datetime) -> Session:
    return replace(session, missing_ticks=session.missing_ticks + 1, missing_since=session.missing_since or at)


def _meeting_ended(session: Session) -> MeetingEnded:
    return MeetingEnded(provider_id=session.provider_id, at=session.missing_since or session.started_at,
                        session_id=session.session_id, evidence=session.evidence,
                        meeting_title=session.title, started_at=session.started_at)


class SessionTracker:
    """Holds a :class:`SessionState` between ticks, for callers that prefer an object."""

    def __init__(self, rules: SessionRules = SessionRules()) -> None:
        self.rules = rules
        self.state = SessionState()

    def step(self, observations: Iterable[Observation], at: datetime) -> list[DetectionEvent]:
        self.state, events = advance(self.state, observations, at, self.rules)
        return events
