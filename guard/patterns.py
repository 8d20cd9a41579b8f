"""Linear-time matching for every pattern and every text that comes from outside.

Catalog and user patterns (window titles, meeting links, participant names, notice phrases)
are compiled here with RE2, which matches in time linear in the text whatever the pattern: a
hostile page title cannot stall a tick, and a user pattern such as ``^(a+)+$`` costs what any
other does. What RE2 cannot run (backreferences, lookarounds, atomic groups) is refused when
the catalog loads, with a message that names the pattern and says what to write instead.
Texts are cut to :data:`TEXT_LIMIT` characters (their start and end, where a title carries
its meaning) before they are matched, so the work per text is bounded too.

Compiling costs more than most matches: :func:`compile_pattern` checks and compiles at once
(for validators), while :func:`checked_pattern` takes a pattern that was checked before (the
catalog snapshot's, made after a full validation) and compiles it on its first match, so a
``scan`` that finds no client compiles none of the catalog's patterns (and does not load RE2).

It sits at the top of ``guard`` because every layer needs it: the catalog validates its
patterns with it, detection and the browser host match with it. Nothing in ``guard`` should
run Python's ``re`` on outside text or on a catalog pattern; use this module.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from guard.text_controls import BIDI_CONTROLS

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # characters of one text a match examines: the first and last half of it
PATTERN_LIMIT = 1000  # characters of one pattern
URL_LIMIT = 2048  # characters of one link found in text
ELISION = " … "  # what stands for the cut middle of a long text
K = TypeVar("K")

_OPTIONS: Any = None  # re2.Options, made with the first compile (importing RE2 is a cost of its own)


def _re2() -> tuple[Any, Any]:
    """The RE2 module and the options every pattern compiles with."""
    global _OPTIONS
    import re2

    if _OPTIONS is None:
        options = re2.Options()
        options.log_errors = False  # errors come back as exceptions with their message, not on stderr
        _OPTIONS = options
    return re2, _OPTIONS

# RE2's own words for what it cannot run, and what to tell the pattern's author instead.
_HINTS: tuple[tuple[str, str], ...] = (
    ("invalid perl operator: (?=", "lookahead '(?=...)' is not supported; match the text itself instead"),
    ("invalid perl operator: (?!", "negative lookahead '(?!...)' is not supported; list what may follow instead"),
    ("invalid perl operator: (?<=", "lookbehind '(?<=...)' is not supported; match the text before it too"),
    ("invalid perl operator: (?<!", "negative lookbehind '(?<!...)' is not supported; list what may come before"),
    ("invalid perl operator: (?>", "atomic groups '(?>...)' are not supported; use a plain group '(?:...)'"),
    ("invalid perl operator: (?x", "verbose mode '(?x)' is not supported; write the pattern without spaces"),
    ("bad repetition operator: ++", "possessive repeats ('++', '*+') are not supported; use '+' or '*'"),
    ("bad repetition operator: *+", "possessive repeats ('++', '*+') are not supported; use '+' or '*'"),
    ("invalid escape sequence: \\Z", "'\\Z' is written '\\z' (or '$') here"),
    ("invalid repetition size", "a repeat count is above 1000; use '+' or a smaller count"),
    ("pattern too large", "the pattern is too large once its repeats are expanded; use '+' or '*'"),
)


class PatternError(ValueError):
    """A pattern that cannot be used; the message names it and says why, in plain words."""

    def __init__(self, pattern: str, reason: str) -> None:
        super().__init__(f"pattern {pattern!r} {reason}")
        self.pattern = pattern
        self.reason = reason


def _reason(message: str) -> str:
    """What is wrong, as the rest of a sentence that starts with the pattern."""
    for needle, hint in _HINTS:
        if needle in message:
            return f"cannot be used: {hint} (patterns are matched in linear time by RE2)"
    if message.startswith("invalid escape sequence: \\") and message[-1:].isdigit():
        return ("cannot be used: backreferences ('\\1') are not supported; match the repeated text explicitly "
                "(patterns are matched in linear time by RE2)")
    return f"is not a valid regular expression: {message} (syntax: https://github.com/google/re2/wiki/Syntax)"


@dataclass
class MatchCounter:
    """How much matching work was done: calls and characters examined (for tests and benchmarks)."""

    calls: int = 0
    chars: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, chars: int) -> None:
        with self._lock:
            self.calls += 1
            self.chars += chars

    def snapshot(self) -> tuple[int, int]:
        with self._lock:
            return self.calls, self.chars


COUNTER = MatchCounter()


def bounded(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` itself, or its first and last ``limit // 2`` characters around :data:`ELISION`."""
    if len(text) <= limit:
        return text
    half = max(1, (limit - len(ELISION)) // 2)
    return text[:half] + ELISION + text[-half:]


class Pattern:
    """One pattern. ``search`` looks anywhere in the text; write ``^``/``$`` to anchor,
    ``(?i)`` for case-insensitive. Equal patterns are those with the same source.

    A plain class, not a dataclass: it is compiled on first use when made by
    :func:`checked_pattern`, and the ``scan`` command's start-up pays for every dataclass.
    """

    __slots__ = ("_regexp", "source")

    def __init__(self, source: str, regexp: Any = None) -> None:
        self.source = source
        self._regexp = regexp  # None: compiled by the first match

    def __repr__(self) -> str:
        return f"Pattern(source={self.source!r})"

    def _compiled(self) -> Any:
        regexp = self._regexp
        if regexp is None:
            try:
                regexp = _compile(self.source)
            except PatternError as error:  # a damaged cache: the rule is left out, loudly
                log.warning("A detection rule was left out: %s", error)
                regexp = _NEVER
            self._regexp = regexp
        return regexp

    def search(self, text: str) -> bool:
        return self.find(text) is not None

    @property
    def cost(self) -> int:
        """RE2's program size: linear-time matching still does work in proportion to it per character
        (``a.{0,200}b.{0,200}c`` is over 5,000 and takes ~50 ms on a 4 kB title; a plain phrase is ~20)."""
        return int(self._compiled().programsize)

    def find(self, text: str) -> str | None:
        """The first matching part of ``text`` (cut to :data:`TEXT_LIMIT` first), or None."""
        text = bounded(text)
        COUNTER.add(len(text))
        match = self._compiled().search(text)
        return None if match is None else str(match.group(0))

    def finditer(self, text: str) -> Iterator[Any]:
        """RE2's matches in ``text`` as it is (the caller bounds it and counts the work)."""
        return iter(self._compiled().finditer(text))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)


class _Never:
    """Stands in for a pattern that could not be compiled: matches nothing."""

    programsize = 0

    def search(self, _text: str) -> None:
        return None

    def finditer(self, _text: str) -> Iterator[Any]:
        return iter(())


_NEVER = _Never()


@lru_cache(maxsize=4096)
def compile_pattern(source: str) -> Pattern:
    """Compile ``source`` with RE2; :class:`PatternError` says why when it cannot be used.

    A pattern that matches an empty text is refused too: it would match every title and link.
    """
    return Pattern(source, _compile(source))


def _compile(source: str) -> Any:
    """The RE2 regexp of ``source``, after every check (a lazy pattern gets them too)."""
    if not isinstance(source, str):
        raise PatternError(str(source), "is not text")
    if not source:
        raise PatternError(source, "cannot be used: it is empty, so it would match everything")
    if len(source) > PATTERN_LIMIT:
        raise PatternError(source[:60] + "…", f"cannot be used: it is {len(source)} characters long; "
                                              f"at most {PATTERN_LIMIT}")
    re2, options = _re2()
    try:
        regexp = re2.compile(source, options=options)
    except re2.error as error:
        message = error.args[0] if error.args else str(error)
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        raise PatternError(source, _reason(text)) from None
    if regexp.search("") is not None:
        raise PatternError(source, "cannot be used: it matches an empty text, so it would match every title "
                                   "and link; make some part of it required")
    return regexp


@lru_cache(maxsize=4096)
def checked_pattern(source: str) -> Pattern:
    """A pattern that was checked before (see :func:`compile_pattern`), compiled on its first match.

    Should it not compile after all (a damaged cache), it matches nothing and says so in the log.
    """
    return Pattern(source)


def check_pattern(source: str) -> str:
    """For validators: ``source`` unchanged, or ValueError (a :class:`PatternError`) saying why not."""
    compile_pattern(source)
    return source


def check_patterns(sources: Iterable[str]) -> tuple[str, ...]:
    return tuple(check_pattern(source) for source in sources)


class PatternSet(Generic[K]):
    """Patterns under keys (e.g. provider ids): which keys match a text, in the order added."""

    def __init__(self, items: Iterable[tuple[K, str]] = ()) -> None:
        self._items: list[tuple[K, Pattern]] = [(key, compile_pattern(source)) for key, source in items]

    def add(self, key: K, source: str, *, checked: bool = False) -> None:
        """Add a pattern, compiled now, or on its first match when ``checked`` before."""
        self._items.append((key, checked_pattern(source) if checked else compile_pattern(source)))

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[tuple[K, Pattern]]:
        return iter(self._items)

    def matches(self, text: str) -> list[tuple[K, Pattern]]:
        """Every (key, pattern) whose pattern matches ``text``."""
        text = bounded(text)
        return [(key, pattern) for key, pattern in self._items if pattern.search(text)]

    def keys_matching(self, text: str) -> list[K]:
        return list(dict.fromkeys(key for key, _pattern in self.matches(text)))

    def first(self, text: str) -> tuple[K, Pattern] | None:
        text = bounded(text)
        return next(((key, pattern) for key, pattern in self._items if pattern.search(text)), None)


# -- normalising text before it is matched ---------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b"
    "\u206c\u206d\u206e\u206f\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a"
    "\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0"
)
_TABLE: dict[int, str | None] = {ord(ch): "-" for ch in _DASHES}
_TABLE.update({ord(ch): None for ch in _INVISIBLE})
_TABLE.update({code: None for code in BIDI_CONTROLS})  # the shared set (guard.text_controls), all invisible
_TABLE.update({code: " " for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))})
_TABLE.update({code: None for code in range(0xE0000, 0xE1000)})  # tag characters, variation selectors 17-256
# And the rest of Unicode's Default_Ignorable_Code_Point set, which browsers draw as nothing (audit16: a bot name or
# notice with one inside a word went unmatched): Mongolian FVS4, U+2065, U+FFF0-U+FFF8, shorthand format controls,
# musical formatting controls. common.js INVISIBLE is the same set.
_TABLE.update({code: None for code in (0x180F, 0x2065, *range(0xFFF0, 0xFFF9), *range(0x1BCA0, 0x1BCA4),
                                       *range(0x1D173, 0x1D17B))})


def normalize_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """The form titles, names and notices are matched in, so one pattern covers every spelling.

    Dashes (en, em, minus, figure dash, ...) become ``-``; no-break, narrow, ideographic and
    other Unicode spaces, tabs, newlines and control characters become one space; zero-width
    characters, bidi marks and soft hyphens go; the ends are trimmed. Case is kept (a pattern
    says ``(?i)`` when case does not matter). Linear in ``text`` and cut to ``limit``.
    """
    text = bounded(text, 4 * limit)
    return bounded(" ".join(text.translate(_TABLE).split()), limit)


# -- links in text ---------------------------------------------------------------------------

_URL_IN_TEXT = checked_pattern(r"(?i)[a-z][a-z0-9+.\-]{0,31}:/{1,2}[^\s\"'<>`]+")  # tested: test_patterns


def find_urls(text: str, limit: int = TEXT_LIMIT, most: int = 16) -> list[str]:
    """Links in ``text`` (``scheme://...`` and ``scheme:/...``), at most ``most``, in linear time.

    Only the first and last ``limit // 2`` characters of a long text are looked at.
    """
    text = bounded(text, limit)
    COUNTER.add(len(text))
    found: list[str] = []
    for match in _URL_IN_TEXT.finditer(text):
        found.append(str(match.group(0))[:URL_LIMIT])
        if len(found) >= most:
            break
    return found
