"""How a rule's patterns are run over a sentence: as one joined RE2 expression, or, for a large
rule, through RE2's prefilter; the answer is the same either way (tests/terms/test_rules_matcher.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hit:
    """Where a pattern matched in a text (character offsets) and what it matched."""

    start: int
    end: int
    text: str


# A rule whose patterns joined compile to more RE2 instructions than this is matched through
# RE2's prefilter instead (see Matcher): above it, the joined DFA outgrows RE2's default memory
# budget on ordinary sentences and RE2 falls back to its slow NFA.
JOIN_LIMIT = 2000


def _char_length(lead: int) -> int:
    """Bytes of the UTF-8 character starting with byte ``lead`` (1 for a stray byte)."""
    return 2 if 0xC0 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4 if 0xF0 <= lead < 0xF8 else 1


_CONTINUATION = bytes(range(0x80, 0xC0))


class _Offsets:
    """Character offsets of byte offsets into one UTF-8 text, asked for in increasing order."""

    __slots__ = ("_data", "_ascii", "_byte", "_char")

    def __init__(self, data: bytes, ascii_only: bool) -> None:
        self._data, self._ascii, self._byte, self._char = data, ascii_only, 0, 0

    def char(self, byte: int) -> int:
        if self._ascii:
            return byte
        if byte < self._byte:
            self._byte, self._char = 0, 0
        # continuation bytes (10xxxxxx) do not start a character: the rest are counted, in C
        self._char += len(self._data[self._byte:byte].translate(None, _CONTINUATION))
        self._byte = byte
        return self._char


def _encoded(text: str) -> tuple[bytes, bool]:
    """``text`` as RE2 reads it; a lone surrogate (broken input) becomes bytes no pattern matches
    instead of an error that would stop the classification."""
    data = text.encode("utf-8", "surrogatepass")
    return data, len(data) == len(text)


class Matcher:
    """The patterns of one rule, matched as if joined into one alternation ``(?:p1)|(?:p2)|...``
    (the earliest match wins; of matches starting at the same place, the first pattern's);
    case-insensitive, linear time.

    Why not always one joined expression: the topic rules (100+ patterns with ``[^.;]{0,150}``
    gaps) joined outgrow RE2's DFA memory budget, and RE2 then says "DFA out of memory" and runs
    its NFA, several times slower, on every sentence; raising the budget costs ~90 MB of RSS. Such a
    rule is matched through RE2's prefilter (``re2.Filter``): one pass finds the literal words
    each pattern requires, and only the patterns whose words are all there run, each alone (a
    small DFA that fits). Small rules keep one joined expression.

    Several rules may share one prefilter (:class:`MatcherGroup`): a rule's patterns are then the
    prefilter's from its ``base`` on.
    """

    __slots__ = ("_base", "_filter", "_joined", "_shared", "_singles", "sources")

    def __init__(self, sources: tuple[str, ...] = (), joined: Any = None, prefilter: Any = None,
                 singles: tuple[Any, ...] = (), base: int | None = None) -> None:
        self.sources = sources
        self._joined = joined
        self._filter = prefilter
        self._singles = singles
        self._shared = base is not None  # the prefilter is a MatcherGroup's, this rule's patterns from ``base`` on
        self._base = base or 0

    def _own(self, indices: list[int] | None) -> list[int]:
        """Of the prefilter's answer, this rule's patterns, numbered from 0."""
        if not self._shared or not indices:
            return indices or []
        end = self._base + len(self._singles)
        return [index - self._base for index in indices if self._base <= index < end]

    def _spans(self, data: bytes) -> Iterator[tuple[int, int]]:
        """Byte spans of the joined alternation's successive matches (as RE2's finditer gives them,
        empty ones included)."""
        if self._joined is not None:
            for match in self._joined.finditer(data):
                yield match.span()
            return
        candidates = self._own(self._filter.Match(data, potential=True))
        found: dict[int, tuple[int, int] | None] = {}  # each candidate's next match at or after pos
        position, end = 0, len(data)
        while True:
            best: tuple[int, int] | None = None
            for index in candidates:  # in pattern order: a tie on the start goes to the first
                span = found.get(index, (-1, -1))  # (-1, -1): not searched yet
                if span is not None and span[0] < position:
                    match = self._singles[index].search(data, position)
                    span = found[index] = None if match is None else match.span()
                if span is not None and (best is None or span[0] < best[0]):
                    best = span
            if best is None:
                return
            yield best
            if position == end:
                return
            position = position + _char_length(data[position]) if position == best[1] else best[1]

    def search(self, text: str) -> Hit | None:
        """The earliest match of any pattern."""
        if not self:
            return None
        data, ascii_only = _encoded(text)
        if self._joined is not None:
            match = self._joined.search(data)
            span = None if match is None else match.span()
        else:
            span = next(self._spans(data), None)
        if span is None:
            return None
        offsets = _Offsets(data, ascii_only)
        start, end = offsets.char(span[0]), offsets.char(span[1])
        return Hit(start, end, text[start:end])

    def test(self, text: str) -> bool:
        """True when any pattern matches ``text`` (``search(text) is not None``, for less: a large
        rule's candidate patterns run inside RE2, each stopping at its first match, and no offsets
        are counted)."""
        if self._filter is not None:
            return bool(self._own(self._filter.Match(_encoded(text)[0])))
        return self._joined is not None and self._joined.search(_encoded(text)[0]) is not None

    def finditer(self, text: str) -> Iterator[Hit]:
        """Every non-empty match, left to right, not overlapping."""
        if not self:
            return
        data, ascii_only = _encoded(text)
        offsets = _Offsets(data, ascii_only)
        for first, last in self._spans(data):
            if last > first:
                start, end = offsets.char(first), offsets.char(last)
                yield Hit(start, end, text[start:end])

    @property
    def prefiltered(self) -> bool:
        """True when the patterns run through RE2's prefilter (a large rule), not joined."""
        return self._filter is not None

    def __bool__(self) -> bool:
        return self._joined is not None or self._filter is not None


class MatcherGroup:
    """Several rules asked together which of them match a text (the classifier asks every topic
    rule of every sentence): one prefilter over all their patterns finds, in one pass, each
    pattern whose required words are there, and runs those inside RE2, each stopping at its first
    match. The answer is each rule's ``test`` (tests/terms/test_rules_matcher.py); the group costs
    one prefilter pass per text instead of one per rule."""

    __slots__ = ("_filter", "_owner", "key")

    def __init__(self, prefilter: Any, owner: tuple[int, ...], key: object) -> None:
        self._filter = prefilter
        self._owner = owner  # the rule (its position) each of the prefilter's patterns belongs to
        self.key = key  # what the group was built for (the rules' tuple): a copy with other rules does not use it

    def matching(self, text: str, count: int) -> list[bool]:
        """For each of the ``count`` rules, whether any of its patterns matches ``text``."""
        found = [False] * count
        for index in self._filter.Match(_encoded(text)[0]) or ():
            found[self._owner[index]] = True
        return found
