"""Every installer says the same version, id and names as the app (guard.__version__)."""

from __future__ import annotations

import ast
import importlib.util
import plistlib
import re
import xml.etree.ElementTree as ET

import pytest
from app_identity import APP_NAME, BUNDLE_NAME, DATA_DIR_NAME, EXE_NAME, RDNS_ID, ROOT, WINDOWED_EXE_NAME

from guard import __version__

PACKAGING = ROOT / "packaging"
ISS = (PACKAGING / "windows" / "meeting-privacy-guard.iss").read_text(encoding="utf-8")


def load_version_info():
    """packaging/windows/version_info.py, imported by path (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location("mpg_version_info", PACKAGING / "windows" / "version_info.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


version_info = load_version_info()


def iss_define(name: str) -> str:
    match = re.search(rf'^\s*#define {name} "([^"]*)"', ISS, re.MULTILINE)
    assert match, f"#define {name} missing from the .iss"
    return match.group(1)


def test_metainfo_newest_release_is_this_version():
    root = ET.parse(PACKAGING / "linux" / f"{RDNS_ID}.metainfo.xml").getroot()
    releases = root.findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == __version__  # newest first


def test_macos_info_plist_is_a_menu_bar_app_with_this_version():
    with open(PACKAGING / "macos" / "Info.plist", "rb") as handle:
        plist = plistlib.load(handle)
    assert plist["LSUIElement"] is True
    assert plist["CFBundleIdentifier"] == RDNS_ID
    assert plist["CFBundleExecutable"] == EXE_NAME
    assert plist["CFBundleName"] == APP_NAME
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == __version__
    assert plist["CFBundleIconFile"] == f"{RDNS_ID}.icns"
    # The app only asks which processes use the microphone; it never opens it.
    assert "NSMicrophoneUsageDescription" not in plist


def test_inno_setup_script_installs_this_version_of_the_bundle():
    assert iss_define("AppVersion") == __version__
    assert iss_define("AppName") == APP_NAME
    assert iss_define("AppExe") == f"{WINDOWED_EXE_NAME}.exe"
    assert iss_define("CliExe") == f"{EXE_NAME}.exe"
    assert iss_define("DataDirName") == DATA_DIR_NAME
    assert iss_define("RdnsId") == RDNS_ID
    assert iss_define("BundleDir") == rf"..\..\dist\{BUNDLE_NAME}"
    # The spec renders the .ico into PyInstaller's default work folder, build/<spec name>/icons.
    assert iss_define("IconFile") == rf"..\..\build\{BUNDLE_NAME}\icons" + "\\"
    assert (PACKAGING / f"{BUNDLE_NAME}.spec").is_file()
    assert 'Source: "{#BundleDir}\\*"' in ISS and "recursesubdirs" in ISS


def test_inno_setup_script_has_start_menu_autostart_and_a_careful_uninstall():
    assert re.search(r'^Name: "\{group\}\\\{#AppName\}"; Filename: "\{app\}\\\{#AppExe\}"', ISS, re.MULTILINE)
    run_key = re.search(r"^Root: HKCU; Subkey: \"Software\\Microsoft\\Windows\\CurrentVersion\\Run\".*$", ISS,
                        re.MULTILINE)
    assert run_key and "Tasks: autostart" in run_key.group(0) and "uninsdeletevalue" in run_key.group(0)
    assert re.search(r'^Name: "autostart";.*Flags: unchecked', ISS, re.MULTILINE)  # opt-in
    uninstall = ISS[ISS.index("procedure CurUninstallStepChanged"):]
    # User data is deleted only when the user says yes (default No), never on a silent uninstall.
    assert "MB_DEFBUTTON2" in uninstall and "= IDYES then" in uninstall and "UninstallSilent" in uninstall
    assert uninstall.index("MsgBox") < uninstall.index("DelTree")


def test_windows_version_resource_is_generated_from_the_app_version():
    text = version_info.render(__version__, EXE_NAME)
    tree = ast.parse(text, mode="eval").body
    assert isinstance(tree, ast.Call) and tree.func.id == "VSVersionInfo"
    strings = {
        node.args[0].value: node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "StringStruct"
    }
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == f"{EXE_NAME}.exe"
    assert strings["ProductName"] == APP_NAME
    fixed = {kw.arg: ast.literal_eval(kw.value) for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "FixedFileInfo" for kw in node.keywords}
    assert fixed["filevers"] == fixed["prodvers"] == version_info.numeric_version(__version__)


@pytest.mark.parametrize("version, numbers", [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)),
    ("3.4.5.dev7", (3, 4, 5, 0)), ("1.2.3.4.5", (1, 2, 3, 4)), ("1.0+local.9", (1, 0, 0, 0)),
])
def test_windows_version_numbers_come_from_the_release_part(version, numbers):
    assert version_info.numeric_version(version) == numbers


def test_flatpak_desktop_and_metainfo_use_one_id():
    flatpak = (PACKAGING / "linux" / "flatpak" / f"{RDNS_ID}.json").read_text(encoding="utf-8")
    assert f'"id": "{RDNS_ID}"' in flatpak
    assert (PACKAGING / "linux" / f"{RDNS_ID}.desktop").is_file()
    assert (PACKAGING / "linux" / "autostart" / f"{RDNS_ID}.desktop").is_file()
