"""Which records to list, and in what order: a filter becomes a SQL WHERE clause over the
indexed columns (the settings window pages through 100,000 records with these)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from guard.ledger.errors import LedgerInputError
from guard.ledger.models import Decision, enum_value, record_id_text
from guard.ledger.schema import SIGNATURE_HEX
from guard.ledger.timeutil import format_utc


class Order(StrEnum):
    NEWEST = "newest"  # last written first (seq descending)
    OLDEST = "oldest"  # seq ascending: the chain's own order
    OCCURRED_NEWEST = "occurred-newest"  # by when the decision happened
    OCCURRED_OLDEST = "occurred-oldest"
    PROVIDER = "provider"  # provider id A to Z, then oldest first (one index scan)
    PROVIDER_DESC = "provider-desc"  # provider id Z to A, then newest first
    DECISION = "decision"  # decision A to Z, then oldest first
    DECISION_DESC = "decision-desc"


_ORDER_SQL = {
    Order.NEWEST: "seq DESC",
    Order.OLDEST: "seq ASC",
    Order.OCCURRED_NEWEST: "occurred_at DESC, seq DESC",
    Order.OCCURRED_OLDEST: "occurred_at ASC, seq ASC",
    # One direction throughout, so SQLite walks the (column, occurred_at) index instead of sorting.
    Order.PROVIDER: "provider_id ASC, occurred_at ASC, seq ASC",
    Order.PROVIDER_DESC: "provider_id DESC, occurred_at DESC, seq DESC",
    Order.DECISION: "decision ASC, occurred_at ASC, seq ASC",
    Order.DECISION_DESC: "decision DESC, occurred_at DESC, seq DESC",
}


@dataclass(frozen=True)
class RecordFilter:
    """All given conditions must hold. ``occurred_from`` is inclusive, ``occurred_to``
    exclusive; ``text`` matches the meeting title or the note (case-insensitive)."""

    provider_id: str | None = None
    decision: Decision | str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    text: str | None = None
    refers_to: str | None = None
    amends_only: bool = False  # only withdrawals and corrections (records with refers_to)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.provider_id:
            clauses.append("provider_id = ?")
            params.append(self.provider_id)
        if self.decision:
            clauses.append("decision = ?")
            params.append(str(enum_value(Decision, self.decision, "decision")))
        for name, op, moment in (("occurred_from", ">=", self.occurred_from), ("occurred_to", "<", self.occurred_to)):
            if moment is not None:
                try:
                    params.append(format_utc(moment))
                except ValueError as error:
                    raise LedgerInputError(f"Filter '{name}': {error}.") from None
                clauses.append(f"occurred_at {op} ?")
        if self.text:
            pattern = "%" + self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(meeting_title LIKE ? ESCAPE '\\' OR note LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        if self.refers_to:
            clauses.append("refers_to = ?")
            params.append(record_id_text(self.refers_to, "refers_to"))
        if self.amends_only:
            clauses.append("refers_to IS NOT NULL")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def order_sql(order: Order | str) -> str:
    return _ORDER_SQL[enum_value(Order, order, "order")]


SELECT_STORED = f"SELECT seq, body, prev_hash, hash, {SIGNATURE_HEX}, occurred_at FROM records"

# Keyset paging: the next page starts after the last row seen, so rows added meanwhile never
# shift a page and no page is skipped with OFFSET.
_AFTER: dict[Order, tuple[str, Callable[[tuple[Any, ...]], list[Any]]]] = {
    Order.NEWEST: ("seq < ?", lambda row: [row[0]]),
    Order.OLDEST: ("seq > ?", lambda row: [row[0]]),
    Order.OCCURRED_NEWEST: ("(occurred_at, seq) < (?, ?)", lambda row: [row[5], row[0]]),
    Order.OCCURRED_OLDEST: ("(occurred_at, seq) > (?, ?)", lambda row: [row[5], row[0]]),
    # The sort column of the last row is read back by its seq (the page's rows do not carry it).
    Order.PROVIDER: ("(provider_id, occurred_at, seq) > ((SELECT provider_id FROM records WHERE seq = ?), ?, ?)",
                     lambda row: [row[0], row[5], row[0]]),
    Order.PROVIDER_DESC: ("(provider_id, occurred_at, seq) < ((SELECT provider_id FROM records WHERE seq = ?), ?, ?)",
                          lambda row: [row[0], row[5], row[0]]),
    Order.DECISION: ("(decision, occurred_at, seq) > ((SELECT decision FROM records WHERE seq = ?), ?, ?)",
                     lambda row: [row[0], row[5], row[0]]),
    Order.DECISION_DESC: ("(decision, occurred_at, seq) < ((SELECT decision FROM records WHERE seq = ?), ?, ?)",
                          lambda row: [row[0], row[5], row[0]]),
}


def stored_page(where: str, params: list[Any], order: Order | str, after: tuple[Any, ...] | None,
                limit: int) -> tuple[str, list[Any]]:
    """SQL for the page of stored rows (:data:`SELECT_STORED`) that follows the row ``after``."""
    chosen = enum_value(Order, order, "order")
    sql, params = SELECT_STORED + where, list(params)
    if after is not None:
        condition, key = _AFTER[chosen]
        sql += (" AND " if where else " WHERE ") + condition
        params += key(after)
    return f"{sql} ORDER BY {_ORDER_SQL[chosen]} LIMIT ?", [*params, limit]
