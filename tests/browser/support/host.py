"""The real ``meeting-guard browser-host`` as a child process, fed and read as a browser would."""

from __future__ import annotations

import json
import os
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guard.browser import ids
from guard.browser.paths import state_dir

CHROMIUM_ORIGIN = f"chrome-extension://{ids.CHROMIUM_EXTENSION_ID}/"


class HostProcess:
    def __init__(self, *caller: str, env: dict[str, str] | None = None) -> None:
        self.env = dict(os.environ if env is None else env)
        self.process = subprocess.Popen([sys.executable, "-m", "guard", "browser-host", *caller],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=self.env)
        self.replies: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def folder(self) -> Path:
        return state_dir(self.env)

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            header = stream.read(4)
            if len(header) < 4:
                return
            (length,) = struct.unpack("=I", header)
            self.replies.put(json.loads(stream.read(length)))

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Any) -> None:
        body = json.dumps(message).encode()
        self.send_raw(struct.pack("=I", len(body)) + body)

    def reply(self, timeout: float = 10.0) -> dict[str, Any]:
        return self.replies.get(timeout=timeout)

    def state_files(self) -> list[Path]:
        return sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []

    def state(self) -> dict[str, Any] | None:
        path = self.folder / f"chromium-{self.process.pid}.json"
        for candidate in (path, *self.state_files()):
            try:
                data = json.loads(candidate.read_text())
            except (OSError, ValueError):
                continue
            if data.get("host_pid") == self.process.pid:
                return data
        return None

    def wait_state(self, test: Callable[[dict[str, Any]], bool], timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.state()
            if last is not None and test(last):
                return last
            time.sleep(0.02)
        raise AssertionError(f"the host's state never became as expected; last: {last}")

    def close(self, timeout: float = 10.0) -> int:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        return self.process.wait(timeout)

    def stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read().decode("utf-8", "replace")
