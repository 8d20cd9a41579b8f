"""``meeting-guard settings``: where the settings live, their values, and any problems."""

from __future__ import annotations

import argparse

from guard.cli.context import CliContext
from guard.cli.status import ExitStatus
from guard.settings import SettingsStore


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    store = SettingsStore(ctx.base_paths.settings_file)
    settings = store.load()
    problems = [issue.message(store.path) for issue in store.issues]
    if args.json:
        ctx.print_json({"file": str(store.path), "settings": settings.model_dump(), "problems": problems})
    else:
        ctx.print(f"Settings file: {store.path}")
        for section, values in settings.model_dump().items():
            for key, value in values.items():
                ctx.print(f"  {section}.{key} = {value!r}")
        for problem in problems:
            ctx.print(f"Problem: {problem}")
    return ExitStatus.CHECK_FAILED if problems else ExitStatus.OK
