"""Only the notification server that showed a notification may say it was clicked: any program
on the session bus can send ActionInvoked, and a forged "I consent" would otherwise be recorded.
Real dunst on the test desktop's bus; the forger is a second real bus connection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guard.presentation.actions import AnswerConsent, RecordConsent
from guard.presentation.notices import Notice, NoticeChoice, NoticeKind
from tests.support.notification_server import FakeNotificationServer, private_bus
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


def _twice_server(address: str) -> FakeNotificationServer:
    """A server that sends every button press twice (a server that repeats ActionInvoked; dunst
    does not, but nothing in the protocol forbids it)."""
    return FakeNotificationServer(address, "twice", action="answer-given", presses_per_notify=2)


def test_a_button_press_the_server_sends_twice_is_one_decision(qtbot):
    with private_bus() as address:
        server = _twice_server(address)
        notifier = FreedesktopNotifier(bus=address)
        clicks: list[tuple[str, str]] = []
        notifier.activated.connect(lambda key, choice: clicks.append((key, choice)))
        try:
            with qtbot.waitSignal(notifier.activated, timeout=10000):
                notifier.show(NOTICE)
            qtbot.wait(1000)  # time for the repeated press to arrive and be handled
            assert clicks == [(NOTICE.key, "answer-given")], "one press on one notification was passed on twice"
        finally:
            notifier.close()
            server.close()


def test_replies_and_bus_signals_reach_the_gui_thread_without_a_qt_call_on_the_bus_threads(qtbot):
    """The bus reader and the Notify caller run on threads of their own: a Qt call there can
    deadlock against the GUI thread (see ui.gui_inbox), so they only hand work over."""
    import sys
    import threading

    qt_calls: list[str] = []

    def profile(frame, event, arg) -> None:
        if event == "c_call" and threading.current_thread() is not threading.main_thread():
            owner = getattr(arg, "__self__", None)
            if owner is not None and type(owner).__module__.startswith(("PySide6", "shiboken6")):
                qt_calls.append(f"{threading.current_thread().name}: {type(owner).__name__}.{arg.__name__}")

    with private_bus() as address:
        server = _twice_server(address)
        threading.setprofile(profile)  # every thread started from now on: the notifier's reader and caller
        try:
            notifier = FreedesktopNotifier(bus=address)
            sent: list[str] = []
            notifier.sent.connect(sent.append)
            try:
                with qtbot.waitSignal(notifier.activated, timeout=10000) as activated:
                    notifier.show(NOTICE)
                qtbot.waitUntil(lambda: sent == [NOTICE.key], timeout=10000)
            finally:
                notifier.close()
        finally:
            threading.setprofile(None)
            sys.setprofile(None)
            server.close()
        assert activated.args == [NOTICE.key, "answer-given"]
        assert qt_calls == [], f"the bus threads called into Qt: {qt_calls}"
