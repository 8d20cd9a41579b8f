"""HTML → the watcher's stable Markdown: headings, paragraphs, list items, table rows, text.

Only the words and the block structure survive: no attributes, classes, ids, URLs or
emphasis, whitespace collapsed and Unicode normalised (NFC, no zero-width characters), so a
redesign of the page does not read as a change of terms. One block per paragraph, heading,
list item or table row, separated by a blank line; these blocks are the clauses the diff
compares. Written over BeautifulSoup because the HTML→Markdown libraries keep URLs and
styling that change with every redesign.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from bs4.element import (
    CData,  # noqa: I001
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)

from guard.terms.charmap import CharMap

SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "head", "title", "meta", "link", "base", "button", "input", "select", "option", "textarea", "img",
    "picture", "source", "video", "audio", "track", "map", "area", "dialog",
})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "blockquote", "pre",
    "figure", "figcaption", "address", "details", "summary", "form", "fieldset", "legend", "center",
    "body", "html", "dl", "dt", "dd", "hr", "caption",
})
HEADINGS = {f"h{level}": level for level in range(1, 7)}
_IGNORED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction, CData)

# Characters that are only layout: removed, or turned into plain spaces.
_INVISIBLE = CharMap(dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# And the other characters that show nothing and say nothing in terms text, dropped in one linear pass (too many for
# a CharMap): a page can put them inside a word ("tr<U+E0041>ain machine learning") so that its reader sees "train"
# and the topic rules do not (the change read as a content licence, never as AI training). Tag characters, the
# combining grapheme joiner, variation selectors, invisible operators, fillers, the Mongolian vowel separator,
# interlinear annotation, shorthand and musical format controls, and the bidi controls (guard.text_controls), which
# every path that shows terms text strips anyway: with the six above, Unicode's Default_Ignorable_Code_Point set
# (DerivedCoreProperties.txt, which browsers draw as nothing), so the Mongolian free variation selectors, the
# deprecated format controls U+206A-U+206F and the unassigned ignorables hide no word either (audit16).
_HIDDEN = re.compile("[\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200e\u200f\u202a-\u202e\u2061-\u206f"
                     "\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                     "\U000e0000-\U000e0fff]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEEDS_ESCAPE = re.compile(r"^(#|>|[-*+](?=\s)|\d+[.)](?=\s))")


_BREAK = "\u2028"  # a <br> (or a line of <pre>); newlines in the HTML source are just spaces


# Cyrillic and Greek letters drawn like one Latin letter (Unicode's confusables.txt, UTS #39): a page can write
# "trаin" or "АІ" with them, which its reader reads as "train" and "AI" while no topic rule matched a word (audit16).
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХІЈЅ" "οανρικΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwhlABEKMHOPCTXIJS" "oavpikABEZHIKMNOPTYX")
_WORD = re.compile(r"\w+")


def _latin_lookalikes(text: str) -> str:
    """``text`` with each word written in Latin letters and their look-alikes spelt in Latin letters alone: in a
    word that mixes them, and in a look-alike word ("АІ") of a clause written mostly in Latin letters. A word of a
    Cyrillic or Greek clause, or with a letter that looks like no Latin one, is kept as written. Linear."""
    folded = text.translate(_LOOKALIKES)
    if folded == text:
        return text
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    latin_clause = latin * 2 > sum(1 for ch in text if ch.isalpha())

    def fold(match: re.Match[str]) -> str:
        word = match.group()
        spelt = word.translate(_LOOKALIKES)
        if spelt == word or not spelt.isascii():
            return word
        return spelt if latin_clause or any(ch.isascii() and ch.isalpha() for ch in word) else word

    return _WORD.sub(fold, text)


def normalise_text(text: str) -> str:
    """NFC, no zero-width or other invisible characters, Latin look-alikes in Latin words spelt in Latin, single
    spaces; <br> line breaks kept, blank lines dropped."""
    text = _INVISIBLE(unicodedata.normalize("NFC", text)).replace("\n", " ")
    if not text.isascii():
        text = _latin_lookalikes(_HIDDEN.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line)


def _escape_start(text: str) -> str:
    """Keep a paragraph that starts like Markdown syntax (``1. ``, ``# ``) a paragraph."""
    return _NEEDS_ESCAPE.sub(lambda match: "\\" + match.group(1), text, count=1)


def _shown_anyway(tag: Tag, in_heading: bool) -> bool:
    """A tag of :data:`SKIP_TAGS` whose text the page shows as text: an open ``<dialog>`` (drawn in place), a text box
    (an old licence page's read-only ``<textarea>``, read paragraph by paragraph), a heading's button (an accordion's
    title). (audit16: a clause written in one was dropped unread.)"""
    name = tag.name
    return ((name == "dialog" and tag.has_attr("open")) or name == "textarea"
            or (name == "button" and in_heading))


def _hidden(tag: Tag) -> bool:
    """Not drawn: the ``hidden`` attribute, or an inline style that hides it. Not ``aria-hidden``, which hides an
    element from screen readers only: a browser shows its text, so a clause written there is read; nor
    ``hidden="until-found"``, an accordion's closed panel, which the reader opens (or finding a word in the page
    does): the section's clauses are the terms (audit16)."""
    hidden = tag.get("hidden")
    if hidden is not None and not (isinstance(hidden, str) and hidden.strip().lower() == "until-found"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style) is not None


@dataclass
class _Block:
    text: str
    listed: bool = False  # already carries its list marker and indent


@dataclass
class _Converter:
    """Walks a tree once, collecting blocks; inline content accumulates until a block ends."""

    list_depth: int = 0
    in_pre: bool = False
    blocks: list[_Block] = field(default_factory=list)
    _inline: list[str] = field(default_factory=list)
    # While a table's cell is read: the tables nested in it, read after its row as rows of their own.
    nested: list[Tag] | None = None
    in_heading: bool = False  # a heading's button (an accordion's: <h3><button>Title</button></h3>) is its title

    def walk(self, node: object) -> None:
        if isinstance(node, NavigableString):
            if not isinstance(node, _IGNORED_STRINGS):
                self._inline.append(str(node).replace("\n", _BREAK) if self.in_pre else str(node))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if (name in SKIP_TAGS and not _shown_anyway(node, self.in_heading)) or _hidden(node):
            return
        if name == "br":
            self._inline.append(_BREAK)
        elif name == "textarea":  # a licence shown in a read-only text box: one clause per paragraph
            self.flush()
            for paragraph in _PARAGRAPHS.split(node.get_text()):
                self._inline.append(paragraph)
                self.flush()
        elif name == "pre":
            self.flush()
            self.in_pre, was = True, self.in_pre
            for child in node.children:
                self.walk(child)
            self.flush()
            self.in_pre = was
        elif name in HEADINGS:
            self.flush()
            text = self._inline_text(node, heading=True).replace("\n", " ")
            if text:
                self.blocks.append(_Block("#" * HEADINGS[name] + " " + text))
        elif name in ("ul", "ol"):
            self.flush()
            self._list(node, ordered=name == "ol")
        elif name == "li":
            self.flush()
            self._item(node, "-")
        elif name == "table" and self.nested is not None:
            self.nested.append(node)
        elif name == "table":
            self.flush()
            self._table(node)
        elif name in BLOCK_TAGS:
            self.flush()
            for child in node.children:
                self.walk(child)
            self.flush()
        else:
            for child in node.children:
                self.walk(child)

    def flush(self) -> None:
        if not self._inline:
            return
        text = normalise_text("".join(self._inline))
        self._inline.clear()
        if text:
            self.blocks.append(_Block(_escape_start(text)))

    def _inline_text(self, node: Tag, nested: list[Tag] | None = None, heading: bool = False) -> str:
        sub = _Converter(self.list_depth, self.in_pre, nested=nested, in_heading=heading or self.in_heading)
        for child in node.children:
            sub.walk(child)
        sub.flush()
        return " ".join(block.text.lstrip() for block in sub.blocks)

    def _list(self, node: Tag, ordered: bool) -> None:
        number = 1
        if ordered:
            start = node.get("start")
            if isinstance(start, str) and start.strip().lstrip("-").isdigit():
                number = int(start)
        for child in node.children:
            if isinstance(child, Tag) and child.name == "li":
                if ordered:
                    value = child.get("value")
                    if isinstance(value, str) and value.strip().isdigit():
                        number = int(value)
                self._item(child, f"{number}." if ordered else "-")
                number += 1
            else:
                self.walk(child)
                self.flush()

    def _item(self, node: Tag, marker: str) -> None:
        if _hidden(node):
            return
        sub = _Converter(self.list_depth + 1, self.in_pre)
        for child in node.children:
            sub.walk(child)
        sub.flush()
        indent = "  " * self.list_depth
        first = True
        for block in sub.blocks:
            if block.listed:
                self.blocks.append(block)
            elif first:
                self.blocks.append(_Block(f"{indent}{marker} {block.text}", listed=True))
                first = False
            else:
                self.blocks.append(_Block(f"{indent}  {block.text}", listed=True))

    def _table(self, node: Tag) -> None:
        """``node``'s rows, one block each, in order; a table nested in a cell follows its cell's row. What a
        browser shows beside the rows (a caption, a table directly inside, text or a tag outside any cell, as a
        flattened deep page leaves them) is read in its place as any other content: it was dropped unread, so a
        clause written there never reached the topic rules. Each tag is looked at once. (Every row below, as
        ``find_all("tr")`` gave them, read each nested table's rows again for each table around it: a page of 18
        tables nested in each other's cell took 9 s and 2.6 MB of repeated clauses, each one more doubled it.)"""
        stack: list[object] = list(reversed(list(node.children)))
        while stack:
            item = stack.pop()
            if isinstance(item, Tag) and (item.name in _TABLE_PARTS or (item.name not in _NOT_PARTS
                                                                       and item.find("tr") is not None)):
                if not (item.name in SKIP_TAGS or _hidden(item)):  # rows in a tbody, or in a form around them
                    stack.extend(reversed(list(item.children)))
            elif isinstance(item, Tag) and item.name == "tr":
                if not _hidden(item):
                    self._row(item)
            elif not (isinstance(item, Tag) and item.name in _TABLE_COLUMNS):
                self.walk(item)
                self.flush()

    def _row(self, row: Tag) -> None:
        nested: list[Tag] = []
        cells: list[str] = []
        beside: list[object] = []
        for child in row.children:
            if isinstance(child, Tag) and child.name in ("td", "th"):
                cells.append("" if _hidden(child) else self._inline_text(child, nested).replace("\n", " "))
            else:
                beside.append(child)
        if any(cells):
            self.blocks.append(_Block("| " + " | ".join(cells) + " |"))
        for table in nested:
            self._table(table)
        for item in beside:
            self.walk(item)
            self.flush()


_PARAGRAPHS = re.compile(r"\n[ \t\r\f\v]*\n")  # a blank line between two paragraphs of plain text
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})
_TABLE_COLUMNS = frozenset({"colgroup", "col"})
_NOT_PARTS = frozenset({"table", "tr", "td", "th", "caption"})  # read as a table, a row, or content


# Real pages nest a few dozen elements deep; a hostile or broken one (unclosed tags) can nest
# 100,000 in a 1 MB page, which would exhaust Python's recursion in the walk below.
MAX_DEPTH = 128


def _flatten_deep(node: Tag) -> None:
    """Replace each subtree more than MAX_DEPTH below ``node`` by its text (kept, in place;
    hidden and skipped parts dropped first), walking with an explicit stack so the depth of
    the page never becomes recursion."""
    too_deep: list[Tag] = []
    stack: list[tuple[Tag, int]] = [(node, 0)]
    while stack:
        tag, depth = stack.pop()
        for child in list(tag.children):
            if not isinstance(child, Tag):
                continue
            if depth + 1 >= MAX_DEPTH and (child.name in SKIP_TAGS or _hidden(child)):
                child.extract()
                continue
            if depth + 1 == MAX_DEPTH:
                too_deep.append(child)
            stack.append((child, depth + 1))
    for tag in too_deep:
        tag.replace_with(NavigableString(tag.get_text(" ")))


def nodes_to_markdown(nodes: list[Tag | BeautifulSoup]) -> str:
    """The stable Markdown of ``nodes`` (in the order given), one block per clause."""
    converter = _Converter()
    for node in nodes:
        _flatten_deep(node)
        converter.walk(node)
        converter.flush()
    return "\n\n".join(block.text for block in converter.blocks)

