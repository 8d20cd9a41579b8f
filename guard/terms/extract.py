"""Cut the terms text out of a page with a document's selectors, as stable Markdown.

``remove`` selectors are applied first (CSS selectors, or Open Terms Archive ranges), then
``select`` picks the content: the first selector that matches (catalog documents) or all of
them in page order (OTA declarations). Ranges are cut with sentinel characters placed next to
their start and end elements, so they work whatever lies between the two.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import soupsieve
from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from guard.terms.errors import TermsError
from guard.terms.htmlmd import nodes_to_markdown
from guard.terms.models import RangeSelector, SelectMode, Selector

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters that bracket a range's sentinel
PARSER = "html.parser"  # fixed, so the same page always parses the same way


class ExtractError(TermsError):
    """The selectors found nothing (or are invalid), so no terms text could be taken."""


@dataclass(frozen=True)
class Extracted:
    markdown: str
    matched: str  # which selector(s) produced the text, for the log


def extract(html: str, select: Sequence[Selector], remove: Sequence[Selector] = (),
            mode: SelectMode = SelectMode.FIRST, url: str = "the page") -> Extracted:
    """The terms text of ``html`` as stable Markdown. Raises :class:`ExtractError` if empty."""
    soup = BeautifulSoup(html, PARSER)
    # A page may hold the sentinel characters itself; a token it cannot know tells ours from its.
    nonce = secrets.token_hex(8)
    ranges_to_remove = 0
    for selector in remove:
        if isinstance(selector, RangeSelector):
            _mark_range(soup, selector, f"r{ranges_to_remove}.{nonce}", url)
            ranges_to_remove += 1
        else:
            for element in _select(soup, selector, url):
                element.decompose()
    parts: list[str] = []
    used: list[str] = []
    for index, selector in enumerate(select):
        if isinstance(selector, RangeSelector):
            text = _range_text(soup, selector, f"s{index}.{nonce}", url)
            if text:
                parts.append(text)
                used.append(_describe(selector))
        else:
            matches = _outermost(soup, _select(soup, selector, url))
            if matches:
                parts.append(nodes_to_markdown(matches))
                used.append(selector)
        if parts and mode is SelectMode.FIRST:
            break
    markdown = _clean("\n\n".join(part for part in parts if part))
    if ranges_to_remove:
        markdown = _clean(_cut_removed(markdown, nonce))
    markdown = _strip_sentinels(markdown, nonce)
    if not markdown:
        wanted = ", ".join(_describe(s) for s in select) or "(none)"
        raise ExtractError(f"No terms text found in {url} with the selectors {wanted}; the page layout may have "
                           "changed. Update the document's selectors.")
    return Extracted(markdown + "\n", ", ".join(used))


def _select(soup: BeautifulSoup, selector: str, url: str) -> list[Tag]:
    try:
        return list(soup.select(selector))
    except (soupsieve.SelectorSyntaxError, ValueError, NotImplementedError) as error:
        raise ExtractError(f"The selector {selector!r} for {url} is not valid CSS ({error}).") from None


def _outermost(soup: BeautifulSoup, elements: list[Tag]) -> list[Tag]:
    """Matches without those inside another match, in page order."""
    chosen = {id(element) for element in elements}
    kept = [e for e in elements if not any(id(parent) in chosen for parent in e.parents)]
    if len(kept) < 2:
        return kept
    order = {id(node): position for position, node in enumerate(soup.descendants) if isinstance(node, Tag)}
    unique = {id(e): e for e in kept}
    return sorted(unique.values(), key=lambda e: order.get(id(e), 0))


def _marker(kind: str, name: str) -> str:
    return f"{_OPEN}{kind}{name}{_CLOSE}"


def _place(soup: BeautifulSoup, css: str | None, before: bool, text: str, url: str) -> bool:
    if css is None:
        return False
    found = _select(soup, css, url)
    if not found:
        return False
    element = found[0]
    # Padded with blank lines so the sentinel ends up between blocks, not inside a word.
    sentinel = NavigableString(f"\n{text}\n")
    if before:
        element.insert_before(sentinel)
    else:
        element.insert_after(sentinel)
    return True


def _mark_range(soup: BeautifulSoup, selector: RangeSelector, name: str, url: str) -> bool:
    start = _place(soup, selector.start_before, True, _marker("<", name), url) or \
        _place(soup, selector.start_after, False, _marker("<", name), url)
    end = _place(soup, selector.end_before, True, _marker(">", name), url) or \
        _place(soup, selector.end_after, False, _marker(">", name), url)
    return start and end


def _range_text(soup: BeautifulSoup, selector: RangeSelector, name: str, url: str) -> str:
    if not _mark_range(soup, selector, name, url):
        return ""
    text = nodes_to_markdown([soup])
    start, end = text.find(_marker("<", name)), text.find(_marker(">", name))
    if start < 0 or end < 0 or end < start:
        return ""
    return text[start + len(_marker("<", name)):end]


def _cut_removed(text: str, nonce: str) -> str:
    """Each removed range, start sentinel to end sentinel. Only the app's sentinels (which carry
    ``nonce``) start a match, so the scan is linear whatever the page holds."""
    return re.sub(f"{_OPEN}<(r\\d+)\\.{nonce}{_CLOSE}.*?{_OPEN}>\\1\\.{nonce}{_CLOSE}", "\n\n", text, flags=re.DOTALL)


def _strip_sentinels(text: str, nonce: str) -> str:
    return _clean(re.sub(f"{_OPEN}[<>][rs]\\d+\\.{nonce}{_CLOSE}", "\n\n", text))


def _clean(text: str) -> str:
    """Re-join blocks after cutting: no blank blocks, one blank line between blocks."""
    blocks = (block.strip("\n") for block in re.split(r"\n\s*\n", text))
    return "\n\n".join(block for block in blocks if block.strip())


def _describe(selector: Selector) -> str:
    if isinstance(selector, RangeSelector):
        parts = [f"{key}={value!r}" for key, value in (
            ("startBefore", selector.start_before), ("startAfter", selector.start_after),
            ("endBefore", selector.end_before), ("endAfter", selector.end_after)) if value]
        return "range(" + ", ".join(parts) + ")"
    return repr(selector)
