"""What a record means now, after later withdrawals and corrections. Pure.

A withdrawal is a later record with decision ``withdrawn`` whose ``refers_to`` names the
record; a correction is a later record with any other decision that names it. The latest
record naming a record wins, and is followed in turn (a correction can be corrected, a
withdrawal can be corrected back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from guard.ledger.models import Decision, Record


@dataclass(frozen=True)
class EffectiveStatus:
    record: Record  # the record asked about
    current: Record  # the latest record in the chain of changes (``record`` when unchanged)
    history: tuple[Record, ...]  # ``record``, then each record that changed the one before

    @property
    def decision(self) -> Decision:
        """The decision in force now."""
        return self.current.decision

    @property
    def withdrawn(self) -> bool:
        return self.current.decision == Decision.WITHDRAWN and len(self.history) > 1

    @property
    def corrected(self) -> bool:
        return any(r.is_correction for r in self.history[1:])

    @property
    def label(self) -> str:
        """E.g. ``given``, ``given, then withdrawn``, ``refused, corrected to given``."""
        text = str(self.record.decision)
        for later in self.history[1:]:
            text += ", then withdrawn" if later.is_withdrawal else f", corrected to {later.decision}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {"record_id": self.record.id, "decision": str(self.decision), "label": self.label,
                "current_id": self.current.id, "history": [r.id for r in self.history]}


def effective_status(record: Record, later: Iterable[Record]) -> EffectiveStatus:
    """The status of ``record`` given the records that refer to it (directly or in turn)."""
    by_target: dict[str, Record] = {}
    for other in later:
        if other.refers_to and other.seq > record.seq:
            known = by_target.get(other.refers_to)
            if known is None or other.seq > known.seq:
                by_target[other.refers_to] = other
    history = [record]
    seen = {record.id}
    while (following := by_target.get(history[-1].id)) is not None and following.id not in seen:
        history.append(following)
        seen.add(following.id)
    return EffectiveStatus(record=record, current=history[-1], history=tuple(history))
