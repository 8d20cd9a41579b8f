"""``meeting-guard settings``: where the settings live, their values as TOML, and any problems.

Test-only settings are left out unless the file turns one on. Exit 1 when the file has problems.
"""

from __future__ import annotations

import argparse
from typing import Any

from guard.cli.context import CliContext
from guard.cli.status import ExitStatus
from guard.settings import Settings, SettingsStore, test_only_keys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def shown_values(settings: Settings) -> dict[str, dict[str, Any]]:
    """The settings by section, without test-only keys that are at their default."""
    values = settings.model_dump()
    defaults = Settings().model_dump()
    for dotted in test_only_keys():
        section, _, key = dotted.partition(".")
        if values[section][key] == defaults[section][key]:
            del values[section][key]
    return values


def run(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    store = SettingsStore(ctx.base_paths.settings_file)
    settings = store.load()
    problems = [issue.message(store.path) for issue in store.issues]
    values = shown_values(settings)
    if args.json:
        ctx.print_json({"file": str(store.path), "exists": store.exists, "settings": values, "problems": problems})
    else:
        import tomli_w

        if store.exists:
            ctx.print(f"# Settings file: {store.path}")
        else:
            ctx.print(f"# Settings file: {store.path} (does not exist yet: these are the defaults; "
                      "saving Preferences in the settings window creates it)")
        ctx.print(tomli_w.dumps(values).rstrip("\n"))
        if problems:
            ctx.print()
            ctx.print(f"# {_count(len(problems), 'problem')} in the file:")
            for problem in problems:
                ctx.print(f"#   {problem}")
    return ExitStatus.CHECK_FAILED if problems else ExitStatus.OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
