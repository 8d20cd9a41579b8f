"""Archived texts kept as fixtures (tests/terms/fixtures/archive, listed in provenance.toml) and the
normalisation a catalog quote is compared under: Markdown markup and spacing do not count, words do."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from tests.terms.support.pages import FIXTURES

ARCHIVE = FIXTURES / "archive"
PROVENANCE = ARCHIVE / "provenance.toml"

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
_HEADING_RULE = re.compile(r"(?m)^[=-]{3,}[ \t]*$")


@dataclass(frozen=True)
class ArchivedFile:
    file: Path
    repository: str
    path: str
    commit: str
    recorded: date | None
    licence: str
    characters: int
    sha256: str
    states: str | None
    excerpt: bool

    def text(self) -> str:
        return self.file.read_text(encoding="utf-8")


@cache
def archived_files() -> tuple[ArchivedFile, ...]:
    data = tomllib.loads(PROVENANCE.read_text(encoding="utf-8"))
    files = []
    for entry in data["file"]:
        recorded = entry.get("recorded")
        files.append(ArchivedFile(
            file=ARCHIVE / entry["file"], repository=entry["repository"], path=entry["path"],
            commit=entry["commit"], recorded=recorded.date() if isinstance(recorded, datetime) else recorded,
            licence=entry["licence"], characters=entry["characters"], sha256=entry["sha256"],
            states=entry.get("states"), excerpt=entry.get("excerpt", False)))
    return tuple(files)


def find_archived(repository: str, path: str, commit: str) -> ArchivedFile | None:
    return next((f for f in archived_files()
                 if (f.repository, f.path, f.commit) == (repository, path, commit)), None)


def plain_words(markdown: str) -> str:
    """Markdown as the words a reader sees: links to their text, no emphasis, escapes or list
    markers, every run of whitespace (no-break spaces included) one space."""
    text = _LINK.sub(r"\1", markdown)
    text = _HEADING_RULE.sub(" ", text)
    text = _LIST_MARKER.sub(" ", text)
    text = text.replace("\\", "").replace("**", "").replace("__", "")
    return " ".join(text.split())
