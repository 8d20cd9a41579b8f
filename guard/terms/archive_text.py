"""An archived version's Markdown in the app's own text form.

Open Terms Archive stores each version as Markdown made from the provider's page. The app stores
what its extractor makes of a page (:mod:`guard.terms.extract`). Rendering the archive's Markdown
to HTML and reading that with the same extractor gives both the same form, so a version read in
the archive, a shipped baseline and a page fetched from the provider compare clause by clause.
The archive writes a page's tables as pipe tables (``<br>`` where a cell breaks lines); they are
read as tables, so each row is one clause as on the page, not rows run together and cut at each
``<br>``.
"""

from __future__ import annotations

from functools import lru_cache

import markdown  # type: ignore[import-untyped]

from guard.terms.extract import extract

MAX_MARKDOWN = 5 * 1024 * 1024  # characters; the fetcher's size cap for a page


def archive_markdown_to_text(text: str, where: str = "the archived version") -> str:
    """The app's stable text for an archived Markdown version (raises ExtractError when empty)."""
    if len(text) > MAX_MARKDOWN:
        text = text[:MAX_MARKDOWN]
    return _converted(text, where)


@lru_cache(maxsize=16)
def _converted(text: str, where: str) -> str:
    """(An import reads the same text at both ends of many runs of commits: converted once.)"""
    html = markdown.markdown(text, extensions=["tables"], output_format="html")
    return extract(f"<main>{html}</main>", ("main",), url=where).markdown
