"""Issue 16 item 10: what outsiders wrote reaches the terminal spelt out, never as control sequences."""

import io
import json
import re
import unicodedata
from datetime import UTC, datetime

from guard.cli.context import CliContext
from guard.cli.env import Environment
from guard.cli.output import json_safe, one_line, plural, terminal_safe
from guard.events import Evidence, Signal

HOSTILE = "\x1b[2J\x1b]0;owned\x07\x1b]8;;file:///etc/passwd\x1b\\x\x9b1m\x90q\x9c\u202eexe.gnp\u2066\u200f\r\b\x00"
DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\x85]")


def test_every_control_character_is_spelt_out():
    every = "".join(chr(code) for code in range(0x3000))
    shown = terminal_safe(every)
    assert not DANGEROUS.search(shown)
    assert "\n" in shown and "\t" in shown, "our own line breaks and tabs stay"
    assert not DANGEROUS.search(one_line(every)) and "\n" not in one_line(every)
    for char in shown:
        if unicodedata.category(char) == "Cc":
            assert char in "\n\t"


def test_plain_text_is_untouched():
    for text in ("Zoom Meeting", "Réunion – 会议 – اجتماع", "a\tb\nc", ""):
        assert terminal_safe(text) == text
    assert terminal_safe(HOSTILE).startswith("\\x1b[2J\\x1b]0;owned\\x07")


def test_json_stays_valid_and_exact():
    document = json.dumps({"title": HOSTILE}, ensure_ascii=False)
    safe = json_safe(document)
    assert not DANGEROUS.search(safe)
    assert json.loads(safe) == {"title": HOSTILE}


def test_plural():
    assert plural(1, "record") == "1 record" and plural(0, "record") == "0 records"
    assert plural(10, "receipt file") == "10 receipt files" and plural(2, "entry", "entries") == "2 entries"
    assert plural(12345, "byte") == "12,345 bytes"


def context() -> tuple[CliContext, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return CliContext(Environment(stdout=out, stderr=err, environ={})), out, err


def test_every_way_a_command_writes_is_escaped():
    ctx, out, err = context()
    ctx.print(f"title: {HOSTILE}")
    ctx.error(f"bad: {HOSTILE}")
    ctx.warn(HOSTILE)
    ctx.print_json({"title": HOSTILE})
    assert not DANGEROUS.search(out.getvalue()) and not DANGEROUS.search(err.getvalue())


def test_scan_report_shows_a_hostile_window_title_inert(tmp_path):
    from guard.catalog.snapshot import load_snapshot
    from guard.cli.scan import _print_snapshot
    from guard.events import MeetingSession
    from guard.monitor import Snapshot

    at = datetime(2026, 12, 1, tzinfo=UTC)
    evidence = (Evidence(Signal.WINDOW_TITLE, f"window titled {HOSTILE}", at, pid=42),)
    meeting = MeetingSession("s1", "zoom", at, evidence, title=HOSTILE, url=f"https://zoom.us/j/1{HOSTILE}")
    ctx, out, _ = context()
    catalog, _ = load_snapshot(tmp_path)
    _print_snapshot(ctx, Snapshot(at, True, None, (), (meeting,), ()), catalog)
    text = out.getvalue()
    assert not DANGEROUS.search(text), repr(text)
    assert "owned" in text and "Zoom" in text, "shown, not dropped"
