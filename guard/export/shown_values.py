"""What the exports made for people (HTML, PDF) show of a record's outside text: at most what the
ledger keeps when it records (guard.ledger.cut), so a ledger edited outside the app with a 2 MB
meeting title shows its beginning and how long it was, as the app's windows, ``consent list`` and
letters cut it. The signed JSON export keeps every record exactly as signed."""

from __future__ import annotations

from guard.ledger.cut import MAX_NOTE, MAX_TEXT, mark

__all__ = ["MAX_NOTE", "MAX_TEXT", "shown"]


def shown(value: str, limit: int = MAX_TEXT) -> str:
    """``value``, or its beginning with the ledger's cut mark when it is longer than ``limit``."""
    if len(value) <= limit:
        return value
    tail = mark(len(value))
    return value[: limit - len(tail)] + tail
