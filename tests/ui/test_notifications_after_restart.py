"""A notification outlives the app that showed it, buttons and all. The next start closes the
notifications an earlier run left (real dunst), and a button pressed on a notification this run
did not show is never recorded as an answer: the form opens with it chosen, saying why."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from datetime import UTC, datetime

import pytest

from guard.presentation.actions import AnswerConsent, RecordConsent
from guard.presentation.notices import Notice, NoticeChoice, NoticeKind
from tests.ui.conftest import blocking_ok, dunst
from ui.notifications.freedesktop import INTERFACE, PATH, FreedesktopNotifier

pytestmark = pytest.mark.desktop

REQUEST = RecordConsent("s1")
NOTICE = Notice(NoticeKind.AI_SWITCHED_ON, "ai:s1:summary", "Summary is on in this meeting", "The host turned it on.",
                "Record my decision…", "testmeet", datetime.now(UTC), REQUEST,
                choices=(NoticeChoice("answer-given", "I consent", AnswerConsent("given", REQUEST)),))


def displayed() -> int:
    return int(dunst("count", "displayed").stdout.strip() or 0)


def test_notifications_an_earlier_run_left_on_screen_are_closed_at_the_next_start(qtbot, desktop, tmp_path):
    dunst("close-all")
    shown = tmp_path / "cache" / "notifications.json"
    first = FreedesktopNotifier(shown_file=shown)
    try:
        with qtbot.waitSignal(first.sent, timeout=10000):
            first.show(NOTICE)
        qtbot.waitUntil(lambda: shown.exists() and bool(json.loads(shown.read_text())["ids"]), timeout=10000)
    finally:
        first.close()  # the app quits, or is killed: its notification stays, with a live "I consent"
    assert displayed() == 1
    assert oct(shown.stat().st_mode & 0o777) == "0o600"

    second = FreedesktopNotifier(shown_file=shown)
    try:
        qtbot.waitUntil(lambda: displayed() == 0, timeout=10000)
    finally:
        second.close()
        dunst("close-all")


def test_ids_noted_by_another_bus_or_server_are_never_closed(qtbot, desktop, tmp_path):
    """Ids mean something only to the server that gave them: a file from another bus (an earlier
    login) names ids a new server may have given to other programs' notifications."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    dunst("close-all")
    other = open_dbus_connection("SESSION")  # another program, whose notification stays on screen
    reply = other.send_and_get_reply(new_method_call(DBusAddress(PATH, bus_name="org.freedesktop.Notifications",
                                                         interface=INTERFACE), "Notify", "susssasa{sv}i",
                                             ("other", 0, "", "Another program's notification", "", [], {}, -1)))
    qtbot.waitUntil(lambda: displayed() == 1, timeout=10000)
    shown = tmp_path / "notifications.json"
    shown.write_text(json.dumps({"bus_id": "0" * 32, "server": ":1.1", "ids": [reply.body[0]]}))
    shown.chmod(0o600)
    notifier = FreedesktopNotifier(shown_file=shown)
    try:
        qtbot.wait(1500)
        assert displayed() == 1, "another program's notification was closed on the word of a stale file"
    finally:
        notifier.close()
        other.close()
        dunst("close-all")


class _LeftOverServer:
    """A notification server on a bus of its own that tells every connection of a button press (as
    the specification allows: ActionInvoked is a signal), and can be pressed on any id."""

    def __init__(self, address: str) -> None:
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)
        self.conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
        self.presses: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def press(self, notification_id: int, action: str) -> None:
        self.presses.put((notification_id, action))

    def _serve(self) -> None:
        from jeepney import DBusAddress, MessageType, new_method_return, new_signal

        address = DBusAddress(PATH, interface=INTERFACE)
        while not self.stop.is_set():
            while not self.presses.empty():
                self.conn.send(new_signal(address, "ActionInvoked", "us", self.presses.get()))
            try:
                message = self.conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if message.header.message_type != MessageType.method_call:
                continue
            member = message.header.fields.get(3)
            if member == "GetCapabilities":
                self.conn.send(new_method_return(message, "as", (["actions", "body"],)))
            elif member == "GetServerInformation":
                self.conn.send(new_method_return(message, "ssss", ("leftover", "test", "1", "1.2")))
            elif member == "Notify":
                self.conn.send(new_method_return(message, "u", (7,)))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.conn.close()


@pytest.fixture
def leftover_server():
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    try:
        address = daemon.stdout.readline().strip()
        server = _LeftOverServer(address)
        try:
            yield address, server
        finally:
            server.close()
    finally:
        daemon.terminate()
        daemon.wait(10)


def test_a_button_pressed_on_a_notification_this_run_did_not_show_is_no_answer(qtbot, leftover_server):
    address, server = leftover_server
    notifier = FreedesktopNotifier(bus=address)
    answers: list[tuple[str, str]] = []
    notifier.activated.connect(lambda key, choice: answers.append((key, choice)))
    try:
        with qtbot.waitSignal(notifier.sent, timeout=10000):
            notifier.show(NOTICE)  # this run's notification is id 7
        with qtbot.waitSignal(notifier.unknown, timeout=10000) as unknown:
            server.press(3, "answer-given")  # one an earlier run showed
        assert unknown.args == ["answer-given"]
        assert answers == [], "a press on a notification this run did not show was passed on as an answer"
        with qtbot.waitSignal(notifier.activated, timeout=10000):
            server.press(7, "answer-given")
        assert answers == [(NOTICE.key, "answer-given")]
    finally:
        notifier.close()


def test_the_app_opens_the_form_for_such_an_answer_and_records_nothing(qtbot, leftover_server, shells, world,
                                                                         isolated_services):
    address, server = leftover_server
    shell = shells.make(world.paths, services_factory=isolated_services,
                        notifier_factory=lambda tray: FreedesktopNotifier(bus=address))
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    with qtbot.waitSignal(shell.consent_dialog_opened, timeout=10000) as opened:
        server.press(3, "answer-refused")
    dialog = opened.args[0]
    assert dialog.decision_buttons["refused"].isChecked()
    assert "shown before Meeting Privacy Guard restarted" in dialog.error.text()
    with blocking_ok():
        assert shell.services.count_records() == 0, "an answer nobody here asked for was recorded"
