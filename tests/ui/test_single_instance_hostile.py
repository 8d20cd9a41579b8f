"""The single-instance socket lives in the shared temporary folder (/tmp), under a name any other
user can work out from the config folder's path. A socket another user made there first, answering
"ok" to anything, kept this user's app from starting (the start "handed over" to it and exited) and
received the browser host's notes. A socket that is not this user's is never talked to."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from guard.browser import app_link
from ui.single_instance import SHOW_SETTINGS, hand_off, server_name

NOBODY = 65534
# Another user's program: listens under the app's name, answers "ok" to every line and notes it.
SQUATTER = f"""
import os, socket, sys
path, heard = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen()
os.chown(path, {NOBODY}, {NOBODY})  # the tests run as root: made another user's, as that user would
print("ready", flush=True)
while True:
    client, _ = server.accept()
    line = client.recv(64)
    with open(heard, "ab") as notes:
        notes.write(line)
    client.sendall(b"ok\\n")
    client.recv(64)  # until the caller hangs up
    client.close()
"""


@pytest.fixture
def squatted(app_home: Path, tmp_path: Path) -> Iterator[Path]:
    """Another user's socket under the app's name; the file where it notes what it was told."""
    path = Path(QDir.tempPath()) / server_name(app_home / "config")
    heard = tmp_path / "heard"
    process = subprocess.Popen([sys.executable, "-c", SQUATTER, str(path), str(heard)], stdout=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield heard
    finally:
        process.kill()
        process.wait()
        path.unlink(missing_ok=True)


def test_a_start_never_hands_over_to_another_users_socket(qapp, app_home, squatted):
    assert hand_off(server_name(app_home / "config"), SHOW_SETTINGS) is False, "the app would not have started"
    assert app_link.notify(app_home / "config") is False
    assert not squatted.exists(), "nothing was said to it"
