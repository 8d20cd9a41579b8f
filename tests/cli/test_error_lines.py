"""Audit round five: the command line's errors and warnings kept line breaks from outside text
(an id given on the command line, a value read from a file or a tampered ledger), so one
warning could print a second line that reads as the program's own ("meeting-guard: all
clear"), and a 2 MB value made a 2 MB line. Each message is one line of sane length."""

from __future__ import annotations

import io
import os

from guard.cli.context import MAX_MESSAGE, CliContext
from guard.cli.env import Environment

FORGED = "zoom\nmeeting-guard: all clear, nothing was exported\r\n"


def _stderr_lines(text: str) -> list[str]:
    return text.splitlines()


def test_a_warning_quoting_a_given_id_stays_on_one_line(cli, app_home, tmp_path):
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert cli("consent", "add", "--provider", "zoom", "--decision", "given", env=env).returncode == 0
    result = cli("consent", "export", "--provider", FORGED + "x" * 1_000_000, "--format", "csv",
                 "--output", str(tmp_path / "h.csv"), env=env)
    warnings = [line for line in _stderr_lines(result.stderr) if "is not in the catalog" in line]
    assert len(warnings) == 1 and warnings[0].startswith("meeting-guard: warning: provider 'zoom meeting-guard: all")
    assert not any(line.startswith("meeting-guard: all clear") for line in _stderr_lines(result.stderr))
    assert all(len(line) < 1_000 for line in _stderr_lines(result.stderr))


def test_an_unknown_browser_name_is_quoted_on_one_line(cli, app_home):
    result = cli("browser", "install", "--browser", "firefox\nmeeting-guard: installed for every browser")
    lines = _stderr_lines(result.stderr)
    assert result.returncode != 0 and len(lines) == 1 and "unknown browser" in lines[0], lines


def test_every_error_line_is_one_line_of_sane_length(tmp_path):
    err = io.StringIO()
    ctx = CliContext(Environment(stdout=io.StringIO(), stderr=err))
    ctx.error("could not read 'x\nmeeting-guard: done\u2028" + "v" * 2_000_000 + "'")
    ctx.warn("value\r\nmeeting-guard: ok")
    lines = err.getvalue().splitlines()
    assert len(lines) == 2 and all(line.startswith("meeting-guard: ") for line in lines)
    assert len(lines[0]) <= MAX_MESSAGE + 20 and lines[0].endswith("…")
    assert lines[1] == "meeting-guard: warning: value meeting-guard: ok"
