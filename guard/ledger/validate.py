"""Check a :class:`RecordDraft` and turn it into the exact stored fields. Pure: values in,
values out; a bad field raises LedgerInputError naming the field and what is allowed."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from guard.events import Evidence
from guard.ledger.errors import LedgerInputError
from guard.ledger.models import (
    RECORD_FORMAT,
    Decision,
    EvidenceItem,
    RecordDraft,
    RequestedBy,
    TermsRef,
)
from guard.ledger.timeutil import format_utc

_SLUG = re.compile(r"^[a-z0-9][a-z0-9.\-]{0,99}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT = 2_000
MAX_NOTE = 20_000
MAX_ITEMS = 200
E = TypeVar("E", bound=StrEnum)


def draft_content(draft: RecordDraft, *, record_id: str, seq: int, key_id: str,
                  recorded_at: datetime) -> dict[str, Any]:
    """The content object of ``draft`` stored as record ``seq`` at ``recorded_at`` (the
    object whose canonical JSON is hashed); raises LedgerInputError for a bad field."""
    recorded = _moment(recorded_at, "recorded_at")
    meeting = draft.meeting
    return {
        "format": RECORD_FORMAT,
        "id": record_id,
        "seq": seq,
        "key_id": key_id,
        "recorded_at": recorded,
        "occurred_at": recorded if draft.occurred_at is None else _moment(draft.occurred_at, "occurred_at"),
        "provider_id": slug(draft.provider_id, "provider_id"),
        "feature_id": None if draft.feature_id in (None, "") else slug(draft.feature_id, "feature_id"),
        "decision": str(enum_value(Decision, draft.decision, "decision")),
        "requested_by": None if draft.requested_by in (None, "")
        else str(enum_value(RequestedBy, draft.requested_by, "requested_by")),
        "purposes": _purposes(draft.purposes),
        "meeting": {
            "title": _text(meeting.title, "meeting.title"),
            "id_or_link": _text(meeting.id_or_link, "meeting.id_or_link"),
            "organiser": _text(meeting.organiser, "meeting.organiser"),
        },
        "terms": [_terms(ref, i) for i, ref in enumerate(_items(draft.terms, "terms"))],
        "evidence": [_evidence(item, i) for i, item in enumerate(_items(draft.evidence, "evidence"))],
        "note": _text(draft.note, "note", MAX_NOTE),
        "refers_to": None if draft.refers_to is None else record_id_text(draft.refers_to, "refers_to"),
    }


def slug(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise LedgerInputError(
            f"Field '{name}': {value!r} is not a valid id (lowercase letters, digits, '-' or '.', at most 100)."
        )
    return value


def enum_value(enum: type[E], value: Any, name: str) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member) for member in enum)
        raise LedgerInputError(f"Field '{name}': {value!r} is not one of: {allowed}.") from None


def record_id_text(value: Any, name: str = "id") -> str:
    """A record id in its canonical form (lowercase UUID with dashes)."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise LedgerInputError(f"Field '{name}': {value!r} is not a record id (a UUID).") from None


def _moment(value: Any, name: str) -> str:
    if not isinstance(value, datetime):
        raise LedgerInputError(f"Field '{name}': expected a date and time, got {value!r}.")
    try:
        return format_utc(value)
    except ValueError as error:
        raise LedgerInputError(f"Field '{name}': {error}.") from None


def _text(value: Any, name: str, limit: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise LedgerInputError(f"Field '{name}': expected text, got {value!r}.")
    value = value.strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise LedgerInputError(f"Field '{name}': the text holds characters that are not valid Unicode.") from None
    if len(value) > limit:
        raise LedgerInputError(f"Field '{name}': {len(value)} characters; at most {limit} are allowed.")
    return value or None


def _items(values: Any, name: str) -> list[Any]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise LedgerInputError(f"Field '{name}': expected a list, got {values!r}.")
    items = list(values)
    if len(items) > MAX_ITEMS:
        raise LedgerInputError(f"Field '{name}': {len(items)} items; at most {MAX_ITEMS} are allowed.")
    return items


def _purposes(values: Any) -> list[str]:
    purposes = []
    for i, value in enumerate(_items(values, "purposes")):
        text = _text(value, f"purposes[{i}]")
        if text is None:
            raise LedgerInputError(f"Field 'purposes[{i}]': a purpose cannot be empty.")
        purposes.append(text)
    return purposes


def _terms(ref: Any, i: int) -> dict[str, Any]:
    name = f"terms[{i}]"
    if not isinstance(ref, TermsRef):
        raise LedgerInputError(f"Field '{name}': expected a TermsRef, got {ref!r}.")
    sha = ref.sha256.lower() if isinstance(ref.sha256, str) else ref.sha256
    if not isinstance(sha, str) or not _SHA256.match(sha):
        raise LedgerInputError(f"Field '{name}.sha256': {ref.sha256!r} is not a SHA-256 (64 hex digits).")
    document = _text(ref.document_id, f"{name}.document_id")
    if document is None:
        raise LedgerInputError(f"Field '{name}.document_id' is empty.")
    url = _text(ref.url, f"{name}.url")
    if url is not None and not url.startswith(("https://", "http://")):
        raise LedgerInputError(f"Field '{name}.url': {url!r} is not an http(s) address.")
    return {"provider_id": slug(ref.provider_id, f"{name}.provider_id"), "document_id": document,
            "sha256": sha, "url": url}


def _evidence(item: Any, i: int) -> dict[str, Any]:
    name = f"evidence[{i}]"
    if isinstance(item, Evidence):
        item = EvidenceItem.from_event(item)
    if not isinstance(item, EvidenceItem):
        raise LedgerInputError(f"Field '{name}': expected Evidence, got {item!r}.")
    signal = _text(str(item.signal), f"{name}.signal")
    if signal is None:
        raise LedgerInputError(f"Field '{name}.signal' is empty.")
    return {"signal": signal, "detail": _text(item.detail, f"{name}.detail") or "",
            "seen_at": _moment(item.seen_at, f"{name}.seen_at")}
