"""Build the shipped baselines (resources/terms/<provider>/<document>.md) from the archived texts
kept as test fixtures: read the archive's Markdown as an archive import does
(``guard.terms.archive_text``: rendered to HTML, tables as tables, and extracted with the app's own
extractor), so a baseline is exactly what the app stores for that text.

Each baseline's ``.json`` is written by hand (where the text came from, its date, the provider's
URL); its ``archive`` block names the repository, path and commit, which locate the fixture::

    tests/terms/fixtures/archive/<owner>/<repo>/<commit[:12]>/<path>

(the two Zoom texts predate that layout and keep their names, see ``LEGACY``). Rebuild every
baseline's text and SHA-256 from its fixture after editing a ``.json``::

    python -m tests.terms.support.baselines
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from guard.terms.archive_text import archive_markdown_to_text
from guard.terms.baseline import sha256_text, shipped_baselines_dir
from tests.terms.support.pages import FIXTURES

LEGACY = {
    ("OpenTermsArchive/contrib-versions", "Zoom/Terms of Service.md", "00d4131fd11b0a20417c9b65bcc2b40f1528dd2f"):
        "zoom/tos-2023-08-11.ota.md",
    ("OpenTermsArchive/contrib-versions", "Zoom/Privacy Policy.md", "0485933548ac03b13f0894af2ffa78837b12ef3e"):
        "zoom/privacy-2022-12-30.ota.md",
}


def canonical(md: str) -> str:
    """The app's stable Markdown for an archive Markdown text (as an archive import reads it)."""
    return archive_markdown_to_text(md)


def archive_fixture(archive: dict[str, Any]) -> Path:
    """Where the archived text named by a baseline's ``archive`` block is kept."""
    key = (archive["repository"], archive["path"], archive["commit"])
    if key in LEGACY:
        return FIXTURES / LEGACY[key]
    return FIXTURES / "archive" / archive["repository"] / archive["commit"][:12] / archive["path"]


def github_url(archive: dict[str, Any]) -> str:
    """The archived file's address on GitHub at its commit."""
    return f"https://github.com/{archive['repository']}/blob/{archive['commit']}/{quote(archive['path'])}"


def rebuild(meta_path: Path) -> Path:
    """Rewrite one baseline's text (and the SHA-256 in its .json) from its archived fixture."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    text = canonical(archive_fixture(meta["archive"]).read_text(encoding="utf-8"))
    target = meta_path.with_suffix(".md")
    target.write_text(text, encoding="utf-8")
    meta["sha256"] = sha256_text(text)
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    for path in sorted(shipped_baselines_dir().glob("*/*.json")) if len(sys.argv) == 1 else map(Path, sys.argv[1:]):
        print(rebuild(path))
