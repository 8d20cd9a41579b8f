"""Preferences stay true to settings.toml while the window is open: a hand edit (or the command
line's) shows, an unreadable file shows the private choices and says what to do, and Save never
writes over an edit the tab did not show."""

from __future__ import annotations

from PySide6.QtCore import Qt

from guard.paths import app_paths
from guard.settings import SettingsStore
from tests.ui.settings.conftest import click_box, wait_idle

HAND_EDIT = """# edited by hand
[detection]
interval_seconds = 9.5

[terms]
network_enabled = false
"""


def test_a_hand_edit_shows_in_the_open_window_and_is_used(open_window, services, qtbot):
    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)
    assert prefs.network.isChecked() and prefs.interval.value() == 2.0
    with qtbot.waitSignal(window.settings_changed, timeout=30_000) as signal:
        app_paths().settings_file.write_text(HAND_EDIT, encoding="utf-8")
    assert signal.args[0].terms.network_enabled is False  # the app uses the file's values, as at a start
    qtbot.waitUntil(lambda: prefs.interval.value() == 9.5, timeout=30_000)
    assert not prefs.network.isChecked()
    assert services.settings.terms.network_enabled is False
    assert "changed outside this window" in prefs.status.text()


def test_save_does_not_write_over_a_hand_edit_it_did_not_show(open_window, services, qtbot):
    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)
    prefs.file_watch.stop()  # the edit lands between two looks: Save itself must notice
    prefs.interval.setValue(7.0)
    settings_file = app_paths().settings_file
    settings_file.write_text(HAND_EDIT, encoding="utf-8")
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prefs.file_notice.isVisible(), timeout=30_000)
    assert settings_file.read_text(encoding="utf-8") == HAND_EDIT
    assert "Not saved" in prefs.file_notice.text.text() and str(settings_file) in prefs.file_notice.text.text()
    assert prefs.file_notice.overwrite_button.isVisible() and prefs.file_notice.reload_button.isVisible()

    qtbot.mouseClick(prefs.file_notice.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prefs.interval.value() == 9.5, timeout=30_000)
    assert not prefs.network.isChecked() and not prefs.file_notice.isVisible()
    assert settings_file.read_text(encoding="utf-8") == HAND_EDIT


def test_saving_over_a_hand_edit_is_the_users_explicit_choice(open_window, services, qtbot):
    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)
    prefs.interval.setValue(7.0)  # an unsaved change: the watch announces the edit, keeps the widgets
    settings_file = app_paths().settings_file
    settings_file.write_text(HAND_EDIT, encoding="utf-8")
    qtbot.waitUntil(lambda: prefs.file_notice.isVisible(), timeout=30_000)
    assert prefs.interval.value() == 7.0
    assert "while you were editing" in prefs.file_notice.text.text()
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prefs.file_notice.overwrite_button.isVisible(), timeout=30_000)
    assert settings_file.read_text(encoding="utf-8") == HAND_EDIT
    with qtbot.waitSignal(window.settings_changed, timeout=30_000):
        qtbot.mouseClick(prefs.file_notice.overwrite_button, Qt.MouseButton.LeftButton)
    on_disk = SettingsStore(settings_file).load()
    assert on_disk.detection.interval_seconds == 7.0 and on_disk.terms.network_enabled is True


def test_a_file_that_became_unreadable_shows_the_private_choices_and_what_to_do(open_window, services, qtbot):
    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)
    assert prefs.network.isChecked()
    settings_file = app_paths().settings_file
    settings_file.write_bytes(b"[terms]\nnetwork_enabled = \xff\xfe true\n")
    qtbot.waitUntil(lambda: not prefs.network.isChecked(), timeout=30_000)
    said = prefs.file_notice.text.text()
    assert prefs.file_notice.isVisible() and str(settings_file) in said
    assert "not UTF-8" in said and "Fix the file" in said
    assert services.settings.terms.network_enabled is False
    click_box(qtbot, prefs.probes["camera_probe"])  # the user may still save the values shown, over the file
    with qtbot.waitSignal(window.settings_changed, timeout=30_000):
        qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    assert SettingsStore(settings_file).load().terms.network_enabled is False


def test_closing_with_unsaved_preferences_asks_and_can_save_them(open_window, services, qtbot):
    from PySide6.QtWidgets import QMessageBox

    window = open_window(tab="overview")
    prefs = window.preferences
    wait_idle(qtbot, window)
    window.show_tab("preferences")
    click_box(qtbot, prefs.network)  # a careful user turns the network off, then closes the window
    window.close()
    assert window.isVisible() and window.current_tab() == "preferences"
    question = window.unsaved_question
    assert question is not None and question.isVisible()
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert SettingsStore(app_paths().settings_file).load().terms.network_enabled is False


def test_closing_with_unsaved_preferences_can_discard_them(open_window, services, qtbot):
    from PySide6.QtWidgets import QMessageBox

    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)
    prefs.interval.setValue(11.0)
    window.close()
    question = window.unsaved_question
    assert question is not None and question.isVisible()
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert not app_paths().settings_file.exists() and services.settings.detection.interval_seconds == 2.0


def test_closing_without_changes_asks_nothing(open_window, qtbot):
    window = open_window(tab="preferences")
    wait_idle(qtbot, window)
    window.close()
    assert not window.isVisible() and window.unsaved_question is None


def test_a_window_opened_after_a_hand_edit_shows_the_file_not_the_apps_older_copy(open_window, services, qtbot):
    app_paths().settings_file.write_text(HAND_EDIT, encoding="utf-8")  # after the app read it at its start
    assert services.settings.terms.network_enabled is True
    window = open_window(tab="preferences")
    qtbot.waitUntil(lambda: not window.preferences.network.isChecked(), timeout=30_000)
    assert window.preferences.interval.value() == 9.5
