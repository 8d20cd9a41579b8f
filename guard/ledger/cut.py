"""Outside text is cut, never refused (issue 16 item 4): a 2,023-character window title or a
100 kB tab title must not stop a decision from being recorded.

Each text field has a stated limit. A longer text keeps its beginning and ends with a mark
saying how long it was, and the record's ``cut`` map names the field and its full length, so
a reader (or an export) can tell a cut text from a complete one. Characters that are not
valid text (NUL, lone surrogates) become U+FFFD. Pure functions.
"""

from __future__ import annotations

MAX_TEXT = 2_000  # a meeting title, link, organiser, purpose, evidence detail
MAX_NOTE = 20_000  # the user's own note
MAX_NOTICE = 4_000  # the notice text a participant was shown
MAX_ITEMS = 200  # evidence items, purposes

_REPLACEMENT = "\ufffd"


def mark(length: int) -> str:
    return f"… [cut: {length} characters in all]"


def clean(value: str) -> str:
    """``value`` as storable text: NUL and lone surrogates replaced, outer whitespace removed."""
    if "\0" in value:
        value = value.replace("\0", _REPLACEMENT)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (e.g. from a broken title): each becomes U+FFFD
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value.strip()


def cut_text(value: str | None, limit: int, path: str, cuts: dict[str, int]) -> str | None:
    """``value`` cleaned and, if longer than ``limit``, cut to it with the mark; the full
    length is noted in ``cuts[path]``. Empty text becomes None."""
    if value is None:
        return None
    text = clean(value)
    if not text:
        return None
    if len(text) <= limit:
        return text
    cuts[path] = len(text)
    tail = mark(len(text))
    return text[: limit - len(tail)] + tail


def cut_items(values: list[object], path: str, cuts: dict[str, int], limit: int = MAX_ITEMS) -> list[object]:
    """The first ``limit`` items; the full count noted when there were more."""
    if len(values) <= limit:
        return values
    cuts[path] = len(values)
    return values[:limit]
