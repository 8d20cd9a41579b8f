"""The Monitor: events enriched from the catalog, snapshot, pause and resume, settings."""

from datetime import datetime, timedelta, UTC

import pytest

from guard.settings import DetectionSettings, Settings
from tests.detect.world import (
    Processes, client_copy, close_monitors, collect_until, has, new_monitor, of_kind, provider_toml, unique,
    write_catalog,
)

AI = """
[[ai_features]]
id = "ai-companion"
name = "AI Companion meeting summary"
description = "Summarises the meeting for the host."
enabled_by = ["host", "account-admin"]
participant_notice = "A sparkle icon and a banner."
participant_options = ["leave"]
trains_models = "no"
sources = [{ url = "https://example.org/ai", checked = 2026-01-10 }]

[[documents]]
id = "tos"
type = "terms-of-service"
title = "Terms of Service"
url = "https://example.org/terms"
checked = 2026-01-10

[[clauses]]
id = "old-licence"
document = "tos"
topic = "content-licence"
quote = "Old wording."
effective_from = 2023-03-01
effective_to = 2023-08-07
source = "https://example.org/terms"
checked = 2026-01-10

[[clauses]]
id = "no-training"
document = "tos"
topic = "ai-training"
quote = "We do not use your content to train AI models."
effective_from = 2023-08-07
source = "https://example.org/terms"
checked = 2026-01-10

[[clauses]]
id = "future"
document = "tos"
topic = "ai-training"
quote = "Future wording."
effective_from = 2031-01-01
source = "https://example.org/terms"
checked = 2026-01-10
"""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()
    close_monitors()


@pytest.fixture
def name():
    return unique("zoom")


@pytest.fixture
def catalog(tmp_path, name):
    return write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name], extra=AI),
    })


@pytest.fixture
def clock():
    return Clock(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))


def start_client(processes, tmp_path, name):
    return processes.start([str(client_copy(tmp_path / "bin", name)), "300"])


def test_events_carry_the_provider_its_ai_features_and_the_clauses_in_force_that_day(
        tmp_path, processes, catalog, clock, name):
    monitor = new_monitor(catalog, Settings(), clock=clock)
    client = start_client(processes, tmp_path, name)
    (event,) = of_kind(collect_until(monitor, has("app-started", "zoom")), "app-started", "zoom")
    assert event.provider.id == "zoom"
    assert [f.id for f in event.ai_features] == ["ai-companion"]
    assert [c.id for c in event.clauses] == ["no-training"]
    assert event.event.at == clock.now
    data = event.to_dict()
    assert data["event"] == "app-started" and data["provider"]["name"] == "Zoom Workplace"
    assert data["evidence"][0]["pid"] == client.pid
    assert [c["id"] for c in data["clauses_in_force"]] == ["no-training"]
    assert data["ai_features"][0]["sources"][0]["url"] == "https://example.org/ai"


def test_snapshot_lists_running_apps_with_evidence_and_every_probe(tmp_path, processes, catalog, name):
    monitor = new_monitor(catalog, Settings())
    assert monitor.snapshot().apps == () and monitor.snapshot().at is None
    client = start_client(processes, tmp_path, name)
    collect_until(monitor, has("app-started", "zoom"))
    snapshot = monitor.snapshot()
    (app,) = snapshot.apps
    assert app.provider_id == "zoom" and app.evidence[0].pid == client.pid
    assert [p.name for p in snapshot.probes] == ["processes", "windows", "microphone", "camera", "sockets", "browser",
                                                  "accessibility"]
    assert snapshot.to_dict()["apps"][0]["evidence"][0]["signal"] == "process"


def test_paused_monitor_sees_nothing_until_the_pause_ends(tmp_path, processes, catalog, clock, name):
    monitor = new_monitor(catalog, Settings(), clock=clock)
    until = clock.now + timedelta(minutes=30)
    monitor.pause(until)
    assert monitor.paused_until == until
    start_client(processes, tmp_path, name)
    assert collect_until(monitor, lambda _events: False, timeout=1.0) == []
    assert monitor.snapshot().paused_until == until
    clock.now = until + timedelta(seconds=1)
    assert monitor.paused_until is None
    assert of_kind(collect_until(monitor, has("app-started", "zoom")), "app-started", "zoom")


def test_pause_without_an_end_lasts_until_resume(tmp_path, processes, catalog, clock, name):
    monitor = new_monitor(catalog, Settings(), clock=clock)
    monitor.pause()
    clock.now += timedelta(days=365)
    assert monitor.paused_until is not None
    start_client(processes, tmp_path, name)
    assert monitor.tick() == []
    monitor.resume()
    assert monitor.paused_until is None
    assert of_kind(collect_until(monitor, has("app-started", "zoom")), "app-started", "zoom")


def test_detection_switched_off_in_the_settings_does_nothing_until_switched_on(tmp_path, processes, catalog, name):
    settings = Settings(detection=DetectionSettings(enabled=False, interval_seconds=5.0))
    monitor = new_monitor(catalog, settings)
    assert monitor.interval_seconds == 5.0
    start_client(processes, tmp_path, name)
    assert collect_until(monitor, lambda _events: False, timeout=0.6) == []
    monitor.update_settings(Settings())
    assert monitor.interval_seconds == 2.0
    assert of_kind(collect_until(monitor, has("app-started", "zoom")), "app-started", "zoom")


def test_probes_switched_off_in_the_settings_are_reported_off(tmp_path, processes, catalog, name):
    settings = Settings(detection=DetectionSettings(window_probe=False, microphone_probe=False))
    monitor = new_monitor(catalog, settings)
    start_client(processes, tmp_path, name)
    collect_until(monitor, has("app-started", "zoom"))
    states = {p.name: (str(p.state), p.reason) for p in monitor.snapshot().probes}
    assert states["windows"] == ("off", "switched off in the settings")
    assert states["microphone"] == ("off", "switched off in the settings")


def test_process_probe_off_reports_no_apps(tmp_path, processes, catalog, name):
    monitor = new_monitor(catalog, Settings(detection=DetectionSettings(process_probe=False)))
    start_client(processes, tmp_path, name)
    assert collect_until(monitor, lambda _events: False, timeout=0.6) == []
    assert {p.name: str(p.state) for p in monitor.snapshot().probes}["processes"] == "off"


def test_a_meeting_that_ended_is_kept_in_the_snapshot_as_lately_ended(tmp_path, processes, name):
    """The tray and the consent form offer a meeting that just ended ("Earlier call"): the monitor
    keeps each meeting its pass saw end (the meeting's event classes load with its first event)."""
    meeting = unique("zoommeet")
    catalog = write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name], meeting_processes=[meeting]),
    })
    monitor = new_monitor(catalog, Settings())
    start_client(processes, tmp_path, name)
    call = processes.start([str(client_copy(tmp_path / "bin", meeting)), "300"])
    (started,) = of_kind(collect_until(monitor, has("meeting-started", "zoom")), "meeting-started", "zoom")
    assert monitor.snapshot().ended == ()
    call.kill()
    call.wait()
    (ended,) = of_kind(collect_until(monitor, has("meeting-ended", "zoom")), "meeting-ended", "zoom")
    (kept,) = monitor.snapshot().ended
    assert kept.id == started.event.meeting.id == ended.event.meeting.id and kept.ended_at is not None
