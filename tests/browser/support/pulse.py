"""A private PulseAudio server with a null speaker and a null microphone, for the browsers' sound.

With it a meeting page's tone really plays (so the browser marks the tab as playing sound) and
``getUserMedia`` really records (so Firefox reports the tab as holding the microphone, and the
app's own microphone probe sees the browser recording), as on a desktop, with no sound card.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def pulse_server(folder: Path) -> Iterator[str]:
    """Start PulseAudio; yields the ``PULSE_SERVER`` address clients use."""
    if shutil.which("pulseaudio") is None:
        raise RuntimeError("pulseaudio is needed (run .ci/install --test)")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    socket = folder / "native"
    env = dict(os.environ, XDG_RUNTIME_DIR=str(folder), HOME=str(folder))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    server = subprocess.Popen([
        "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes", "--use-pid-file=no",
        f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
        "--load=module-null-sink sink_name=nullsink", "--load=module-null-source source_name=nullmic",
        "--load=module-always-sink",
    ], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = f"unix:{socket}"
    try:
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env={**env, "PULSE_SERVER": address}, capture_output=True,
                             check=False).returncode != 0:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("pulseaudio did not start")
            time.sleep(0.1)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=10)
