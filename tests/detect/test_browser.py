"""Web meetings: a real Chromium started offline with a meeting link, and browser windows titled like meetings."""

import random
import shutil
import string

import pytest

from guard.events import Signal
from tests.detect.world import (
    client_copy,
    collect_until,
    has,
    new_monitor,
    of_kind,
    provider_toml,
    write_catalog,
    x11_window,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# A meeting code no other test run on this machine uses: other suites run browsers with Meet links too.
CODE = "-".join("".join(random.choice(string.ascii_lowercase) for _ in range(n)) for n in (3, 4, 3))
MEET_URL = f"https://meet.google.com/{CODE}"


@pytest.fixture
def catalog(tmp_path):
    return write_catalog(tmp_path / "catalog", {
        "google-meet": provider_toml("google-meet", "Google Meet", "browser-meeting",
                                     url_patterns=[rf"^https://meet\.google\.com/{CODE}(\?|$)"],
                                     web_titles=[rf"^Meet - {CODE}\b"]),
        "whereby": provider_toml("whereby", "Whereby", "browser-meeting", url_patterns=[r"^https://whereby\.com/[a-z0-9-]+"]),
    })


def _processes_named(name: str) -> list[tuple[int, int, str]]:
    """For failure messages: (pid, ppid, command line) of processes named ``name``."""
    import psutil

    found = []
    for proc in psutil.process_iter(["name", "ppid", "cmdline"]):
        if proc.info["name"] == name:
            found.append((proc.pid, proc.info["ppid"], " ".join(proc.info["cmdline"] or ())[:300]))
    return found


@pytest.mark.desktop
def test_chromium_started_with_a_meet_link_is_a_meeting(tmp_path, processes, catalog, desktop):
    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is not installed (run .ci/install --test)")
    monitor = new_monitor(catalog)
    assert of_kind(monitor.tick(), "meeting-started", "google-meet") == []
    chromium = processes.start([
        CHROMIUM, "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--app={MEET_URL}",
    ], env=desktop.child_env())
    events = collect_until(monitor, has("meeting-started", "google-meet"), timeout=30, interval=0.5)
    started = of_kind(events, "meeting-started", "google-meet")
    assert len(started) == 1, (events, monitor.snapshot(), _processes_named("chromium"))
    (meeting,) = started
    command_lines = [e for e in meeting.event.evidence if e.signal == Signal.COMMAND_LINE]
    assert [e.pid for e in command_lines] == [chromium.pid], "the browser's main process, started by the test"
    assert MEET_URL in command_lines[0].detail and "chromium" in command_lines[0].detail
    assert meeting.event.meeting_url == MEET_URL
    assert of_kind(events, "app-started") == [], "a browser is not a meeting client"
    assert [m.provider_id for m in monitor.snapshot().meetings] == ["google-meet"]

    processes.stop(chromium)
    events = collect_until(monitor, has("meeting-ended", "google-meet"), timeout=30)
    ended_events = of_kind(events, "meeting-ended", "google-meet")
    assert len(ended_events) == 1, (events, monitor.snapshot(), _processes_named("chromium"))
    (ended,) = ended_events
    assert ended.event.started_at == meeting.event.at


@pytest.mark.desktop
def test_a_browser_window_titled_like_a_meeting_is_a_meeting(tmp_path, processes, catalog, desktop):
    browser = processes.start([str(client_copy(tmp_path / "bin", "firefox")), "300"])
    monitor = new_monitor(catalog)
    monitor.tick()
    x11_window(processes, f"Meet \u2013 {CODE} \u2014 Mozilla Firefox", browser.pid, env=desktop.child_env(),
               ready_file=tmp_path / "mapped")
    events = collect_until(monitor, has("meeting-started", "google-meet"))
    (meeting,) = of_kind(events, "meeting-started", "google-meet")
    (evidence,) = meeting.event.evidence
    assert evidence.signal == Signal.WINDOW_TITLE and evidence.pid == browser.pid
    assert meeting.event.meeting_title == f"Meet - {CODE} - Mozilla Firefox", "normalised: dashes made plain"


@pytest.mark.desktop
def test_a_browser_window_on_another_site_is_no_meeting(tmp_path, processes, catalog, desktop):
    browser = processes.start([str(client_copy(tmp_path / "bin", "firefox")), "300"])
    x11_window(processes, "Google Meet - Online video calls - Mozilla Firefox", browser.pid,
               env=desktop.child_env(), ready_file=tmp_path / "mapped")
    monitor = new_monitor(catalog)
    events = collect_until(monitor, lambda _events: False, timeout=1.5)
    assert of_kind(events, "meeting-started") == []
    assert {p.name: str(p.state) for p in monitor.snapshot().probes}["windows"] == "ok"
