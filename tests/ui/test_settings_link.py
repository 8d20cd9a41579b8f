"""The settings window's link to the tray app reads only its own messages: long, malformed or
unknown lines are refused with a reason, and a snapshot is JSON read back shape by shape: nothing
is unpickled, and hostile shapes are refused saying where."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import pickle
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.detect.observation import ProbeState, ProbeStatus
from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting, Signal
from guard.i18n import N_, Text
from guard.monitor import Snapshot
from guard.snapshot_json import MAX_ITEMS, MAX_TEXT, WIRE
from ui import settings_link
from ui.settings_link import MAX_LINE, TO_TRAY, TO_WINDOW, LinkError, decode, encode, pack, unpack


def test_messages_go_both_ways_and_anything_else_is_refused():
    assert decode(encode("show", tab="history"), TO_WINDOW) == {"op": "show", "tab": "history"}
    assert decode(encode("check-terms", provider="zoom"), TO_TRAY)["provider"] == "zoom"
    for line, reason in ((b"not json\n", "not JSON"), (b"[1, 2]\n", "unknown message"),
                         (encode("rm-rf"), "unknown message"), (encode("show"), "unknown message"),
                         (b'"' + b"x" * MAX_LINE + b'"\n', "longer than")):
        allowed = TO_TRAY  # "show" is the tray's to send, not the window's
        with pytest.raises(LinkError, match=reason):
            decode(line, allowed)


def _snapshot() -> Snapshot:
    seen = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    said = Text.of(N_("{app} uses the microphone ({detail})"), app="zoom",
                   detail=Text.of(N_("{count} stream"), count=2))
    meeting = MeetingSession(id="m1", provider_id="zoom", started_at=seen,
                             evidence=(Evidence(Signal.WINDOW_TITLE, "Zoom Meeting", seen),
                                       Evidence(Signal.MICROPHONE, "zoom uses the microphone", seen, pid=42,
                                                said=said)),
                             title="Zoom Meeting {braces} <b>markup</b>", url="https://zoom.us/j/1", tab="chromium/7",
                             window="x11:0x2a",
                             seen=(SeenInMeeting(Signal.PARTICIPANT, "otter", "Otter.ai", seen),
                                   SeenInMeeting(Signal.AI_NOTICE, "zoom", "AI Companion is on", seen, "ai-companion")))
    ended = replace(meeting, id="m0", ended_at=seen, seen=())
    app = RunningApp("a1", "zoom", seen, (Evidence(Signal.PROCESS, "zoom", seen, pid=42),))
    return Snapshot(seen, True, None, (app,), (meeting,), (ProbeStatus("camera", ProbeState.UNAVAILABLE, "no v4l2"),),
                    (ended,))


def test_a_snapshot_comes_back_equal_through_a_line_of_json():
    snapshot = _snapshot()
    message = decode(encode("snapshot", data=pack(snapshot)), TO_WINDOW)
    back = unpack(message["data"])
    assert back == snapshot
    # the sentence the window translates comes through too (it is not compared by ==)
    assert [e.said for e in back.meetings[0].evidence] == [e.said for e in snapshot.meetings[0].evidence]
    assert str(back.meetings[0].evidence[1].said) == "zoom uses the microphone (2 stream)"


def _with(path: tuple[object, ...], value: object) -> dict[str, object]:
    data = json.loads(json.dumps(pack(_snapshot())))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


HOSTILE = {
    "a pickle, the old form": (lambda: base64.b64encode(pickle.dumps(_snapshot())).decode(), "expected an object"),
    "not an object": (lambda: [1, 2], "expected an object"),
    "an unknown key": (lambda: {**_with(("at",), None), "__class__": "os.system"}, "unknown keys"),
    "a missing key": (lambda: {k: v for k, v in pack(_snapshot()).items() if k != "meetings"}, "missing keys"),
    "a wrong type": (lambda: _with(("enabled",), "yes"), "snapshot.enabled"),
    "a number as a title": (lambda: _with(("meetings", 0, "title"), 7), r"snapshot.meetings\[0\].title"),
    "an unknown signal": (lambda: _with(("meetings", 0, "evidence", 0, "signal"), "shell"), "unknown value"),
    "a bad time": (lambda: _with(("at",), "yesterday"), "not a date and time"),
    "a huge title": (lambda: _with(("meetings", 0, "title"), "x" * (MAX_TEXT + 1)), "longer than"),
    "too many meetings": (lambda: _with(("meetings",), [pack(_snapshot())["meetings"][0]] * (MAX_ITEMS + 1)),
                          "more than"),
    # a sentence template reaching into the window's objects, or padding a field to gigabytes
    "a template reaching into objects": (lambda: _with(("meetings", 0, "evidence", 1, "said", "template"),
                                                       "{app.__class__.__init__.__globals__}"), "not one of its own"),
    "a template padding a field": (lambda: _with(("meetings", 0, "evidence", 1, "said", "template"),
                                                 "{app:>999999999}"), "not one of its own"),
    "a template with a positional field": (lambda: _with(("meetings", 0, "evidence", 1, "said", "template"), "{0}"),
                                           "not one of its own"),
    "a boolean as a pid": (lambda: _with(("meetings", 0, "evidence", 1, "pid"), True), "whole number"),
    "a pid past 64 bits": (lambda: _with(("meetings", 0, "evidence", 1, "pid"), 2**64), "whole number"),
    "a number as a time": (lambda: _with(("meetings", 0, "started_at"), 1764581400), "not a date and time"),
    "yes for true": (lambda: _with(("enabled",), "yes"), "expected true or false"),
    "an unknown key in a sentence": (lambda: _with(("meetings", 0, "evidence", 1, "said", "eval"), "1"),
                                     r"snapshot.meetings\[0\].evidence\[1\].said: unknown keys \['eval'\]"),
    "a list as a sentence's value": (lambda: _with(("meetings", 0, "evidence", 1, "said", "values", 0, 1), [1]),
                                     r"said.values\[0\]\[1\]: expected text, got list"),
    "sentences nested too deeply": (lambda: _with(("meetings", 0, "evidence", 1, "said"), _nested(5)),
                                    "nested too deeply"),
    "a huge sentence": (lambda: _with(("meetings", 0, "evidence", 1, "said", "values", 0, 1), "x" * (MAX_TEXT + 1)),
                        "longer than"),
}


def _nested(depth: int) -> dict[str, object]:
    """A sentence whose one value is a sentence, ``depth`` sentences in all."""
    sentence: dict[str, object] = {"template": "{x}", "values": [["x", "end"]]}
    for _ in range(depth - 1):
        sentence = {"template": "{x}", "values": [["x", sentence]]}
    return sentence


def test_sentences_four_deep_come_through_and_are_said():
    data = _with(("meetings", 0, "evidence", 1, "said"), _nested(4))
    assert str(unpack(data).meetings[0].evidence[1].said) == "end"


def test_a_line_nested_deeper_than_the_parser_goes_is_refused():
    line = b'{"op":"snapshot","data":' + b"[" * 200_000 + b"]" * 200_000 + b"}\n"
    with pytest.raises(LinkError, match="nested too deeply"):
        decode(line, TO_WINDOW)


def test_each_wire_shape_has_its_dataclass_s_fields():
    """A field added to a snapshot dataclass must be added to its wire shape, or it would not cross."""
    for kind, wire in WIRE.items():
        assert set(wire.__annotations__) == {field.name for field in dataclasses.fields(kind)}, kind.__name__


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_snapshot_is_refused_saying_where(name):
    make, reason = HOSTILE[name]
    with pytest.raises(LinkError, match=reason):
        unpack(make())


def test_the_window_never_unpickles(tmp_path):
    """Even a pickle that would run a program, sent as the snapshot, is refused as data, and never runs."""
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for data in (base64.b64encode(pickle.dumps(Hostile())).decode(), {"data": pickle.dumps(Hostile()).hex()}):
        with pytest.raises(LinkError, match="not a snapshot"):
            unpack(data)
    assert not marker.exists()
    assert "import pickle" not in Path(settings_link.__file__).read_text()


def test_a_desktop_with_more_set_aside_windows_than_a_list_holds_still_reaches_the_window():
    """Audit round six: 1,500 windows titled like a meeting (set aside: no extension confirmed them)
    made a snapshot the window refused as a whole, so the Overview stopped following the tray. The
    tray sends the first MAX_ITEMS of each list."""
    seen = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    aside = tuple(Evidence(Signal.WINDOW_TITLE, f"Zoom Meeting {n} - Google Chrome (not confirmed)", seen,
                           confirmed=False) for n in range(1500))
    snapshot = replace(_snapshot(), not_counted=aside)
    back = unpack(decode(encode("snapshot", data=pack(snapshot)), TO_WINDOW)["data"])
    assert back.not_counted == aside[:MAX_ITEMS] and back.meetings == snapshot.meetings
