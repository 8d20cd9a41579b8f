"""The autostart setting and the log-in entry stay in line (real XDG files in a temp folder)."""

from guard.autostart.linux_xdg import XdgAutostart
from guard.autostart.sync import sync_autostart


def test_setting_on_writes_the_entry_with_the_current_command(tmp_path):
    backend = XdgAutostart(tmp_path / "autostart")
    assert sync_autostart(True, backend, ["/new/place/meeting-guard"], changed=False) is None
    assert backend.is_enabled()
    assert "Exec=/new/place/meeting-guard" in backend.path.read_text()


def test_an_installer_entry_survives_start_up_with_the_setting_off(tmp_path):
    backend = XdgAutostart(tmp_path / "autostart")
    backend.enable(["/opt/meeting-guard"])
    assert sync_autostart(False, backend, ["/opt/meeting-guard"], changed=False) is None
    assert backend.is_enabled()


def test_turning_the_setting_off_removes_the_entry(tmp_path):
    backend = XdgAutostart(tmp_path / "autostart")
    backend.enable(["/opt/meeting-guard"])
    assert sync_autostart(False, backend, ["/opt/meeting-guard"], changed=True) is None
    assert not backend.is_enabled()


def test_an_unwritable_folder_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "autostart"
    blocker.write_text("a file where the folder should be")
    problem = sync_autostart(True, XdgAutostart(blocker), ["/opt/meeting-guard"], changed=True)
    assert problem is not None and str(blocker) in problem
