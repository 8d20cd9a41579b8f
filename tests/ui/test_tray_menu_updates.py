"""The tray menu keeps its items while only their texts and states change.

A StatusNotifierItem host (waybar, KDE Plasma, GNOME's AppIndicator extension) draws the menu
itself from dbusmenu and sends a click back as the id of the item it showed. Qt gives each QAction
in the menu its own id, so the same QAction means the same id: a menu rebuilt between showing and
clicking (the first detection pass, a tooltip's new text) would silently drop the user's click.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QMenu

from guard.monitor import Snapshot
from guard.presentation.actions import OpenSettings, PauseMonitoring, ResumeMonitoring
from guard.presentation.status import tray_status
from tests.support.catalogs import write_catalog_for_tests
from ui.tray.menu import fill_menu, menu_texts
from ui.tray.menu_model import MenuFlags, menu_entries

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def entries(catalog, flags: MenuFlags, paused_until: datetime | None = None):
    status = tray_status(Snapshot(NOW, True, paused_until, (), (), ()), catalog, today=NOW.date())
    return menu_entries(status, flags)


def item(menu: QMenu, label: str):
    return next(action for action in menu.actions() if action.text().replace("&", "") == label)


def test_a_click_on_the_menu_as_shown_at_start_still_works_once_the_app_is_ready(qtbot, tmp_path):
    catalog = write_catalog_for_tests(tmp_path / "catalog")
    picked: list[object] = []
    menu = QMenu()
    fill_menu(menu, entries(catalog, MenuFlags(ready=False)), lambda action, _checked: picked.append(action))
    shown = item(menu, "Open settings")
    pause = item(menu, "Pause monitoring for 1 hour")
    assert not pause.isEnabled()

    fill_menu(menu, entries(catalog, MenuFlags(ready=True, checking_terms=True)),
              lambda action, _checked: picked.append(action))

    assert item(menu, "Open settings") is shown  # the host's item id still names it
    assert item(menu, "Pause monitoring for 1 hour") is pause and pause.isEnabled()  # its state followed
    shown.trigger()
    assert picked == [OpenSettings()]


def test_an_item_that_now_does_something_else_is_a_new_item(qtbot, tmp_path):
    catalog = write_catalog_for_tests(tmp_path / "catalog")
    picked: list[object] = []
    menu = QMenu()
    fill_menu(menu, entries(catalog, MenuFlags()), lambda action, _checked: picked.append(action))
    for action in menu.actions():
        action.setProperty("shown-before", True)

    fill_menu(menu, entries(catalog, MenuFlags(), paused_until=NOW + timedelta(hours=1)),
              lambda action, _checked: picked.append(action))

    resume = next(action for action in menu.actions() if action.text().startswith("Resume &monitoring"))
    assert not resume.property("shown-before")  # a stale click meant for "Pause" is dropped, never read as "Resume"
    resume.trigger()
    assert picked == [ResumeMonitoring()] and PauseMonitoring() not in picked
    assert "Pause monitoring for 1 hour" not in menu_texts(menu)


def _meeting_entries(catalog, meeting_id: str, pid: int):
    from guard.events import Evidence, MeetingSession, Signal

    meeting = MeetingSession(meeting_id, "testmeet", NOW, (Evidence(
        Signal.MEETING_PROCESS, f"testmeet-meeting (pid {pid}) runs only during meetings", NOW, pid),),
        title="Weekly sync")
    status = tray_status(Snapshot(NOW, True, None, (), (meeting,), ()), catalog, today=NOW.date())
    return status, menu_entries(status, MenuFlags())


def test_a_meeting_submenu_left_open_while_the_meeting_restarts_shows_the_new_process(qtbot, tmp_path):
    """Session 13's stale pid: the menu was rebuilt only once it closed, so a submenu the user kept open went on
    naming the ended meeting's process. Items whose job is unchanged are updated in place (no click lost), and the
    open submenu is filled again."""
    from PySide6.QtCore import QPoint

    from ui.tray.tray import TrayIcon

    catalog = write_catalog_for_tests(tmp_path / "catalog")
    tray = TrayIcon()
    status, shown = _meeting_entries(catalog, "testmeet:meeting:1", 4242)
    tray.set_status(status, shown)
    tray.menu.popup(QPoint(10, 10))
    qtbot.waitUntil(tray.menu.isVisible, timeout=5000)
    meeting_item = item(tray.menu, "TestMeet meeting: Weekly sync")
    submenu = meeting_item.menu()
    submenu.popup(QPoint(200, 10))
    qtbot.waitUntil(submenu.isVisible, timeout=5000)
    assert any("pid 4242" in line for line in menu_texts(submenu))

    status, restarted = _meeting_entries(catalog, "testmeet:meeting:2", 5151)  # a new meeting, a new process
    tray.set_status(status, restarted)

    assert submenu.isVisible() and item(tray.menu, "TestMeet meeting: Weekly sync") is meeting_item
    lines = menu_texts(submenu)
    assert any("pid 5151" in line for line in lines) and not any("pid 4242" in line for line in lines)
    picked: list[object] = []
    tray.action_triggered.connect(lambda action, _checked: picked.append(action))
    item(submenu, "Record my decision for this meeting…").trigger()
    assert [action.meeting_id for action in picked] == ["testmeet:meeting:2"]
    tray.menu.hide()
    tray.hide()
