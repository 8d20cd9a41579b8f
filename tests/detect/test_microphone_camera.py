"""Microphone and camera in use, by process: a real PulseAudio server with a recording client,
and a client process holding a video device open."""

import os
import shutil
import subprocess
import time

import pytest

from guard.detect.media.linux_pulse import PulseMicrophone
from guard.detect.media.linux_video import ProcVideoDevices
from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import default_backends
from guard.events import Signal
from tests.detect.world import (
    client_copy,
    collect_until,
    has,
    new_monitor,
    of_kind,
    provider_toml,
    unique,
    write_catalog,
)


@pytest.fixture
def name():
    return unique("zoom")


@pytest.fixture
def catalog(tmp_path, name):
    return write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name]),
    })


def record(processes, tmp_path, name, env, source="nullmic"):
    """The client itself records: parecord copied under the client's name (pacat in record mode)."""
    client = client_copy(tmp_path / "bin", name, shutil.which("parecord"))
    return processes.start([str(client), "--record", "--raw", f"--device={source}"], env=env)


def test_a_client_holding_the_microphone_is_in_a_meeting(tmp_path, processes, pulse, catalog, name):
    monitor = new_monitor(catalog)
    client = record(processes, tmp_path, name, pulse)
    events = collect_until(monitor, has("meeting-started", "zoom"))
    assert of_kind(events, "app-started", "zoom")[0].event.evidence[0].pid == client.pid
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    mic = [e for e in meeting.event.evidence if e.signal == Signal.MICROPHONE]
    assert [e.pid for e in mic] == [client.pid]
    assert "recording from the microphone" in mic[0].detail and name in mic[0].detail

    processes.stop(client)
    events = collect_until(monitor, has("meeting-ended", "zoom"))
    (ended,) = of_kind(events, "meeting-ended", "zoom")
    assert ended.event.started_at == meeting.event.at
    assert of_kind(events, "app-stopped", "zoom"), "the client is gone too"


def test_recording_what_the_speakers_play_is_not_the_microphone(tmp_path, processes, pulse, catalog, name):
    client = record(processes, tmp_path, name, pulse, source="nullsink.monitor")
    probe = PulseMicrophone()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        outputs = subprocess.run(["pactl", "list", "short", "source-outputs"], env=pulse,
                                 capture_output=True, text=True).stdout
        if outputs.strip():
            break
        time.sleep(0.1)
    assert outputs.strip(), "the monitor recording did not start"
    try:
        assert probe.users({client.pid: name}) == []
    finally:
        probe.close()


def test_no_sound_server_makes_the_microphone_probe_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-such-socket'}")
    with pytest.raises(ProbeUnavailable, match="no PulseAudio or PipeWire sound server answered"):
        PulseMicrophone().users({})


def test_missing_pactl_is_reported_by_name():
    with pytest.raises(ProbeUnavailable, match="pactl is not installed"):
        PulseMicrophone(pactl="pactl-that-does-not-exist").users({})


def test_a_client_holding_a_video_device_is_in_a_meeting(tmp_path, processes, catalog, name):
    devices = tmp_path / "dev"
    devices.mkdir()
    device = devices / "video0"
    device.write_bytes(b"")
    backends = default_backends("linux")
    backends.camera = ProcVideoDevices(device_prefix=str(devices / "video"))
    monitor = new_monitor(catalog, probes=backends)
    monitor.tick()
    with open(device, "rb") as handle:
        client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"], pass_fds=(handle.fileno(),))
    events = collect_until(monitor, has("meeting-started", "zoom"))
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    camera = [e for e in meeting.event.evidence if e.signal == Signal.CAMERA]
    assert [e.pid for e in camera] == [client.pid] and str(device) in camera[0].detail


def test_without_video_devices_no_process_is_inspected(tmp_path, processes, name):
    probe = ProcVideoDevices(device_prefix=str(tmp_path / "none" / "video"), proc_root=str(tmp_path / "no-proc"))
    assert not probe.has_devices()
    assert probe.users({os.getpid(): "python"}) == []


def test_no_sound_server_is_said_in_the_windows_language(tmp_path, monkeypatch):
    """The Overview said "Mikrofonprüfung nicht verfügbar: no PulseAudio or PipeWire sound server
    answered (...)" in a German window: the probe's reason is now a sentence the window translates,
    kept through the snapshot the tray app hands the settings window."""
    from guard.detect.probing import ProbeGuard, guarded
    from guard.monitor import Snapshot
    from guard.presentation import i18n
    from guard.presentation.problems import probe_problem
    from guard.snapshot_json import snapshot_from_json, snapshot_to_json

    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-such-socket'}")
    statuses: dict = {}
    assert guarded(ProbeGuard("microphone", "pulse"), True, 5, statuses, lambda: PulseMicrophone().users({})) is None
    sent = Snapshot(None, True, None, (), (), tuple(statuses.values()))
    status = snapshot_from_json(snapshot_to_json(sent)).probes[0]
    assert status.reason.startswith("no PulseAudio or PipeWire sound server answered (")  # logs, CLI: English
    i18n.use_language("de")
    try:
        shown = probe_problem(status.name, status.reason, status.said)
    finally:
        i18n.use_language("en")
    assert shown.startswith("Mikrofonprüfung nicht verfügbar: kein PulseAudio- oder PipeWire-Soundserver hat "
                            "geantwortet ("), shown
