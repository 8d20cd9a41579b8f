"""``meeting-guard settings``: where the settings live, their values as TOML, and any problems.

Test-only settings are left out unless the file turns one on. Exit 1 when the file has problems.
"""

from __future__ import annotations

import argparse
from typing import Any

from guard.cli.context import CliContext
from guard.cli.status import ExitStatus
from guard.settings import FieldInfo, Settings, SettingsStore, test_only_keys
from guard.settings_model import SettingsModel


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def shown_values(settings: Settings) -> dict[str, dict[str, Any]]:
    """The settings by section, without test-only keys that are at their default."""
    values = settings.model_dump()
    for dotted in test_only_keys():
        section, _, key = dotted.partition(".")
        if values[section][key] == _field(dotted).default:
            del values[section][key]
    return values


def from_environment(settings: Settings) -> list[str]:
    """A line per setting taken from an environment variable (test-only) with another value than its default."""
    values = settings.model_dump()
    found = []
    for dotted in sorted(test_only_keys()):
        info = _field(dotted)
        section, _, key = dotted.partition(".")
        if info.env is not None and values[section][key] != info.default:
            found.append(f"'{dotted}' comes from the environment variable {info.env}, not the default "
                         f"{info.default!r} (test-only)")
    return found


def _field(dotted: str) -> FieldInfo:
    section, _, key = dotted.partition(".")
    model = Settings.model_fields[section].annotation
    assert issubclass(model, SettingsModel)
    return model.model_fields[key]


def run(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    store = SettingsStore(ctx.base_paths.settings_file)
    settings = store.load()
    problems = [issue.message(store.path) for issue in store.issues]
    values = shown_values(settings)
    outside = from_environment(settings)
    if args.json:
        ctx.print_json({"file": str(store.path), "exists": store.exists, "settings": values, "problems": problems,
                        "from_environment": outside})
    else:
        import tomli_w

        if store.exists:
            ctx.print(f"# Settings file: {store.path}")
        else:
            ctx.print(f"# Settings file: {store.path} (does not exist yet: these are the defaults; "
                      "saving Preferences in the settings window creates it)")
        ctx.print(tomli_w.dumps(values).rstrip("\n"))
        for line in outside:
            ctx.print(f"# {line}")
        if problems:
            ctx.print()
            ctx.print(f"# {_count(len(problems), 'problem')} in the file:")
            for problem in problems:
                ctx.print(f"#   {problem}")
    return ExitStatus.CHECK_FAILED if problems else ExitStatus.OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
