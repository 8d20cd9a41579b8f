"""A meeting whose evidence comes and goes (its tab reloads, its window is hidden a while) is one meeting told once:
decided by the session's identity and the grace state (SessionRules.resume_ticks), driven here tick by tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from guard.catalog import load_catalog
from guard.detect.observation import Observation
from guard.detect.sessions import SessionRules, SessionState, advance
from guard.events import AiFeatureNoticed, MeetingEnded, MeetingStarted, Signal
from guard.presentation.notices import NotificationGate, meeting_notice
from guard.settings import NotificationSettings

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
CATALOG = load_catalog()
ROOM = "https://meet.google.com/abc-defg-hij"


def at(tick: int) -> datetime:
    return T0 + timedelta(seconds=2 * tick)


def tab(tick: int, url: str = ROOM, meeting: bool = True) -> Observation:
    """Meet's tab chromium/7 in front: in the meeting, or (``meeting=False``) reloading, its page not said yet."""
    return Observation("google-meet", Signal.BROWSER_TAB, 300, f"tab chromium/7 shows {url}", at(tick),
                       meeting=meeting, title="Meet - abc-defg-hij", url=url, tab="chromium/7", active=True)


def window(tick: int, window_id: str = "0x3a00007") -> Observation:
    return Observation("zoom", Signal.WINDOW_TITLE, 100, "window 'Zoom Meeting' of zoom (pid 100)", at(tick),
                       meeting=True, title="Zoom Meeting", window=window_id)


def notice(tick: int) -> Observation:
    return Observation("google-meet", Signal.AI_NOTICE, 300, "Gemini is taking notes", at(tick), tab="chromium/7",
                       notice="Gemini is taking notes")


def run(ticks: list[list[Observation]], rules: SessionRules = SessionRules()) -> list[object]:
    state, events = SessionState(), []
    for index, observations in enumerate(ticks):
        state, found = advance(state, observations, at(index), rules)
        events += found
    return events


def notified(events: list[object]) -> list[str]:
    """The meeting notifications a user sees, through the tray's gate."""
    gate, settings = NotificationGate(), NotificationSettings()
    shown = []
    for event in events:
        if isinstance(event, MeetingStarted):
            item = meeting_notice(event, CATALOG.get(event.provider_id))
            if gate.admit(item, settings):
                shown.append(item.title)
    return shown


def test_a_tab_that_reloads_is_one_meeting_told_once():
    # in the meeting; reloading for four ticks (long enough to end it); in it again at the same address
    events = run([[tab(0)], [tab(1)], *[[tab(t, meeting=False)] for t in range(2, 6)], [tab(6)], [tab(7)]])
    started = [e for e in events if isinstance(e, MeetingStarted)]
    assert len(started) == 2 and any(isinstance(e, MeetingEnded) for e in events)
    assert started[1].meeting.resumes == started[0].meeting.id
    assert len(notified(events)) == 1


def test_an_ai_notice_shown_again_after_the_reload_is_not_told_again():
    ticks = [[tab(0), notice(0)], [tab(1), notice(1)], *[[tab(t, meeting=False)] for t in range(2, 6)],
             [tab(6), notice(6)], [tab(7), notice(7)]]
    events = run(ticks)
    assert len([e for e in events if isinstance(e, AiFeatureNoticed)]) == 1


def test_a_window_hidden_a_while_is_one_meeting_told_once():
    events = run([[window(0)], [window(1)], [], [], [], [], [window(6)]])
    assert len([e for e in events if isinstance(e, MeetingStarted)]) == 2
    assert len(notified(events)) == 1


def test_the_same_tab_at_another_meeting_is_another_meeting_told():
    other = "https://meet.google.com/xyz-wxyz-xyz"
    events = run([[tab(0)], [tab(1)], *[[tab(t, meeting=False)] for t in range(2, 6)], [tab(6, other)]])
    assert len(notified(events)) == 2


def test_a_re_created_window_is_another_meeting_told():
    events = run([[window(0)], [window(1)], [], [], [], [], [window(6, "0x4c00007")]])
    assert len(notified(events)) == 2


def test_the_same_tab_after_the_grace_is_a_new_meeting_told():
    rules = SessionRules(resume_ticks=3)
    away = [[tab(t, meeting=False)] for t in range(2, 9)]  # ends at tick 4; the grace is over by tick 7
    events = run([[tab(0)], [tab(1)], *away, [tab(9)]], rules)
    assert len(notified(events)) == 2
