"""Entry point of ``meeting-guard``.

With no subcommand it starts the tray app (Qt is imported only then). Subcommands live in
one module each under ``guard.cli`` and register themselves with :func:`register`.
Exit codes: 0 ok, 1 a check failed, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from guard import APP_NAME, __version__
from guard.errors import GuardError
from guard.logs import setup_logging
from guard.paths import app_paths

log = logging.getLogger(__name__)

# One module per subcommand family; each defines register(subparsers).
COMMAND_MODULES: tuple[str, ...] = (
    "guard.cli.settings_cmd",
    "guard.cli.providers",
    "guard.cli.terms_cmd",
    "guard.cli.consent",
    "guard.cli.scan",
    "guard.cli.letter",
    "guard.cli.browser",
)

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meeting-guard",
        description=f"{APP_NAME}: which meeting AI features and terms apply to you, and what you agreed to. "
        "With no command, starts the tray app.",
    )
    parser.add_argument("--version", action="version", version=f"meeting-guard {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _is_tray_start(argv: list[str]) -> bool:
    return all(arg in ("-v", "--verbose") for arg in argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if _is_tray_start(argv):
        # The tray app: skip importing every subcommand and pydantic, so the icon shows sooner.
        paths = app_paths()
        setup_logging(paths.log_file, verbose=bool(argv))
        from ui.app import run_app

        return run_app(paths)

    from guard.cli.context import CliContext
    from guard.settings import SettingsStore

    parser = build_parser()
    args = parser.parse_args(argv)
    paths = app_paths()
    setup_logging(paths.log_file, verbose=args.verbose)

    if args.command is None:
        from ui.app import run_app  # Qt is loaded only for the tray app

        return run_app(paths)

    store = SettingsStore(paths.settings_file)
    settings = store.load()
    for issue in store.issues:
        log.warning("%s", issue.message(store.path))
    ctx = CliContext(paths=paths.with_data_dir(settings.general.data_dir or None), settings=settings)
    try:
        return int(args.func(args, ctx))
    except GuardError as error:
        ctx.error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
