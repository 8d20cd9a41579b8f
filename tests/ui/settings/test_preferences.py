"""Preferences tab: saved to and reloaded from the real settings file, widget ranges, the real
XDG autostart entry, the data folder and the signing key's storage."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from guard.autostart import current_autostart
from guard.paths import app_paths
from guard.services import Services
from guard.settings import DetectionSettings, SettingsStore, TermsSettings
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import click_box, wait_idle


def test_preferences_are_saved_to_the_settings_file_and_read_back(open_window, services, qtbot):
    window = open_window(tab="preferences")
    prefs = window.preferences
    prefs.interval.setValue(7.5)
    click_box(qtbot, prefs.probes["camera_probe"])
    click_box(qtbot, prefs.notifications["terms_changed"])
    prefs.check_hours.setValue(48)
    qtbot.keyClicks(prefs.jurisdiction, "de-1")  # consent receipts name it; the file alone held it; letters only
    with qtbot.waitSignal(window.settings_changed) as signal:
        qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    saved = signal.args[0]
    assert saved.detection.interval_seconds == 7.5 and saved.detection.camera_probe is False

    on_disk = SettingsStore(app_paths().settings_file).load()
    assert on_disk == saved == services.settings
    assert on_disk.notifications.terms_changed is False and on_disk.terms.check_interval_hours == 48
    assert on_disk.general.jurisdiction == "DE"
    assert "interval_seconds = 7.5" in app_paths().settings_file.read_text()

    with blocking_ok():
        again = Services(app_paths())
    try:
        reopened = open_window(again, tab="preferences")
        assert reopened.preferences.interval.value() == 7.5
        assert not reopened.preferences.probes["camera_probe"].isChecked()
        assert reopened.preferences.check_hours.value() == 48
        assert reopened.preferences.jurisdiction.text() == "DE"
    finally:
        with blocking_ok():
            again.close()


def test_revert_restores_the_saved_values(open_window, services, qtbot):
    prefs = open_window(tab="preferences").preferences
    prefs.interval.setValue(30)
    qtbot.mouseClick(prefs.revert_button, Qt.MouseButton.LeftButton)
    assert prefs.interval.value() == services.settings.detection.interval_seconds == 2.0


def test_widgets_cannot_hold_a_value_the_settings_refuse(open_window, qtbot):
    prefs = open_window(tab="preferences").preferences
    field = DetectionSettings.model_fields["interval_seconds"].metadata
    low = next(m.ge for m in field if hasattr(m, "ge"))
    high = next(m.le for m in field if hasattr(m, "le"))
    assert (prefs.interval.minimum(), prefs.interval.maximum()) == (low, high)
    prefs.interval.setValue(1000)
    prefs.check_hours.setValue(0)
    settings = prefs.settings()
    assert settings.detection.interval_seconds == high
    hours = TermsSettings.model_fields["check_interval_hours"].metadata
    assert settings.terms.check_interval_hours == next(m.ge for m in hours if hasattr(m, "ge"))
    prefs.interval.clear()
    qtbot.keyClicks(prefs.interval, "abc")
    assert low <= prefs.settings().detection.interval_seconds <= high


def test_autostart_writes_and_removes_the_real_xdg_entry(open_window, services, xdg_config, qtbot):
    entry = xdg_config / "autostart" / "io.github.meetingprivacyguard.MeetingPrivacyGuard.desktop"
    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)  # the real entry is read on the job runner
    assert not prefs.autostart.isChecked() and not entry.exists()
    assert str(entry) in prefs.autostart_where.text()

    click_box(qtbot, prefs.autostart)
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    text = entry.read_text()
    assert "Exec=" in text and "[Desktop Entry]" in text
    assert services.settings.general.autostart is True
    assert current_autostart().is_enabled()

    click_box(qtbot, prefs.autostart)
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not entry.exists()
    assert SettingsStore(app_paths().settings_file).load().general.autostart is False


def test_autostart_box_shows_the_real_entry_not_the_setting(open_window, services, qtbot):
    current_autostart().enable(["meeting-guard"])  # e.g. left by the installer
    assert services.settings.general.autostart is False
    window = open_window(tab="preferences")
    wait_idle(qtbot, window)
    assert window.preferences.autostart.isChecked()


def test_a_new_data_folder_is_saved_and_applies_at_restart(open_window, services, tmp_path, qtbot):
    window = open_window(tab="preferences")
    prefs = window.preferences
    folder = tmp_path / "elsewhere"
    qtbot.keyClicks(prefs.data_dir, str(folder))
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "next start" in prefs.status.text()
    assert SettingsStore(app_paths().settings_file).load().general.data_dir == str(folder)
    assert services.paths.data_dir != folder  # this run keeps its folder
    with blocking_ok():
        restarted = Services(app_paths())
        try:
            assert restarted.paths.data_dir == folder
        finally:
            restarted.close()
    qtbot.mouseClick(prefs.default_dir, Qt.MouseButton.LeftButton)
    assert prefs.data_dir.text() == ""


def test_a_data_folder_that_is_relative_or_a_file_is_not_saved(open_window, services, tmp_path, qtbot):
    """A relative folder would be read from wherever the app starts (the log-in entry, a terminal):
    the records would end up in several places. A file cannot hold them."""
    window = open_window(tab="preferences")
    prefs = window.preferences
    wait_idle(qtbot, window)
    qtbot.keyClicks(prefs.data_dir, "meeting-data")
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "Not saved: the data folder must be a full path" in prefs.status.text()
    assert not app_paths().settings_file.exists()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    prefs.data_dir.setText(str(a_file))
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert prefs.status.text() == f"Not saved: {a_file} is a file, not a folder; choose a folder for the data."
    assert not app_paths().settings_file.exists() and prefs.save_button.isEnabled()
    prefs.data_dir.setText("~/meeting-data")  # the home folder's shorthand is a full path
    qtbot.mouseClick(prefs.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert SettingsStore(app_paths().settings_file).load().general.data_dir == "~/meeting-data"


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_key_status_explains_the_key_file_fallback(open_window, services, no_keyring, qtbot):
    from guard.ledger import Decision, RecordDraft

    services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
    window = open_window(tab="preferences")
    wait_idle(qtbot, window)
    status = window.preferences.key_status.text()
    assert status.startswith("The ledger's signing key is kept in the file ")
    assert str(services.paths.data_dir / "ledger.key") in status
    assert "no keyring backend" in status


def test_key_status_names_the_keyring_when_there_is_one(open_window, services, desktop, qtbot):
    from guard.ledger import Decision, RecordDraft

    services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
    window = open_window(tab="preferences")
    wait_idle(qtbot, window)
    assert window.preferences.key_status.text() == \
        "The ledger's signing key is kept in your system keyring (Secret Service)."
