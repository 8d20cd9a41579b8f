"""``meeting-guard browser install | uninstall | status``: real files on Linux, the documented places on
macOS, and registry values through the fake registry on Windows (with a contract test that the fake and
the real registry have the same surface)."""

import inspect
import json
import os
import stat
from pathlib import Path

import pytest

from guard.browser import ids
from guard.browser.browsers import BROWSERS
from guard.browser.install import Installer, Places
from guard.browser.registry import FakeRegistry, Registry, WindowsRegistry

HOST_FILE = f"{ids.HOST_NAME}.json"


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    (home / ".config" / "chromium").mkdir(parents=True)  # Chromium has run once for this user
    (home / ".mozilla" / "firefox").mkdir(parents=True)
    return home


def linux_installer(home, app_home):
    places = Places.for_user("linux", {"HOME": str(home), "PATH": "/nonexistent"})
    return Installer(places, app_home / "data" / "browser", environ={"PATH": "/nonexistent"})


def test_install_registers_the_host_for_each_browser_found_pinned_to_our_extension(home, app_home):
    installer = linux_installer(home, app_home)
    done = installer.install()
    assert [b.id for b in done] == ["chromium", "firefox"]
    chromium = json.loads((home / ".config/chromium/NativeMessagingHosts" / HOST_FILE).read_text())
    firefox = json.loads((home / ".mozilla/native-messaging-hosts" / HOST_FILE).read_text())
    launcher = installer.launcher_path()
    assert chromium == {"name": ids.HOST_NAME, "description": chromium["description"], "path": str(launcher),
                        "type": "stdio", "allowed_origins": [f"chrome-extension://{ids.CHROMIUM_EXTENSION_ID}/"]}
    assert firefox["allowed_extensions"] == [ids.GECKO_ID] and "allowed_origins" not in firefox
    assert stat.S_IMODE(launcher.stat().st_mode) == 0o700
    assert "browser-host" in launcher.read_text()
    assert not (home / ".config/google-chrome").exists(), "no folder is made for a browser that is not there"


def test_the_launcher_starts_the_real_host(home, app_home):
    import subprocess

    launcher = linux_installer(home, app_home).write_launcher()
    result = subprocess.run([str(launcher), "chrome-extension://notours/"], input=b"", capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 2 and b"refusing" in result.stderr


def test_modules_in_the_browsers_working_folder_never_run_in_the_host(home, app_home, tmp_path):
    """A browser starts the host in its own working folder (Firefox: often the home folder); with
    ``python -m`` that folder came first on the module path, so a json.py lying there ran in the host."""
    import subprocess

    folder = tmp_path / "browser-cwd"
    folder.mkdir()
    for name in ("json", "socket", "struct", "argparse", "logging"):
        (folder / f"{name}.py").write_text(f"open({str(folder / ('RAN-' + name))!r}, 'w').write('ran')\n"
                                           "raise SystemExit(3)\n", encoding="utf-8")
    launcher = linux_installer(home, app_home).write_launcher()
    result = subprocess.run([str(launcher), "chrome-extension://notours/"], input=b"", capture_output=True,
                            timeout=60, check=False, cwd=folder)
    assert result.returncode == 2 and b"refusing" in result.stderr
    assert sorted(path.name for path in folder.glob("RAN-*")) == []


def test_a_manifest_nested_deep_is_not_ours_not_a_crash(home, app_home):
    """Any program of the user's can write the browsers' host folders: a manifest nested thousands deep
    (json raises RecursionError, not a ValueError) ended 'browser status' and uninstall in a traceback."""
    installer = linux_installer(home, app_home)
    folder = home / ".config/chromium/NativeMessagingHosts"
    folder.mkdir(parents=True)
    (folder / HOST_FILE).write_text("[" * 50_000, encoding="utf-8")
    statuses = {s.id: s for s in installer.status(app_home / "run" / "browser", app_home / "seen.json")}
    chromium = statuses["chromium"]
    assert not chromium.registered and "not this app's host manifest" in (chromium.problem or "")
    installer.uninstall(["chromium"])
    assert (folder / HOST_FILE).read_text(encoding="utf-8") == "[" * 50_000, "not ours: left alone"


def test_status_says_per_browser_what_is_there(home, app_home):
    installer = linux_installer(home, app_home)
    states = {s.id: s.state for s in installer.status(app_home / "run" / "browser", app_home / "seen.json")}
    assert states["chromium"] == "host not registered" and states["chrome"] == "not installed"
    installer.install()
    statuses = {s.id: s for s in installer.status(app_home / "run" / "browser", app_home / "seen.json")}
    assert statuses["chromium"].state == "host registered" and statuses["firefox"].state == "host registered"
    assert statuses["brave"].state == "not installed" and not statuses["brave"].verified

    installer.launcher_path().unlink()  # e.g. the app was moved
    broken = {s.id: s for s in installer.status(app_home / "run" / "browser", app_home / "seen.json")}
    assert broken["chromium"].state == "host registration broken"
    assert "missing" in broken["chromium"].problem and "browser install" in broken["chromium"].problem


def test_a_manifest_that_allows_another_extension_is_reported(home, app_home):
    installer = linux_installer(home, app_home)
    installer.install()
    path = home / ".config/chromium/NativeMessagingHosts" / HOST_FILE
    data = json.loads(path.read_text())
    data["allowed_origins"].append("chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/")
    path.write_text(json.dumps(data))
    (status,) = [s for s in installer.status(app_home / "run", app_home / "seen.json") if s.id == "chromium"]
    assert status.state == "host registration broken" and "other extensions" in status.problem


def test_uninstall_leaves_no_manifest_and_no_launcher(home, app_home):
    installer = linux_installer(home, app_home)
    installer.install(["chromium", "firefox", "chrome", "brave"])
    foreign = home / ".config/chromium/NativeMessagingHosts/org.example.other.json"
    foreign.write_text('{"name": "org.example.other"}')
    removed = installer.uninstall()
    assert len(removed) == 5
    assert list(home.rglob(HOST_FILE)) == [] and not installer.launcher_path().exists()
    assert foreign.exists(), "another program's host is left alone"
    assert installer.uninstall() == []


def test_removing_one_browser_keeps_the_others(home, app_home):
    installer = linux_installer(home, app_home)
    installer.install()
    removed = installer.uninstall(["firefox"])
    assert removed == [str(home / ".mozilla/native-messaging-hosts" / HOST_FILE)]
    assert (home / ".config/chromium/NativeMessagingHosts" / HOST_FILE).is_file() and installer.launcher_path().exists()
    installer.uninstall(["chromium"])
    assert list(home.rglob(HOST_FILE)) == [] and not installer.launcher_path().exists(), "the launcher goes last"


def test_snap_and_flatpak_browsers_are_said_to_be_unsupported(home, app_home):
    (home / "snap" / "chromium").mkdir(parents=True)
    (home / ".var" / "app" / "org.mozilla.firefox").mkdir(parents=True)
    statuses = {s.id: s for s in linux_installer(home, app_home).status(app_home / "run", app_home / "seen.json")}
    assert statuses["chromium-snap"].state == "not supported" and "sandbox" in statuses["chromium-snap"].problem
    assert statuses["flatpak"].state == "not supported"


def test_macos_manifests_go_under_application_support(tmp_path):
    home = tmp_path / "home"
    (home / "Library/Application Support/Google/Chrome").mkdir(parents=True)
    (home / "Library/Application Support/Firefox").mkdir(parents=True)
    installer = Installer(Places.for_user("macos", {"HOME": str(home)}), tmp_path / "data", environ={})
    assert [b.id for b in installer.install()] == ["chrome", "firefox"]
    support = home / "Library/Application Support"
    assert (support / "Google/Chrome/NativeMessagingHosts" / HOST_FILE).is_file()
    assert (support / "Mozilla/NativeMessagingHosts" / HOST_FILE).is_file()


def test_windows_registers_through_registry_values_pointing_at_manifest_files(tmp_path):
    local = tmp_path / "Local"
    (local / "Google/Chrome/User Data").mkdir(parents=True)
    (local / "Microsoft/Edge/User Data").mkdir(parents=True)
    registry = FakeRegistry()
    places = Places.for_user("windows", {"USERPROFILE": str(tmp_path), "LOCALAPPDATA": str(local),
                                         "APPDATA": str(tmp_path / "Roaming")})
    installer = Installer(places, tmp_path / "data" / "browser", registry, environ={}, command=["C:/mg.exe",
                                                                                                "browser-host"])
    assert [b.id for b in installer.install()] == ["chrome", "edge"]
    chrome_key = rf"Software\Google\Chrome\NativeMessagingHosts\{ids.HOST_NAME}"
    edge_key = rf"Software\Microsoft\Edge\NativeMessagingHosts\{ids.HOST_NAME}"
    manifest = Path(registry.read_default(chrome_key))
    assert manifest == tmp_path / "data" / "browser" / f"{ids.HOST_NAME}.chromium.json"
    assert registry.read_default(edge_key) == str(manifest)
    data = json.loads(manifest.read_text())
    assert data["path"].endswith(".bat") and "allowed_origins" in data
    assert '"C:/mg.exe" "browser-host" %*' in Path(data["path"]).read_text()
    statuses = {s.id: s.state for s in installer.status(tmp_path / "run", tmp_path / "seen.json")}
    assert statuses["chrome"] == "host registered" and statuses["firefox"] == "not installed"

    installer.uninstall()
    assert registry.values == {} and not manifest.exists()


def test_the_fake_registry_has_the_real_ones_surface():
    def surface(cls):
        return {name: inspect.signature(member) for name, member in vars(cls).items()
                if callable(member) and not name.startswith("_")}

    assert surface(FakeRegistry) == surface(WindowsRegistry) == surface(Registry)
    assert isinstance(FakeRegistry.name, str) and isinstance(WindowsRegistry.name, str)


def test_every_browser_entry_names_its_source():
    for browser in BROWSERS:
        assert browser.source.startswith("https://"), browser.id
        assert browser.unsupported or browser.linux or browser.macos or browser.windows, browser.id


def test_the_command_line_installs_reports_and_uninstalls(home, cli):
    env = {**os.environ, "HOME": str(home), "PATH": "/nonexistent"}
    env.pop("XDG_CONFIG_HOME", None)
    result = cli("browser", "install", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["installed"] == ["chromium", "firefox"]
    result = cli("browser", "status", "--json", env=env)
    browsers = {b["id"]: b for b in json.loads(result.stdout)["browsers"]}
    assert browsers["chromium"]["state"] == "host registered" and browsers["chromium"]["source"].startswith("https")
    result = cli("browser", "install", "--browser", "netscape", env=env)
    assert result.returncode == 2 and "unknown browser netscape" in result.stderr
    result = cli("browser", "uninstall", env=env)
    assert result.returncode == 0 and "removed" in result.stdout
    assert list(home.rglob(HOST_FILE)) == []
    result = cli("browser", "status", env=env)
    assert "Chromium: not set up" in result.stdout  # the words of the app's browser-extension settings


def test_a_manifest_or_last_seen_file_that_is_a_link_is_never_read_through(home, app_home, tmp_path):
    """Audit 8: the manifests and seen.json were looked at with is_file() and then read by path, so a
    file swapped between the two (a link to a pipe, to another user's file) was read, or waited on.
    Each is opened once, never through a link: a linked manifest is not taken for this app's
    registration (reinstalling writes a file in its place), nor a linked seen.json for when the
    extension was last connected."""
    installer = linux_installer(home, app_home)
    installer.install()
    path = home / ".config/chromium/NativeMessagingHosts" / HOST_FILE
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(path.read_text())
    path.unlink()
    path.symlink_to(elsewhere)
    seen = app_home / "seen.json"
    elsewhere_seen = tmp_path / "seen-elsewhere.json"
    elsewhere_seen.write_text(json.dumps({"chromium": "2026-01-02T03:04:05+00:00"}))
    seen.symlink_to(elsewhere_seen)
    (chromium,) = [s for s in installer.status(app_home / "run", seen) if s.id == "chromium"]
    assert chromium.state == "host registration broken" and "browser install" in chromium.problem
    assert chromium.last_seen is None, "a linked seen.json was read through its link"
    installer.install()
    assert path.is_file() and not path.is_symlink() and elsewhere.exists()
    (chromium,) = [s for s in installer.status(app_home / "run", seen) if s.id == "chromium"]
    assert chromium.state == "host registered"


def test_a_manifest_or_launcher_that_starts_another_program_is_reported_hostile(home, app_home, tmp_path):
    """Any program of the user's can write the browsers' host folders and the app's data folder: a
    manifest of this host's name pointing at another program (or the app's launcher rewritten to
    start one) was reported "host registered", while the browser handed that program every meeting
    tab the extension reports. The registration is broken unless it starts this app's host."""
    installer = linux_installer(home, app_home)
    installer.install()
    path = home / ".config/chromium/NativeMessagingHosts" / HOST_FILE
    other = tmp_path / "other-host"
    other.write_text("#!/bin/sh\nexec cat > /dev/null\n")
    other.chmod(0o755)
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "path": str(other)}))
    statuses = {s.id: s for s in installer.status(app_home / "run", app_home / "seen.json")}
    assert statuses["chromium"].state == "host registration broken", "another program's host said registered"
    assert str(other) in statuses["chromium"].problem and "browser install" in statuses["chromium"].problem
    assert statuses["firefox"].state == "host registered"

    installer.install()
    launcher = installer.launcher_path()
    launcher.write_text(launcher.read_text().replace("exec ", f"exec {other} #", 1))
    statuses = {s.id: s for s in installer.status(app_home / "run", app_home / "seen.json")}
    assert statuses["chromium"].state == statuses["firefox"].state == "host registration broken"
    assert str(launcher) in statuses["chromium"].problem and "browser install" in statuses["chromium"].problem
    installer.install()
    assert all(s.state == "host registered" for s in installer.status(app_home / "run", app_home / "seen.json")
               if s.id in ("chromium", "firefox")), "installing again mends it"
