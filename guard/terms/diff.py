"""Compare two versions of a document clause by clause (pure functions: text in, values out).

A clause is one block of the stable Markdown (paragraph, heading, list item, table row). Each
clause knows the section it belongs to: its own leading number (``10.4 ...``), or the last
numbered clause or heading before it. Clauses are compared after a normalisation that ignores
what a redesign changes (Markdown escapes, spacing, quote and dash styles, letter case), so
only changes of wording are reported. A clause that only moved is not a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from guard.terms.align import align, anchors
from guard.terms.charmap import CharMap

_SECTION = re.compile(
    r"^(?P<indent>\s*)(?:#{1,6}\s+)?(?:[-*+]\s+)?(?:\*\*|__)?\\?(?:(?:section|article|clause|§)\s*)?"
    r"(?P<number>\d{1,3}(?:\.\d{1,3}){0,2})(?:\\?[.)])?(?=\s|$)",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
# how a list item is marked: a bullet, "(i)"/"(a)"/"(1)", "1."/"4.6."/"1)", "a."/"a)"
_MARKERS = (("bullet", re.compile(r"^\s*(?:[-*+]|\\?[-*+])\s+")),
            ("paren", re.compile(r"^\s*\((?:\d{1,2}|[ivxlc]{1,6}|[a-z])\)\s")),
            ("number", re.compile(r"^\s*(?:#{1,6}\s*)?\\?\d{1,3}(?:\.\d{1,3}){0,3}\\?[.)]\s")),
            ("letter", re.compile(r"^\s*[a-z][.)]\s")))
_WORD = re.compile(r"\w+")
_TABLE_ROWS = re.compile(r"\s*\|(?:\s*\|){2,}\s*")  # "| | | |": where one row of a flattened table ends
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(\[]?[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2})")
# (the second form: a sentence glued to the next one by a lost space, "in your account.Where applicable")
_TRANSLATE = CharMap({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-",
                            "‐": "-", "‑": "-", "\u00a0": " "})



class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"  # the same clause, unchanged, in another place
    WORDING = "wording-only"  # markup, punctuation, contractions, cross-references or a rename only


@dataclass(frozen=True)
class Clause:
    """One block of the text. ``lead`` is the sentence introducing the list it belongs to
    ("you agree that you will not use the AI services:", or the paragraph just before a bulleted
    list: "we use your data for the following purposes."), when it is a list item."""

    text: str
    section: str | None
    index: int
    lead: str | None = None
    heading: str | None = None  # the Markdown heading the clause is under ("## How we use your data")

    @cached_property
    def key(self) -> str:
        """The clause as compared (:func:`comparable`), worked out once: alignment asks it several times."""
        return comparable(self.text)


@dataclass(frozen=True)
class ClauseDiff:
    """One clause that differs: ``old``/``new`` are None when it was added/removed. ``score`` is
    how similar a changed clause's two wordings are (1.0 for moved and wording-only ones)."""

    kind: ChangeKind
    old: Clause | None
    new: Clause | None
    score: float = 1.0
    unpaired: bool = False  # added/removed only because too many clauses changed to pair (align.MAX_PAIRED)

    @property
    def quiet(self) -> bool:
        """True when nothing but the place or the form of the wording changed."""
        return self.kind in (ChangeKind.MOVED, ChangeKind.WORDING)

    @property
    def section(self) -> str | None:
        return (self.new.section if self.new else None) or (self.old.section if self.old else None)

    @property
    def old_text(self) -> str | None:
        return self.old.text if self.old else None

    @property
    def new_text(self) -> str | None:
        return self.new.text if self.new else None


def starts_section(text: str) -> bool:
    """True when the clause opens with its own number (``10.4 ...``), i.e. starts a section."""
    return _SECTION.match(text) is not None


def comparable(text: str) -> str:
    """The clause as compared: no Markdown markers or escapes, one spacing, plain quotes, lower case.

    Numbers stay: "2. Data" as a list item and "2. DATA" as a paragraph compare equal.
    """
    text = _BULLET.sub("", text.replace("\\", "").lstrip("#").lstrip())
    return " ".join(_TRANSLATE(text).split()).casefold()


def split_clauses(markdown: str) -> list[Clause]:
    """The blocks of ``markdown`` in order, each with its section number (if one can be told)."""
    clauses: list[Clause] = []
    current: str | None = None
    parents: dict[int, str] = {}  # list indent -> section of the enclosing numbered item
    leads: list[tuple[int, str]] = []  # (indent, text) of open list lead-ins, innermost last
    intro: str | None = None  # the paragraph just before a list: it introduces the list's items
    heading: str | None = None
    seen_top: set[str] = set()  # the top-level numbers seen so far
    for block in _blocks(markdown):
        match = _SECTION.match(block)
        if match and _restarted_heading(match, block, seen_top):
            # the archive writes every heading of an ordered list as "1." ("1. ORDERING SERVICES"):
            # its own words name the section, not a number every section shares
            heading = " ".join(_LIST_MARKER.sub("", block).replace("*", "").split())[:HEADING_CHARS] or None
            current, match = None, None
            parents = {}
        if match:
            number = match.group("number")
            depth = len(match.group("indent")) // 2
            if not depth:
                seen_top.add(number)
            if depth and "." not in number and parents.get(depth - 1):
                number = f"{parents[depth - 1]}.{number}"  # "1." nested under "20." is 20.1
            parents = {d: s for d, s in parents.items() if d < depth}
            parents[depth] = number
            current = number
        text = block.strip("\n")
        indent = len(text) - len(text.lstrip(" "))
        marker = _marker(text)
        # a lead-in stays open for the items after it at its own indent when they are marked
        # otherwise than it ("4.6 You agree not to:" then "(i) ...", "(ii) ..." as siblings)
        while leads and (leads[-1][0] > indent or leads[-1][0] == indent
                         and (marker is None or marker == _marker(leads[-1][1]))):
            leads.pop()
        item = _BULLET.match(text) is not None
        lead = leads[-1][1] if leads else intro if item else None
        is_heading = text.lstrip().startswith("#")
        clauses.append(Clause(text, current, len(clauses), lead, None if is_heading else heading))
        if is_heading:
            heading = " ".join(text.lstrip("#").split()) or None
        if not item:  # "We use your data for the following purposes." then "- To ..." items
            intro = None if is_heading else " ".join(text.split())
        if text.rstrip().endswith(":"):
            leads.append((indent, " ".join(text.split())))
    return clauses


HEADING_CHARS = 200
_HEADING_WORDS = 10


def _restarted_heading(match: re.Match[str], block: str, seen_top: set[str]) -> bool:
    """True for a short top-level "1." list item (no sentence in it) after the document already had
    a top-level "1": a heading written as an ordered list, not the first section again."""
    if match.group("indent") or match.group("number") != "1" or "1" not in seen_top:
        return False
    if _LIST_MARKER.match(block) is None:
        return False
    words = _LIST_MARKER.sub("", block).strip()
    return len(_WORD.findall(words)) <= _HEADING_WORDS and not words.rstrip("*_ ").endswith((".", ":", ";"))


def _marker(text: str) -> str | None:
    """The kind of list marker ``text`` opens with (None for a plain paragraph or heading)."""
    return next((kind for kind, pattern in _MARKERS if pattern.match(text)), None)


def _blocks(markdown: str) -> list[str]:
    """Paragraphs, list items, table rows and the lines of a paragraph broken by line breaks
    (a definitions list written as one paragraph with line breaks is one clause per line)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        blocks.extend(line for line in block.split("\n") if line.strip())
    return blocks


def sentences(text: str) -> list[str]:
    """Split a clause into sentences (good enough for legal prose; keeps ``e.g.``-style dots).
    Each row of a table is read on its own, so a row added to a table is not read together with
    the rows around it.

    A heading run into its paragraph ("27.11 Opt-Out. You may ...") stays with the sentence
    after it, so the heading is read with what it heads."""
    cleaned = " ".join(_LIST_MARKER.sub("", text.lstrip("#").lstrip()).replace("\\", "").split())
    parts = [part for row in _TABLE_ROWS.split(cleaned) for part in _join_abbreviations(_SENTENCE_END.split(row))
             if part.strip()]
    merged: list[str] = []
    joined = False  # the last sentence already holds the heading before it
    for part in parts:
        if merged and not joined and _is_heading(merged[-1]):
            merged[-1] = f"{merged[-1]} {part}"
            joined = True
        else:
            merged.append(part)
            joined = False
    return merged


# Dots that never end a sentence ("e.g. Google", "Mr. Smith", "No. 5") and dots that end one
# only when an ordinary sentence opening follows ("in the U.S. We store" but "U.S. Government",
# "Canada, Inc. Privacy Officer")
_NEVER_ENDS = re.compile(r"\b(?:e\.g|i\.e|eg|ie|vs|cf|viz|mr|mrs|ms|dr|prof|st|approx|incl|esp|resp)\.$", re.IGNORECASE)
_BEFORE_NUMBER = re.compile(r"\b(?:no|nos|art|arts|sec|para|fig|p|pp|ch|vol|ref)\.$", re.IGNORECASE)
_MAY_END = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:inc|ltd|llc|corp|co|plc|gmbh|bv|ag|jr|sr|etc|al)\.)$",
                      re.IGNORECASE)
_TAIL = 12  # longer than any abbreviation above ("U.S.A.", "approx.")
_OPENERS = frozenset((
    "a an all also any as at by each either except for further furthermore however if in it its note our please "
    "some such that the there these they this those to unless users we when where whether which while you your "
    "additionally learn see otherwise accordingly finally moreover neither no nothing one only and or but").split())


def _join_abbreviations(parts: list[str]) -> list[str]:
    """The sentences with the cuts made after an abbreviation's dot undone."""
    joined: list[str] = []
    for part in parts:
        tail = f" {joined[-1][-_TAIL:]}" if joined and joined[-1].endswith(".") else ""  # only the last word matters
        if tail and (_NEVER_ENDS.search(tail) or _BEFORE_NUMBER.search(tail) and part[:1].isdigit()
                     or _MAY_END.search(tail)
                     and part.split(maxsplit=1)[0].strip("\"“([").casefold() not in _OPENERS):
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


def _is_heading(sentence: str) -> bool:
    """'27.11 Opt-Out.', 'Generated Content.', 'Mapping.': a short title, not a sentence."""
    words = sentence.rstrip(".:").split()
    if not words or len(words) > 6:
        return False
    if _SECTION.match(sentence):
        return True
    return all(word[:1].isupper() or word[:1].isdigit() or word.lower() in _TITLE_SMALL for word in words)


_TITLE_SMALL = frozenset({"and", "or", "of", "the", "to", "for", "in", "on", "a", "an", "with", "by", "your", "our"})


def changed_sentences(diff: ClauseDiff) -> tuple[list[str], list[str]]:
    """(sentences only in the old clause, sentences only in the new clause)."""
    old = sentences(diff.old.text) if diff.old else []
    new = sentences(diff.new.text) if diff.new else []
    old_keys = {comparable(s) for s in old}
    new_keys = {comparable(s) for s in new}
    return ([s for s in old if comparable(s) not in new_keys], [s for s in new if comparable(s) not in old_keys])


def diff_markdown(old: str, new: str) -> list[ClauseDiff]:
    """Clause changes from ``old`` to ``new``, in the order of the new text."""
    return diff_clauses(split_clauses(old), split_clauses(new))


_KINDS = {"moved": ChangeKind.MOVED, "wording": ChangeKind.WORDING, "changed": ChangeKind.CHANGED,
          "added": ChangeKind.ADDED, "removed": ChangeKind.REMOVED}


def diff_clauses(old: list[Clause], new: list[Clause]) -> list[ClauseDiff]:
    """Align the clauses (:mod:`guard.terms.align`) and order the changes as the new text reads."""
    old_keys, new_keys = [c.key for c in old], [c.key for c in new]
    blocks = anchors(old_keys, new_keys)
    pairings = align(old_keys, new_keys, [c.section for c in old], [c.section for c in new],
                     [starts_section(c.text) for c in old], [starts_section(c.text) for c in new], blocks)
    mapped = {a + k: b + k for a, b, size in blocks for k in range(size)}
    mapped.update((p.old, p.new) for p in pairings if p.old is not None and p.new is not None)
    counterpart = _counterparts(len(old), mapped)
    ordered: list[tuple[float, int, ClauseDiff]] = []
    for pairing in pairings:
        before = old[pairing.old] if pairing.old is not None else None
        after = new[pairing.new] if pairing.new is not None else None
        diff = ClauseDiff(_KINDS[pairing.kind], before, after, pairing.score, pairing.unpaired)
        if after is not None:
            ordered.append((float(after.index), 1, diff))
        else:
            assert before is not None
            ordered.append((counterpart[before.index], 0, diff))
    return [diff for _, _, diff in sorted(ordered, key=lambda item: (item[0], item[1]))]


def _counterparts(count: int, mapped: dict[int, int]) -> list[float]:
    """For each old clause: where a removed one sits in the new text (just after the new place of
    the nearest earlier old clause that still exists; ``mapped``: old index -> new index)."""
    places: list[float] = []
    last = -0.5
    for index in range(count):
        places.append(last)
        if index in mapped:
            last = mapped[index] + 0.5
    return places
