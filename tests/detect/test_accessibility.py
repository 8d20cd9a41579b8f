"""The AT-SPI probe, for real: a Qt Widgets app (tests/detect/a11y_client.py, run under a process
name the test catalog lists as a meeting client, with Qt's accessibility forced on as a user would)
shows a meeting window, then a "Recording has started." alert and a note-taker bot in its
participant list; the probe reads them over the test desktop's real accessibility bus
(at-spi-bus-launcher, at-spi2-registryd) and the monitor turns them into AiFeatureNoticed and
NotetakerSeen. Another Qt app showing the same words, not a client, is never read.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest

from guard.catalog import load_catalog
from guard.detect.accessibility import ClientInMeeting, Limits, Unavailable
from guard.detect.accessibility.atspi import AtSpiReader
from guard.detect.matching import DetectionRules
from guard.detect.observation import ProbeState, ProbeUnavailable
from guard.detect.platform import default_backends
from guard.events import Signal
from guard.settings import Settings
from tests.detect.a11y_world import BOT_PROVIDER, FEATURE, TITLE, QtClient, qt_env
from tests.detect.world import Processes, collect_until, new_monitor, of_kind, provider_toml, unique, write_catalog

pytestmark = pytest.mark.desktop

NOTICE = "Recording has started."
BOT = "Fireflies.ai Notetaker (Ann)"
@pytest.fixture(scope="module")
def world(tmp_path_factory, desktop):
    """The test catalog (a client named like no other process, with the notice; a note-taker bot)
    and the running Qt client, shared by the module's tests."""
    root = tmp_path_factory.mktemp("a11y")
    name = unique("mpga11y")
    catalog = write_catalog(root / "catalog", {
        "a11ytest": provider_toml("a11ytest", "A11y Test", processes=[name],
                                  meeting_window_titles=[f"^{TITLE}$"], extra=FEATURE),
        "a11ybot": BOT_PROVIDER,
    })
    processes = Processes()
    try:
        client = QtClient(processes, root / "client", name, qt_env(desktop))
        bystander = QtClient(processes, root / "bystander", unique("mpgother"), qt_env(desktop), title="Notes")
        yield catalog, client, bystander, processes, root
    finally:
        processes.stop_all()


def _settings(on: bool) -> Settings:
    settings = Settings()
    settings.detection.accessibility_probe = on
    settings.detection.microphone_probe = False  # no PulseAudio in this module: only windows and accessibility
    settings.detection.camera_probe = False
    return settings


def test_a_notice_and_a_bot_shown_in_a_native_client_become_in_meeting_events(world):
    catalog, client, bystander, _processes, _root = world
    monitor = new_monitor(catalog, _settings(True))
    events = collect_until(monitor, lambda found: bool(of_kind(found, "meeting-started", "a11ytest")))
    assert of_kind(events, "meeting-started", "a11ytest"), "the client's meeting window was not seen"
    before = collect_until(monitor, lambda found: False, timeout=3)  # the tree read before anything is shown
    assert not of_kind(before, "ai-feature-noticed") and not of_kind(before, "notetaker-seen")
    probes = {status.name: status for status in monitor.snapshot().probes}
    assert probes["accessibility"].state == ProbeState.OK, probes["accessibility"]
    meeting_id = monitor.snapshot().meetings[0].id

    bystander.send(f"notice {NOTICE}")  # the same words in an app that is no meeting client: never read
    bystander.send(f"participant {BOT}")
    client.send(f"notice {NOTICE}")
    client.send(f"participant {BOT}")
    events = collect_until(monitor, lambda found: bool(of_kind(found, "ai-feature-noticed"))
                           and bool(of_kind(found, "notetaker-seen")), timeout=30)

    noticed = of_kind(events, "ai-feature-noticed", "a11ytest")
    assert len(noticed) == 1, events
    assert noticed[0].event.feature_id == "recording"
    assert NOTICE in noticed[0].event.notice
    assert all(e.pid == client.pid for e in noticed[0].event.evidence)
    bots = of_kind(events, "notetaker-seen", "a11ybot")
    assert len(bots) == 1, events
    assert bots[0].event.where == "in-meeting" and bots[0].event.participant == BOT
    assert noticed[0].event.meeting_id == bots[0].event.meeting_id == meeting_id


def test_the_reader_reads_only_the_clients_it_is_given_and_hands_back_only_matches(world, desktop):
    catalog, _client, bystander, processes, root = world
    quiet = QtClient(processes, root / "quiet", unique("mpgquiet"), qt_env(desktop))
    bystander.send(f"notice {NOTICE}")  # the words are on screen, in an app that is not the client
    bystander.send(f"participant {BOT}")
    rules = DetectionRules.from_catalog(catalog, "linux")
    reader = AtSpiReader()
    given = (ClientInMeeting(quiet.pid, "quiet", ("a11ytest",), "42"),)
    at = datetime.now(UTC)
    try:
        seen = _read_until(reader, given, rules, at, lambda: reader.work.nodes > 0)
        assert reader.work.nodes > 5, "the client's tree was not read"
        assert seen == []  # the bystander's alert and bot were not looked at

        quiet.send(f"notice {NOTICE}")
        quiet.send(f"participant {BOT}")
        seen = _read_until(reader, given, rules, at, lambda: reader.work.matched >= 2)
        assert sorted(o.signal for o in seen) == sorted([Signal.AI_NOTICE, Signal.PARTICIPANT])
        assert all(o.pid == quiet.pid and o.window == "42" for o in seen)
        notice = next(o for o in seen if o.signal == Signal.AI_NOTICE)
        assert (notice.provider_id, notice.feature_id, notice.notice) == ("a11ytest", "recording", NOTICE)
        bot = next(o for o in seen if o.signal == Signal.PARTICIPANT)
        assert (bot.provider_id, bot.participant) == ("a11ybot", BOT)
        # none of the client's other texts ("Alice Example", "In the meeting") comes back
        assert not any("Alice" in o.detail or "In the meeting" in o.detail for o in seen)
        assert reader.observations((), rules, at) == [] and reader.work.calls == 0  # nobody in a meeting
    finally:
        reader.close()


def _read_until(reader: AtSpiReader, given, rules, at, done) -> list:
    seen: list = []
    for _ in range(40):  # the registry may list a new app a moment late
        seen = reader.observations(given, rules, at)
        if done():
            break
        time.sleep(0.25)
    return seen


def test_the_probe_is_off_unless_the_setting_enables_it(world):
    catalog, client, _bystander, _processes, _root = world
    monitor = new_monitor(catalog, _settings(False))
    events = collect_until(monitor, lambda found: bool(of_kind(found, "meeting-started", "a11ytest")))
    assert of_kind(events, "meeting-started", "a11ytest")
    events += collect_until(monitor, lambda found: False, timeout=3)
    assert not of_kind(events, "ai-feature-noticed") and not of_kind(events, "notetaker-seen")
    assert Settings().detection.accessibility_probe is False


def test_a_hostile_tree_costs_a_bounded_amount_of_work_per_tick(world, desktop):
    catalog, _client, _bystander, processes, root = world
    hostile = QtClient(processes, root / "hostile", unique("mpghostile"), qt_env(desktop))
    hostile.send("hostile 10000 100000")  # 10,000 participants, ten of them 100 kB long, and a 100 kB label
    rules = DetectionRules.from_catalog(catalog, "linux")
    limits = Limits()
    reader = AtSpiReader(limits=limits)
    target = (ClientInMeeting(hostile.pid, "hostile", ("a11ytest",)),)
    try:
        at = datetime.now(UTC)
        works = []
        for _ in range(40):
            reader.observations(target, rules, at)
            works.append(reader.work)
            if sum(w.passes_completed for w in works) >= 1 and works[-1].nodes:
                break
            if not works[-1].calls or works[-1].calls < 3:
                time.sleep(0.3)  # not registered yet
        busy = [w for w in works if w.nodes]
        assert busy, "the hostile client's tree was never read"
        for work in busy:
            assert work.calls <= limits.calls_per_tick
            assert work.characters <= work.nodes * limits.max_text
        assert sum(w.passes_completed for w in works) >= 1, "a pass over a 10,000-item list never ended"
        assert sum(w.nodes for w in works) <= limits.nodes_per_pass + limits.calls_per_tick

        hostile.send(f"notice {NOTICE}")  # a new dialog is still found, within a pass
        for _ in range(20):
            seen = reader.observations(target, rules, at)
            if any(o.signal == Signal.AI_NOTICE for o in seen):
                break
        assert any(o.signal == Signal.AI_NOTICE for o in seen)
    finally:
        reader.close()


def test_a_bot_far_down_a_long_participant_list_is_found_a_window_per_pass(world, desktop):
    catalog, _client, _bystander, processes, root = world
    crowded = QtClient(processes, root / "crowded", unique("mpgcrowd"), qt_env(desktop))
    crowded.send("hostile 350 10")  # 350 participants, then the bot as the 353rd
    crowded.send(f"participant {BOT}")
    rules = DetectionRules.from_catalog(catalog, "linux")
    reader = AtSpiReader(limits=Limits(max_children=100))
    given = (ClientInMeeting(crowded.pid, "crowded", ("a11ytest",)),)
    at = datetime.now(UTC)
    try:
        passes, seen = 0, []
        for _ in range(200):
            seen = reader.observations(given, rules, at)
            passes += reader.work.passes_completed
            if any(o.signal == Signal.PARTICIPANT for o in seen):
                break
            if not reader.work.nodes:
                time.sleep(0.25)  # not registered yet
        assert [o.participant for o in seen if o.signal == Signal.PARTICIPANT] == [BOT]
        assert passes >= 3, "the bot cannot have been read in the first window of 100 participants"
    finally:
        reader.close()


def test_without_a_session_bus_the_reader_says_why():
    reader = AtSpiReader(environ={})
    with pytest.raises(ProbeUnavailable, match="DBUS_SESSION_BUS_ADDRESS"):
        reader.observations((ClientInMeeting(os.getpid(), "x", ("a",)),), DetectionRules.from_catalog(
            load_catalog(), "linux"), datetime.now(UTC))


@pytest.mark.parametrize("os_name, api", [("windows", "UI Automation"), ("macos", "AX")])
def test_windows_and_macos_say_their_reader_is_not_built(os_name, api):
    reader = default_backends(os_name).accessibility
    assert isinstance(reader, Unavailable)
    with pytest.raises(ProbeUnavailable, match=api):
        reader.observations((), DetectionRules.from_catalog(load_catalog(), os_name), datetime.now(UTC))


PAGE = """<!doctype html><title>Meet | Weekly sync | Microsoft Teams</title>
<ul aria-label="Participants"><li>Alice Example</li><li>Fireflies.ai Notetaker (Ann)</li></ul>
<div role="alert">Recording has started.</div>"""


def test_a_chromium_based_client_is_read_the_same_way(world, tmp_path, processes, desktop):
    """Electron clients (Slack, teams-for-linux) are Chromium: started with ACCESSIBILITY_ENABLED=1
    (this session's a11y bus says IsEnabled=false, and Chromium then stays off the bus) and
    --force-renderer-accessibility, their page is on the AT-SPI bus too, the words in unnamed list
    items' text children."""
    catalog, _client, _bystander, _processes, _root = world
    page = tmp_path / "meeting.html"
    page.write_text(PAGE, encoding="utf-8")
    flags = ["--headless=new", "--force-renderer-accessibility", "--no-first-run", "--disable-gpu",
             f"--user-data-dir={tmp_path / 'profile'}"]
    if os.geteuid() == 0:
        flags.insert(0, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    env = dict(desktop.child_env(), ACCESSIBILITY_ENABLED="1")
    browser = processes.start(["chromium", *flags, page.as_uri()], env=env)
    rules = DetectionRules.from_catalog(catalog, "linux")
    reader = AtSpiReader()
    given = (ClientInMeeting(browser.pid, "chromium", ("a11ytest",)),)
    at = datetime.now(UTC)
    try:
        seen: list = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seen += reader.observations(given, rules, at)
            if {o.signal for o in seen} >= {Signal.AI_NOTICE, Signal.PARTICIPANT}:
                break
            if not reader.work.nodes:
                time.sleep(0.25)  # not registered yet
        assert {(o.signal, o.notice or o.participant) for o in seen} >= {
            (Signal.AI_NOTICE, NOTICE), (Signal.PARTICIPANT, BOT)}
        assert reader.work.calls <= reader.limits.calls_per_tick
    finally:
        reader.close()
