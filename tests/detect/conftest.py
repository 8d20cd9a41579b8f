"""Fixtures for the detection tests: processes started by the test and stopped after it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from tests.detect.world import Processes, close_monitors


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


@pytest.fixture(autouse=True)
def _close_monitors():
    yield
    close_monitors()


@pytest.fixture
def pulse(tmp_path, monkeypatch):
    """A private PulseAudio server with a null microphone ("nullmic") and a null sink."""
    if shutil.which("pulseaudio") is None or shutil.which("parecord") is None:
        pytest.fail("pulseaudio and parecord are needed (run .ci/install --test)")
    runtime = tmp_path / "pulse"
    runtime.mkdir(mode=0o700)
    socket = runtime / "native"
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(runtime), PULSE_SERVER=f"unix:{socket}")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    server = subprocess.Popen([
        "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes", "--use-pid-file=no",
        f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
        "--load=module-null-sink sink_name=nullsink", "--load=module-null-source source_name=nullmic",
    ], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode != 0:
            assert server.poll() is None and time.monotonic() < deadline, "pulseaudio did not start"
            time.sleep(0.1)
        monkeypatch.setenv("PULSE_SERVER", f"unix:{socket}")
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)
