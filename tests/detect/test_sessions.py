"""The session state machine, with plain values: observations in, events out."""

from datetime import datetime, timedelta, UTC

from guard.detect.observation import Observation
from guard.detect.sessions import SessionRules, SessionState, advance
from guard.events import AppStarted, AppStopped, MeetingEnded, MeetingStarted, NotetakerSeen, RunningApp, Signal

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(tick: int) -> datetime:
    return T0 + timedelta(seconds=2 * tick)


def process(provider="zoom", pid=100, tick=0):
    return Observation(provider, Signal.PROCESS, pid, f"zoom is running (pid {pid})", at(tick))


def mic(provider="zoom", pid=100, tick=0):
    return Observation(provider, Signal.MICROPHONE, pid, f"zoom (pid {pid}) is recording from the microphone", at(tick))


def window(provider="zoom", title="Zoom Meeting", meeting=True, pid=100, tick=0):
    return Observation(provider, Signal.WINDOW_TITLE, pid, f"window '{title}'", at(tick), meeting=meeting,
                       title=title if meeting else None)


class Tracker:
    """Holds the state between ticks, as the monitor does."""

    def __init__(self, rules=SessionRules()):
        self.rules = rules
        self.state = SessionState()

    def step(self, observations, when):
        self.state, events = advance(self.state, observations, when, self.rules)
        return events


def run(ticks, rules=SessionRules()):
    """Feed one list of observations per tick; return the events of each tick."""
    tracker = Tracker(rules)
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
    app = RunningApp(id=f"zoom:app:{at(0).isoformat()}", provider_id="zoom", started_at=at(0),
                     evidence=(process().evidence(),))
    assert run([[process(), sock]])[0] == [AppStarted(provider_id="zoom", at=at(0), app=app)]
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
    (meeting,) = state.meetings_in_progress
    (evidence,) = meeting.evidence
    assert evidence.signal == Signal.MICROPHONE and evidence.seen_at == at(0)


def test_advance_is_pure_and_leaves_the_old_state_alone():
    state0 = SessionState()
    state1, events1 = advance(state0, [process()], at(0))
    again, events_again = advance(state0, [process()], at(0))
    assert state0.apps == {} and events1 == events_again and state1 == again and state1.running_apps


def test_events_of_several_providers_come_ends_first_then_starts():
    first = run([[process("teams", 1), mic("teams", 1)], []], SessionRules(app_end_ticks=1, meeting_end_ticks=1))
    assert [type(e) for e in first[1]] == [MeetingEnded, AppStopped]
    tracker = Tracker(SessionRules(app_end_ticks=1, meeting_end_ticks=1))
    tracker.step([process("teams", 1)], at(0))
    events = tracker.step([process("zoom", 2, tick=1)], at(1))
    assert [(type(e), e.provider_id) for e in events] == [(AppStopped, "teams"), (AppStarted, "zoom")]


# -- meetings known by identity, not by provider -------------------------------------------------

def win(title="Zoom Meeting", window_id="0x1", provider="zoom", pid=100, tick=0, confirmed=None):
    """A window showing a meeting: a client's own (``confirmed`` None), or a browser's, whose title the
    detector checks against the extension (True: a meeting tab so titled is in front; False: not confirmed,
    e.g. before the extension connected)."""
    return Observation(provider, Signal.WINDOW_TITLE, pid, f"window '{title}'", at(tick), meeting=True, title=title,
                       window=window_id, confirmed=confirmed)


def tab(tab_id="chromium/7", url="https://meet.google.com/abc-defg-hij", title="Meet – abc-defg-hij",
        active=True, audible=False, closed=False, tick=0, provider="google-meet"):
    return Observation(provider, Signal.BROWSER_TAB, 300, f"tab {tab_id} shows {url}", at(tick), meeting=True,
                       title=title, url=url, tab=tab_id, active=active, audible=audible, closed=closed)


def starts(per_tick):
    return [e for events in per_tick for e in events if isinstance(e, MeetingStarted)]


def ends(per_tick):
    return [e for events in per_tick for e in events if isinstance(e, MeetingEnded)]


def test_two_zoom_meetings_in_a_row_with_the_same_title_are_two_meetings_when_the_window_is_recreated():
    per_tick = run([[process(tick=0), win(window_id="0x1", tick=0), mic(tick=0)],
                    [process(tick=1), win(window_id="0x1", tick=1), mic(tick=1)],
                    [process(tick=2), win(window_id="0x2", tick=2), mic(tick=2)],
                    [process(tick=3), win(window_id="0x2", tick=3), mic(tick=3)]])
    first, second = starts(per_tick)
    assert first.meeting.title == second.meeting.title == "Zoom Meeting"
    assert first.meeting.id != second.meeting.id and second.meeting.window == "0x2"
    (ended,) = ends(per_tick)
    assert ended.meeting.id == first.meeting.id and ended.at == at(2), "ended when its window was replaced"
    assert [type(e) for e in per_tick[2]] == [MeetingEnded, MeetingStarted]


def test_the_same_title_after_a_gap_is_a_new_meeting():
    ticks = [[process(tick=0), mic(tick=0)]] + [[process(tick=i)] for i in range(1, 5)] + \
        [[process(tick=5), mic(tick=5)]]
    per_tick = run(ticks, SessionRules(meeting_end_ticks=3))
    assert len(starts(per_tick)) == 2 and len(ends(per_tick)) == 1


def test_a_window_that_shows_another_meeting_title_is_another_meeting():
    per_tick = run([[win(title="Meet – abc-defg-hij - Chromium", window_id="0x9", provider="google-meet")],
                    [win(title="Meet – xyz-abcd-efg - Chromium", window_id="0x9", provider="google-meet", tick=1)]])
    assert [s.meeting.title for s in starts(per_tick)] == ["Meet – abc-defg-hij - Chromium",
                                                           "Meet – xyz-abcd-efg - Chromium"]


def test_a_window_title_that_grows_is_the_same_meeting():
    per_tick = run([[win(title="Zoom Meeting")], [win(title="Zoom Meeting 40-Minutes", tick=1)]])
    assert len(starts(per_tick)) == 1 and starts(per_tick)[0].meeting.title == "Zoom Meeting"


def test_a_tab_that_moves_to_another_meeting_address_is_another_meeting():
    per_tick = run([[tab()], [tab(url="https://meet.google.com/abc-defg-hij?authuser=0", tick=1)],
                    [tab(url="https://meet.google.com/xyz-abcd-efg", title="Meet – xyz-abcd-efg", tick=2)]])
    first, second = starts(per_tick)
    assert second.meeting.url == "https://meet.google.com/xyz-abcd-efg" and first.meeting.tab == second.meeting.tab
    assert [type(e) for e in per_tick[2]] == [MeetingEnded, MeetingStarted]


def test_a_closed_tab_ends_its_meeting_at_once_and_its_link_does_not_bring_it_back():
    link = Observation("jitsi", Signal.COMMAND_LINE, 300, "chromium (pid 300) was started with https://meet.jit.si/Room",
                       at(0), url="https://meet.jit.si/Room")
    browser_mic = Observation("jitsi", Signal.MICROPHONE, 300, "chromium (pid 300) is recording", at(0))
    jitsi = dict(provider="jitsi", url="https://meet.jit.si/Room", title="Room | Jitsi Meet")
    per_tick = run([[link, browser_mic, tab(**jitsi)],
                    [link, browser_mic, tab(tick=1, **jitsi)],
                    [link, browser_mic, tab(closed=True, tick=2, **jitsi)],
                    [link, browser_mic], [link], [link], [link]])
    (started,) = starts(per_tick)
    assert started.meeting.tab == "chromium/7" and started.meeting.url == "https://meet.jit.si/Room"
    (ended,) = per_tick[2]
    assert isinstance(ended, MeetingEnded) and ended.at == at(2), "no debounce for a closed tab"
    assert all(events == [] for events in per_tick[3:])


def test_a_browser_started_with_a_link_stops_being_a_meeting_when_its_window_stops_showing_it():
    link = Observation("jitsi", Signal.COMMAND_LINE, 300, "chromium (pid 300) was started with https://meet.jit.si/Room",
                       at(0), url="https://meet.jit.si/Room")
    shown = win(title="Room | Jitsi Meet - Chromium", window_id="0x5", provider="jitsi", pid=300)
    per_tick = run([[link, shown], [link, shown], [link], [link], [link], [link], [link]],
                   SessionRules(meeting_end_ticks=3))
    (started,) = starts(per_tick)
    (ended,) = ends(per_tick)
    assert ended.meeting.id == started.meeting.id and ended.at == at(2)


def test_a_background_tab_stays_a_meeting_while_it_plays_sound_or_the_microphone_is_held():
    browser_mic = Observation("google-meet", Signal.MICROPHONE, 300, "chromium (pid 300) is recording", at(0))
    per_tick = run([[tab(active=True)],
                    [tab(active=False, audible=True, tick=1)],
                    [tab(active=False, audible=False, tick=2), browser_mic],
                    [tab(active=False, audible=False, tick=3), browser_mic],
                    [tab(active=False, tick=4)], [tab(active=False, tick=5)], [tab(active=False, tick=6)]],
                   SessionRules(meeting_end_ticks=3))
    assert len(starts(per_tick)) == 1
    (ended,) = ends(per_tick)
    assert ended.at == at(4), "a silent background tab with no microphone is not a meeting going on"


def test_a_meeting_tab_opened_in_the_background_is_not_a_meeting_yet():
    assert starts(run([[tab(active=False)], [tab(active=False, tick=1)]])) == []


def test_two_meetings_of_one_provider_at_once_are_both_told():
    per_tick = run([[tab("chromium/1", "https://meet.google.com/aaa-bbbb-ccc", "Meet – aaa-bbbb-ccc"),
                     tab("chromium/2", "https://meet.google.com/ddd-eeee-fff", "Meet – ddd-eeee-fff", active=False,
                         audible=True)]])
    assert sorted(s.meeting.tab for s in starts(per_tick)) == ["chromium/1", "chromium/2"]
    assert len({s.meeting.id for s in starts(per_tick)}) == 2


def test_the_window_showing_a_meeting_tab_is_the_same_meeting():
    per_tick = run([[tab(), win(title="Meet – abc-defg-hij - Chromium", window_id="0x9", provider="google-meet",
                                confirmed=True)],
                    [tab(tick=1), win(title="Meet – abc-defg-hij - Chromium", window_id="0x9", provider="google-meet",
                                      tick=1, confirmed=True)],
                    [tab(active=False, audible=True, tick=2)]])
    (started,) = starts(per_tick)
    assert started.meeting.tab == "chromium/7" and ends(per_tick) == []
    assert {e.signal for e in started.meeting.evidence} == {Signal.BROWSER_TAB, Signal.WINDOW_TITLE}


def test_a_tab_takes_over_the_meeting_its_window_showed_before_the_extension_connected():
    per_tick = run([[win(title="Meet – abc-defg-hij - Chromium", window_id="0x9", provider="google-meet",
                         confirmed=False)],
                    [tab(tick=1), win(title="Meet – abc-defg-hij - Chromium", window_id="0x9",
                                      provider="google-meet", tick=1, confirmed=True)],
                    [tab(active=False, audible=True, tick=2)], [tab(active=False, audible=True, tick=3)],
                    [tab(active=False, audible=True, tick=4)], [tab(active=False, audible=True, tick=5)]])
    (started,) = starts(per_tick)
    assert ends(per_tick) == []


def notice(text="This meeting is being summarised by AI Companion", feature="ai-companion", tick=0,
           tab_id="chromium/7"):
    return Observation("google-meet", Signal.AI_NOTICE, 300, text, at(tick), tab=tab_id, feature_id=feature,
                       notice=text)


def bot(name="Otter.ai Notetaker", tick=0, tab_id="chromium/7"):
    return Observation("otter", Signal.PARTICIPANT, 300, f"participant '{name}'", at(tick), tab=tab_id,
                       participant=name)


def test_an_ai_notice_in_a_meeting_is_told_once_per_feature_and_stays_in_its_evidence():
    from guard.events import AiFeatureNoticed

    per_tick = run([[tab()], [tab(tick=1), notice(tick=1)], [tab(tick=2), notice(tick=2)],
                    [tab(tick=3), notice("Recording started", "recording", tick=3)], [tab(tick=4)]])
    (started,) = starts(per_tick)
    noticed = [e for events in per_tick for e in events if isinstance(e, AiFeatureNoticed)]
    assert [(n.feature_id, n.meeting_id, n.at) for n in noticed] == [("ai-companion", started.meeting.id, at(1)),
                                                                     ("recording", started.meeting.id, at(3))]
    assert noticed[0].notice == "This meeting is being summarised by AI Companion"
    assert noticed[0].evidence[0].signal == Signal.AI_NOTICE and noticed[0].evidence[0].tab == "chromium/7"


def test_a_notetaker_bot_joining_is_told_once_per_meeting_and_bot():
    from guard.events import NotetakerWhere

    per_tick = run([[tab()], [tab(tick=1), bot(tick=1)], [tab(tick=2), bot(tick=2)],
                    [tab(tick=3), bot(tick=3), bot("Fireflies.ai Notetaker", tick=3)]])
    (started,) = starts(per_tick)
    seen = [e for events in per_tick for e in events if isinstance(e, NotetakerSeen)]
    assert [(s.provider_id, s.participant, s.where, s.meeting_id) for s in seen] == [
        ("otter", "Otter.ai Notetaker", NotetakerWhere.IN_MEETING, started.meeting.id),
        ("otter", "Fireflies.ai Notetaker", NotetakerWhere.IN_MEETING, started.meeting.id)]


def test_a_new_meeting_in_the_same_tab_tells_its_notices_again():
    from guard.events import AiFeatureNoticed

    per_tick = run([[tab(), notice()], [tab(tick=1), notice(tick=1)],
                    [tab(url="https://meet.google.com/xyz-abcd-efg", tick=2), notice(tick=2)]])
    noticed = [e for events in per_tick for e in events if isinstance(e, AiFeatureNoticed)]
    assert len(noticed) == 2 and noticed[0].meeting_id != noticed[1].meeting_id


def test_what_the_meeting_page_showed_is_kept_with_the_meeting():
    tracker = Tracker()
    tracker.step([tab()], at(0))
    tracker.step([tab(tick=1), notice(tick=1), bot(tick=1)], at(1))
    tracker.step([tab(tick=2), notice(tick=2), bot(tick=2)], at(2))
    (meeting,) = tracker.state.meetings_in_progress
    (seen_notice,) = meeting.ai_notices
    assert (seen_notice.feature_id, seen_notice.seen_at) == ("ai-companion", at(1))
    assert [b.text for b in meeting.notetakers] == ["Otter.ai Notetaker"]
    assert meeting.notetakers[0].provider_id == "otter"


# A provider whose meeting links look like its chat pages (detect.web.links_need_media: Discord's
# text and voice channels are both discord.com/channels/<server>/<channel>).
DISCORD_CHANNEL = "https://discord.com/channels/636084430946959380/976196303681896538"
GATED = SessionRules(media_gated=frozenset({"discord"}))


def test_a_chat_page_shaped_like_a_call_is_no_meeting_without_the_microphone():
    """LLVM's #office-hours text channel, open in front: a Discord channel link, no call."""
    per_tick = run([[tab(provider="discord", url=DISCORD_CHANNEL, title="#office-hours | LLVM - Discord")]] * 4,
                   GATED)
    assert starts(per_tick) == []
    link = Observation("discord", Signal.COMMAND_LINE, 300, f"chromium was started with {DISCORD_CHANNEL}", at(0),
                       url=DISCORD_CHANNEL)
    assert starts(run([[link]] * 3, GATED)) == []


def test_the_same_channel_is_a_call_while_discord_holds_the_microphone_and_ends_when_it_lets_go():
    in_call = [tab(provider="discord", url=DISCORD_CHANNEL), mic(provider="discord", pid=300)]
    per_tick = run([in_call] * 2 + [[tab(provider="discord", url=DISCORD_CHANNEL)]] * 5, GATED)
    assert [e.meeting.url for e in starts(per_tick)] == [DISCORD_CHANNEL]
    assert len(ends(per_tick)) == 1


def test_only_the_gated_provider_needs_the_microphone():
    assert len(starts(run([[tab()]] * 2, GATED))) == 1  # a Meet tab in front is a meeting as before


MEET = "https://meet.google.com/not-icea-bcd"


def launcher(url=MEET, pid=301, tick=0):
    """The short-lived ``chromium URL`` process that hands a link to the running browser (xdg-open, a calendar's
    Join button)."""
    return Observation("google-meet", Signal.COMMAND_LINE, pid, f"chromium (pid {pid}) was started with {url}",
                       at(tick), url=url)


def test_a_link_handed_to_a_running_browser_and_the_window_it_opens_a_tick_later_are_one_meeting():
    shown = win(title="Meet – not-icea-bcd - Chromium", window_id="0x9", provider="google-meet", pid=300,
                confirmed=False)
    seen = win(title="Meet – not-icea-bcd - Chromium", window_id="0x9", provider="google-meet", pid=300,
               confirmed=True)
    per_tick = run([[launcher()],  # the launcher is seen once, with the link
                    [shown],  # gone; the browser's window shows the page (the extension has not told yet)
                    [seen, tab(url=MEET, title="Meet – not-icea-bcd", tick=2)],
                    [seen, tab(url=MEET, title="Meet – not-icea-bcd", tick=3)]] + [[]] * 4)
    (started,) = starts(per_tick)
    (ended,) = ends(per_tick)
    assert ended.meeting.id == started.meeting.id
    assert (ended.meeting.url, ended.meeting.title) == (MEET, "Meet – not-icea-bcd"), "the page names it"


def test_a_window_seen_first_and_the_launchers_link_a_tick_later_are_one_meeting():
    shown = win(title="Meet – not-icea-bcd - Chromium", window_id="0x9", provider="google-meet", pid=300)
    per_tick = run([[shown], [shown, launcher(tick=1)], [shown], [shown]])
    (started,) = starts(per_tick)
    assert ends(per_tick) == []
    assert started.meeting.title == "Meet – not-icea-bcd - Chromium"


def test_a_window_long_after_a_meeting_known_by_its_link_alone_is_not_taken_for_its_page():
    """Only what shows up right after the link opened it belongs to it; later, a window is a meeting of its own."""
    other = win(title="Meet – xyz-abcd-efg - Chromium", window_id="0x9", provider="google-meet", pid=300)
    per_tick = run([[launcher(tick=i)] for i in range(4)] + [[launcher(tick=4), other]])
    assert len(starts(per_tick)) == 2


def test_a_link_does_not_join_a_meeting_whose_tab_shows_another_address():
    per_tick = run([[tab(url=MEET, title="Meet – not-icea-bcd")],
                    [tab(url=MEET, title="Meet – not-icea-bcd", tick=1),
                     launcher("https://meet.google.com/xyz-abcd-efg", tick=1)]])
    assert [s.meeting.url for s in starts(per_tick)] == [MEET, "https://meet.google.com/xyz-abcd-efg"]


def test_a_personal_link_in_a_new_tab_is_not_taken_for_the_meeting_a_link_named_hostile():
    """A meeting known by the link a browser was started with (/j/<id>) does not take over a tab showing a
    personal link (/my/<name>) that another person sent: that tab leads to their room, another meeting
    whose notice is a new question; a personal link first and its meeting after are still one meeting."""
    link = Observation("zoom", Signal.COMMAND_LINE, 300, "chromium (pid 300) was started with https://zoom.us/j/81234567890",
                       at(0), url="https://zoom.us/j/81234567890")
    other = dict(provider="zoom", url="https://zoom.us/my/grace.hopper", title="Zoom")
    per_tick = run([[link], [link, tab(tick=1, **other)], [link, tab(tick=2, **other)]])
    assert len(starts(per_tick)) == 2, "the personal link's tab is a meeting of its own"
    personal = Observation("zoom", Signal.COMMAND_LINE, 300, "chromium (pid 300) was started with https://zoom.us/my/ada",
                           at(0), url="https://zoom.us/my/ada")
    room = dict(provider="zoom", url="https://zoom.us/j/81234567890", title="Zoom")
    per_tick = run([[personal], [personal, tab(tick=1, **room)], [personal, tab(tick=2, **room)]])
    assert len(starts(per_tick)) == 1, "the personal link and the room it redirects to are one meeting"


ZOOM_WEB = dict(provider="zoom", url="https://app.zoom.us/wc/84512937106/join", title="Zoom", tab_id="chromium/5")


def test_a_web_meeting_tab_is_not_taken_for_the_desktop_clients_meeting_whose_window_title_holds_its_title():
    """Audit 13: in a Zoom desktop meeting (its window 'Zoom Meeting', a client's own window), the user joins
    another Zoom meeting in the browser (its web client's tab is titled 'Zoom'). The tab was taken over the
    desktop meeting, since 'Zoom' is in 'Zoom Meeting' (the rule is for a browser window that showed the tab's
    page before the extension connected): one meeting for two, the web meeting's notices and decisions put on
    the desktop one, and closing the tab ended the desktop meeting, which its window, still open, could then
    not start again. A client's own window never shows a browser tab: they are two meetings."""
    desktop = dict(title="Zoom Meeting", window_id="0x1", pid=100)
    per_tick = run([[process(tick=0), win(tick=0, **desktop)],
                    [process(tick=1), win(tick=1, **desktop), tab(tick=1, **ZOOM_WEB)],
                    [process(tick=2), win(tick=2, **desktop), tab(tick=2, **ZOOM_WEB)],
                    [process(tick=3), win(tick=3, **desktop), tab(closed=True, tick=3, **ZOOM_WEB)],
                    [process(tick=4), win(tick=4, **desktop)], [process(tick=5), win(tick=5, **desktop)]])
    first, second = starts(per_tick)
    assert (first.meeting.window, first.meeting.tab) == ("0x1", None)
    assert (second.meeting.tab, second.meeting.url) == ("chromium/5", ZOOM_WEB["url"])
    (ended,) = ends(per_tick)
    assert ended.meeting.id == second.meeting.id, "closing the web meeting's tab ended the desktop meeting"


def test_a_desktop_clients_window_is_not_taken_for_a_web_meeting_tab_whose_title_it_holds():
    """The other way round: in a Zoom web meeting (tab 'Zoom'), a desktop meeting's window ('Zoom Meeting') is
    a meeting of its own, not the window showing the tab."""
    desktop = dict(title="Zoom Meeting", window_id="0x1", pid=100)
    per_tick = run([[tab(tick=0, **ZOOM_WEB)],
                    [tab(tick=1, **ZOOM_WEB), process(tick=1), win(tick=1, **desktop)],
                    [tab(tick=2, **ZOOM_WEB), process(tick=2), win(tick=2, **desktop)]])
    assert [(s.meeting.tab, s.meeting.window) for s in starts(per_tick)] == [("chromium/5", None), (None, "0x1")]
    both = run([[tab(tick=0, **ZOOM_WEB), process(tick=0), win(tick=0, **desktop)]])
    assert len(starts(both)) == 2, "seen in the same tick, too"


def test_a_web_meeting_tab_is_not_taken_for_a_desktop_meeting_known_only_by_its_meeting_process():
    """Where the desktop client's windows cannot be read (GNOME on Wayland without the Shell extension), its
    meeting is known by its meeting-only process (Zoom's aomhost) alone. A Zoom web meeting joined in the
    browser was taken for it (a tab joins a meeting known only by its media): one meeting for two, and closing
    the tab ended the desktop meeting, whose process, still running, could then not start it again."""
    aomhost = Observation("zoom", Signal.MEETING_PROCESS, 101, "aomhost (pid 101) runs only during meetings", at(0))
    per_tick = run([[process(tick=0), aomhost]]
                   + [[process(tick=i), aomhost, tab(tick=i, **ZOOM_WEB)] for i in range(1, 6)]
                   + [[process(tick=6), aomhost, tab(closed=True, tick=6, **ZOOM_WEB)]]
                   + [[process(tick=i), aomhost] for i in range(7, 10)],
                   SessionRules(meeting_end_ticks=2))
    desktop, web = starts(per_tick)
    assert desktop.meeting.tab is None and web.meeting.tab == "chromium/5"
    (ended,) = ends(per_tick)
    assert ended.meeting.id == web.meeting.id, "closing the web meeting's tab ended the desktop meeting"


def test_what_a_tab_that_is_no_meeting_shows_is_not_put_on_another_meeting():
    """Audit 13: a notice or a bot in a tab that is no meeting (a meeting page's lobby, where the host's AI
    notice already shows; a silent background page) was put on the only meeting in progress, of any provider:
    in a Teams desktop meeting, a Google Meet lobby's notice asked about AI in the Teams meeting (the event
    even named Teams as the provider), and the decision was recorded against it. What a tab shows belongs to
    that tab's meeting only."""
    from guard.events import AiFeatureNoticed

    teams = win(title="Weekly sync | Microsoft Teams", window_id="0x3", provider="teams", pid=200)
    per_tick = run([[teams], [win(title="Weekly sync | Microsoft Teams", window_id="0x3", provider="teams", pid=200,
                                  tick=1), notice(tick=1), bot(tick=1)]])
    (started,) = starts(per_tick)
    noticed = [e for events in per_tick for e in events if isinstance(e, AiFeatureNoticed)]
    assert [(n.provider_id, n.meeting_id) for n in noticed] == [("google-meet", None)]
    seen = [e for events in per_tick for e in events if isinstance(e, NotetakerSeen)]
    assert [s.meeting_id for s in seen] == [None]
    desktop = dict(title="Zoom Meeting", window_id="0x1", pid=100)
    lobby_notice = Observation("zoom", Signal.AI_NOTICE, 300, "AI Companion is on", at(1), tab="chromium/5",
                               feature_id="ai-companion", notice="AI Companion is on")
    per_tick = run([[process(), win(**desktop)], [process(tick=1), win(tick=1, **desktop), lobby_notice]])
    noticed = [e for events in per_tick for e in events if isinstance(e, AiFeatureNoticed)]
    assert [n.meeting_id for n in noticed] == [None], "another Zoom meeting's lobby is not the desktop meeting"


def test_a_clients_notice_is_not_put_on_another_providers_meeting():
    """A notice read in a client's own window (accessibility) while that client is in no meeting (its home
    window's AI Companion banner) was put on the only meeting in progress of any provider, the event naming
    that provider (Teams) with Zoom's feature. A notice is its provider's: only a bot, whose provider is the
    note-taker's, is put on the one meeting going on whatever its provider."""
    from guard.events import AiFeatureNoticed

    teams = dict(title="Weekly sync | Microsoft Teams", window_id="0x3", provider="teams", pid=200)
    banner = Observation("zoom", Signal.AI_NOTICE, 100, "AI Companion is on", at(1), window="0x7",
                         feature_id="ai-companion", notice="AI Companion is on")
    bot_name = Observation("otter", Signal.PARTICIPANT, 200, "participant 'Otter.ai'", at(1), participant="Otter.ai")
    per_tick = run([[win(**teams)], [win(tick=1, **teams), banner, bot_name]])
    (started,) = starts(per_tick)
    noticed = [e for events in per_tick for e in events if isinstance(e, AiFeatureNoticed)]
    assert [(n.provider_id, n.meeting_id) for n in noticed] == [("zoom", None)]
    assert [s.meeting_id for events in per_tick for s in events if isinstance(s, NotetakerSeen)] == \
        [started.meeting.id], "a bot is still put on the one meeting going on"


def test_a_participant_named_like_a_bot_is_unconfirmed_until_the_meeting_shows_a_recording_notice_hostile():
    """Any guest can join as "Otter.ai": the display name alone is an unconfirmed bot. In a meeting whose page shows a
    recording, transcription or AI notice (before the name, or in the same pass), the same name is a confirmed one."""
    alone = run([[tab()], [tab(tick=1), bot("Otter.ai", tick=1)]])
    (guest,) = [e for events in alone for e in events if isinstance(e, NotetakerSeen)]
    assert guest.participant == "Otter.ai" and guest.confirmed is False
    recorded = run([[tab()], [tab(tick=1), notice("Recording started", "recording", tick=1)],
                    [tab(tick=2), bot("Otter.ai", tick=2)]])
    (joined,) = [e for events in recorded for e in events if isinstance(e, NotetakerSeen)]
    assert joined.confirmed is True
    together = run([[tab()], [tab(tick=1), bot("Otter.ai", tick=1), notice("Recording started", "recording", tick=1)]])
    (same_pass,) = [e for events in together for e in events if isinstance(e, NotetakerSeen)]
    assert same_pass.confirmed is True
