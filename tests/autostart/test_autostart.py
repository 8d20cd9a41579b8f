"""Start at log-in: the entry each OS reads is written, read back and removed."""

import configparser
import plistlib
import shlex
import subprocess

import pytest

from guard import APP_RDNS_ID
from guard.autostart import AutostartError, current_autostart, launch_command
from guard.autostart.linux_xdg import XdgAutostart, desktop_exec
from guard.autostart.macos_launchagent import LaunchAgentAutostart
from guard.autostart.windows_run import RUN_KEY, VALUE_NAME, RunKeyAutostart


class FakeRunKey:
    """Stands in for winreg's HKCU Run key: the one part that cannot run here."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name):
        return self.values.get(name)

    def set(self, name, value):
        self.values[name] = value

    def delete(self, name):
        self.values.pop(name, None)


def test_xdg_entry_is_a_valid_desktop_file_that_runs_the_command(tmp_path):
    autostart = XdgAutostart(tmp_path / "autostart")
    assert not autostart.is_enabled()
    command = ["/opt/Meeting Guard/bin/meeting-guard"]
    autostart.enable(command)
    assert autostart.is_enabled()
    path = tmp_path / "autostart" / f"{APP_RDNS_ID}.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path)
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert shlex.split(entry["Exec"]) == command
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    autostart.disable()
    assert not autostart.is_enabled() and not path.exists()


def test_xdg_entry_switched_off_by_the_desktop_reads_as_disabled(tmp_path):
    autostart = XdgAutostart(tmp_path)
    autostart.enable(["meeting-guard"])
    path = tmp_path / f"{APP_RDNS_ID}.desktop"
    path.write_text(path.read_text().replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"))
    assert not autostart.is_enabled()


def test_exec_quoting_escapes_what_the_spec_reserves():
    assert desktop_exec(["/usr/bin/meeting-guard"]) == "/usr/bin/meeting-guard"
    assert desktop_exec(["/a b/$x", "100%"]) == '"/a b/\\\\$x" 100%%'


def test_unwritable_autostart_folder_gives_a_readable_error(tmp_path):
    blocker = tmp_path / "autostart"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(AutostartError, match="Cannot write the autostart entry"):
        XdgAutostart(blocker).enable(["meeting-guard"])


def test_linux_backend_follows_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    backend = current_autostart()
    assert backend.location == str(tmp_path / "cfg" / "autostart" / f"{APP_RDNS_ID}.desktop")


def test_windows_run_value_uses_the_installers_name_and_quotes_the_path():
    key = FakeRunKey()
    autostart = RunKeyAutostart(key)
    autostart.enable([r"C:\Program Files\Meeting Privacy Guard\meeting-privacy-guard.exe"])
    assert key.values == {VALUE_NAME: r'"C:\Program Files\Meeting Privacy Guard\meeting-privacy-guard.exe"'}
    assert autostart.is_enabled()
    assert autostart.location.endswith(RUN_KEY + "\\" + VALUE_NAME)
    autostart.disable()
    assert key.values == {} and not autostart.is_enabled()


def test_registry_failure_is_reported_with_the_key():
    class DeniedKey(FakeRunKey):
        def set(self, name, value):
            raise PermissionError(5, "Access is denied")

    with pytest.raises(AutostartError, match="HKEY_CURRENT_USER"):
        RunKeyAutostart(DeniedKey()).enable(["x.exe"])


def test_macos_launch_agent_plist_runs_at_load(tmp_path):
    autostart = LaunchAgentAutostart(tmp_path / "LaunchAgents")
    autostart.enable(["/Applications/Meeting Privacy Guard.app/Contents/MacOS/meeting-guard"])
    with open(tmp_path / "LaunchAgents" / f"{APP_RDNS_ID}.plist", "rb") as handle:
        plist = plistlib.load(handle)
    assert plist["Label"] == APP_RDNS_ID and plist["RunAtLoad"] is True
    assert plist["ProgramArguments"] == ["/Applications/Meeting Privacy Guard.app/Contents/MacOS/meeting-guard"]
    assert autostart.is_enabled()
    autostart.disable()
    assert not autostart.is_enabled()


def test_launch_command_starts_this_installation():
    command = launch_command()
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("meeting-guard ")


def test_without_an_installed_script_the_login_start_runs_no_module_from_the_home_folder(tmp_path, monkeypatch):
    """Started at login in the home folder as ``python -m guard``, the home folder came first on the
    module path: a guard/ folder (or a runpy.py) lying there ran instead of the app."""
    import sys

    import guard.autostart as autostart_module

    python = sys.executable
    (tmp_path / "bin").mkdir()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))  # no meeting-guard script beside it
    monkeypatch.setattr(autostart_module.shutil, "which", lambda _name: None)
    command = launch_command()
    monkeypatch.undo()
    assert command[0] == str(tmp_path / "bin" / "python")
    home = tmp_path / "home"
    home.mkdir()
    planted = f"open({str(home / 'RAN')!r}, 'w').write('ran')\nraise SystemExit(3)\n"
    (home / "guard").mkdir()
    (home / "guard" / "__init__.py").write_text(planted, encoding="utf-8")  # a folder named like the app
    (home / "runpy.py").write_text(planted, encoding="utf-8")
    result = subprocess.run([python, *command[1:], "--version"], capture_output=True, text=True, timeout=60,
                            cwd=home)
    assert result.returncode == 0 and result.stdout.startswith("meeting-guard "), result.stderr
    assert not (home / "RAN").exists()


@pytest.mark.parametrize("kind", ["named pipe", "link to /dev/zero"])
def test_an_autostart_entry_that_is_not_a_file_is_an_error_not_a_wait(tmp_path, kind):
    """Any program can put a named pipe where the log-in entry goes: reading it waited for ever for a
    writer (the Preferences' job, on a lane that also records decisions); a link to /dev/zero read for ever."""
    import os
    import threading

    autostart = XdgAutostart(tmp_path)
    autostart.path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "named pipe":
        os.mkfifo(autostart.path)
    else:
        autostart.path.symlink_to("/dev/zero")
    raised: list[BaseException] = []

    def read() -> None:
        try:
            autostart.is_enabled()
        except BaseException as error:  # noqa: BLE001 - what the test looks at
            raised.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(30)
    assert not reader.is_alive(), f"waited on a {kind}"
    assert isinstance(raised[0], AutostartError) and str(autostart.path) in str(raised[0])


def test_an_autostart_entry_that_is_not_utf8_is_read_not_raised(tmp_path):
    autostart = XdgAutostart(tmp_path)
    autostart.path.write_bytes(b"[Desktop Entry]\nName=\xff\xfe\nHidden=true\n")
    assert autostart.is_enabled() is False


XDG_GENERATOR = "/usr/lib/systemd/user-generators/systemd-xdg-autostart-generator"


def test_xdg_entry_of_a_program_whose_path_holds_reserved_characters_starts_it(tmp_path):
    """Quoted in the Exec key, '"', '`', '$' and '\\' are escaped with a backslash, and that backslash
    is itself escaped by the string rule applied first (Desktop Entry Specification, "The Exec
    key": "\\\\$" for a dollar). With one backslash, systemd's XDG autostart generator (how GNOME and
    Plasma start autostart entries in a systemd session) refused the entry ("Undefined escape
    sequence"), so the app never started at log-in. The entry validates, and both systemd's
    generator and GLib's launcher start the program with the arguments given."""
    import os
    import shutil

    # No '%' (GLib then looks for the program with '%%') and no backslash (systemd reads "\\\\s" as a space).
    folder = tmp_path / 'Apps $HOME `x` "q"'
    folder.mkdir()
    program = folder / "meeting-guard"
    marker = tmp_path / "ran"
    program.write_text(f'#!/bin/sh\nprintf "%s|" "$0" "$@" > "{marker}"\n')
    program.chmod(0o755)
    command = [str(program), "--verbose", "a %f $b"]
    autostart = XdgAutostart(tmp_path / "autostart")
    autostart.enable(command)
    result = subprocess.run(["desktop-file-validate", autostart.location], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    if os.path.exists(XDG_GENERATOR):
        units = tmp_path / "units"
        for sub in ("normal", "early", "late"):
            (units / sub).mkdir(parents=True)
        done = subprocess.run([XDG_GENERATOR, *(str(units / sub) for sub in ("normal", "early", "late"))],
                              capture_output=True, text=True, timeout=60,
                              env={"XDG_CONFIG_HOME": str(tmp_path), "XDG_CONFIG_DIRS": str(tmp_path / "none"),
                                   "PATH": os.environ.get("PATH", "")})
        made = list(units.rglob("*.service"))
        assert made, f"systemd's generator refused the entry: {done.stderr.strip()}"
    gio = shutil.which("gio")
    if gio is not None:
        subprocess.run([gio, "launch", autostart.location], capture_output=True, timeout=60, check=True)
        from tests.support.processes import wait_until

        wait_until(marker.exists, timeout=30)
        assert marker.read_text().split("|")[:-1] == command
