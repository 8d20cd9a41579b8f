"""What the exports made for people (HTML, PDF) show of a record's outside text: at most what the
ledger keeps when it records (guard.ledger.cut), so a ledger edited outside the app with a 2 MB
meeting title shows its beginning and how long it was, as the app's windows, ``consent list`` and
letters cut it; a meeting link without the passcodes and tokens the ledger cuts when it records
(:func:`shown_link`: records of builds before 2026-12-02 kept a link typed into the consent form
whole). The signed JSON export keeps every record exactly as signed."""

from __future__ import annotations

from guard.ledger.cut import MAX_NOTE, MAX_TEXT, mark
from guard.ledger.models import link_without_secrets

__all__ = ["MAX_NOTE", "MAX_TEXT", "shown", "shown_link"]


def shown(value: str, limit: int = MAX_TEXT) -> str:
    """``value``, or its beginning with the ledger's cut mark when it is longer than ``limit``."""
    if len(value) <= limit:
        return value
    tail = mark(len(value))
    return value[: limit - len(tail)] + tail


def shown_link(value: str | None) -> str | None:
    """A record's meeting link as the ledger keeps one it records now: passcodes and tokens cut."""
    return shown(link_without_secrets(value) or "") or None if value else value
