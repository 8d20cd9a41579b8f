"""Only the notification server that showed a notification may say it was clicked: any program
on the session bus can send ActionInvoked, and a forged "I consent" would otherwise be recorded.
Real dunst on the test desktop's bus; the forger is a second real bus connection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guard.presentation.actions import AnswerConsent, RecordConsent
from guard.presentation.notices import Notice, NoticeChoice, NoticeKind
from ui.notifications.freedesktop import INTERFACE, PATH, FreedesktopNotifier

pytestmark = pytest.mark.desktop

REQUEST = RecordConsent("s1")
NOTICE = Notice(NoticeKind.AI_SWITCHED_ON, "ai:s1:summary", "Summary is on in this meeting", "The host turned it on.",
                "Record my decision…", "testmeet", datetime.now(UTC), REQUEST,
                choices=(NoticeChoice("answer-given", "I consent", AnswerConsent("given", REQUEST)),))


def test_a_click_forged_by_another_program_is_ignored_and_the_servers_own_is_not(qtbot, desktop):
    from jeepney import new_signal
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import DBusAddress

    notifier = FreedesktopNotifier()
    clicks: list[tuple[str, str]] = []
    notifier.activated.connect(lambda key, choice: clicks.append((key, choice)))
    ids: list[int] = []
    try:
        with qtbot.waitSignal(notifier.sent, timeout=10000):
            notifier.show(NOTICE)
        ids = [n for n, key in notifier._ids.items() if key == NOTICE.key]
        forger = open_dbus_connection("SESSION")
        try:
            address = DBusAddress(PATH, interface=INTERFACE)
            forger.send(new_signal(address, "ActionInvoked", "us", (ids[0], "answer-given")))
            qtbot.wait(1000)
        finally:
            forger.close()
        assert clicks == [], "a signal from a program other than the notification server was obeyed"

        with qtbot.waitSignal(notifier.activated, timeout=15000) as activated:
            desktop.press_notification_button("I consent")
        assert activated.args == [NOTICE.key, "answer-given"]
    finally:
        notifier.close()
