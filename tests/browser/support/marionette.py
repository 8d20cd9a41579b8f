"""A minimal client for Firefox's Marionette protocol (the remote protocol geckodriver speaks).

Messages are ``<length>:<json>``; a command is ``[0, id, name, params]`` and its answer
``[1, id, error, result]`` (https://firefox-source-docs.mozilla.org/testing/marionette/Protocol.html).
The tests use it to accept the local test certificate for the session, and to switch and close
tabs from the browser's own (chrome) scripts, as a user's clicks would.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any


class MarionetteError(RuntimeError):
    pass


class Marionette:
    def __init__(self, port: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self._buffer = b""
        self._id = 0
        self.hello = self._read()

    @staticmethod
    def port_of(profile: Path, timeout: float = 60.0) -> int:
        """The port Firefox chose (``marionette.port`` 0), read from the profile's MarionetteActivePort."""
        deadline = time.monotonic() + timeout
        path = profile / "MarionetteActivePort"
        while time.monotonic() < deadline:
            if path.is_file():
                text = path.read_text().strip()
                if text.isdigit():
                    return int(text)
            time.sleep(0.2)
        raise MarionetteError(f"Firefox wrote no {path} within {timeout} s")

    def _read(self) -> Any:
        while b":" not in self._buffer:
            self._buffer += self._recv()
        length, _, rest = self._buffer.partition(b":")
        size = int(length)
        while len(rest) < size:
            rest += self._recv()
        self._buffer = rest[size:]
        return json.loads(rest[:size])

    def _recv(self) -> bytes:
        chunk = self._sock.recv(65536)
        if not chunk:
            raise MarionetteError("Firefox closed the Marionette connection")
        return chunk

    def command(self, name: str, params: dict[str, Any] | None = None) -> Any:
        self._id += 1
        body = json.dumps([0, self._id, name, params or {}]).encode()
        self._sock.sendall(str(len(body)).encode() + b":" + body)
        while True:
            answer = self._read()
            if answer[0] == 1 and answer[1] == self._id:
                break
        if answer[2]:
            raise MarionetteError(f"{name}: {answer[2]}")
        return answer[3]

    def start_session(self) -> None:
        self.command("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})

    def chrome(self, script: str, *args: Any) -> Any:
        """Run ``script`` in the browser's own (privileged) context; ``arguments`` holds ``args``."""
        self.command("Marionette:SetContext", {"value": "chrome"})
        try:
            return self.command("WebDriver:ExecuteScript", {"script": script, "args": list(args)}).get("value")
        finally:
            self.command("Marionette:SetContext", {"value": "content"})

    def close(self) -> None:
        try:
            self.command("WebDriver:DeleteSession")
        except (MarionetteError, OSError):
            pass
        self._sock.close()
