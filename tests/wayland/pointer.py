"""A mouse for the headless compositor: clicks through wlroots' virtual pointer protocol
(zwlr_virtual_pointer_v1, which sway offers), spoken on the Wayland socket directly.

Headless sway has no input device; a click made through the seat (what a real mouse does) is
what gives a client an input serial, and only with one does a notification server such as mako
get an xdg-activation token to hand to the app whose notification was clicked. Nothing else in
the tests needs the wire protocol, so it is written out here (a few messages) rather than
adding a Wayland client library: each message is the object id, then the size and opcode in
one 32-bit word, then the arguments (strings with their length and NUL, padded to 4 bytes).
"""

from __future__ import annotations

import os
import socket
import struct
import time
from pathlib import Path

BTN_LEFT = 0x110
DISPLAY, REGISTRY = 1, 2
MANAGER = "zwlr_virtual_pointer_manager_v1"


class WaylandError(RuntimeError):
    """The compositor refused a request, or lacks the virtual pointer protocol."""


def _string(text: str) -> bytes:
    data = text.encode() + b"\0"
    return struct.pack("=I", len(data)) + data + b"\0" * (-len(data) % 4)


class VirtualPointer:
    """One virtual pointer on the compositor of ``env`` (its ``XDG_RUNTIME_DIR`` and ``WAYLAND_DISPLAY``)."""

    def __init__(self, env: dict[str, str], width: int, height: int) -> None:
        display = env["WAYLAND_DISPLAY"]
        path = display if display.startswith("/") else str(Path(env["XDG_RUNTIME_DIR"]) / display)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.width, self.height = width, height
        self._next_id = REGISTRY  # ids the client makes follow on, with no gap
        self._buffer = b""
        self._send(DISPLAY, 1, struct.pack("=I", REGISTRY))  # wl_display.get_registry
        globals_ = self._roundtrip()
        if MANAGER not in globals_:
            raise WaylandError(f"the compositor offers no {MANAGER}")
        name, _version = globals_[MANAGER]
        self.manager = self._new_id()
        self._send(REGISTRY, 0, struct.pack("=I", name) + _string(MANAGER) + struct.pack("=II", 1, self.manager))
        self.pointer = self._new_id()
        self._send(self.manager, 0, struct.pack("=II", 0, self.pointer))  # create_virtual_pointer(seat=null)
        self._roundtrip()

    def click(self, x: int, y: int, settle: float = 0.6) -> None:
        """Move to (x, y) in the output layout and click the left button there."""
        time.sleep(settle)  # clients bind the seat's new pointer when it appears: give them a moment
        self._send(self.pointer, 1, struct.pack("=IIIII", self._ms(), x, y, self.width, self.height))
        self._send(self.pointer, 4, b"")  # frame
        self._roundtrip()
        time.sleep(0.2)
        for state in (1, 0):
            self._send(self.pointer, 2, struct.pack("=III", self._ms(), BTN_LEFT, state))
            self._send(self.pointer, 4, b"")
            self._roundtrip()
            time.sleep(0.1)

    def close(self) -> None:
        try:
            self._send(self.pointer, 8, b"")  # destroy
        finally:
            self.sock.close()

    # -- the wire ----------------------------------------------------------------------------
    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    @staticmethod
    def _ms() -> int:
        return int(time.monotonic() * 1000) & 0xFFFFFFFF

    def _send(self, obj: int, opcode: int, args: bytes) -> None:
        self.sock.sendall(struct.pack("=II", obj, ((8 + len(args)) << 16) | opcode) + args)

    def _roundtrip(self) -> dict[str, tuple[int, int]]:
        """wl_display.sync, then read events until its callback is done; the globals announced meanwhile."""
        callback = self._new_id()
        self._send(DISPLAY, 0, struct.pack("=I", callback))
        found: dict[str, tuple[int, int]] = {}
        while True:
            obj, opcode, body = self._event()
            if obj == callback and opcode == 0:
                return found
            if obj == DISPLAY and opcode == 0:
                _object, code, length = struct.unpack_from("=III", body)
                message = body[12:12 + length - 1].decode(errors="replace")
                raise WaylandError(f"the compositor refused a request: {message} (code {code})")
            if obj == REGISTRY and opcode == 0:
                name, length = struct.unpack_from("=II", body)
                interface = body[8:8 + length - 1].decode()
                (version,) = struct.unpack_from("=I", body, 8 + length + (-length % 4))
                found[interface] = (name, version)

    def _event(self) -> tuple[int, int, bytes]:
        while len(self._buffer) < 8 or len(self._buffer) < (struct.unpack_from("=II", self._buffer)[1] >> 16):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise WaylandError("the compositor closed the connection")
            self._buffer += chunk
        obj, word = struct.unpack_from("=II", self._buffer)
        size = word >> 16
        body, self._buffer = self._buffer[8:size], self._buffer[size:]
        return obj, word & 0xFFFF, body


def click(env: dict[str, str], x: int, y: int, width: int = 1280, height: int = 800) -> None:
    """One left click at (x, y) through a virtual pointer that exists only for it."""
    pointer = VirtualPointer(env, width, height)
    try:
        pointer.click(x, y)
        time.sleep(0.3)
    finally:
        pointer.close()


if __name__ == "__main__":  # python -m tests.wayland.pointer X Y (in a session's environment)
    import sys

    click(dict(os.environ), int(sys.argv[1]), int(sys.argv[2]))
