"""Build a shipped baseline (resources/terms/<provider>/<document>.md + .json) from an archive
Markdown fixture: render it to HTML and extract it with the app's own extractor, so the
baseline is exactly what the app stores for that text. Run::

    python -m tests.terms.support.baselines FIXTURE.md PROVIDER DOCUMENT META.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guard.paths import resources_dir
from guard.terms.baseline import sha256_text
from guard.terms.extract import extract
from tests.terms.support.pages import plain_page


def canonical(md: str) -> str:
    """The app's stable Markdown for an archive Markdown text."""
    return extract(plain_page(md), ("main",)).markdown


def build(fixture: Path, provider: str, document: str, meta: dict) -> Path:
    text = canonical(fixture.read_text(encoding="utf-8"))
    folder = resources_dir() / "terms" / provider
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{document}.md"
    target.write_text(text, encoding="utf-8")
    meta = {**meta, "sha256": sha256_text(text)}
    target.with_suffix(".json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    source, provider, document, meta_file = sys.argv[1:5]
    print(build(Path(source), provider, document, json.loads(Path(meta_file).read_text(encoding="utf-8"))))
