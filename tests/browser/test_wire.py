"""The native messaging wire format and message schemas, with hostile input: framed, capped, refused, neutralised."""

import io
import json
import struct

import pytest

from guard.browser import limits
from guard.browser.messages import (
    MessageRefused,
    PageReport,
    State,
    TabChanged,
    TabClosed,
    Windows,
    parse,
)
from guard.browser.protocol import Oversized, ProtocolError, encode, read_frame
from guard.browser.text import neutral_text


def frame(payload: bytes) -> bytes:
    return struct.pack("=I", len(payload)) + payload


def tab(**fields):
    base = {"id": 7, "window": 1, "url": "https://meet.google.com/abc-defg-hij", "title": "Meet – abc-defg-hij",
            "active": True, "audible": False, "providers": ["google-meet"]}
    return {**base, **fields}


def test_frames_round_trip_in_native_byte_order():
    stream = io.BytesIO(encode({"type": "hello", "note": "ünïcode"}) + frame(b'{"a":1}'))
    assert json.loads(read_frame(stream)) == {"type": "hello", "note": "ünïcode"}
    assert read_frame(stream) == b'{"a":1}'
    assert read_frame(stream) is None  # the browser closed the pipe


def test_an_oversized_message_is_skipped_and_the_next_one_still_read():
    stream = io.BytesIO(frame(b"x" * (limits.MESSAGE_BYTES + 1)) + frame(b'{"type":"state","tabs":[]}'))
    with pytest.raises(Oversized):
        read_frame(stream)
    assert isinstance(parse(read_frame(stream)), State)


@pytest.mark.parametrize("data", [b"\x01\x00", struct.pack("=I", 10) + b"short", struct.pack("=I", 2**31)])
def test_a_broken_stream_ends_the_connection(data):
    with pytest.raises(ProtocolError):
        read_frame(io.BytesIO(data))


def test_messages_parse_into_their_schemas():
    assert isinstance(parse(json.dumps({"type": "tab", "event": "opened", "tab": tab()}).encode()), TabChanged)
    assert isinstance(parse(b'{"type":"tab","event":"closed","tab":{"id":7}}'), TabClosed)
    report = parse(json.dumps({"type": "notice", "tab": 7, "text": "Recording has started"}).encode())
    assert isinstance(report, PageReport) and report.text == "Recording has started"
    # The extension also names the catalog phrases it found; today's host re-matches the text itself.
    report = parse(json.dumps({"type": "notice", "tab": 7, "text": "Recording has started.",
                               "phrases": ["teams/recording-transcription/1"]}).encode())
    assert isinstance(report, PageReport) and report.text == "Recording has started."
    # How many browser windows the extension sees: on (re)connect with the tabs, and whenever it changes.
    state = parse(b'{"type":"state","tabs":[],"windows":2}')
    assert isinstance(state, State) and state.windows == 2
    assert parse(b'{"type":"state","tabs":[]}') == State(type="state", tabs=(), windows=None)
    assert parse(b'{"type":"windows","count":3,"titles":["ignored"]}') == Windows(type="windows", count=3)
    # and whether one of them has the focus (a window it sees is no incognito one)
    assert parse(b'{"type":"windows","count":3,"focused":true}') == Windows(type="windows", count=3, focused=True)
    state = parse(b'{"type":"state","tabs":[],"windows":2,"focused":false}')
    assert isinstance(state, State) and state.focused is False


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b"{}", b'{"type":"boom"}', b"\xff\xfe",
    json.dumps({"type": "tab", "event": "opened", "tab": tab(id="7")}).encode(),  # a string is not an id
    json.dumps({"type": "tab", "event": "opened", "tab": tab(active="true")}).encode(),
    json.dumps({"type": "tab", "event": "opened", "tab": tab(id=-1)}).encode(),
    json.dumps({"type": "tab", "event": "opened", "tab": tab(url="javascript:alert(1)")}).encode(),
    json.dumps({"type": "tab", "event": "opened", "tab": tab(url="file:///etc/passwd")}).encode(),
    json.dumps({"type": "tab", "event": "opened", "tab": tab(providers=["../x"])}).encode(),
    json.dumps({"type": "state", "tabs": [tab(id=i) for i in range(limits.TABS + 1)]}).encode(),
    json.dumps({"type": "notice", "tab": 7, "text": ""}).encode(),
    # How many windows the extension sees: a small non-negative integer, nothing else
    b'{"type":"windows","count":"3"}', b'{"type":"windows","count":true}', b'{"type":"windows","count":-1}',
    b'{"type":"windows","count":2.5}', b'{"type":"windows"}', b'{"type":"windows","count":1000001}',
    b'{"type":"state","tabs":[],"windows":"2"}', b'{"type":"state","tabs":[],"windows":99999999999}',
    b'{"type":"windows","count":1,"focused":"yes"}', b'{"type":"windows","count":1,"focused":1}',
    b'{"type":"state","tabs":[],"windows":1,"focused":"true"}',
])
def test_malformed_messages_are_refused_with_a_reason(body):
    with pytest.raises(MessageRefused) as refused:
        parse(body)
    assert refused.value.reason and len(refused.value.reason) <= 200


def test_hostile_titles_are_neutralised():
    hostile = "<img src=x onerror=alert(1)>Meet\n– abc\x1b[31m\x07\u202eevil\u2066" + "A" * 50_000
    message = parse(json.dumps({"type": "tab", "event": "updated", "tab": tab(title=hostile)}).encode())
    title = message.tab.title
    assert "<" not in title and "\n" not in title and "\x1b" not in title and "\u202e" not in title
    assert title.startswith("Meet – abc [31m evil") and len(title) <= limits.TITLE and title.endswith("…")


def test_links_are_redacted_by_the_host_whatever_the_extension_sent():
    message = parse(json.dumps({"type": "tab", "event": "opened",
                                "tab": tab(url="https://zoom.us/j/81234567890?pwd=SECRET")}).encode())
    assert message.tab.url == "https://zoom.us/j/81234567890?pwd=…"


@pytest.mark.parametrize(("text", "shown"), [
    ("a\tb\r\nc", "a b c"), ("<b>bold</b> text", "bold text"), ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
    ("\u200e\u2067x\u2069", "x"), ("x" * 20, "x" * 9 + "…"),
])
def test_neutral_text_is_one_plain_line(text, shown):
    assert neutral_text(text, 10 if len(text) == 20 else 100) == shown
