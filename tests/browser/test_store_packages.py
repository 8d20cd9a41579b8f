"""The store zips (packaging/extension/build_extension.py): built, reproducible, and with each store's manifest."""

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from guard import __version__
from guard.browser import ids

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "extension" / "build_extension.py"


def build(out):
    result = subprocess.run([sys.executable, str(SCRIPT), str(out)], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    return {store: out / f"meeting-privacy-guard-{__version__}-{store}.zip" for store in ("chrome", "firefox")}


def test_store_zips_carry_each_stores_manifest(tmp_path):
    zips = build(tmp_path / "a")
    with zipfile.ZipFile(zips["chrome"]) as chrome, zipfile.ZipFile(zips["firefox"]) as firefox:
        chrome_manifest = json.loads(chrome.read("manifest.json"))
        firefox_manifest = json.loads(firefox.read("manifest.json"))
        assert "key" not in chrome_manifest and "key" not in firefox_manifest
        assert chrome_manifest["background"] == {"service_worker": "service-worker.js"}
        assert "browser_specific_settings" not in chrome_manifest
        assert firefox_manifest["background"] == {"scripts": ["data.js", "common.js", "background.js"]}
        assert firefox_manifest["browser_specific_settings"]["gecko"]["id"] == ids.GECKO_ID
        for manifest in (chrome_manifest, firefox_manifest):
            assert manifest["manifest_version"] == 3 and manifest["version"] == __version__
            assert manifest["permissions"] == ["nativeMessaging"] and len(manifest["description"]) <= 132
        names = set(chrome.namelist())
        assert {"data.js", "common.js", "background.js", "content.js", "service-worker.js",
                "icons/icon-128.png"} <= names
        assert "service-worker.js" not in firefox.namelist()
        for archive in (chrome, firefox):
            for name in archive.namelist():
                assert not name.startswith(("_", ".")) and not name.endswith((".py", ".pem")), name


def test_store_zips_are_reproducible(tmp_path):
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    for store in first:
        assert hashlib.sha256(first[store].read_bytes()).digest() == hashlib.sha256(second[store].read_bytes()).digest()
