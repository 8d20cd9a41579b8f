"""AI switched on in this meeting (issue 14, item 5): the meeting page's notice and a note-taker
bot joining, as the browser extension reports them, go through the real monitor and session
machine to the real tray and a real notification (dunst), whose buttons record the decision in
the real ledger with what was shown as evidence."""

from __future__ import annotations

import re

import threading
from datetime import UTC, datetime

import pytest

from guard.detect.observation import Observation
from guard.events import Signal
from guard.presentation.actions import OpenSettings
from tests.ui.conftest import blocking_ok, dunst
from ui.tray.menu import menu_texts

pytestmark = pytest.mark.desktop

TAB = "chromium/7"
URL = "https://meet.example.org/abc-defg-hij"
NOTICE = "Helper AI is summarising this meeting. Everyone can see the summary afterwards."
BOT = "Scribe Notetaker (bot)"


class MeetingPage:
    """What the browser extension would report about one meeting tab: the tab while it is open,
    the AI notice once the page shows it, a participant once the bot joins. Asked by the monitor
    on its own thread each pass (guard.monitor.ObservationSource)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = False
        self.notice = False
        self.bot = False

    def observations(self, at: datetime) -> list[Observation]:
        with self._lock:
            found = []
            if self.open:
                found.append(Observation("testmeet", Signal.BROWSER_TAB, None, f"tab {TAB} shows {URL}", at,
                                         meeting=True, title="Weekly sync | TestMeet", url=URL, tab=TAB,
                                         active=True, audible=True))
            if self.open and self.notice:
                found.append(Observation("testmeet", Signal.AI_NOTICE, None, NOTICE, at, tab=TAB,
                                         feature_id="summary", notice=NOTICE))
            if self.open and self.bot:
                found.append(Observation("scribe", Signal.PARTICIPANT, None, f"participant '{BOT}'", at, tab=TAB,
                                         participant=BOT))
            return found

    def set(self, **state: bool) -> None:
        with self._lock:
            for name, value in state.items():
                setattr(self, name, value)


@pytest.fixture
def page_and_shell(qtbot, shells, world, isolated_services):
    page = MeetingPage()

    def services():
        opened = isolated_services()
        opened.add_observation_source(page)
        return opened

    shell = shells.make(world.paths, services_factory=services)
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    return page, shell


def wait_notice(qtbot, shell, prefix: str):
    qtbot.waitUntil(lambda: any(key.startswith(prefix) for key in shell.notices), timeout=20000)
    return next(notice for key, notice in shell.notices.items() if key.startswith(prefix))


def stored_records(shell):
    with blocking_ok():
        return list(shell.services.ledger().iter())


def test_an_ai_notice_in_the_meeting_turns_the_tray_and_a_button_records_the_decision(
        qtbot, page_and_shell, desktop):
    page, shell = page_and_shell
    dunst("close-all")
    page.set(open=True)
    wait_notice(qtbot, shell, "meeting:")
    before = datetime.now(UTC).astimezone().strftime("%H:%M")
    page.set(notice=True)
    notice = wait_notice(qtbot, shell, "ai:")

    assert notice.title == "Meeting summary with Helper AI is on in this meeting"
    assert f"“{NOTICE.removesuffix('.')}”." in notice.body, "the page's sentence, one full stop"
    assert [choice.label for choice in notice.choices] == ["I consent", "I refuse", "I left",
                                                           "I only saw the notice"]
    qtbot.waitUntil(lambda: "is on in this meeting" in shell.tray.icon.toolTip(), timeout=10000)
    assert shell.status.state == "ai-meeting"
    shown = re.search(r"Meeting summary with Helper AI is on in this meeting \(seen (\d\d:\d\d)\)",
                      shell.tray.icon.toolTip())
    assert shown, shell.tray.icon.toolTip()
    seen = shown.group(1)  # the local time the notice was seen, within this test's minutes
    assert seen in {before, datetime.now(UTC).astimezone().strftime("%H:%M")}
    lines = [line.strip() for line in menu_texts(shell.tray.menu)]
    assert lines[1] == f"⚠ Meeting summary with Helper AI is on in this meeting (seen {seen})"

    with qtbot.waitSignal(shell.consent.recorded, timeout=20000) as recorded:
        desktop.press_notification_button("I consent")
    record = recorded.args[0]
    (stored,) = stored_records(shell)
    assert stored.id == record.id
    assert (stored.provider_id, stored.feature_id, str(stored.decision)) == ("testmeet", "summary", "given")
    assert stored.meeting.title == "Weekly sync | TestMeet" and stored.meeting.id_or_link == URL
    notices = [e for e in stored.evidence if e.signal == "ai-notice"]
    assert [e.detail for e in notices] == [NOTICE], "what the participant was shown, and when"
    assert notices[0].seen_at.astimezone().strftime("%H:%M") == seen
    assert "A summary of the meeting" in stored.purposes
    assert stored.notice is not None and stored.notice.text == NOTICE, "the record's own notice field"
    # The button press has no form to say it worked: a notification says so, and opens the history.
    confirmation = wait_notice(qtbot, shell, "answered:")
    assert confirmation.body == f"Recorded: Consent given for {shell.catalog.get('testmeet').name} (record 1)."
    assert confirmation.action == OpenSettings("history")
    dunst("close-all")


def test_a_notetaker_bot_joining_is_told_and_a_button_records_the_decision(qtbot, page_and_shell, desktop):
    page, shell = page_and_shell
    dunst("close-all")
    page.set(open=True)
    wait_notice(qtbot, shell, "meeting:")
    page.set(bot=True)
    notice = wait_notice(qtbot, shell, "bot:")
    # its display name alone (the page showed no recording notice): any guest could carry it, so it is not told as
    # a note-taker that joined
    assert notice.title == "Maybe an AI note-taker in the meeting: Scribe"
    assert BOT in notice.body and "Unconfirmed" in notice.body
    qtbot.waitUntil(lambda: "Scribe Notetaker (bot) (Scribe), named like an AI note-taker, is among the participants "
                    "(unconfirmed" in
                    shell.tray.icon.toolTip(), timeout=10000)

    with qtbot.waitSignal(shell.consent.recorded, timeout=20000):
        desktop.press_notification_button("I refuse")
    (stored,) = stored_records(shell)
    assert (stored.provider_id, str(stored.decision)) == ("scribe", "refused")
    assert stored.meeting.id_or_link == URL
    assert [e.detail for e in stored.evidence if e.signal == "participant"] == [f"participant '{BOT}'"]
    dunst("close-all")


def test_the_notice_is_told_once_however_often_the_page_shows_it(qtbot, page_and_shell):
    page, shell = page_and_shell
    page.set(open=True, notice=True)
    wait_notice(qtbot, shell, "ai:")
    qtbot.wait(1500)  # three more detection passes still see the notice
    assert sum(1 for key in shell.notices if key.startswith("ai:")) == 1


def test_clicking_the_notice_opens_the_form_about_that_feature_with_the_notice_as_evidence(
        qtbot, page_and_shell, desktop):
    page, shell = page_and_shell
    dunst("close-all")
    page.set(open=True)
    wait_notice(qtbot, shell, "meeting:")
    dunst("close-all")
    page.set(notice=True)
    wait_notice(qtbot, shell, "ai:")
    qtbot.waitUntil(lambda: dunst("count", "displayed").stdout.strip() == "1", timeout=10000)
    with qtbot.waitSignal(shell.consent_dialog_opened, timeout=10000) as opened:
        assert dunst("action", "0").returncode == 0
    dialog = opened.args[0]
    assert dialog.provider.currentData() == "testmeet" and dialog.feature.currentData() == "summary"
    assert dialog.title.text() == "Weekly sync | TestMeet"
    assert NOTICE in dialog.evidence_info.text()
    dunst("close-all")


def test_a_restarted_app_does_not_ask_again_about_a_meeting_decided_and_shows_the_decision(qtbot, shells, world,
                                                                                            isolated_services, desktop,
                                                                                            caplog):
    """The app restarted during the meeting finds the meeting and its notice again: the ledger holds the answer
    (guard.ledger.meeting_answers), so neither is told again, and the meeting's menu shows the decision (session 14;
    it used to tell the notice again, whose second answer was then refused as 'Already recorded')."""
    page = MeetingPage()

    def services():
        opened = isolated_services()
        opened.add_observation_source(page)
        return opened

    dunst("close-all")
    page.set(open=True, notice=True)
    first = shells.make(world.paths, services_factory=services)
    with qtbot.waitSignal(first.services_ready, timeout=20000):
        first.start()
    wait_notice(qtbot, first, "ai:")
    with qtbot.waitSignal(first.consent.recorded, timeout=20000):
        desktop.press_notification_button("I consent")
    assert first.shutdown()
    dunst("close-all")

    caplog.set_level("INFO", logger="ui.shell_events")
    second = shells.make(world.paths, services_factory=services)
    with qtbot.waitSignal(second.services_ready, timeout=20000):
        second.start()

    def not_asked(prefix: str) -> bool:
        return any(r.getMessage().startswith(f"Not asked again ({prefix}") for r in caplog.records)

    qtbot.waitUntil(lambda: not_asked("meeting:") and not_asked("ai:"), timeout=20000)
    assert not any(key.startswith(("meeting:", "ai:")) for key in second.notices)
    qtbot.waitUntil(lambda: any("Your decision is recorded: Consent given" in line
                                for line in menu_texts(second.tray.menu)), timeout=10000)
    (stored,) = stored_records(second)
    assert str(stored.decision) == "given"
    dunst("close-all")
