"""Timestamps in the ledger: UTC, ISO 8601, always microseconds and a ``Z``, so they sort as
text and hash the same way every time."""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_utc(moment: datetime) -> str:
    """``2026-11-23T02:00:37.123456Z``. A naive datetime is refused: its zone is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime (e.g. UTC)")
    return moment.astimezone(UTC).strftime(_FORMAT)


def parse_utc(text: str) -> datetime:
    """Read a timestamp written by :func:`format_utc` (or any ISO 8601 form with a zone)."""
    moment = datetime.fromisoformat(text)  # Python 3.11 reads the "Z" itself
    if moment.tzinfo is None:
        raise ValueError(f"'{text}' has no time zone")
    return moment.astimezone(UTC)
