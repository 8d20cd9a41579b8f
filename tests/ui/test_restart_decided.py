"""A restarted app finds a meeting already decided: the user is not asked again, the meeting's menu shows the
decision; another meeting is asked. Real tray (trayer), real dunst, a real ledger and keyring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from guard.events import Evidence, MeetingSession, MeetingStarted, Signal
from guard.monitor import MonitorEvent, Snapshot
from guard.services import Decision, Meeting, RecordDraft
from tests.support.catalogs import MEETING_TITLE
from tests.ui.conftest import blocking_ok
from tests.ui.test_shell import ready_shell
from ui.tray.menu import menu_texts

pytestmark = pytest.mark.desktop

NOW = datetime.now(UTC)
LINK = "https://testmeet.example/j/424242"


def restarted_meeting(link: str) -> MeetingSession:
    """The meeting as the restarted app detects it: a new id, started at the restart."""
    return MeetingSession("testmeet:meeting:restart", "testmeet", NOW, (
        Evidence(Signal.WINDOW_TITLE, f"window '{MEETING_TITLE}' of testmeet (pid 4242)", NOW, 4242),),
        title=MEETING_TITLE, url=link)


def started(shell, meeting: MeetingSession) -> MonitorEvent:
    provider = shell.services.catalog.get("testmeet")
    return MonitorEvent(MeetingStarted(provider_id="testmeet", at=NOW, meeting=meeting), provider,
                        tuple(provider.ai_features), ())


def snapshot(meeting: MeetingSession) -> Snapshot:
    return Snapshot(at=NOW, enabled=True, paused_until=None, apps=(), meetings=(meeting,), probes=())


def test_a_meeting_decided_before_the_restart_is_not_asked_again_and_its_menu_shows_the_decision(qtbot, shells,
                                                                                                   world):
    shell = ready_shell(shells, world)
    with blocking_ok():  # decided in the run before the restart, twenty minutes ago
        record = shell.services.record_decision(RecordDraft(
            "testmeet", Decision.REFUSED, occurred_at=NOW - timedelta(minutes=20),
            meeting=Meeting(title=MEETING_TITLE, id_or_link=LINK)))
    meeting = restarted_meeting(LINK)
    shell.on_snapshot(snapshot(meeting))
    shell.on_events([started(shell, meeting)])
    wanted = f"Your decision is recorded: Refused (record {record.seq},"
    qtbot.waitUntil(lambda: any(wanted in line for line in menu_texts(shell.tray.menu)), timeout=10000)
    assert shell.notices == {}, "not asked again"


def test_another_meeting_after_the_restart_is_asked(qtbot, shells, world):
    shell = ready_shell(shells, world)
    with blocking_ok():
        shell.services.record_decision(RecordDraft("testmeet", Decision.REFUSED,
                                                   occurred_at=NOW - timedelta(minutes=20),
                                                   meeting=Meeting(title=MEETING_TITLE, id_or_link=LINK)))
    meeting = restarted_meeting("https://testmeet.example/j/515151")
    shell.on_snapshot(snapshot(meeting))
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000) as sent:
        shell.on_events([started(shell, meeting)])
    assert sent.args == ["meeting:testmeet:meeting:restart"]
    assert not any("Your decision is recorded" in line for line in menu_texts(shell.tray.menu))
