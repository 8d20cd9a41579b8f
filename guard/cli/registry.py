"""The table of subcommands, and the argument parser built from it lazily.

Adding a command takes one line in :data:`COMMANDS` and one module: the line names the
command, its one-line help and ``"module:function"``; the function gets the command's
``argparse`` parser, adds its options and sets ``func`` (``parser.set_defaults(func=run)``),
where ``run(args, ctx)`` returns an :class:`~guard.cli.status.ExitStatus`. The module is
imported only when its command runs (or its ``--help`` is asked for), so the top-level
``--help`` and ``--version`` import none of them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any, TextIO

from guard import APP_NAME, __version__


class Command:
    """One line of the table: the command's name, its help line, and ``"package.module:function"``,
    the function that configures the command's parser."""

    __slots__ = ("help", "name", "target")

    def __init__(self, name: str, help: str, target: str) -> None:
        self.name, self.help, self.target = name, help, target

    def __repr__(self) -> str:
        return f"Command({self.name!r}, {self.target!r})"

    def configure(self, parser: argparse.ArgumentParser) -> None:
        module_name, _, function = self.target.partition(":")
        setup: Callable[[argparse.ArgumentParser], None] = getattr(importlib.import_module(module_name), function)
        setup(parser)


COMMANDS: tuple[Command, ...] = (
    Command("settings", "show the settings file, its values and any problems", "guard.cli.settings_cmd:configure"),
    Command("providers", "list meeting clients and AI note-takers, or show one's AI features and terms clauses",
            "guard.cli.providers:configure"),
    Command("terms", "watch providers' terms: check for changes, diff versions, import history, fetch log",
            "guard.cli.terms_cmd:configure"),
    Command("consent", "your consent ledger: add, list, verify, withdraw, export, timestamp, rekey, erase",
            "guard.cli.consent:configure"),
    Command("scan", "one detection pass: clients running, meetings in progress, evidence",
            "guard.cli.scan:configure_scan"),
    Command("watch", "print detection events as they happen, until interrupted", "guard.cli.scan:configure_watch"),
    Command("letter", "write a withdrawal, objection or access-request letter to a provider",
            "guard.cli.letter:configure"),
    Command("verify-export", "check a JSON export with the file alone: hashes, signatures, chain, head",
            "guard.cli.verify_export:configure"),
    Command("browser", "the browser extension's link to this app: install, uninstall, status",
            "guard.cli.browser:configure_browser"),
    Command("browser-host", "started by a web browser for the Meeting Privacy Guard extension (not by hand)",
            "guard.cli.browser:configure_host"),
    Command("desktop", "this desktop and what detection can do on it; the GNOME Shell extension",
            "guard.cli.desktop_cmd:configure"),
)


class ParserExit(Exception):
    """argparse finished the run itself (``--help``, a usage error) with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


# The streams argparse writes help and usage errors to, for the run in progress.
_streams: ContextVar[tuple[TextIO, TextIO]] = ContextVar("streams")


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size finds it, without importing shutil (and with
    it bz2, lzma and fnmatch), which argparse does for every option it adds."""
    import os

    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
    except (AttributeError, ValueError, OSError):
        return 80


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else _columns() - 2)


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser that writes to the run's injected streams and never calls sys.exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def _print_message(self, message: str, file: Any = None) -> None:
        if not message:
            return
        from guard.cli.output import terminal_safe

        out, err = _streams.get()
        # argv may carry text a script took from elsewhere (a title, a page)
        (out if file is None or file is sys.stdout else err).write(terminal_safe(message))

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self._print_message(message, None if status == 0 else _streams.get()[1])
        raise ParserExit(status)


def command_named(argv: Sequence[str]) -> Command | None:
    """The command ``argv`` asks for: its first word that is not an option."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    return next((command for command in COMMANDS if command.name == word), None)


def build_parser(chosen: Command | None = None, *, full: bool = False, others: bool = True) -> CliParser:
    """The ``meeting-guard`` parser. Only ``chosen``'s module (every module with ``full``) is imported;
    the other commands are listed with their help line alone (for the top-level help and a misspelt
    command's error), or, without ``others``, left out (a parser each, which a command never uses)."""
    parser = CliParser(
        prog="meeting-guard",
        description=f"{APP_NAME}: which meeting AI features and terms apply to you, and what you agreed to. "
        "With no command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"meeting-guard {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        if full or command is chosen:
            command.configure(subparsers.add_parser(command.name, help=command.help, description=command.help))
        elif others:
            subparsers.add_parser(command.name, help=command.help, add_help=False)
    return parser


def parse(argv: Sequence[str], out: TextIO, err: TextIO) -> argparse.Namespace:
    """Parse ``argv``, writing help and usage errors to ``out``/``err``; raises :class:`ParserExit`."""
    token = _streams.set((out, err))
    chosen = command_named(argv)
    asks_help = any(arg in ("-h", "--help") for arg in argv)  # "-h scan" is the top-level help
    try:
        return build_parser(chosen, others=chosen is None or asks_help).parse_args(list(argv))
    finally:
        _streams.reset(token)
