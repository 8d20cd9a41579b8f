"""The native messaging wire format: a 32-bit length in native byte order, then that many bytes of UTF-8 JSON.

Chromium and Firefox both speak it on the host's stdin and stdout (Chrome: "Native messaging
protocol", https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging;
MDN: https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_messaging,
checked 2026-12-01). A message longer than the host's cap is read past in chunks and refused, so
one oversized message costs no memory and does not end the connection; a length beyond anything a
browser sends means the stream is not a browser's, and ends it.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

from guard.browser.limits import MESSAGE_BYTES
from guard.errors import GuardError

_HEADER = struct.Struct("=I")
STREAM_MAX = 64 * 1024 * 1024  # Chrome's documented cap on a message to the host; beyond it, not a browser
HOST_MESSAGE_MAX = 1024 * 1024  # what a browser accepts from a host
_CHUNK = 64 * 1024


class ProtocolError(GuardError):
    """The stream broke the protocol in a way that ends the connection."""


class Oversized(Exception):
    """One message was longer than the cap; it was read past and dropped."""

    def __init__(self, length: int) -> None:
        super().__init__(f"a message of {length} bytes is over the {MESSAGE_BYTES}-byte cap")
        self.length = length


def _read_exact(stream: BinaryIO, count: int) -> bytes:
    data = bytearray()
    while len(data) < count:
        chunk = stream.read(count - len(data))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def read_frame(stream: BinaryIO, limit: int = MESSAGE_BYTES) -> bytes | None:
    """The next message's bytes; None when the browser closed the stream.

    Raises :class:`Oversized` for a message over ``limit`` (already skipped) and
    :class:`ProtocolError` for a cut header or body or an impossible length.
    """
    header = _read_exact(stream, _HEADER.size)
    if not header:
        return None
    if len(header) < _HEADER.size:
        raise ProtocolError("the stream ended inside a message header")
    (length,) = _HEADER.unpack(header)
    if length > STREAM_MAX:
        raise ProtocolError(f"a message length of {length} bytes is beyond what a browser sends")
    if length > limit:
        remaining = length
        while remaining:
            skipped = stream.read(min(_CHUNK, remaining))
            if not skipped:
                raise ProtocolError("the stream ended inside an oversized message")
            remaining -= len(skipped)
        raise Oversized(length)
    body = _read_exact(stream, length)
    if len(body) < length:
        raise ProtocolError("the stream ended inside a message")
    return body


def encode(message: dict[str, Any]) -> bytes:
    """One message for the browser, framed."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(body) > HOST_MESSAGE_MAX:
        raise ValueError(f"a message to the browser may be at most {HOST_MESSAGE_MAX} bytes")
    return _HEADER.pack(len(body)) + body


def write_frame(stream: BinaryIO, message: dict[str, Any]) -> None:
    stream.write(encode(message))
    stream.flush()
