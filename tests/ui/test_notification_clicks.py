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


class _TwiceServer:
    """A notification server on a bus of its own that sends every button press twice (a server
    that repeats ActionInvoked; dunst does not, but nothing in the protocol forbids it)."""

    def __init__(self, address: str, action: str) -> None:
        import threading

        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)
        self.conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
        self.action = action
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        from jeepney import DBusAddress, MessageType, new_method_return, new_signal

        address = DBusAddress(PATH, interface=INTERFACE)
        while not self.stop.is_set():
            try:
                message = self.conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            if message.header.message_type != MessageType.method_call:
                continue
            member = message.header.fields.get(3)
            if member == "GetCapabilities":
                self.conn.send(new_method_return(message, "as", (["actions", "body"],)))
            elif member == "GetServerInformation":
                self.conn.send(new_method_return(message, "ssss", ("twice", "test", "1", "1.2")))
            elif member == "Notify":
                self.conn.send(new_method_return(message, "u", (7,)))
                for _ in range(2):
                    self.conn.send(new_signal(address, "ActionInvoked", "us", (7, self.action)))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.conn.close()


def test_a_button_press_the_server_sends_twice_is_one_decision(qtbot):
    import subprocess

    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    try:
        address = daemon.stdout.readline().strip()
        server = _TwiceServer(address, "answer-given")
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
    finally:
        daemon.terminate()
        daemon.wait(10)


def test_replies_and_bus_signals_reach_the_gui_thread_without_a_qt_call_on_the_bus_threads(qtbot):
    """The bus reader and the Notify caller run on threads of their own: a Qt call there can
    deadlock against the GUI thread (see ui.gui_inbox), so they only hand work over."""
    import subprocess
    import sys
    import threading

    qt_calls: list[str] = []

    def profile(frame, event, arg) -> None:
        if event == "c_call" and threading.current_thread() is not threading.main_thread():
            owner = getattr(arg, "__self__", None)
            if owner is not None and type(owner).__module__.startswith(("PySide6", "shiboken6")):
                qt_calls.append(f"{threading.current_thread().name}: {type(owner).__name__}.{arg.__name__}")

    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    try:
        address = daemon.stdout.readline().strip()
        server = _TwiceServer(address, "answer-given")
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
        assert activated.args == [NOTICE.key, "answer-given"]
        assert qt_calls == [], f"the bus threads called into Qt: {qt_calls}"
    finally:
        server.close()
        daemon.terminate()
        daemon.wait(10)
