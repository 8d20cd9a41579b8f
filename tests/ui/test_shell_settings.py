"""Settings reach the running app: the log-in entry follows "Start when I log in", and new
settings saved elsewhere (the settings window) take effect without a restart."""

from __future__ import annotations

import pytest

from guard.autostart.linux_xdg import XdgAutostart
from guard.services import Services
from guard.settings import SettingsStore
from tests.ui.conftest import blocking_ok
from tests.ui.test_shell import find_action, ready_shell, started

pytestmark = pytest.mark.desktop


def test_start_when_i_log_in_writes_the_entry_and_saves_the_setting(qtbot, shells, world, tmp_path):
    backend = XdgAutostart(tmp_path / "autostart")
    shell = ready_shell(shells, world, autostart_factory=lambda: backend)
    qtbot.waitUntil(lambda: shell.autostart is False, timeout=5000)
    item = find_action(shell.tray.menu, "Start when I log in")
    assert item.isCheckable() and not item.isChecked() and item.isEnabled()

    item.trigger()
    qtbot.waitUntil(lambda: shell.autostart is True, timeout=5000)
    assert backend.is_enabled() and "Exec=" in backend.path.read_text()
    assert SettingsStore(world.paths.settings_file).load().general.autostart is True
    assert find_action(shell.tray.menu, "Start when I log in").isChecked()

    find_action(shell.tray.menu, "Start when I log in").trigger()
    qtbot.waitUntil(lambda: shell.autostart is False, timeout=5000)
    assert not backend.path.exists()
    assert SettingsStore(world.paths.settings_file).load().general.autostart is False


def test_the_autostart_setting_is_applied_at_start(qtbot, shells, world, tmp_path):
    world.settings("[general]\nautostart = true\nwelcome_shown = true\n")
    backend = XdgAutostart(tmp_path / "autostart")
    shell = ready_shell(shells, world, autostart_factory=lambda: backend)
    qtbot.waitUntil(lambda: shell.autostart is True, timeout=5000)
    assert backend.is_enabled()


def test_settings_saved_elsewhere_take_effect_at_once(qtbot, shells, world):
    shell = ready_shell(shells, world)
    settings = shell.services.settings
    muted = settings.model_copy(update={"notifications": settings.notifications.model_copy(
        update={"meeting_started": False})})
    with blocking_ok():
        Services(world.paths).save_settings(muted)  # as the settings window would
    shell.apply_settings(muted)
    shell.on_events([started(shell.services)])
    assert shell.notices == {}


def test_start_when_i_log_in_keeps_a_hand_edit_made_since_the_start(qtbot, shells, world, tmp_path):
    """The tray app read the settings at its start; the user then turned the camera probe off by
    hand. The menu's one change is made on the file as it is now, never on the app's older copy."""
    backend = XdgAutostart(tmp_path / "autostart")
    shell = ready_shell(shells, world, autostart_factory=lambda: backend)
    qtbot.waitUntil(lambda: shell.autostart is False, timeout=5000)
    assert shell.services.settings.detection.camera_probe is True
    world.settings("[general]\nwelcome_shown = true\n\n[detection]\ncamera_probe = false\n\n"
                   "[terms]\nnetwork_enabled = false\n")
    find_action(shell.tray.menu, "Start when I log in").trigger()
    qtbot.waitUntil(lambda: shell.autostart is True, timeout=5000)
    on_disk = SettingsStore(world.paths.settings_file).load()
    assert on_disk.general.autostart is True and on_disk.detection.camera_probe is False
    assert shell.services.settings.detection.camera_probe is False  # and the app uses the file's choice now


def test_start_when_i_log_in_leaves_a_file_with_problems_as_it_is(qtbot, shells, world, tmp_path):
    backend = XdgAutostart(tmp_path / "autostart")
    shell = ready_shell(shells, world, autostart_factory=lambda: backend)
    qtbot.waitUntil(lambda: shell.autostart is False, timeout=5000)
    broken = "[general]\nwelcome_shown = true\n\n[terms]\nnetwork_enabeld = false\n"  # misspelt by hand
    world.settings(broken)
    find_action(shell.tray.menu, "Start when I log in").trigger()
    qtbot.waitUntil(lambda: any("has problems" in problem for problem in shell.problems), timeout=5000)
    assert world.paths.settings_file.read_text(encoding="utf-8") == broken and not backend.is_enabled()
    assert str(world.paths.settings_file) in next(p for p in shell.problems if "has problems" in p)


def test_a_hand_edit_takes_effect_while_the_app_runs(qtbot, shells, world):
    """No settings window open: the user mutes meeting notices in settings.toml by hand; the
    running app uses the file's values without a restart (it looks every few seconds)."""
    shell = ready_shell(shells, world)
    text = world.paths.settings_file.read_text(encoding="utf-8")
    world.settings(text + "\n[notifications]\nmeeting_started = false\n")
    qtbot.waitUntil(lambda: shell.services.settings.notifications.meeting_started is False, timeout=30_000)
    shell.on_events([started(shell.services)])
    assert shell.notices == {}


def test_a_file_caught_half_written_after_two_looks_is_not_used_hostile(qtbot, shells, world):
    """Two looks in a row found the user's edit (network off, meeting notices muted); the editor
    then empties the file to write it again, just before the app reads it to use it. The empty
    file's defaults (the network on) must not be used: only the version the looks found is."""
    private = "[general]\nwelcome_shown = true\n\n[terms]\nnetwork_enabled = false\n"
    world.settings(private)
    shell = ready_shell(shells, world)
    services = shell.services
    assert services.settings.terms.network_enabled is False
    edited = private + "\n[notifications]\nmeeting_started = false\n"
    path = world.paths.settings_file
    real_look, real_reload = services.settings_file_version, services.reload_settings
    seen: list[str] = []
    reloads: list[object] = []

    def look() -> str:
        version = real_look()
        if path.read_text(encoding="utf-8") == edited:
            seen.append(version)
            if len(seen) == 2:
                path.write_text("", encoding="utf-8")  # the editor starts writing the file again
        return version

    def reload(*args, **kwargs):
        try:
            return real_reload(*args, **kwargs)
        finally:
            reloads.append(path.read_text(encoding="utf-8"))  # after the values read were used, or not

    services.settings_file_version = look
    services.reload_settings = reload
    world.settings(edited)
    qtbot.waitUntil(lambda: reloads == [""], timeout=30_000)
    assert services.settings.terms.network_enabled is False, "a half-written file turned the network on"

    world.settings(edited)  # the editor finishes: the looks find it again, and it is used
    qtbot.waitUntil(lambda: services.settings.notifications.meeting_started is False, timeout=30_000)
    assert services.settings.terms.network_enabled is False
