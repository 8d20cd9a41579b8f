"""The real tray app (``meeting-guard``, Qt on its Wayland platform plugin) in a headless sway
session: its StatusNotifierItem in waybar's tray and the item's menu (driven over D-Bus, as
waybar does), a meeting seen through sway's IPC, the notification mako shows, its button
clicked (through a virtual pointer) opening the consent form with the keyboard focus and the
click's xdg-activation token, and the decision typed into it saved."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from guard.detect.windows.session_bus import call, open_session_bus
from guard.paths import app_paths
from tests.detect.world import unique
from tests.support.catalogs import MEETING_TITLE, provider_files
from tests.support.processes import log_contains, start_app, stop, wait_until
from tests.support.wayland import WaylandSession
from tests.wayland.clients import foot, views, wait_for_view

pytestmark = pytest.mark.desktop

# A user past the first start: the welcome window would otherwise open with the app.
SETTINGS = ("[general]\nwelcome_shown = true\n\n[detection]\ninterval_seconds = 0.5\n\n"
            "[terms]\nnetwork_enabled = false\n")
CONSENT_TITLE = "Record my decision — Meeting Privacy Guard"
SETTINGS_TITLE = "Meeting Privacy Guard Settings"
WATCHER = ("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher")
NOTIFICATION_SPOT = (1120, 100)  # mako's first notification: top right, under waybar (tests/support/wayland.py)


@dataclass
class App:
    process: subprocess.Popen
    env: dict[str, str]
    home: Path
    client: str
    bin: Path

    @property
    def log(self) -> Path:
        return self.home / "logs" / "meeting-guard.log"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "guard", *args], env=self.env, capture_output=True, text=True,
                              timeout=120)


@pytest.fixture(scope="module")
def app(sway: WaylandSession, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The tray app, started once for the module in the sway session, with the test providers."""
    root = tmp_path_factory.mktemp("wayland-app")
    home = root / "home"
    env = dict(sway.child_env(), MEETING_GUARD_HOME=str(home))
    paths = app_paths(env).ensure()
    names = dict(client=unique("testmeet"), notetaker=unique("scribe"), plain=unique("plaincall"))
    paths.user_catalog_dir.mkdir(parents=True, exist_ok=True)
    for name, text in provider_files(**names).items():
        (paths.user_catalog_dir / f"{name}.toml").write_text(text, encoding="utf-8")
    paths.settings_file.write_text(SETTINGS, encoding="utf-8")
    process = start_app(env=env)
    app = App(process, env, home, names["client"], root / "bin")
    try:
        assert wait_until(lambda: log_contains(app.log, "Tray icon shown"), timeout=60), _ended(process)
        yield app
    finally:
        assert stop(process) == 0, _ended(process)


def _ended(process: subprocess.Popen) -> str:
    return process.stderr.read() if process.poll() is not None and process.stderr else "(still running)"


def test_the_tray_icon_is_a_status_notifier_item_registered_with_waybar(app, sway):
    assert re.search(r"Tray icon shown \(.*status notifier item\)", app.log.read_text())
    conn = open_session_bus(sway.env)
    try:
        item = _item_of(conn, app.process.pid)
        assert item is not None, "no StatusNotifierItem of the app is registered with waybar's watcher"
        service, path = item
        (status,) = call(conn, service, path, "org.freedesktop.DBus.Properties", "Get", "ss",
                         ("org.kde.StatusNotifierItem", "Status"))
        assert status[1] in ("Active", "Passive", "NeedsAttention")
    finally:
        conn.close()
    assert "No system tray" not in app.log.read_text()


def test_the_tray_menu_works_over_dbusmenu_and_opens_the_settings_window(app, sway):
    conn = open_session_bus(sway.env)
    try:
        service, path = _item_of(conn, app.process.pid) or ("", "")
        (menu,) = call(conn, service, path, "org.freedesktop.DBus.Properties", "Get", "ss",
                       ("org.kde.StatusNotifierItem", "Menu"))
        menu_path = menu[1]
        call(conn, service, menu_path, "com.canonical.dbusmenu", "AboutToShow", "i", (0,))
        _revision, layout = call(conn, service, menu_path, "com.canonical.dbusmenu", "GetLayout", "iias",
                                 (0, -1, []))
        labels = dict(_labels(layout))
        assert "Record my decision…" in labels and "Quit" in labels, labels
        call(conn, service, menu_path, "com.canonical.dbusmenu", "Event", "isvu",
             (labels["Open settings"], "clicked", ("i", 0), 0))
    finally:
        conn.close()
    view = wait_for_view(sway, SETTINGS_TITLE, context=lambda: app.log.read_text()[-3000:])
    assert psutil.Process(view["pid"]).ppid() == app.process.pid  # the window runs in the app's child process
    sway.swaymsg(f"[con_id={view['id']}]", "kill")  # close it, as its close button would
    assert wait_until(lambda: all(v.get("name") != SETTINGS_TITLE for v in views(sway)), timeout=20)


def test_a_meeting_notifies_and_its_button_opens_the_consent_form_which_saves_a_decision(app, sway, processes):
    client = foot(processes, sway, MEETING_TITLE, name=app.client, folder=app.bin)
    summary = f"TestMeet meeting detected: {MEETING_TITLE}"
    shown: list[dict] = []
    assert wait_until(lambda: bool(shown.extend(n for n in sway.notifications() if n["summary"] == summary) or shown),
                      timeout=60), sway.notifications()
    notification = shown[0]
    assert notification["actions"].get("open") == "Record my decision…"
    assert "Helper AI" in notification["body"]

    # A click on it, as a user's: mako asks sway for an activation token with the click's serial
    # and hands it over with the action; the app gives it to the window the click opens.
    sway.dismiss_notifications(keep=notification["id"])  # others (clients other tests run) out of the way
    sway.click(*NOTIFICATION_SPOT)
    assert wait_until(lambda: re.search(r"Notification \d+ clicked \(default\) with an activation token",
                                        app.log.read_text()), timeout=30), app.log.read_text()[-2000:]
    view = wait_for_view(sway, CONSENT_TITLE)
    assert view["pid"] == app.process.pid
    assert wait_until(lambda: sway.focused_title() == CONSENT_TITLE, timeout=20), sway.focused_title()

    sway.type_keys("-M", "alt", "r", "-m", "alt", "-s", "300",  # "I &refused"
                   "-M", "alt", "s", "-m", "alt")  # "&Save decision"
    records: list[dict] = []

    def saved() -> bool:
        result = app.cli("consent", "list", "--json")
        listed = json.loads(result.stdout) if result.returncode == 0 and result.stdout.strip() else {}
        records[:] = listed.get("records", [])
        return bool(records)

    assert wait_until(saved, timeout=30), app.log.read_text()[-3000:]
    (record,) = [r for r in records if r["provider_id"] == "testmeet"]
    assert record["decision"] == "refused"
    assert record["meeting"]["title"] == MEETING_TITLE
    assert any(str(client.pid) in e["detail"] for e in record["evidence"]), record["evidence"]
    assert wait_until(lambda: all(v.get("name") != CONSENT_TITLE for v in views(sway)), timeout=20)


def _item_of(conn: Any, pid: int) -> tuple[str, str] | None:
    """(bus name, object path) of the StatusNotifierItem that process ``pid`` registered."""
    (items,) = call(conn, WATCHER[0], WATCHER[1], "org.freedesktop.DBus.Properties", "Get", "ss",
                    (WATCHER[2], "RegisteredStatusNotifierItems"))
    for item in items[1]:
        service, _, path = item.partition("/")
        (owner,) = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                        "GetConnectionUnixProcessID", "s", (service,))
        if owner == pid:
            return service, "/" + (path or "StatusNotifierItem")
    return None


def _labels(node: Any) -> Iterator[tuple[str, int]]:
    """(label without its mnemonic, item id) for every item of a dbusmenu layout."""
    item_id, properties, children = node
    label = properties.get("label")
    if label is not None:
        yield label[1].replace("_", ""), item_id
    for child in children:
        yield from _labels(child[1])
