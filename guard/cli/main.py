"""Entry point of ``meeting-guard``: ``main(argv, env)``.

With no subcommand it starts the tray app (Qt is imported only then, and only when there is a
display). Otherwise it parses the command line against :data:`guard.cli.registry.COMMANDS`,
importing only the module of the command that runs, and returns an
:class:`~guard.cli.status.ExitStatus`. Everything it reads or writes goes through the
:class:`~guard.cli.env.Environment` it is given, so tests call it in-process.
How to add a command: see :mod:`guard.cli.registry`.
"""

from __future__ import annotations

import gc
import sys

from guard import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs --version a third of its time
if TYPE_CHECKING:  # imported when a command runs: --version needs nothing but the version
    import argparse
    from collections.abc import Sequence

    from guard.cli.env import Environment

VERBOSE_FLAGS = ("-v", "--verbose")


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run ``meeting-guard ARGV``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"] and env is None:  # the answer needs no parser and no environment
        sys.stdout.write(f"meeting-guard {__version__}\n")
        return 0
    own_process = env is None and gc.isenabled()
    if own_process:
        gc.disable()  # see _loaded
    try:
        from guard.cli.env import Environment

        env = Environment.from_process() if env is None else env
        if argv == ["--version"]:
            env.stdout.write(f"meeting-guard {__version__}\n")
            return 0
        try:
            status = _run(argv, env, own_process)
            env.stdout.flush()
        except BrokenPipeError:
            return _reader_went_away(env)
        except KeyboardInterrupt:  # Ctrl-C before a command ran (while loading): no traceback either
            env.stderr.write("meeting-guard: interrupted\n")
            return 130
        return int(status)
    finally:
        if own_process:
            gc.enable()


def _loaded(own_process: bool) -> None:
    """The command's modules are loaded: their objects (tens of thousands: classes, functions,
    tables) live until the process ends, so the collector stops looking at them.

    In a process of its own (``env`` not given), start-up runs with the cyclic garbage collector
    off, and what it made is then frozen (:func:`gc.freeze`) before the collector is switched back on: walking those
    objects again and again while modules load, and once more when the process exits, took a
    tenth of a ``scan``. A caller that passes its own ``env`` (tests, in-process) keeps its collector
    as it was.
    """
    if own_process and not gc.isenabled():
        gc.freeze()
        gc.enable()


def _run(argv: list[str], env: Environment, own_process: bool = False) -> int:
    if all(arg in VERBOSE_FLAGS for arg in argv):
        from guard.cli.tray import start_tray

        _loaded(own_process)
        return start_tray(env, verbose=bool(argv))

    from guard.cli.registry import ParserExit, parse

    try:
        args = parse(argv, env.stdout, env.stderr)
    except ParserExit as done:  # --help or a usage error: nothing more to load
        return done.status
    if args.command is None:  # only options such as --verbose were given
        from guard.cli.tray import start_tray

        _loaded(own_process)
        return start_tray(env, verbose=args.verbose)
    return _run_command(args, env, own_process)


def _run_command(args: argparse.Namespace, env: Environment, own_process: bool = False) -> int:
    from guard.cli.context import CliContext
    from guard.cli.status import ExitStatus
    from guard.errors import GuardError, StorageFaultError
    from guard.logs import remove_logging, setup_logging

    ctx = CliContext(env)
    handlers = setup_logging(ctx.base_paths.log_file, verbose=getattr(args, "verbose", False), stream=env.stderr,
                             long_running=False)
    import logging

    logging.getLogger(__name__).info("meeting-guard %s %s", __version__, getattr(args, "command", ""))
    _loaded(own_process)
    try:
        return int(args.func(args, ctx))
    except GuardError as error:
        ctx.error(str(error))
        if isinstance(error, StorageFaultError):
            return ExitStatus.STORAGE
        return int(getattr(error, "exit_status", ExitStatus.USAGE))
    except KeyboardInterrupt:
        ctx.error("interrupted")
        return ExitStatus.INTERRUPTED
    finally:
        remove_logging(handlers)


def _reader_went_away(env: Environment) -> int:
    """``| head`` closed the pipe: end quietly, as other Unix tools do."""
    import os

    from guard.cli.status import ExitStatus

    try:
        fileno = env.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return ExitStatus.BROKEN_PIPE
    # Point stdout at /dev/null so the interpreter's final flush does not fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)
    return ExitStatus.BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
