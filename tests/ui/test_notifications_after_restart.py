"""A notification outlives the app that showed it, buttons and all. The next start closes the
notifications an earlier run left (real dunst), and a button pressed on a notification this run
did not show is never recorded as an answer: the form opens with it chosen, saying why."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from guard.presentation.actions import AnswerConsent, RecordConsent
from guard.presentation.notices import Notice, NoticeChoice, NoticeKind
from tests.ui.conftest import blocking_ok, dunst
from tests.support.notification_server import FakeNotificationServer, private_bus
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


@pytest.fixture
def leftover_server():
    """A notification server on a bus of its own that tells every connection of a button press (as
    the specification allows: ActionInvoked is a signal), and can be pressed on any id."""
    with private_bus() as address:
        server = FakeNotificationServer(address, "leftover")
        try:
            yield address, server
        finally:
            server.close()


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
