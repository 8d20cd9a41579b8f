"""The notification backends other than the desktop server: the tray's own message (clicked
for real on the balloon Qt draws under X11), and the choice made when no server answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from guard.presentation.actions import RecordConsent
from guard.presentation.notices import Notice, NoticeKind
from ui.notifications import choose_notifier
from ui.notifications.tray_balloon import TrayBalloonNotifier
from ui.tray.icons import app_icon

pytestmark = pytest.mark.desktop

NOTICE = Notice(NoticeKind.MEETING_STARTED, "meeting:s1", "TestMeet meeting detected", "The host can turn on X.",
                "Record my decision…", "testmeet", datetime.now(UTC), RecordConsent("s1"))


@pytest.fixture
def tray(qtbot):
    icon = QSystemTrayIcon(app_icon())
    icon.show()
    qtbot.waitUntil(lambda: not icon.geometry().isEmpty(), timeout=10000)
    yield icon
    icon.hide()


def test_clicking_the_tray_message_activates_the_notice(qtbot, tray):
    notifier = TrayBalloonNotifier(tray)
    notifier.show(NOTICE)
    qtbot.waitUntil(lambda: any(w.metaObject().className() == "QBalloonTip" and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    (balloon,) = [w for w in QApplication.topLevelWidgets() if w.metaObject().className() == "QBalloonTip"]
    with qtbot.waitSignal(notifier.activated, timeout=5000) as activated:
        qtbot.mouseClick(balloon, Qt.MouseButton.LeftButton)
    assert activated.args == ["meeting:s1", ""]


def test_without_a_notification_server_the_tray_message_is_used(qtbot, tray, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    notifier = choose_notifier(tray)
    assert notifier.name == "tray-message"


def test_without_a_server_or_a_tray_notices_go_to_the_log(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus-here")
    notifier = choose_notifier(None)
    assert notifier.name == "log"
    with qtbot.waitSignal(notifier.sent, timeout=1000):
        notifier.show(NOTICE)
