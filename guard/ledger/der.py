"""The little DER (ASN.1) an RFC 3161 time stamp needs: encode a request, walk a response.
Pure; hostile input raises ValueError (every length is checked against the data), never
reads past what it was given."""

from __future__ import annotations

from dataclasses import dataclass

SEQUENCE, SET, INTEGER, OCTET_STRING, NULL, OID, BOOLEAN, GENERALIZED_TIME = 0x30, 0x31, 0x02, 0x04, 0x05, 0x06, \
    0x01, 0x18


@dataclass(frozen=True)
class Node:
    """One TLV: ``tag`` byte, ``raw`` (the whole encoding), ``value`` (the content bytes)."""

    tag: int
    raw: bytes
    value: bytes

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    def children(self) -> list[Node]:
        """The TLVs inside a constructed one (one level; callers walk known structures)."""
        if not self.constructed:
            raise ValueError(f"DER tag {self.tag:#x} is not constructed")
        out, offset = [], 0
        while offset < len(self.value):
            node, offset = read(self.value, offset)
            out.append(node)
        return out

    def integer(self) -> int:
        if self.tag != INTEGER or not self.value:
            raise ValueError("expected an INTEGER")
        return int.from_bytes(self.value, "big", signed=True)

    def oid(self) -> str:
        if self.tag != OID or not self.value:
            raise ValueError("expected an OBJECT IDENTIFIER")
        parts, value = [], 0
        for byte in self.value:
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                parts.append(value)
                value = 0
        first = min(parts[0] // 40, 2)
        return ".".join(map(str, [first, parts[0] - 40 * first, *parts[1:]]))


def read(data: bytes, offset: int = 0) -> tuple[Node, int]:
    """The TLV at ``offset`` and the offset after it."""
    if offset + 2 > len(data):
        raise ValueError("DER truncated")
    tag, first = data[offset], data[offset + 1]
    if tag & 0x1F == 0x1F:
        raise ValueError("DER high tag numbers are not used here")
    start = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise ValueError("DER length is malformed")
        length = int.from_bytes(data[start:start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("DER value runs past the data")
    return Node(tag, data[offset:end], data[start:end]), end


def parse(data: bytes) -> Node:
    node, end = read(data)
    if end != len(data):
        raise ValueError("DER has trailing bytes")
    return node


def encode(tag: int, value: bytes) -> bytes:
    length = len(value)
    if length < 0x80:
        return bytes([tag, length]) + value
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + value


def integer(value: int) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)
    return encode(INTEGER, value.to_bytes(size, "big", signed=True))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray()
    for number in [40 * parts[0] + parts[1], *parts[2:]]:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        body += bytes(reversed(chunk))
    return encode(OID, bytes(body))


def sequence(*items: bytes) -> bytes:
    return encode(SEQUENCE, b"".join(items))
