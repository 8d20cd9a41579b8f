"""A probe that cannot look, or breaks, never stops detection; probes run only when there is something to look at."""

import logging

from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import default_backends
from guard.settings import Settings
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


class CountingMicrophone:
    """A microphone backend that records each call and answers as told (raise or return)."""

    name = "counting"

    def __init__(self, answer):
        self.answer = answer
        self.calls = 0

    def users(self, candidates):
        self.calls += 1
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


def setup(tmp_path, microphone):
    name = unique("zoom")
    catalog = write_catalog(tmp_path / "catalog", {"zoom": provider_toml("zoom", "Zoom", processes=[name])})
    backends = default_backends("linux")
    backends.microphone = microphone
    return name, new_monitor(catalog, Settings(), probes=backends)


def test_a_probe_that_raises_is_logged_marked_unavailable_and_detection_goes_on(tmp_path, processes, caplog):
    microphone = CountingMicrophone(RuntimeError("driver exploded"))
    name, monitor = setup(tmp_path, microphone)
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    with caplog.at_level(logging.DEBUG, logger="guard.detect.probing"):
        events = collect_until(monitor, has("app-started", "zoom"))
        for _ in range(3):
            monitor.tick()
    assert of_kind(events, "app-started", "zoom")[0].event.evidence[0].pid == client.pid
    (status,) = [p for p in monitor.snapshot().probes if p.name == "microphone"]
    assert str(status.state) == "unavailable" and "RuntimeError: driver exploded" in status.reason
    assert sum("driver exploded" in r.getMessage() or "probe (counting) failed" in r.getMessage()
               for r in caplog.records if r.levelno >= logging.ERROR) == 1, "logged once, not every tick"
    assert microphone.calls == 1, "retried only after a pause"


def test_an_unavailable_probe_is_retried_after_the_pause(tmp_path, processes):
    microphone = CountingMicrophone(ProbeUnavailable("no sound server"))
    name, monitor = setup(tmp_path, microphone)
    monitor._detector.retry_ticks = 2
    processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    collect_until(monitor, has("app-started", "zoom"))
    calls = microphone.calls
    for _ in range(3):
        monitor.tick()
    assert microphone.calls == calls + 1
    (status,) = [p for p in monitor.snapshot().probes if p.name == "microphone"]
    assert status.reason == "no sound server"


def test_expensive_probes_stay_idle_while_no_client_or_browser_runs(tmp_path):
    microphone = CountingMicrophone([])
    _name, monitor = setup(tmp_path, microphone)
    monitor._detector.rules.browsers = frozenset()  # a browser someone left running must not count here
    for _ in range(3):
        monitor.tick()
    assert microphone.calls == 0
    states = {p.name: str(p.state) for p in monitor.snapshot().probes}
    assert states == {"processes": "ok", "windows": "idle", "microphone": "idle", "camera": "idle", "sockets": "idle",
                      "browser": "ok",  # the extension's tab files: one folder listing
                      "accessibility": "off"}  # off unless the setting enables it
