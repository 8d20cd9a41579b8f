"""The store zips (packaging/extension/build_extension.py): built, reproducible, and with each store's manifest.
(tests/browser/test_firefox.py runs real Firefox ESR on the addons.mozilla.org zip itself.)"""

import hashlib
import json
import zipfile

import pytest

from guard import __version__
from guard.browser import ids
from tests.browser.conftest import browser_env
from tests.browser.conftest import build_store_zips as build
from tests.browser.support.browsers import Chromium, wait_for


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
            assert manifest["permissions"] == ["nativeMessaging", "scripting", "storage"]
            assert len(manifest["description"]) <= 132
            # the servers the user adds: asked per host in the options page, which both zips carry
            assert manifest["optional_host_permissions"] == ["https://*/*"]
            assert manifest["options_ui"] == {"page": "options.html", "open_in_tab": True}
        names = set(chrome.namelist())
        assert {"data.js", "common.js", "background.js", "content.js", "service-worker.js", "options.html",
                "options.js", "icons/icon-128.png"} <= names
        assert {"options.html", "options.js"} <= set(firefox.namelist())
        assert "service-worker.js" not in firefox.namelist()
        for archive in (chrome, firefox):
            for name in archive.namelist():
                assert not name.startswith(("_", ".")) and not name.endswith((".py", ".pem")), name


def test_store_zips_are_reproducible(tmp_path):
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    for store in first:
        assert hashlib.sha256(first[store].read_bytes()).digest() == hashlib.sha256(second[store].read_bytes()).digest()


@pytest.mark.desktop
def test_real_chromium_runs_the_chrome_web_store_zip(tmp_path, desktop):
    """Unpacked as the store unpacks it, the zip's manifest is accepted and its service worker runs."""
    chrome_zip = build(tmp_path / "zips")["chrome"]
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(chrome_zip) as archive:
        archive.extractall(unpacked)
    env = browser_env(desktop, tmp_path / "chromium", "/nonexistent")
    browser = Chromium(tmp_path / "chromium" / "home", env, unpacked, site_port=9)
    try:
        workers = wait_for(lambda: [t for t in browser.targets("service_worker")
                                    if t["url"].endswith("/service-worker.js")], 30, 0.2,
                           "the extension's service worker")
        store_id = workers[0]["url"].split("/")[2]
        assert store_id != ids.CHROMIUM_EXTENSION_ID, "the store zip carries no key: the store assigns the ID"
    finally:
        browser.stop()
