"""The session state machine, with plain values: observations in, events out."""

from datetime import datetime, timedelta, timezone

from guard.detect.observation import Observation
from guard.detect.sessions import SessionRules, SessionState, SessionTracker, advance
from guard.events import AppStarted, AppStopped, MeetingEnded, MeetingStarted, NotetakerSeen, Signal

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def at(tick: int) -> datetime:
    return T0 + timedelta(seconds=2 * tick)


def process(provider="zoom", pid=100, tick=0):
    return Observation(provider, Signal.PROCESS, pid, f"zoom is running (pid {pid})", at(tick))


def mic(provider="zoom", pid=100, tick=0):
    return Observation(provider, Signal.MICROPHONE, pid, f"zoom (pid {pid}) is recording from the microphone", at(tick))


def window(provider="zoom", title="Zoom Meeting", meeting=True, pid=100, tick=0):
    return Observation(provider, Signal.WINDOW_TITLE, pid, f"window '{title}'", at(tick), meeting=meeting,
                       title=title if meeting else None)


def run(ticks, rules=SessionRules()):
    """Feed one list of observations per tick; return the events of each tick."""
    tracker = SessionTracker(rules)
    return [tracker.step(observations, at(index)) for index, observations in enumerate(ticks)]


def test_a_running_app_alone_never_starts_a_meeting():
    per_tick = run([[process(tick=i)] for i in range(5)])
    kinds = [type(e) for events in per_tick for e in events]
    assert kinds == [AppStarted]


def test_app_started_carries_its_process_evidence():
    (events,) = run([[process(pid=4242)]])
    (event,) = events
    assert isinstance(event, AppStarted)
    assert [(e.signal, e.pid, e.detail) for e in event.evidence] == [
        (Signal.PROCESS, 4242, "zoom is running (pid 4242)")]
    assert event.session_id.startswith("zoom:app:")


def test_microphone_held_by_the_client_starts_a_meeting_after_the_app():
    (events,) = run([[process(), mic()]])
    assert [type(e) for e in events] == [AppStarted, MeetingStarted]
    meeting = events[1]
    assert [e.signal for e in meeting.evidence] == [Signal.MICROPHONE]


def test_home_window_is_presence_but_meeting_window_is_a_meeting():
    per_tick = run([[process(), window(title="Zoom Workplace", meeting=False)],
                    [process(tick=1), window(title="Zoom Meeting", tick=1)]])
    assert [type(e) for e in per_tick[0]] == [AppStarted]
    (started,) = per_tick[1]
    assert isinstance(started, MeetingStarted) and started.meeting_title == "Zoom Meeting"


def test_socket_evidence_alone_starts_nothing_but_is_attached_to_a_meeting():
    sock = Observation("zoom", Signal.SOCKET, 100, "zoom (pid 100) has 3 UDP socket(s) open", at(0))
    assert run([[process(), sock]])[0] == [AppStarted(provider_id="zoom", at=at(0), session_id=f"zoom:app:{at(0).isoformat()}",
                                                     evidence=(process().evidence(),))]
    (events,) = run([[mic(), sock]])
    (meeting,) = events
    assert {e.signal for e in meeting.evidence} == {Signal.MICROPHONE, Signal.SOCKET}


def test_flapping_corroboration_does_not_end_the_meeting():
    ticks = [[process(tick=0), mic(tick=0)], [process(tick=1)], [process(tick=2), mic(tick=2)],
             [process(tick=3)], [process(tick=4)], [process(tick=5), mic(tick=5)]]
    per_tick = run(ticks)
    kinds = [type(e) for events in per_tick for e in events]
    assert kinds == [AppStarted, MeetingStarted]


def test_meeting_ends_after_corroboration_is_gone_for_n_ticks_with_started_at():
    rules = SessionRules(meeting_end_ticks=3)
    ticks = [[process(tick=0), mic(tick=0)], [process(tick=1), mic(tick=1)],
             [process(tick=2)], [process(tick=3)], [process(tick=4)], [process(tick=5)]]
    per_tick = run(ticks, rules)
    assert per_tick[2] == [] and per_tick[3] == []
    (ended,) = per_tick[4]
    assert isinstance(ended, MeetingEnded)
    assert ended.started_at == at(0)
    assert ended.at == at(2), "dated when the evidence was first missed"
    assert [e.signal for e in ended.evidence] == [Signal.MICROPHONE]
    assert ended.session_id == per_tick[0][1].session_id
    assert per_tick[5] == []


def test_app_stop_is_debounced_and_ends_its_meeting_first():
    rules = SessionRules(app_end_ticks=2, meeting_end_ticks=5)
    per_tick = run([[process(tick=0), mic(tick=0)], [], []], rules)
    assert per_tick[1] == []
    ended, stopped = per_tick[2]
    assert isinstance(ended, MeetingEnded) and isinstance(stopped, AppStopped)
    assert stopped.at == at(1)
    assert stopped.session_id == per_tick[0][0].session_id


def test_app_coming_back_within_the_debounce_is_one_session():
    per_tick = run([[process(pid=1)], [], [process(pid=2, tick=2)], [process(pid=2, tick=3)]])
    assert [type(e) for events in per_tick for e in events] == [AppStarted]


def test_web_meeting_without_an_app_starts_and_ends():
    url = Observation("google-meet", Signal.COMMAND_LINE, 300, "chromium (pid 300) was started with https://meet.google.com/abc-defg-hij",
                      at(0), url="https://meet.google.com/abc-defg-hij")
    per_tick = run([[url], [], [], []])
    (started,) = per_tick[0]
    assert isinstance(started, MeetingStarted) and started.meeting_url == "https://meet.google.com/abc-defg-hij"
    (ended,) = per_tick[3]
    assert isinstance(ended, MeetingEnded) and ended.provider_id == "google-meet"


def test_notetakers_are_reported_as_notetaker_seen():
    rules = SessionRules(notetakers=frozenset({"otter"}))
    per_tick = run([[process("otter", 7)], [], []], rules)
    (seen,) = per_tick[0]
    assert isinstance(seen, NotetakerSeen) and seen.provider_id == "otter"
    (stopped,) = per_tick[2]
    assert isinstance(stopped, AppStopped) and stopped.session_id == seen.session_id


def test_meeting_start_can_require_several_ticks():
    rules = SessionRules(meeting_start_ticks=2)
    per_tick = run([[mic(tick=0)], [], [mic(tick=2)], [mic(tick=3)]], rules)
    assert per_tick[0] == [] and per_tick[2] == []
    (started,) = per_tick[3]
    assert isinstance(started, MeetingStarted)


def test_evidence_keeps_its_first_seen_time_and_drops_what_vanished():
    state = SessionState()
    state, _ = advance(state, [mic(tick=0), window(tick=0)], at(0))
    state, _ = advance(state, [mic(tick=1)], at(1))
    (evidence,) = state.meetings["zoom"].evidence
    assert evidence.signal == Signal.MICROPHONE and evidence.seen_at == at(0)


def test_advance_is_pure_and_leaves_the_old_state_alone():
    state0 = SessionState()
    state1, events1 = advance(state0, [process()], at(0))
    again, events_again = advance(state0, [process()], at(0))
    assert state0.apps == {} and events1 == events_again and state1 == again


def test_events_of_several_providers_come_ends_first_then_starts():
    first = run([[process("teams", 1), mic("teams", 1)], []], SessionRules(app_end_ticks=1, meeting_end_ticks=1))
    assert [type(e) for e in first[1]] == [MeetingEnded, AppStopped]
    tracker = SessionTracker(SessionRules(app_end_ticks=1, meeting_end_ticks=1))
    tracker.step([process("teams", 1)], at(0))
    events = tracker.step([process("zoom", 2, tick=1)], at(1))
    assert [(type(e), e.provider_id) for e in events] == [(AppStopped, "teams"), (AppStarted, "zoom")]
