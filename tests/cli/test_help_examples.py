"""Issue 17: the examples in the command line's help name ids the catalog really has."""

import argparse
import re
from collections.abc import Iterator

from guard.catalog import load_catalog
from guard.cli.registry import build_parser

EXAMPLE = re.compile(r"e\.g\. '?([a-z0-9][a-z0-9-]*)")
PROVIDERS_COMMAND = re.compile(r"meeting-guard providers ([a-z0-9][a-z0-9-]*)")


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from parsers(child)


def helps() -> Iterator[tuple[str, str]]:
    """(option dest, help text) for every option, and ("", text) for every description."""
    for parser in parsers(build_parser(full=True)):
        yield "", parser.description or ""
        for action in parser._actions:
            yield action.dest, action.help or ""


def test_every_catalog_id_in_help_text_exists():
    catalog = load_catalog()
    checked = 0
    for dest, text in helps():
        named = PROVIDERS_COMMAND.findall(text)
        for provider_id in named:
            assert catalog.get(provider_id), f"help names provider '{provider_id}': {text}"
            checked += 1
        for example in EXAMPLE.findall(text):
            if dest in ("provider", "id"):
                assert catalog.get(example), f"--{dest} example '{example}' is not a provider: {text}"
            elif dest == "feature":
                owners = named or list(catalog.providers)
                assert any(catalog.get(p).feature(example) for p in owners), \
                    f"--feature example '{example}' is not a feature of {owners}: {text}"
            else:
                continue
            checked += 1
    assert checked >= 3, "the help texts give catalog examples"
