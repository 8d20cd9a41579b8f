"""``meeting-guard scan`` and ``meeting-guard watch`` as real processes."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.detect.world import (
    client_copy,
    provider_toml,
    script_client,
    unique,
    write_catalog,
)


def catalog_dir(tmp_path, name):
    folder = tmp_path / "catalog"
    write_catalog(folder, {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name],
                              url_patterns=[r"^zoommtg://([a-z0-9-]+\.)?zoom\.us/join\?"]),
    })
    return folder


def test_scan_json_lists_clients_meetings_evidence_and_probes(cli, tmp_path, processes):
    name = unique("zoom")
    folder = catalog_dir(tmp_path, name)
    client = processes.start([str(script_client(tmp_path / "bin", name)),
                              "--url=zoommtg://zoom.us/join?action=join&confno=81234567890"])
    time.sleep(0.3)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    result = cli("scan", "--json", "--catalog", str(folder), env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (app,) = report["apps"]
    assert app["provider_id"] == "zoom" and app["evidence"][0]["pid"] == client.pid
    (meeting,) = report["meetings"]
    assert meeting["url"].startswith("zoommtg://zoom.us/join") and meeting["evidence"][0]["signal"] == "command-line"
    probes = {p["name"]: p for p in report["probes"]}
    assert probes["windows"]["state"] == "unavailable" and "DISPLAY" in probes["windows"]["reason"]
    assert [e["event"] for e in report["events"]] == ["app-started", "meeting-started"]


def test_scan_prints_a_readable_report(cli, tmp_path, processes):
    name = unique("zoom")
    folder = catalog_dir(tmp_path, name)
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    time.sleep(0.3)
    result = cli("scan", "--catalog", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Meeting clients running:" in result.stdout and "Zoom Workplace" in result.stdout
    assert f"process: {name} is running (pid {client.pid})" in result.stdout
    assert "Meetings in progress:\n  none" in result.stdout


def test_scan_reads_the_microphone_once_and_starts_no_subscriber(cli, tmp_path, processes, pulse, monkeypatch):
    """One pass reads who records (``pactl list``) and leaves no ``pactl subscribe`` behind, which
    only pays off over a ``watch``'s many ticks (and costs a scan a process start and stop)."""
    name = unique("zoom")
    folder = catalog_dir(tmp_path, name)
    client = client_copy(tmp_path / "bin", name, shutil.which("parecord"))
    recorder = processes.start([str(client), "--record", "--raw", "--device=nullmic"], env=pulse)
    calls = tmp_path / "pactl-calls"
    wrapper = tmp_path / "wrap" / "pactl"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {shutil.which("pactl")} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    deadline = time.monotonic() + 15
    while not subprocess.run(["pactl", "list", "short", "source-outputs"], env=pulse, capture_output=True,
                             text=True).stdout.strip():
        assert time.monotonic() < deadline, "parecord did not start recording"
        time.sleep(0.1)
    result = cli("scan", "--json", "--catalog", str(folder))
    assert result.returncode == 0, result.stderr
    (meeting,) = json.loads(result.stdout)["meetings"]
    assert [(e["signal"], e["pid"]) for e in meeting["evidence"] if e["signal"] == "microphone"] == \
        [("microphone", recorder.pid)]
    said = calls.read_text().splitlines()
    assert "-f json list source-outputs" in said and not [line for line in said if "subscribe" in line], said


def test_scan_with_a_missing_catalog_folder_is_a_usage_error(cli, tmp_path):
    result = cli("scan", "--catalog", str(tmp_path / "nope"))
    assert result.returncode == 2 and "nope" in result.stderr


def watch(folder, *extra, sigint_ignored=False):
    """``meeting-guard watch`` as a real process; ``sigint_ignored``: started with SIGINT ignored,
    as a background job of a script or a CI runner is (``trap "" INT`` survives ``exec``)."""
    command = [sys.executable, "-m", "guard", "watch", "--json", "--interval", "0.3", "--catalog", str(folder), *extra]
    if sigint_ignored:
        command = ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *command]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def read_event(process, kind, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        event = json.loads(line)
        if event["event"] == kind:
            return event
    stderr = process.stderr.read() if process.poll() is not None else ""
    raise AssertionError(f"no {kind} event from watch; stderr: {stderr}")


def test_watch_prints_events_as_json_lines_and_exits_0_on_sigterm(tmp_path, processes):
    name = unique("zoom")
    folder = catalog_dir(tmp_path, name)
    watcher = watch(folder)
    try:
        assert "watching every 0.3 s" in watcher.stderr.readline()
        client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
        started = read_event(watcher, "app-started")
        assert started["provider"]["id"] == "zoom" and started["evidence"][0]["pid"] == client.pid
        processes.stop(client)
        stopped = read_event(watcher, "app-stopped")
        assert stopped["session_id"] == started["session_id"]
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=10) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
        watcher.communicate()


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["default", "inherited-ignored"])
def test_watch_exits_0_on_sigint(tmp_path, sigint_ignored):
    watcher = watch(catalog_dir(tmp_path, unique("zoom")), sigint_ignored=sigint_ignored)
    try:
        assert "watching every 0.3 s" in watcher.stderr.readline()  # signal handlers are in place
        watcher.send_signal(signal.SIGINT)
        assert watcher.wait(timeout=10) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
        watcher.communicate()


def test_watch_rejects_a_silly_interval(cli, tmp_path):
    result = cli("watch", "--interval", "0", "--catalog", str(catalog_dir(tmp_path, unique("zoom"))))
    assert result.returncode == 2 and "--interval" in result.stderr
