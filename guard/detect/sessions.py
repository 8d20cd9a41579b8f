"""The session state machine: observations in, events out. Pure: no I/O, no clock, no globals.

Each provider has two independent tracks:

* the **app** track (:class:`~guard.events.RunningApp`): present while a process of the
  provider runs (or one of its own windows is seen). Start → ``AppStarted`` (``NotetakerSeen``
  for note-takers), gone → ``AppStopped``.
* **meetings** (:class:`~guard.events.MeetingSession`), only with *corroborating* evidence: a
  meeting-only process, a meeting link on a command line, a meeting window title, a meeting
  tab in the foreground or playing sound, or the microphone or camera held by the provider.
  "The app is running" never starts a meeting; media sockets are supporting evidence only.

A meeting is known by its identity, not by its provider (see :mod:`guard.detect.identity`):
the browser tab, the OS window, or the link it was started with. So a provider can have
several meetings at once, and a new meeting is announced when its window was re-created, its
tab moved to another meeting address, its window title names another meeting, or after a gap,
even when the title is the same as before. A meeting tab closed ends its meeting at once; a
tab in the background stays a meeting while it plays sound or the provider holds the
microphone or camera.

Flapping is debounced: a meeting ends only after it was unseen for ``meeting_end_ticks``
ticks (an app after ``app_end_ticks``), dated when it was first missed. What a closed or
ended meeting was started with (its link on a browser's command line, the browser holding the
microphone) keeps being seen for a while; it is *retired* and cannot start the same meeting
again until it has disappeared once. A meeting seen again by the same tab (at the same address), window
or link within ``resume_ticks`` ticks after it ended (a tab reloaded, a window hidden a while) starts
with ``resumes`` naming the meeting it goes on from, and what that one told is not told again.

In-meeting signals from the browser extension become events once per meeting: an AI notice
(``AiFeatureNoticed``, once per feature or notice text) and a note-taker bot among the
participants (``NotetakerSeen`` in the meeting, once per bot).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from guard.detect.identity import (
    CORROBORATING_SIGNALS,
    PRESENCE_SIGNALS,
    SUPPORTING_SIGNALS,
    Cluster,
    TickView,
    group,
    key_kind,
)
from guard.detect.meeting_tracks import (
    Gone,
    MeetingTrack,
    adopter,
    client_meeting,
    gone,
    joins_start,
    media_pids,
    moved_on,
    other_meeting_seen,
    resumed,
    shown_identity,
    start_order,
)
from guard.detect.observation import Observation
from guard import events  # its event classes load with the first event: a pass with none skips them
from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting, Signal

if TYPE_CHECKING:
    from guard.events import DetectionEvent, MeetingEnded

__all__ = ["CORROBORATING_SIGNALS", "PRESENCE_SIGNALS", "SUPPORTING_SIGNALS", "SessionRules", "SessionState",
           "advance", "corroborates_meeting", "set_aside", "shows_presence"]

STICKY_SIGNALS = frozenset({Signal.AI_NOTICE, Signal.PARTICIPANT})  # kept in a meeting's evidence once seen


def shows_presence(obs: Observation) -> bool:
    """The provider's app runs: one of its processes, one of its own (non-meeting) windows (a browser
    window titled like a meeting that the extension did not confirm is neither), or a tab of it showing
    its lobby (the app open, not joined yet)."""
    if obs.signal == Signal.BROWSER_TAB:
        return not obs.meeting and not obs.closed
    return obs.signal in PRESENCE_SIGNALS or (obs.signal == Signal.WINDOW_TITLE and not obs.meeting
                                              and obs.confirmed is None)


def set_aside(obs: Observation) -> bool:
    """Seen and not counted: a browser window titled like a meeting while the browser extension, connected
    for that browser, shows no such meeting tab in front (guard/detect/title_check.py)."""
    return obs.signal == Signal.WINDOW_TITLE and not obs.meeting and obs.confirmed is False


def corroborates_meeting(obs: Observation) -> bool:
    """Evidence strong enough to say a meeting is in progress (a tab only when it is not closed and does
    not show its lobby)."""
    if obs.signal == Signal.BROWSER_TAB:
        return obs.meeting and not obs.closed
    return obs.signal in CORROBORATING_SIGNALS or (obs.signal == Signal.WINDOW_TITLE and obs.meeting)


# SessionRules and _App are NamedTuples (as meeting_tracks.Shown) and _Tick a plain class, not
# dataclasses: this module loads on every scan, where a dataclass compiles its methods at
# start-up (issue 18).


class SessionRules(NamedTuple):
    """Debounce and naming rules (ticks are the monitor's polling periods)."""

    notetakers: frozenset[str] = frozenset()
    app_end_ticks: int = 2
    meeting_start_ticks: int = 1
    meeting_end_ticks: int = 3
    media_gated: frozenset[str] = frozenset()  # providers whose tabs and links need the microphone or camera
    resume_ticks: int = 15  # a meeting seen again by its tab, window or link this soon after it ended goes on


class _App(NamedTuple):
    app: RunningApp
    missing_ticks: int = 0
    missing_since: datetime | None = None


@dataclass(frozen=True)
class SessionState:
    """Everything the machine remembers between ticks. Treat as immutable."""

    apps: Mapping[str, _App] = field(default_factory=dict)  # by provider id
    meetings: Mapping[str, MeetingTrack] = field(default_factory=dict)  # by meeting id
    pending: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (provider, identity): ticks seen
    retired: frozenset[tuple[str, str]] = frozenset()  # (provider, identity or "pid:N") of ended meetings
    announced: frozenset[tuple[str, str]] = frozenset()  # (meeting id, notice/bot key) already told
    gone: tuple[Gone, ...] = ()  # meetings ended within rules.resume_ticks: seen again, they go on (not told again)

    @property
    def running_apps(self) -> tuple[RunningApp, ...]:
        return tuple(track.app for track in self.apps.values())

    @property
    def meetings_in_progress(self) -> tuple[MeetingSession, ...]:
        return tuple(track.meeting for track in self.meetings.values())


class _Tick:
    """The events one tick produces, in the order they are told."""

    def __init__(self) -> None:
        self.meeting_ends: list[tuple[str, datetime, MeetingEnded]] = []
        self.app_ends: list[DetectionEvent] = []
        self.app_starts: list[DetectionEvent] = []
        self.meeting_starts: list[DetectionEvent] = []
        self.in_meeting: list[DetectionEvent] = []
        self.gone: list[Gone] = []  # meetings ended this tick
        self.resumed: set[Gone] = set()  # lately ended meetings seen again this tick

    def ordered(self) -> list[DetectionEvent]:
        ends = [event for _p, _s, event in sorted(self.meeting_ends, key=lambda item: (item[0], item[1]))]
        return [*ends, *self.app_ends, *self.app_starts, *self.meeting_starts, *self.in_meeting]


def advance(state: SessionState, observations: Iterable[Observation], at: datetime,
            rules: SessionRules = SessionRules()) -> tuple[SessionState, list[DetectionEvent]]:
    """One tick: the new state and the events it produced.

    Events come ends first (meetings, then apps), then starts (apps, then meetings), then what
    was seen inside meetings (AI notices, note-taker bots), each group ordered by provider id,
    so a client opening straight into a call reads ``AppStarted`` then ``MeetingStarted``.
    """
    view = TickView.of(observations)
    tick = _Tick()
    apps = _advance_apps(state, view, at, rules, tick)
    ending_apps = {provider for provider in state.apps if provider not in apps}

    meetings: dict[str, MeetingTrack] = {}
    pending: dict[tuple[str, str], int] = {}
    retired: set[tuple[str, str]] = set()
    providers = sorted(set(view.by_provider) | {t.provider_id for t in state.meetings.values()}
                       | {provider for provider, _key in state.pending})
    for provider_id in providers:
        _advance_meetings(provider_id, state, view, at, rules, provider_id in ending_apps, tick,
                          meetings, pending, retired)
    announced = set(state.announced)
    _in_meeting_events(view, meetings, announced, tick)
    lately = (*(item._replace(ticks=item.ticks + 1) for item in state.gone
                if item not in tick.resumed and item.ticks + 1 < rules.resume_ticks), *tick.gone)
    live = set(meetings) | {track.meeting.told_as for track in meetings.values()} | {item.told_as for item in lately}
    announced = {item for item in announced if not item[0] or item[0] in live}
    new_state = SessionState(apps=apps, meetings=meetings, pending=pending, retired=frozenset(retired),
                             announced=frozenset(announced), gone=lately if rules.resume_ticks > 0 else ())
    return new_state, tick.ordered()


# -- apps ---------------------------------------------------------------------------------------

def _advance_apps(state: SessionState, view: TickView, at: datetime, rules: SessionRules,
                  tick: _Tick) -> dict[str, _App]:
    apps: dict[str, _App] = {}
    for provider_id in sorted(set(view.by_provider) | set(state.apps)):
        presence = [obs for obs in view.by_provider.get(provider_id, ()) if shows_presence(obs)]
        track = state.apps.get(provider_id)
        if track is not None:
            if presence:
                app = replace(track.app, evidence=_evidence(presence, track.app.evidence))
                apps[provider_id] = _App(app)
            elif track.missing_ticks + 1 >= rules.app_end_ticks:
                ended = events.AppStopped(provider_id=provider_id, at=track.missing_since or at, app=track.app)
                tick.app_ends.append(ended)
            else:
                apps[provider_id] = _App(track.app, track.missing_ticks + 1, track.missing_since or at)
        elif presence:
            app = RunningApp(id=f"{provider_id}:app:{at.isoformat()}", provider_id=provider_id, started_at=at,
                             evidence=_evidence(presence))
            apps[provider_id] = _App(app)
            if provider_id in rules.notetakers:
                tick.app_starts.append(events.NotetakerSeen(provider_id=provider_id, at=at, session_id=app.id,
                                                     evidence=app.evidence))
            else:
                tick.app_starts.append(events.AppStarted(provider_id=provider_id, at=at, app=app))
    return apps


# -- meetings -----------------------------------------------------------------------------------

def _advance_meetings(provider_id: str, state: SessionState, view: TickView, at: datetime, rules: SessionRules,
                      app_ending: bool, tick: _Tick, meetings: dict[str, MeetingTrack],
                      pending: dict[tuple[str, str], int], retired: set[tuple[str, str]]) -> None:
    seen = group(view.by_provider.get(provider_id, ()), links_need_media=provider_id in rules.media_gated)
    was_retired = {key for provider, key in state.retired if provider == provider_id}
    observed_keys = set(seen.clusters) | {f"pid:{obs.pid}" for obs in seen.ambient if obs.pid is not None}
    still_retired = was_retired & observed_keys
    retired |= {(provider_id, key) for key in still_retired}
    clusters = {key: cluster for key, cluster in seen.clusters.items() if key not in still_retired}
    ambient = [obs for obs in seen.ambient if obs.pid is None or f"pid:{obs.pid}" not in still_retired]
    has_media = any(obs.signal in (Signal.MICROPHONE, Signal.CAMERA) for obs in seen.ambient)
    live = sorted((track for track in state.meetings.values() if track.provider_id == provider_id),
                  key=lambda track: (track.meeting.started_at, track.meeting.id))

    # Which live meeting each cluster belongs to: by identity, else adopted by a matching meeting.
    owner: dict[str, str] = {}
    for key in clusters:
        track = next((t for t in live if key in t.keys), None)
        if track is not None:
            owner[key] = track.meeting.id
    for key, cluster in sorted(clusters.items()):
        if key in owner:
            continue
        adopted = adopter(key, cluster, live, owner, clusters)
        if adopted is not None:
            owner[key] = adopted.meeting.id

    ended_now: set[str] = set()
    for track in live:
        mine = {key: clusters[key] for key, meeting_id in owner.items() if meeting_id == track.meeting.id}
        closed = [key for key in track.keys if key in seen.closed_tabs]
        if closed:
            _end(track, seen.closed_at.get(closed[0], at), tick, retired, observed_keys)
            ended_now.add(track.meeting.id)
            continue
        if moved_on(track, mine):
            # Its tab or window (and the microphone) go on, as another meeting.
            _end(track, at, tick, retired, {key for key in observed_keys - set(mine) if key_kind(key) != "pid"})
            ended_now.add(track.meeting.id)
            for key in mine:
                owner.pop(key, None)  # the cluster starts a new meeting below
            continue
        strong = [cluster for key, cluster in mine.items()
                  if (cluster.strong or (cluster.weak_tab and has_media))
                  and not (key_kind(key) == "url" and track.seen_in_window_or_tab)]
        # A client's meeting-only process is its meeting's own, whatever else the provider shows (a web
        # meeting in a tab): only the microphone and camera are taken for another meeting's then.
        alive = bool(strong) or (bool(ambient) and not other_meeting_seen(track, owner, clusters, strong)) or (
            client_meeting(track.meeting) and any(obs.signal == Signal.MEETING_PROCESS for obs in ambient))
        if alive:
            meetings[track.meeting.id] = _refresh(track, list(mine.values()), ambient, seen.support)
            continue
        missing = replace(track, missing_ticks=track.missing_ticks + 1, missing_since=track.missing_since or at,
                          age_ticks=track.age_ticks + 1)
        replaced = track.has_kind("window") and any(
            key_kind(key) == "window" and key not in owner for key in clusters)
        if replaced or app_ending or missing.missing_ticks >= rules.meeting_end_ticks:
            _end(missing, at if replaced else (missing.missing_since or at), tick, retired, observed_keys)
            ended_now.add(track.meeting.id)
        else:
            meetings[track.meeting.id] = missing

    # What the meetings ended just now went by and is still seen does not start them again.
    retired_now = {key for provider, key in retired if provider == provider_id}
    ambient = [obs for obs in ambient if obs.pid is None or f"pid:{obs.pid}" not in retired_now]

    # Clusters no meeting owns start new meetings; a window showing a new tab, or a link seen
    # with a new window or tab, joins it.
    fresh = [(key, cluster) for key, cluster in sorted(clusters.items(), key=lambda item: start_order(item[0]))
             if key not in owner and key not in retired_now and (cluster.strong or (cluster.weak_tab and has_media))]
    starts: list[tuple[str, list[Cluster]]] = []
    for key, cluster in fresh:
        joins = next((parts for first, parts in starts if joins_start(key, cluster, first, parts[0])), None)
        if joins is not None:
            joins.append(cluster)
        else:
            starts.append((key, [cluster]))
    if not starts and ambient and not any(t.meeting.id in meetings for t in live):
        starts.append(("", []))  # a meeting known only by its media or meeting-only process
    for key, parts in starts:
        ticks = state.pending.get((provider_id, key), 0) + 1
        if ticks < rules.meeting_start_ticks:
            pending[(provider_id, key)] = ticks
            continue
        track = _start(provider_id, at, parts, ambient, seen.support, taken=set(meetings) | ended_now)
        again = resumed((item for item in state.gone if item not in tick.resumed), provider_id, parts)
        if again is not None:  # seen again moments after it ended (a tab reloaded, a window hidden a while)
            tick.resumed.add(again)
            track = replace(track, meeting=replace(track.meeting, resumes=again.told_as))
        meetings[track.meeting.id] = track
        tick.meeting_starts.append(events.MeetingStarted(provider_id=provider_id, at=at, meeting=track.meeting))


def _start(provider_id: str, at: datetime, parts: list[Cluster], ambient: list[Observation],
           support: list[Observation], taken: set[str]) -> MeetingTrack:
    base = f"{provider_id}:meeting:{at.isoformat()}"
    meeting_id, number = base, 1
    while meeting_id in taken:
        number += 1
        meeting_id = f"{base}#{number}"
    observations = [obs for cluster in parts for obs in cluster.observations] + ambient + support
    keys = frozenset(cluster.key for cluster in parts)
    shown = shown_identity(parts, ambient, None)
    meeting = MeetingSession(id=meeting_id, provider_id=provider_id, started_at=at, evidence=_evidence(observations),
                             title=shown.title, url=shown.url, tab=shown.tab, window=shown.window)
    return MeetingTrack(meeting, keys, pids=media_pids(ambient))


def _refresh(track: MeetingTrack, parts: list[Cluster], ambient: list[Observation],
             support: list[Observation]) -> MeetingTrack:
    observations = [obs for cluster in parts for obs in cluster.observations] + ambient + support
    keys = track.keys | {cluster.key for cluster in parts}
    if any(key_kind(key) == "tab" for key in keys):
        # A browser window shows whichever tab is in front: the tab is this meeting's identity.
        keys = frozenset(key for key in keys if key_kind(key) != "window")
    shown = shown_identity(parts, ambient, track.meeting)
    title = shown.title
    if any(key_kind(key) == "tab" for key in track.keys):  # a tab names its meeting, not the window in front
        title = next((c.title for c in parts if key_kind(c.key) == "tab" and c.title), track.meeting.title)
    meeting = replace(track.meeting, evidence=_evidence(observations, track.meeting.evidence), title=title,
                      url=shown.url, tab=shown.tab, window=shown.window)
    return MeetingTrack(meeting, keys, pids=track.pids | media_pids(ambient), age_ticks=track.age_ticks + 1)


def _end(track: MeetingTrack, at: datetime, tick: _Tick, retired: set[tuple[str, str]],
         observed_keys: set[str]) -> None:
    """End the meeting. What it went by and is still seen (its link on a browser's command line,
    the browser's hold on the microphone) is retired until it disappears."""
    ended = replace(track.meeting, ended_at=at)
    tick.meeting_ends.append((track.provider_id, track.meeting.started_at,
                              events.MeetingEnded(provider_id=track.provider_id, at=at, meeting=ended)))
    went_by = set(track.keys) | {f"pid:{pid}" for pid in track.pids}
    retired |= {(track.provider_id, key) for key in went_by & observed_keys}
    if track.keys:
        tick.gone.append(gone(track))


# -- what was seen inside a meeting --------------------------------------------------------------

def _in_meeting_events(view: TickView, meetings: dict[str, MeetingTrack], announced: set[tuple[str, str]],
                       tick: _Tick) -> None:
    # Meetings whose page showed a recording, transcription or AI notice (before, or in this pass): there a participant
    # named like a note-taker bot is confirmed; elsewhere the name alone says it, which any guest can take.
    noticed = {track.meeting.id for obs in view.in_meeting if obs.signal == Signal.AI_NOTICE
               if (track := _meeting_of(obs, meetings)) is not None}
    noticed |= {track.meeting.id for track in meetings.values()
                if any(seen.signal == Signal.AI_NOTICE for seen in track.meeting.seen)}
    for obs in view.in_meeting:
        track = _meeting_of(obs, meetings)
        meeting_id = track.meeting.id if track is not None else ""
        told_as = track.meeting.told_as if track is not None else ""  # a meeting seen again: told once
        if obs.signal == Signal.AI_NOTICE:
            what = f"notice:{obs.feature_id or ' '.join((obs.notice or obs.detail).casefold().split())}"
            text = obs.notice or obs.detail
        else:
            name = obs.participant or obs.detail
            what = f"bot:{obs.provider_id}:{' '.join(name.casefold().split())}"
            text = name
        if track is not None:  # what was shown in the meeting stays in its evidence
            meeting = replace(track.meeting, evidence=_evidence([obs], track.meeting.evidence, keep_all=True))
            if (meeting_id, what) not in announced:
                meeting = replace(meeting, seen=(*meeting.seen, SeenInMeeting(
                    obs.signal, obs.provider_id, text, obs.seen_at, obs.feature_id,
                    confirmed=meeting_id in noticed if obs.signal == Signal.PARTICIPANT else None)))
            track = meetings[meeting_id] = replace(track, meeting=meeting)
        told = (told_as, what) in announced
        announced |= {(meeting_id, what), (told_as, what)}
        if told:
            continue
        if obs.signal == Signal.AI_NOTICE:
            tick.in_meeting.append(events.AiFeatureNoticed(
                provider_id=track.provider_id if track is not None else obs.provider_id, at=obs.seen_at,
                session_id=meeting_id, evidence=(obs.evidence(),), feature_id=obs.feature_id,
                meeting_id=meeting_id or None, notice=text))
        else:
            tick.in_meeting.append(events.NotetakerSeen(
                provider_id=obs.provider_id, at=obs.seen_at, session_id=meeting_id, evidence=(obs.evidence(),),
                where=events.NotetakerWhere.IN_MEETING, meeting_id=meeting_id or None, participant=obs.participant,
                confirmed=bool(meeting_id) and meeting_id in noticed))


def _meeting_of(obs: Observation, meetings: Mapping[str, MeetingTrack]) -> MeetingTrack | None:
    """The meeting an in-meeting observation came from: by its tab or window, else the only
    meeting of its provider in progress. A tab that is no meeting's (a lobby, a silent page in the
    background) is no meeting's either: what it shows is not put on a meeting going on elsewhere."""
    for key in (f"tab:{obs.tab}" if obs.tab else None, f"window:{obs.window}" if obs.window else None):
        if key is not None:
            found = next((t for t in meetings.values() if key in t.keys), None)
            if found is not None:
                return found
    if obs.tab:
        return None
    if obs.signal == Signal.AI_NOTICE:  # a notice is its provider's: never another provider's meeting
        mine = [t for t in meetings.values() if t.provider_id == obs.provider_id]
        return mine[0] if len(mine) == 1 else None
    if len(meetings) == 1:  # a bot's provider is the note-taker's, not the meeting's
        return next(iter(meetings.values()))
    return None


# -- evidence -------------------------------------------------------------------------------------

_SIGNAL_ORDER = {signal: index for index, signal in enumerate(Signal)}


def _evidence(observations: Iterable[Observation], earlier: Iterable[Evidence] = (),
              keep_all: bool = False) -> tuple[Evidence, ...]:
    """Distinct evidence in first-seen order; something seen before keeps its first time; what
    vanished is dropped, except notices and participants seen in the meeting, which stay."""
    earlier = tuple(earlier)
    first_seen = {(e.signal, e.pid, e.tab, e.detail): e.seen_at for e in earlier}
    result: dict[tuple[Signal, int | None, str | None, str], Evidence] = {}
    for evidence in earlier:
        if keep_all or evidence.signal in STICKY_SIGNALS:
            result[(evidence.signal, evidence.pid, evidence.tab, evidence.detail)] = evidence
    for obs in observations:
        key = (obs.signal, obs.pid, obs.tab, obs.detail)
        if key not in result:
            result[key] = Evidence(signal=obs.signal, detail=obs.detail, pid=obs.pid, tab=obs.tab,
                                   seen_at=first_seen.get(key, obs.seen_at), confirmed=obs.confirmed, said=obs.said)
    return tuple(sorted(result.values(), key=lambda e: (e.seen_at, _SIGNAL_ORDER[e.signal], e.detail)))
