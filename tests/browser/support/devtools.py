"""A minimal Chrome DevTools protocol client: one page target's WebSocket, commands answered in order.

The tests drive Chromium's own pages (the extension's options page) through it: ``Runtime.evaluate`` to read the
page, ``Input.dispatchMouseEvent`` and ``Input.insertText`` for the user's click and typing, which the browser
treats as real input (a user gesture, as ``permissions.request`` requires). Only text frames, client to server
masked (RFC 6455); nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from typing import Any
from urllib.parse import urlsplit


class DevToolsError(RuntimeError):
    """The browser answered a command with an error, or the connection ended."""


class DevTools:
    """``with DevTools(target["webSocketDebuggerUrl"]) as page: page.call("Runtime.evaluate", expression="1")``."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise DevToolsError(f"not a local DevTools address: {url}")
        self._sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self._sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
                            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                            "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self._sock.recv(4096)
            if not chunk:
                raise DevToolsError("the browser closed the DevTools connection")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise DevToolsError(f"DevTools refused the connection: {status!r}")
        self._buffer = head.split(b"\r\n\r\n", 1)[1]
        self._next = 0

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events in between are skipped)."""
        self._next += 1
        ident = self._next
        self._send(json.dumps({"id": ident, "method": method, "params": params}).encode())
        while True:
            message = json.loads(self._receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str, gesture: bool = False) -> Any:
        """The value of ``expression`` in the page (awaited when it is a promise); ``gesture``: as if the user acted."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True,
                           userGesture=gesture)
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression[:80]}: {result['exceptionDetails'].get('text')} "
                                f"{result['exceptionDetails'].get('exception', {}).get('description', '')}")
        return result.get("result", {}).get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) in the middle of the element ``selector`` names."""
        box = self.evaluate("(() => { const r = document.querySelector(" + json.dumps(selector) + ")"
                            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        x, y = box
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            extra = {"button": "left", "clickCount": 1} if kind != "mouseMoved" else {}
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, **extra)

    def type_into(self, selector: str, text: str) -> None:
        """Focus the field ``selector`` names, clear it and type ``text`` as keyboard input."""
        self.evaluate("(() => { const f = document.querySelector(" + json.dumps(selector) + "); f.value = '';"
                      " f.focus(); })()")
        self.call("Input.insertText", text=text)

    # -- frames ------------------------------------------------------------------------------
    def _send(self, payload: bytes) -> None:
        head = bytes([0x81])
        size = len(payload)
        if size < 126:
            head += bytes([0x80 | size])
        elif size < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", size)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", size)
        mask = os.urandom(4)
        self._sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, count: int) -> bytes:
        deadline = time.monotonic() + 60
        while len(self._buffer) < count:
            if time.monotonic() > deadline:
                raise DevToolsError("DevTools did not answer")
            chunk = self._sock.recv(65536)
            if not chunk:
                raise DevToolsError("the browser closed the DevTools connection")
            self._buffer += chunk
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def _receive(self) -> bytes:
        message = b""
        while True:
            first, second = self._read(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise DevToolsError("the browser closed the DevTools connection")
            if opcode in (0x9, 0xA):  # ping, pong: nothing to answer for a short-lived client
                continue
            message += payload
            if first & 0x80:
                return message
