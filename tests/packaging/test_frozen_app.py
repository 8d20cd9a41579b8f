"""Build the Linux app for real (PyInstaller, tarball, AppDir) once, then use what was built.

Slow (about a minute on two cores): it runs packaging/linux/build_linux.py into a temp folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from app_identity import EXE_NAME, RDNS_ID, ROOT, VERSION

import bundle_rules as rules
from tests.support.processes import log_contains, stop, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]  # the first test builds the frozen app


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> dict:
    """The figures build_linux.py prints: paths, sizes, seconds."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is not installed: pip install '.[package]' (.ci/install --test does)")
    out = tmp_path_factory.mktemp("linux-build")
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "linux" / "build_linux.py"), "--out", str(out)],
        capture_output=True, text=True, timeout=1200, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nLinux build: {json.dumps(figures)}")
    return figures


@pytest.fixture(scope="module")
def frozen(build) -> Path:
    return Path(build["bundle"]) / EXE_NAME


def run(program: Path | str, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=120, **kwargs)


def source_subcommands() -> list[str]:
    from guard.cli.registry import build_parser

    (action,) = [a for a in build_parser(full=True)._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(action.choices)


def listed_subcommands(help_text: str) -> set[str]:
    return set(re.findall(r"^ {4}([a-z][\w-]*)\s", help_text, re.MULTILINE))


def test_frozen_app_prints_its_version(frozen):
    result = run(frozen, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"meeting-guard {VERSION}"


def test_frozen_app_reports_its_settings_as_json(frozen, app_home):
    result = run(frozen, "settings", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["file"] == str(app_home / "config" / "settings.toml")
    assert report["problems"] == []


def test_frozen_app_has_every_subcommand_and_scans(frozen, tmp_path):
    """Subcommands are imported by name, so a module the spec failed to collect shows up here;
    the frozen scan must find a running client through the bundled catalog."""
    result = run(frozen, "--help")
    assert result.returncode == 0, result.stderr
    frozen_commands = listed_subcommands(result.stdout)
    assert set(source_subcommands()) <= frozen_commands, result.stdout

    client = tmp_path / "zoom"  # the shipped catalog's Linux process name for Zoom
    shutil.copy("/bin/sleep", client)
    process = subprocess.Popen([str(client), "60"])
    try:
        scan = run(frozen, "scan", "--json")
    finally:
        process.kill()
        process.wait()
    assert scan.returncode == 0, scan.stderr
    report = json.loads(scan.stdout)
    assert report["catalog_problems"] == []
    assert "zoom" in {app["provider_id"] for app in report["apps"]}, report["apps"]
    assert {probe["name"] for probe in report["probes"]} >= {"processes", "windows", "microphone"}


def test_frozen_app_records_verifies_and_exports_a_consent_as_pdf(frozen, tmp_path):
    """The ledger (keyring or key file), the terms baselines and the PDF writer's fonts all
    come from the bundle."""
    added = run(frozen, "consent", "add", "--provider", "zoom", "--feature", "meeting-summary",
                "--decision", "refused", "--meeting-title", "Frozen check", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["record"]["terms"], "the shipped Zoom baselines are the terms in force"
    verified = run(frozen, "consent", "verify", "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"], verified.stdout + verified.stderr
    pdf = tmp_path / "history.pdf"
    exported = run(frozen, "consent", "export", "--format", "pdf", "-o", str(pdf))
    assert exported.returncode == 0, exported.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Frozen check" in text and "Zoom" in text
    # JSON checks the ledger in a helper process: the frozen executable must run it as one.
    history = tmp_path / "history.json"
    exported = run(frozen, "consent", "export", "--format", "json", "-o", str(history))
    assert exported.returncode == 0, exported.stderr
    document = json.loads(history.read_text())
    assert document["mpg:verification"]["ok"] is True and document["mpg:verification"]["count"] == 1
    assert "checking here instead" not in exported.stderr


def test_bundle_has_the_resources_and_no_unwanted_qt(build):
    internal = Path(build["bundle"]) / "_internal"
    shipped = [p.relative_to(ROOT) for p in (ROOT / "resources").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc")]
    assert shipped, "resources/ is empty"
    missing = [str(p) for p in shipped if not (internal / p).is_file()]
    assert not missing, f"resources missing from the bundle: {missing}"
    if (ROOT / "resources" / "catalog").is_dir():
        assert sorted(p.name for p in (internal / "resources" / "catalog").glob("*.toml")) == \
            sorted(p.name for p in (ROOT / "resources" / "catalog").glob("*.toml"))

    dangling = [str(p) for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling
    files = [p.relative_to(internal).as_posix() for p in internal.rglob("*") if p.is_file()]
    unwanted = [f for f in files for name in rules.UNWANTED_QT_LIBRARIES
                if re.search(rf"(^|/)(lib)?Qt6?{name}", Path(f).name)]
    assert not unwanted, unwanted
    assert not [f for f in files if "tkinter" in f or "/tcl" in f or f.startswith("tcl")]
    qt_translations = {Path(f).name for f in files if "/translations/" in f and f.startswith("PySide6/")}
    assert qt_translations == rules.KEEP_QT_TRANSLATIONS  # the ones ui/language.py loads, no other
    plugins = [p for f in files if (p := rules.plugin_of(f)) is not None]
    assert plugins and all(rules.wanted_plugin(*p) for p in plugins), plugins
    for needed in (("platforms", "qxcb"), ("platforms", "qwayland"), ("platforms", "qoffscreen"),
                   ("imageformats", "qsvg"), ("iconengines", "qsvgicon")):
        assert needed in plugins


@pytest.mark.desktop
def test_frozen_tray_app_starts_on_the_test_desktop(frozen, app_home):
    """The real X11 (xcb) platform plugin and everything it links to load from the bundle, and so does
    Qt's own German translation on a German desktop (its standard buttons)."""
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", LANGUAGE="de")
    process = subprocess.Popen([str(frozen)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = app_home / "logs" / "meeting-guard.log"
    try:
        started = wait_until(lambda: log_contains(log, "started") or process.poll() is not None, timeout=60)
    finally:
        code = stop(process)
    stderr = process.stderr.read()
    assert started and log_contains(log, f"{VERSION} started"), stderr
    assert "Could not load the Qt platform plugin" not in stderr
    assert not log_contains(log, "qtbase_de.qm was not found"), log.read_text(encoding="utf-8")
    assert code == 0, stderr


@pytest.mark.desktop
def test_frozen_app_runs_the_settings_window_in_a_process_of_its_own(frozen, app_home, tmp_path):
    """A bundle has no ``python -m``: its tray app starts ``<app> --settings-window SERVER DIRS... --tab T``
    (ui/settings_remote.settings_command when frozen). The bundle shows the real window, says so over
    the link, and ends when told to close. The tray's end is a plain Unix socket here (a full path
    is used as it is by Qt's local sockets)."""
    import socket
    import time

    from guard.paths import app_paths
    from ui.settings_link import TO_TRAY, WINDOW_FLAG, decode, encode

    link = tmp_path / "link"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(link))
        server.listen(1)
        server.settimeout(1)
        folders = [str(folder) for folder in app_paths()]  # MEETING_GUARD_HOME: this test's app home
        process = subprocess.Popen([str(frozen), WINDOW_FLAG, str(link), *folders, "--tab", "history"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    connection, _ = server.accept()
                    break
                except TimeoutError:
                    assert process.poll() is None, f"exit {process.returncode}: {process.stderr.read()[-2000:]}"
                    assert time.monotonic() < deadline, "the window's process never connected"
            with connection, connection.makefile("rb") as lines:
                assert decode(lines.readline(), TO_TRAY) == {"op": "ready", "tab": "history"}
                connection.sendall(encode("close"))
                assert decode(lines.readline(), TO_TRAY)["op"] == "closed"
            code = process.wait(timeout=60)
        finally:
            stop(process)
    assert code == 0, process.stderr.read()
    logged = (app_home / "logs" / "meeting-guard.log").read_text(encoding="utf-8")
    assert f"[settings {process.pid}]" in logged and "Settings window process started" in logged


def test_tarball_installs_and_uninstalls_keeping_user_data(build, tmp_path):
    with tarfile.open(build["tarball"]) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (top,) = (tmp_path / "unpacked").iterdir()
    prefix, config = tmp_path / "prefix", tmp_path / "config"
    env = dict(os.environ, XDG_CONFIG_HOME=str(config), PATH="/usr/bin:/bin")
    installed = run(top / "install.sh", "--prefix", str(prefix), "--autostart", env=env)
    assert installed.returncode == 0, installed.stderr
    assert f"meeting-guard {VERSION}" in installed.stdout

    assert run(prefix / "bin" / EXE_NAME, "--version").stdout.strip() == f"meeting-guard {VERSION}"
    menu_entry = prefix / "share" / "applications" / f"{RDNS_ID}.desktop"
    autostart = config / "autostart" / f"{RDNS_ID}.desktop"
    program = prefix / "lib" / "meeting-privacy-guard" / EXE_NAME
    for entry in (menu_entry, autostart):
        exec_line = re.search(r"^Exec=(.*)$", entry.read_text(), re.MULTILINE).group(1)
        assert shlex.split(exec_line) == [str(program)]
        assert run("desktop-file-validate", str(entry)).returncode == 0
    assert (prefix / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{RDNS_ID}.svg").is_file()
    validated = run("appstreamcli", "validate-tree", "--no-net", str(prefix))
    assert validated.returncode == 0, validated.stdout

    # With prefix ~/.local, share/meeting-privacy-guard is where the consent ledger lives.
    ledger = prefix / "share" / "meeting-privacy-guard" / "ledger.sqlite3"
    ledger.parent.mkdir(parents=True)
    ledger.write_bytes(b"the user's records")
    removed = run(top / "install.sh", "--prefix", str(prefix), "--uninstall", env=env)
    assert removed.returncode == 0, removed.stderr
    assert not (prefix / "bin" / EXE_NAME).exists() and not program.exists()
    assert not menu_entry.exists() and not autostart.exists()
    assert not list(prefix.rglob(f"{RDNS_ID}.*"))
    assert ledger.read_bytes() == b"the user's records"


def test_appdir_runs_the_app(build):
    appdir = Path(build["appdir"])
    result = run(appdir / "AppRun", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"meeting-guard {VERSION}"
    assert (appdir / f"{RDNS_ID}.desktop").is_file() and (appdir / ".DirIcon").resolve().is_file()
    if build["appimage"] is not None:
        assert run(build["appimage"], "--version").stdout.strip() == f"meeting-guard {VERSION}"


def test_flatpak_build_commands_install_the_built_tree(build, tmp_path):
    """Run the manifest's commands with /app moved to a temp folder, in the tree they get."""
    manifest = json.loads((ROOT / "packaging" / "linux" / "flatpak" / f"{RDNS_ID}.json").read_text())
    app = tmp_path / "app"
    for command in manifest["modules"][0]["build-commands"]:
        done = subprocess.run(command.replace("/app/", f"{app}/").replace("/app ", f"{app} "), shell=True,
                              cwd=build["prefix"], capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr}"
    assert run(app / "bin" / manifest["command"], "--version").stdout.strip() == f"meeting-guard {VERSION}"
    assert (app / "share" / "applications" / f"{RDNS_ID}.desktop").is_file()
    assert (app / "share" / "metainfo" / f"{RDNS_ID}.metainfo.xml").is_file()
    assert (app / "share" / "icons" / "hicolor" / "128x128" / "apps" / f"{RDNS_ID}.png").is_file()
