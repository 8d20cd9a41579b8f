"""The Linux desktop integration files validate with the tools distributions use, and agree."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from app_identity import EXE_NAME, HICOLOR_SIZES, RDNS_ID, ROOT

LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{RDNS_ID}.desktop"
AUTOSTART = LINUX / "autostart" / f"{RDNS_ID}.desktop"
METAINFO = LINUX / f"{RDNS_ID}.metainfo.xml"
FLATPAK = LINUX / "flatpak" / f"{RDNS_ID}.json"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run .ci/install --test (it installs the Debian package)"
    return path


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


@pytest.mark.parametrize("path", [DESKTOP, AUTOSTART], ids=["menu-entry", "autostart-entry"])
def test_desktop_files_validate(path):
    result = subprocess.run([tool("desktop-file-validate"), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_desktop_entry_starts_the_app_with_its_icon():
    entry = desktop_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == EXE_NAME
    assert entry["Icon"] == RDNS_ID
    assert entry["Terminal"] == "false"


def test_autostart_entry_starts_the_tray_app_after_the_panel():
    entry = desktop_entry(AUTOSTART)
    assert entry["Exec"] == EXE_NAME  # no subcommand: the tray app
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["X-KDE-autostart-after"] == "panel"
    assert entry["NoDisplay"] == "true"  # not a second menu entry


def test_metainfo_validates_strictly():
    result = subprocess.run([tool("appstreamcli"), "validate", "--no-net", "--strict", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_names_the_desktop_file_and_the_command():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == RDNS_ID
    assert root.find("launchable[@type='desktop-id']").text == DESKTOP.name
    assert root.findtext("provides/binary") == EXE_NAME
    assert root.findtext("project_license") == "GPL-3.0-or-later"


def test_flatpak_manifest_parses_without_warnings(tmp_path):
    result = subprocess.run([tool("flatpak-builder"), "--show-manifest", str(FLATPAK)],
                            capture_output=True, text=True, cwd=tmp_path)  # it leaves .flatpak-builder/ in cwd
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr  # unknown or mistyped properties
    manifest = json.loads(result.stdout)
    assert manifest["id"] == RDNS_ID
    assert manifest["command"] == EXE_NAME


def test_flatpak_manifest_takes_the_tree_build_linux_makes():
    manifest = json.loads(FLATPAK.read_text(encoding="utf-8"))
    (source,) = manifest["modules"][0]["sources"]
    assert source["type"] == "dir"
    assert (FLATPAK.parent / source["path"]).resolve() == ROOT / "build" / "linux" / "prefix"


def test_install_script_explains_itself_and_refuses_unknown_options(tmp_path):
    script = LINUX / "install.sh"
    assert os.access(script, os.X_OK)
    help_text = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "--uninstall" in help_text.stdout
    bad = subprocess.run([str(script), "--frobnicate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown option" in bad.stderr
    outside_tarball = subprocess.run([str(script), "--prefix", str(tmp_path / "p")], capture_output=True, text=True)
    assert outside_tarball.returncode == 2 and "unpacked tarball" in outside_tarball.stderr


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_are_rendered_for_every_platform(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, str(ROOT / "packaging" / "render_icons.py"), str(tmp_path)],
                   check=True, env=env, capture_output=True)
    hicolor = tmp_path / "hicolor"
    assert (hicolor / "scalable" / "apps" / f"{RDNS_ID}.svg").read_bytes() == \
        (ROOT / "resources" / "icons" / "meeting-privacy-guard.svg").read_bytes()
    for size in HICOLOR_SIZES:
        png = (hicolor / f"{size}x{size}" / "apps" / f"{RDNS_ID}.png").read_bytes()
        assert png_size(png) == (size, size)

    ico = (tmp_path / f"{RDNS_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    for index in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * index: 22 + 16 * index])
        assert png_size(ico[offset:offset + length]) == (width or 256, height or 256)

    icns = (tmp_path / f"{RDNS_ID}.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, position = {}, 8
    while position < len(icns):
        kind, length = icns[position:position + 4], struct.unpack(">I", icns[position + 4:position + 8])[0]
        kinds[kind] = png_size(icns[position + 8:position + length])
        position += length
    assert kinds[b"ic10"] == (1024, 1024) and kinds[b"icp4"] == (16, 16)


def test_the_entries_speak_every_language_of_the_app():
    """The app speaks German, French, Spanish, Italian and Dutch; its menu entry, log-in entry and
    software-centre summary did not, so a German (later a Spanish) desktop listed it in English."""
    menu, autostart = desktop_entry(DESKTOP), desktop_entry(AUTOSTART)
    for language in ("de", "fr", "es", "it", "nl"):
        assert menu[f"GenericName[{language}]"] and menu[f"Comment[{language}]"] and menu[f"Keywords[{language}]"]
        assert autostart[f"Comment[{language}]"]
        assert f'<summary xml:lang="{language}">' in METAINFO.read_text(encoding="utf-8")
    assert "Sie" in menu["Comment[de]"] and "Meeting" in menu["Comment[de]"]  # formal, and the glossary's word
    assert "réunion" in menu["Comment[fr]"]
    # The catalogs' word for a meeting, and the reader addressed formally (usted, Lei, u) as there.
    assert "reunión" in menu["Comment[es]"] and " le afectan" in menu["Comment[es]"]
    assert "riunione" in menu["Comment[it]"] and " la riguardano" in menu["Comment[it]"]
    assert "vergadering" in menu["Comment[nl]"] and " u " in menu["Comment[nl]"]


def test_the_tarball_gives_its_files_to_no_user_and_to_nobody_to_write_hostile(tmp_path):
    """The tarball is unpacked by whoever installs it; root unpacking it (to /opt, /usr/local) keeps
    the owners and modes it records. Built on a machine whose umask leaves files group- or world-
    writable, or by a user whose id is another user's on the installing computer, it handed that
    user (or everyone) the program every user then runs. Every member is root's and writable by
    its owner only; what was executable stays so."""
    import tarfile

    sys.path.insert(0, str(LINUX))
    try:
        from build_linux import make_tarball
    finally:
        sys.path.remove(str(LINUX))
    prefix = tmp_path / "prefix"
    program = prefix / "lib" / "meeting-privacy-guard" / EXE_NAME
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    library = program.parent / "libthing.so"
    library.write_text("")
    for path, mode in ((program, 0o777), (library, 0o666), (program.parent, 0o777)):
        path.chmod(mode)
    out = tmp_path / "out"
    out.mkdir()
    with tarfile.open(make_tarball(prefix, out)) as tar:
        members = tar.getmembers()
    assert members
    for member in members:
        assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "root", "root"), member.name
        assert not member.mode & 0o022, f"{member.name} is writable by others: {oct(member.mode)}"
    modes = {member.name.split("/", 1)[-1]: member.mode for member in members}
    assert modes[f"lib/meeting-privacy-guard/{EXE_NAME}"] == 0o755
    assert modes["lib/meeting-privacy-guard/libthing.so"] == 0o644
    assert modes["install.sh"] & 0o111, "install.sh stays executable"


def test_install_script_writes_entries_that_start_the_program_whatever_the_prefix(tmp_path):
    """install.sh names the installed program in the menu and autostart entries' Exec key with sed.
    A prefix holding '&' (sed's "the matched text": "R&D apps") wrote a path that does not exist, so
    neither entry started the app; '"', '`' or '$' left the Exec key unreadable. The program's path
    is quoted as the Desktop Entry Specification says; the entries validate and start it."""
    tree = tmp_path / "unpacked"
    program = tree / "lib" / "meeting-privacy-guard" / EXE_NAME
    program.parent.mkdir(parents=True)
    marker = tmp_path / "ran"
    program.write_text(f'#!/bin/sh\nprintf "%s|" "$0" "$@" > "{marker}"\n')
    program.chmod(0o755)
    (tree / "share" / "applications").mkdir(parents=True)
    shutil.copyfile(DESKTOP, tree / "share" / "applications" / DESKTOP.name)
    (tree / "autostart").mkdir()
    shutil.copyfile(AUTOSTART, tree / "autostart" / AUTOSTART.name)
    shutil.copyfile(LINUX / "install.sh", tree / "install.sh")
    (tree / "install.sh").chmod(0o755)
    prefix = tmp_path / 'R&D apps $HOME `x` "q" a|b'
    config = tmp_path / "config"
    done = subprocess.run([str(tree / "install.sh"), "--prefix", str(prefix), "--autostart"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "XDG_CONFIG_HOME": str(config)})
    assert done.returncode == 0, done.stdout + done.stderr
    installed = prefix / "lib" / "meeting-privacy-guard" / EXE_NAME
    for entry in (prefix / "share" / "applications" / DESKTOP.name, config / "autostart" / AUTOSTART.name):
        result = subprocess.run([tool("desktop-file-validate"), str(entry)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        marker.unlink(missing_ok=True)
        gio = shutil.which("gio")
        if gio is not None:  # GLib's launcher, as GNOME, Cinnamon and Xfce start entries
            subprocess.run([gio, "launch", str(entry)], capture_output=True, timeout=60, check=True)
            from tests.support.processes import wait_until

            assert wait_until(marker.exists, timeout=30), f"{entry.name} started nothing"
            assert marker.read_text() == f"{installed}|"
