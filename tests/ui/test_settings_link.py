"""The settings window's link to the tray app reads only its own messages: long, malformed or
unknown lines are refused with a reason, and a snapshot never unpickles anything but the app's
own values (a pickle that would run a program is refused)."""

from __future__ import annotations

import base64
import os
import pickle
from datetime import UTC, datetime

import pytest

from guard.events import Evidence, MeetingSession, Signal
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


def test_a_snapshot_comes_back_equal_and_a_hostile_pickle_is_refused(tmp_path):
    seen = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    meeting = MeetingSession(id="m1", provider_id="zoom", started_at=seen,
                             evidence=(Evidence(Signal.WINDOW_TITLE, "Zoom Meeting", seen),),
                             title="Zoom Meeting", url=None, tab=None, window="x11:0x2a")
    assert unpack(pack(meeting)) == meeting

    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    with pytest.raises(LinkError, match="not a value of the app"):
        unpack(base64.b64encode(pickle.dumps(Hostile())).decode())
    assert not marker.exists()
    with pytest.raises(LinkError):
        unpack("%%% not base64")
