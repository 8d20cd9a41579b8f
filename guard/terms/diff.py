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
from difflib import SequenceMatcher
from enum import StrEnum

_SECTION = re.compile(
    r"^(?P<indent>\s*)(?:#{1,6}\s+)?(?:[-*+]\s+)?\\?(?:(?:section|article|clause|§)\s*)?"
    r"(?P<number>\d{1,3}(?:\.\d{1,3})*)(?:\\?[.)])?(?=\s|$)",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(\[]?[A-Z0-9])")
_TRANSLATE = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-",
                            "‐": "-", "‑": "-", "\u00a0": " "})

PAIRING_LIMIT = 4000  # above this many candidate pairs in one changed stretch, pair by section only


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Clause:
    text: str
    section: str | None
    index: int

    @property
    def key(self) -> str:
        return comparable(self.text)


@dataclass(frozen=True)
class ClauseDiff:
    kind: ChangeKind
    old: Clause | None
    new: Clause | None

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
    return " ".join(text.translate(_TRANSLATE).split()).casefold()


def split_clauses(markdown: str) -> list[Clause]:
    """The blocks of ``markdown`` in order, each with its section number (if one can be told)."""
    clauses: list[Clause] = []
    current: str | None = None
    parents: dict[int, str] = {}  # list indent -> section of the enclosing numbered item
    for block in (b for b in re.split(r"\n\s*\n", markdown) if b.strip()):
        match = _SECTION.match(block)
        if match:
            number = match.group("number")
            depth = len(match.group("indent")) // 2
            if depth and "." not in number and parents.get(depth - 1):
                number = f"{parents[depth - 1]}.{number}"  # "1." nested under "20." is 20.1
            parents = {d: s for d, s in parents.items() if d < depth}
            parents[depth] = number
            current = number
        clauses.append(Clause(block.strip("\n"), current, len(clauses)))
    return clauses


def sentences(text: str) -> list[str]:
    """Split a clause into sentences (good enough for legal prose; keeps ``e.g.``-style dots)."""
    cleaned = " ".join(_LIST_MARKER.sub("", text.lstrip("#").lstrip()).replace("\\", "").split())
    return [part for part in _SENTENCE_END.split(cleaned) if part.strip()]


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


def diff_clauses(old: list[Clause], new: list[Clause]) -> list[ClauseDiff]:
    matcher = SequenceMatcher(None, [c.key for c in old], [c.key for c in new], autojunk=False)
    ordered: list[tuple[float, ClauseDiff]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        pairs, removed, added = _pair(removed, added)
        for before, after in pairs:
            ordered.append((after.index, ClauseDiff(ChangeKind.CHANGED, before, after)))
        for clause in added:
            ordered.append((clause.index, ClauseDiff(ChangeKind.ADDED, None, clause)))
        for clause in removed:
            ordered.append((j1 - 0.5, ClauseDiff(ChangeKind.REMOVED, clause, None)))
    return _drop_moves([diff for _, diff in sorted(ordered, key=lambda item: item[0])])


def _words(clause: Clause) -> frozenset[str]:
    return frozenset(_WORD.findall(clause.key))


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _pair(removed: list[Clause], added: list[Clause]) -> tuple[list[tuple[Clause, Clause]], list[Clause], list[Clause]]:
    """Match old clauses to their rewritten new versions (similar words, or the same section)."""
    if not removed or not added:
        return [], removed, added
    by_section = len(removed) * len(added) > PAIRING_LIMIT
    old_words = [_words(c) for c in removed]
    new_words = [_words(c) for c in added]
    scored: list[tuple[float, int, int]] = []
    for i, before in enumerate(removed):
        for j, after in enumerate(added):
            same_section = before.section is not None and before.section == after.section
            if by_section and not same_section:
                continue
            score = _similarity(old_words[i], new_words[j])
            if same_section and _SECTION.match(before.text) and _SECTION.match(after.text):
                score += 1.0  # "10.4 ..." rewritten as "10.4 ..." is the same clause, however reworded
            if score >= 0.45:
                scored.append((score, i, j))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[Clause, Clause]] = []
    for _, i, j in scored:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((removed[i], added[j]))
    return (pairs, [c for i, c in enumerate(removed) if i not in used_old],
            [c for j, c in enumerate(added) if j not in used_new])


def _drop_moves(diffs: list[ClauseDiff]) -> list[ClauseDiff]:
    """A clause removed in one place and added unchanged in another only moved."""
    removed = {}
    for position, diff in enumerate(diffs):
        if diff.kind is ChangeKind.REMOVED and diff.old:
            removed.setdefault(diff.old.key, []).append(position)
    drop: set[int] = set()
    for position, diff in enumerate(diffs):
        if diff.kind is ChangeKind.ADDED and diff.new and removed.get(diff.new.key):
            drop.add(position)
            drop.add(removed[diff.new.key].pop())
    return [diff for position, diff in enumerate(diffs) if position not in drop]
