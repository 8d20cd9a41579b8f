"""The ``meeting-guard`` command itself: version, help, lazy commands, usage errors, logs."""

import json
import re
import subprocess
import sys

import pytest

from guard import __version__
from guard.cli.registry import COMMANDS, build_parser
from guard.cli.status import ExitStatus


def test_version_prints_the_version(cli):
    result = cli("--version")
    assert result.returncode == ExitStatus.OK
    assert result.stdout.strip() == f"meeting-guard {__version__}"


@pytest.mark.parametrize("argv", [["--help"], ["-h", "scan"], ["--help", "consent", "list"]])
def test_help_lists_every_command_in_the_table(cli, argv):
    """Also when a command is named after the option (a command alone builds only its own parser)."""
    result = cli(*argv)
    assert result.returncode == 0
    assert "tray app" in result.stdout
    for command in COMMANDS:
        assert re.search(rf"^    {re.escape(command.name)}(\s|$)", result.stdout, re.M), command.name  # long names wrap


def test_every_command_has_its_own_help(cli):
    for command in COMMANDS:
        result = cli(command.name, "--help")
        assert result.returncode == 0, (command.name, result.stderr)
        assert result.stdout.startswith(f"usage: meeting-guard {command.name}"), result.stdout


def test_a_command_summary_that_lists_its_actions_lists_them_all():
    """`meeting-guard --help` said "consent: add, list, verify, withdraw, export, erase": a new user looking
    for the README's `consent timestamp` and `consent rekey` was told they do not exist."""
    parser = build_parser(full=True)
    for command in COMMANDS:
        parser_of = parser._subparsers._group_actions[0].choices[command.name]  # type: ignore[union-attr]
        if parser_of._subparsers is None or ":" not in command.help:
            continue
        listed = {word.strip() for word in command.help.rpartition(":")[2].split(",")}
        if any(" " in word for word in listed):  # a description ("check for changes, ..."), not a list of names
            continue
        actions = set(parser_of._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
        assert actions <= listed, (command.name, sorted(actions - listed))


def test_every_command_module_configures_a_runnable_command():
    """A table line pointing at a missing module or function fails here, not in a user's hands."""
    parser = build_parser(full=True)
    for command in COMMANDS:
        parser_of = parser._subparsers._group_actions[0].choices[command.name]  # type: ignore[union-attr]
        assert parser_of._defaults.get("func") or parser_of._subparsers, command.name


IMPORTS_AFTER = """
import sys
from guard.cli.main import main
main({argv!r})
print(" ".join(sorted(sys.modules)))
"""


def modules_loaded_by(*argv: str) -> set[str]:
    """The modules a real process has imported after ``main(argv)``."""
    result = subprocess.run([sys.executable, "-c", IMPORTS_AFTER.format(argv=list(argv))],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].split())


HEAVY = {"pydantic", "psutil", "PySide6", "requests", "bs4", "sqlite3", "cryptography", "keyring", "argparse"}


def test_version_imports_nothing_heavy():
    loaded = modules_loaded_by("--version")
    assert not loaded & HEAVY, loaded & HEAVY


def test_top_level_help_imports_no_command_module():
    loaded = modules_loaded_by("--help")
    command_modules = {command.target.partition(":")[0] for command in COMMANDS}
    assert not loaded & command_modules, loaded & command_modules
    assert not loaded & (HEAVY - {"argparse"}), loaded & HEAVY


def test_a_command_imports_its_own_module_only():
    loaded = modules_loaded_by("settings", "--help")
    assert "guard.cli.settings_cmd" in loaded
    others = {command.target.partition(":")[0] for command in COMMANDS} - {"guard.cli.settings_cmd"}
    assert not loaded & others, loaded & others


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.returncode == ExitStatus.USAGE
    assert "invalid choice" in result.stderr and result.stdout == ""


def test_bad_option_is_a_usage_error_naming_it(cli):
    result = cli("providers", "--frobnicate")
    assert result.returncode == ExitStatus.USAGE
    assert "unrecognized arguments: --frobnicate" in result.stderr


def test_settings_command_reports_bad_values(cli, app_home):
    settings = app_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("[detection]\ninterval_seconds = 'fast'\n")
    result = cli("settings", "--json")
    assert result.returncode == ExitStatus.CHECK_FAILED
    report = json.loads(result.stdout)
    assert report["settings"]["detection"]["interval_seconds"] == 2.0
    assert any("detection.interval_seconds" in p for p in report["problems"])


def test_logs_go_to_a_file_in_the_log_folder(cli, app_home):
    cli("settings")
    assert (app_home / "logs" / "meeting-guard.log").exists()


def test_in_process_runs_leave_no_logging_handlers_behind(cli):
    import logging

    before = list(logging.getLogger().handlers)
    cli("settings")
    cli("providers", "no-such-id")
    assert logging.getLogger().handlers == before


def test_in_process_runs_leave_the_garbage_collector_as_it_was(cli):
    import gc

    frozen = gc.get_freeze_count()
    cli("scan", "--json")
    assert gc.isenabled() and gc.get_freeze_count() == frozen, "only a process of its own freezes its start-up"


GC_STATE = """
import gc, sys
from guard.cli.main import main
code = main(sys.argv[1:])
print(code, gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["scan", "--json"], ["frobnicate"], ["scan", "--help"]])
def test_a_command_in_its_own_process_ends_with_the_collector_on(argv):
    """Start-up runs with the cyclic collector off (issue 18: a fast scan); whatever happens, it is on again."""
    run = subprocess.run([sys.executable, "-c", GC_STATE, *argv], capture_output=True, text=True, timeout=60,
                         check=False)
    code, enabled, frozen = run.stderr.splitlines()[-1].split()
    assert enabled == "True", run.stderr
    assert (code, frozen) == (("0", "True") if argv == ["scan", "--json"] else (code, "False")), run.stderr


# --- real processes: what only a process shows --------------------------------------------

def test_real_process_exit_codes(cli_process):
    assert cli_process("--version").returncode == 0
    assert cli_process("frobnicate").returncode == 2
    assert cli_process("consent", "withdraw", "not-an-id").returncode == 2


@pytest.mark.parametrize("argv", [("providers",), ("consent", "list", "--json"), ("--help",), ("scan",),
                                  ("letter", "--kind", "access", "--provider", "zoom")])
def test_a_closed_pipe_ends_quietly(argv, tmp_path):
    """``meeting-guard ... | head``: the reader is gone before the first write."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        process = subprocess.run([sys.executable, "-m", "guard", *argv], stdout=write_end, stderr=subprocess.PIPE,
                                 text=True, timeout=60, check=False, env=env)
    finally:
        os.close(write_end)
    assert process.returncode in (0, ExitStatus.BROKEN_PIPE), process.stderr
    assert "Traceback" not in process.stderr and "BrokenPipeError" not in process.stderr, process.stderr
    assert process.stderr == ""


def test_a_full_log_is_rotated_before_a_command_appends(cli, app_home):
    log = app_home / "logs" / "meeting-guard.log"
    log.parent.mkdir(parents=True)
    log.write_text("x" * 1_000_001)
    cli("settings")
    assert (app_home / "logs" / "meeting-guard.log.1").stat().st_size == 1_000_001
    assert 0 < log.stat().st_size < 1000, "the command's own line, in a fresh file"


def test_an_unwritable_log_file_is_one_warning_not_a_traceback(cli, app_home):
    (app_home / "logs" / "meeting-guard.log").mkdir(parents=True)  # cannot be opened as a file
    result = cli("settings")
    assert result.returncode == 0, result.stderr
    assert "Cannot write the log file" in result.stderr and "Traceback" not in result.stderr
