"""Text for a terminal: what outsiders wrote (titles, page text, record values) is shown, never obeyed.

A window title, tab title, terms page or tampered ledger value may hold escape sequences
(ESC/CSI/OSC that move the cursor, retitle the window, or hide text), BEL, C1 controls, or
bidi overrides that reorder what the user reads. :func:`terminal_safe` spells each of them
as a visible backslash escape (``\\x1b``, ``\\u202e``), keeping newlines and tabs;
:func:`one_line` also spells newlines, for a value that must stay on its line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guard.text_controls import BIDI_CONTROLS

if TYPE_CHECKING:
    import re

_BIDI = tuple(sorted(BIDI_CONTROLS))
_LINE_BREAKS = (0x0085, 0x2028, 0x2029)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_CONTROLS: dict[int, str] = {code: _escape(code) for code in (*range(0x20), *range(0x7F, 0xA0), *_BIDI,
                                                               *_LINE_BREAKS)}
_TERMINAL = {code: text for code, text in _CONTROLS.items() if code not in (0x0A, 0x09)}
_ONE_LINE = {code: text for code, text in _CONTROLS.items() if code != 0x09}
# JSON already escapes C0 controls; these are what it leaves raw with ensure_ascii=False.
_JSON = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), *_BIDI, *_LINE_BREAKS)}


def terminal_safe(text: str) -> str:
    """``text`` with every control character but newline and tab spelt out."""
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_TERMINAL)


def one_line(text: str) -> str:
    """``text`` with every control character but tab spelt out, newlines included."""
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_ONE_LINE)


def json_safe(document: str) -> str:
    """A JSON document with C1 controls, bidi controls and line separators written as ``\\uXXXX``.

    They can only occur inside strings, where the escape means the same character, so the
    document decodes to the same values.
    """
    if document.isascii():
        return document
    # Not str.translate: on a long document with any non-ASCII text (a scan's event lists a
    # provider's AI features and clauses in several languages) it costs ms; one regex pass, µs.
    import re

    return re.sub(_JSON_CLASS, _json_escape, document)


_JSON_CLASS = "[" + "".join(f"\\u{code:04x}" for code in _JSON) + "]"


def _json_escape(match: re.Match[str]) -> str:
    return _JSON[ord(match.group())]


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 record``, ``10 records``; ``nouns`` for irregular plurals."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
