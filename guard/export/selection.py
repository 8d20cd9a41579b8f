"""Which records an export covers, read fast: the filter every format shares, and each
record as an :class:`Entry` (its signed content parsed once, plus what it means now).

Exports read the ledger's stored rows (``Ledger.iter_stored``) instead of building a
:class:`~guard.ledger.Record` per row: 100,000 records must export in seconds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from guard.export.progress import Progress
from guard.ledger import Ledger, Order, RecordFilter, StoredRecord
from guard.ledger.timeutil import format_utc
from guard.text_controls import shown_text


SEARCH_SHOWN = 100  # characters of the search text an export's description quotes (its filter keeps it whole)


@dataclass(frozen=True)
class ExportFilter:
    """What to export: decisions that occurred from ``occurred_from`` (inclusive) to
    ``occurred_to`` (exclusive), for one provider or all, of one decision or all, and with
    ``text`` in the meeting title or the note (case-insensitive for A-Z, as the history's search
    and ``consent list --search``). Every format applies it: an export holds what the consent
    history's table shows."""

    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    provider_id: str | None = None
    decision: str | None = None
    text: str | None = None

    def record_filter(self) -> RecordFilter:
        return RecordFilter(provider_id=self.provider_id, occurred_from=self.occurred_from,
                            occurred_to=self.occurred_to, decision=self.decision, text=self.text or None)

    def to_dict(self) -> dict[str, Any]:
        """The filter as the JSON export states it (``decision`` and ``search`` only when set, so an
        export filtered by provider and dates alone reads as before)."""
        stated: dict[str, Any] = {"from": format_utc(self.occurred_from) if self.occurred_from else None,
                                  "to": format_utc(self.occurred_to) if self.occurred_to else None,
                                  "provider": self.provider_id}
        if self.decision:
            stated["decision"] = str(self.decision)
        if self.text:
            stated["search"] = self.text
        return stated

    def describe(self) -> str:
        parts = []
        if self.occurred_from:
            parts.append(f"from {format_utc(self.occurred_from)}")
        if self.occurred_to:
            parts.append(f"before {format_utc(self.occurred_to)}")
        if self.provider_id:
            parts.append(f"provider {self.provider_id}")
        if self.decision:
            parts.append(f"decision {self.decision}")
        if self.text:
            parts.append(f"with \"{shown_search(self.text)}\" in the meeting title or note")
        return ", ".join(parts) if parts else "all records"


def shown_search(text: str) -> str:
    """The search text as an export's description quotes it: plain, on one line, cut."""
    plain = " ".join(shown_text(text).split())
    return plain if len(plain) <= SEARCH_SHOWN else plain[: SEARCH_SHOWN - 1] + "…"


def search_matches(text: str, *values: str | None) -> bool:
    """Whether ``text`` is in one of ``values`` as the ledger's search finds it (SQLite's LIKE:
    A-Z match a-z, every other character only itself), so verify-export can check a stated search."""
    wanted = text.translate(_ASCII_LOWER)
    return any(isinstance(value, str) and wanted in value.translate(_ASCII_LOWER) for value in values)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Standing(NamedTuple):
    """What a record means now: e.g. label ``given, then withdrawn``, decision ``withdrawn``."""

    label: str
    decision: str
    current_id: str | None  # the latest record that changed it, if any
    steps: tuple[str, ...] = ()  # the later decisions, in order, that ``label`` words in English


class Entry:
    """One exported record: the signed content (keys of ``Record.to_dict()`` without the chain
    fields), its place in the hash chain, and its :class:`Standing`."""

    __slots__ = ("body", "content", "hash", "prev_hash", "seq", "signature", "standing")

    def __init__(self, stored: StoredRecord, content: dict[str, Any], standing: Standing) -> None:
        self.content = content
        self.body = stored.body
        self.seq = stored.seq
        self.prev_hash = stored.prev_hash
        self.hash = stored.hash
        self.signature = stored.signature
        self.standing = standing

    @property
    def id(self) -> str:
        value: str = self.content["id"]
        return value

    @property
    def occurred_at(self) -> str:
        value: str = self.content["occurred_at"]
        return value

    @property
    def recorded_at(self) -> str:
        value: str = self.content["recorded_at"]
        return value

    @property
    def provider_id(self) -> str:
        value: str = self.content["provider_id"]
        return value

    @property
    def feature_id(self) -> str | None:
        value: str | None = self.content["feature_id"]
        return value

    @property
    def decision(self) -> str:
        value: str = self.content["decision"]
        return value

    @property
    def purposes(self) -> list[str]:
        value: list[str] = self.content["purposes"]
        return value

    @property
    def meeting(self) -> dict[str, str | None]:
        value: dict[str, str | None] = self.content["meeting"]
        return value

    @property
    def terms(self) -> list[dict[str, str | None]]:
        value: list[dict[str, str | None]] = self.content["terms"]
        return value

    @property
    def evidence(self) -> list[dict[str, str]]:
        value: list[dict[str, str]] = self.content["evidence"]
        return value

    @property
    def requested_by(self) -> str | None:
        value: str | None = self.content["requested_by"]
        return value

    @property
    def note(self) -> str | None:
        value: str | None = self.content["note"]
        return value

    @property
    def refers_to(self) -> str | None:
        value: str | None = self.content["refers_to"]
        return value

    def to_dict(self) -> dict[str, Any]:
        """The same form as ``Record.to_dict()``."""
        return {**self.content, "prev_hash": self.prev_hash, "hash": self.hash, "signature": self.signature}


class Amendment(NamedTuple):
    """A withdrawal or correction: the record ``refers_to`` now means ``decision`` (from
    ``occurred_at``)."""

    id: str
    seq: int
    decision: str
    refers_to: str
    occurred_at: str = ""


class StatusIndex:
    """What each record means now, from the ledger's withdrawals and corrections (read once,
    through the index on ``refers_to``, over the whole ledger whatever the export's filter).

    Same rules as :func:`guard.ledger.status.effective_status` (the latest record naming a
    record wins, and is followed in turn), without building a Record per row.
    """

    def __init__(self, amendments: list[Amendment]) -> None:
        self._latest: dict[str, Amendment] = {}
        for amendment in amendments:
            known = self._latest.get(amendment.refers_to)
            if known is None or amendment.seq > known.seq:
                self._latest[amendment.refers_to] = amendment

    @classmethod
    def load(cls, ledger: Ledger, up_to: int | None = None) -> StatusIndex:
        """``up_to``: only the withdrawals and corrections up to that seq (an export's signed head)."""
        amendments = []
        for stored in ledger.iter_stored(RecordFilter(amends_only=True)):
            if up_to is not None and stored.seq > up_to:
                continue
            try:
                content = shaped(orjson.loads(stored.body))
            except orjson.JSONDecodeError:
                content = shaped(None)
            amendments.append(Amendment(content["id"], stored.seq, content["decision"], content["refers_to"],
                                        content["occurred_at"]))
        return cls(amendments)

    def history(self, record_id: str) -> list[Amendment]:
        """The withdrawals and corrections that changed ``record_id``, in the order they apply
        (each one changes the one before): the record's status history after its own decision."""
        found: list[Amendment] = []
        seen = {record_id}
        later = self._latest.get(record_id)
        while later is not None and later.id not in seen:
            seen.add(later.id)
            found.append(later)
            later = self._latest.get(later.id)
        return found

    def standing(self, content: dict[str, Any]) -> Standing:
        decision = content["decision"]
        later = self._latest.get(content["id"])
        if later is None:
            return Standing(decision, decision, None)
        label, seen, steps = decision, {content["id"]}, []
        while later is not None and later.id not in seen:
            seen.add(later.id)
            label += ", then withdrawn" if later.decision == "withdrawn" else f", corrected to {later.decision}"
            steps.append(later.decision)
            decision, current = later.decision, later.id
            later = self._latest.get(later.id)
        return Standing(label, decision, current, tuple(steps))


_TEXT_KEYS = ("id", "key_id", "occurred_at", "recorded_at", "provider_id", "decision")
_OPTIONAL_TEXT_KEYS = ("feature_id", "requested_by", "note", "refers_to")
_MEETING_KEYS = ("title", "id_or_link", "organiser")
_TERMS_KEYS = ("document_id", "provider_id", "sha256", "url")
UNREADABLE = "unreadable"


_ALL_KEYS = frozenset((*_TEXT_KEYS, *_OPTIONAL_TEXT_KEYS, "meeting", "purposes", "terms", "evidence"))


def _well_shaped(c: Any) -> bool:
    """Whether a body has every key an exporter reads, of the type it reads (a genuine record
    always does; written out flat because it runs once per exported record)."""
    if type(c) is not dict or not _ALL_KEYS <= c.keys():
        return False
    meeting, purposes, terms, evidence = c["meeting"], c["purposes"], c["terms"], c["evidence"]
    if not (type(c["id"]) is str and type(c["key_id"]) is str and type(c["occurred_at"]) is str
            and type(c["recorded_at"]) is str and type(c["provider_id"]) is str and type(c["decision"]) is str
            and type(meeting) is dict and type(purposes) is list and type(terms) is list and type(evidence) is list):
        return False
    for key in _OPTIONAL_TEXT_KEYS:
        if c[key] is not None and type(c[key]) is not str:
            return False
    for key in _MEETING_KEYS:
        if meeting.get(key) is not None and type(meeting[key]) is not str:
            return False
    for item in purposes:
        if type(item) is not str:
            return False
    for entry in terms:
        if type(entry) is not dict:
            return False
    for entry in evidence:
        if type(entry) is not dict:
            return False
    return True


def shaped(content: Any) -> dict[str, Any]:
    """``content`` as exporters read it. A body reshaped by someone editing the ledger (not an
    object, keys missing, values of another type) keeps what still fits and shows the rest as
    ``unreadable`` or empty, so the export still lists every record, this one included, under
    its NOT intact verdict, instead of failing as a whole."""
    if _well_shaped(content):
        return content  # type: ignore[no-any-return]
    c: dict[str, Any] = dict(content) if isinstance(content, dict) else {}
    for key in _TEXT_KEYS:
        c[key] = c[key] if isinstance(c.get(key), str) else "" if key.endswith("_at") else UNREADABLE
    for key in _OPTIONAL_TEXT_KEYS:
        c[key] = None if c.get(key) is None else str(c[key])
    found = c.get("meeting")
    meeting: dict[str, Any] = found if isinstance(found, dict) else {}
    c["meeting"] = {key: None if meeting.get(key) is None else str(meeting[key]) for key in _MEETING_KEYS}
    purposes, terms, evidence = c.get("purposes"), c.get("terms"), c.get("evidence")
    c["purposes"] = [str(p) for p in purposes] if isinstance(purposes, list) else []
    c["terms"] = ([{key: None if t.get(key) is None else str(t[key]) for key in _TERMS_KEYS} for t in terms
                   if isinstance(t, dict)] if isinstance(terms, list) else [])
    c["evidence"] = [e for e in evidence if isinstance(e, dict)] if isinstance(evidence, list) else []
    return c


def iter_entries(ledger: Ledger, export_filter: ExportFilter, statuses: StatusIndex,
                 order: Order = Order.OLDEST, progress: Progress | None = None) -> Iterator[Entry]:
    """The records the filter selects, in ``order``, one :class:`Entry` each."""
    loads = orjson.loads
    standing = statuses.standing
    for stored in ledger.iter_stored(export_filter.record_filter(), order):
        try:
            content = shaped(loads(stored.body))
        except orjson.JSONDecodeError:  # not JSON at all (or nested past orjson's limit)
            content = shaped(None)
        yield Entry(stored, content, standing(content))
        if progress is not None:
            progress.step()


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while an export builds many short-lived objects
    (it would otherwise rescan every live object again and again); restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
