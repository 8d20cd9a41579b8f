"""The characters that make text read other than it is, in one place: every path that shows or
writes what outsiders wrote (window and tab titles, in-meeting notices, terms summaries and
quotes, letters, the terminal, the browser's words) strips or spells out this same set.

Bidi controls reorder or hide what the reader sees (an override shows "tnesnoc ruoy tuohtiw"
as "without your consent"): U+061C ARABIC LETTER MARK, U+200E/U+200F (left-to-right and
right-to-left marks), U+202A-U+202E (embeddings, pop, overrides) and U+2066-U+2069 (isolates).
Control characters (C0, DEL, C1) and the line and paragraph separators break a line or drive a
terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

BIDI_CONTROLS: frozenset[int] = frozenset((0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))
CONTROL_CHARACTERS: frozenset[int] = frozenset((*range(0x20), *range(0x7F, 0xA0)))  # C0, DEL, C1 (NEL included)
LINE_SEPARATORS: frozenset[int] = frozenset((0x2028, 0x2029))
UNSAFE: frozenset[int] = BIDI_CONTROLS | CONTROL_CHARACTERS | LINE_SEPARATORS
"""Everything above: what one line of shown text never keeps."""


def char_class(codes: Iterable[int]) -> str:
    """A regular-expression character class (``re`` or RE2 syntax) matching exactly ``codes``."""
    return "[" + "".join(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" for code in sorted(codes)) + "]"


_AS_SPACE = {code: " " for code in UNSAFE if code != 0x0A}


def shown_text(text: str) -> str:
    """``text`` with every character above but the line feed as a space, nothing else changed:
    what a page or document made for people (the HTML and PDF exports) writes of an outside value.
    Line feeds stay: the PDF breaks a note's lines there, and HTML reads one as a space."""
    return text if text.isprintable() else text.translate(_AS_SPACE)


def quoted(text: str, limit: int) -> str:
    """``text`` as a message quotes a value from a file: on one line (runs of white space, line
    breaks included, as one space) and cut to ``limit`` characters with "…"."""
    flat = " ".join(text[: limit * 2].split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


NO_BREAK_SPACES: frozenset[int] = frozenset((0x00A0, 0x2007, 0x202F))
"""No-break, figure and narrow no-break space: French puts one before : ; ? ! and inside « »,
German between "z." and "B."; joining them into a plain space lets a line start with ":" or "»"."""
_BREAKING_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # white space but the no-break kind: linear


def collapse_spaces(text: str) -> str:
    """``text`` with each run of breaking white space as one space and no white space at either
    end; no-break spaces are kept where they are (``" ".join(text.split())`` turned them into
    plain spaces, so a wrapped French line began with "»")."""
    return _BREAKING_SPACES.sub(" ", text).strip()
