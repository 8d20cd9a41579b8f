"""The log (the file, and stderr with --verbose or for warnings) quotes outside text without
obeying it: a user catalog file's values reach a warning, and a terminal showing stderr must not
run their escape sequences, nor may a value forge a line that reads as another log record."""

from __future__ import annotations

import io
import logging
import re

from guard.catalog.loader import load_catalog
from guard.logs import remove_logging, setup_logging

# A record starts with the date: "2026-12-01 20:03:55,921 WARNING ..."
RECORD_START = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


def test_a_catalog_files_escape_sequences_and_line_breaks_are_spelt_out_in_the_log(tmp_path):
    user = tmp_path / "catalog"
    user.mkdir()
    (user / "a.toml").write_text('id = "x\\u001b]0;pwned\\u0007\\u001b[2Jevil\\u202e"\nname = "a"\n', encoding="utf-8")
    (user / "b.toml").write_text('id = "zoom"\n"key\\u001b[2J\\n2026-12-01 20:00:00,000 ERROR guard: forged" = 1\n',
                                 encoding="utf-8")
    stream = io.StringIO()
    handlers = setup_logging(tmp_path / "logs" / "app.log", stream=stream, long_running=False)
    try:
        load_catalog(user=user)
    finally:
        remove_logging(handlers)
    for where, text in (("stderr", stream.getvalue()), ("log file", (tmp_path / "logs" / "app.log").read_text())):
        assert "a.toml" in text and "b.toml" in text, where
        assert not any(ch in text for ch in "\x1b\x07\u202e"), where
        assert "\\x1b]0;pwned\\x07" in text and "\\u202e" in text, where
        lines = text.splitlines()
        assert all(RECORD_START.match(line) or line.startswith("\t") for line in lines), (where, lines)
        assert not any(line.startswith("2026-12-01 20:00:00,000 ERROR") for line in lines), where


def test_a_traceback_still_reads_as_lines(tmp_path):
    stream = io.StringIO()
    handlers = setup_logging(None, stream=stream)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("guard.test").exception("It failed")
    finally:
        remove_logging(handlers)
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("It failed") and lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "ValueError: boom"


def test_the_log_file_is_readable_by_its_owner_only_also_after_rotation(tmp_path):
    # the log names meetings, providers and files: like every file the app writes, it is 0600
    # whatever the umask, a log an older version left wider is narrowed, and so are rotated files
    import os
    import stat

    folder = tmp_path / "logs"
    folder.mkdir()
    old = folder / "old.log"
    old.write_text("from an older version\n", encoding="utf-8")
    old.chmod(0o644)
    previous = os.umask(0o022)
    try:
        for name, long_running in (("command.log", False), ("tray.log", True), ("old.log", False)):
            handlers = setup_logging(folder / name, stream=io.StringIO(), long_running=long_running)
            try:
                logging.getLogger("guard.test").warning("Meeting 'Weekly' started")
                if long_running:
                    handlers[1].doRollover()  # type: ignore[attr-defined]
                    logging.getLogger("guard.test").warning("after the rollover")
            finally:
                remove_logging(handlers)
    finally:
        os.umask(previous)
    written = sorted(folder.iterdir())
    assert {path.name for path in written} >= {"command.log", "tray.log", "tray.log.1", "old.log"}
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in written} == {path.name: 0o600 for path in written}
