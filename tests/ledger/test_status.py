"""Effective status: what a record means after later withdrawals and corrections (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from guard.ledger.models import Decision, Meeting, Record
from guard.ledger.status import effective_status


def record(seq: int, decision: str, refers_to: int | None = None) -> Record:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return Record(id=f"r{seq}", seq=seq, recorded_at=at, occurred_at=at, provider_id="zoom", feature_id=None,
                  meeting=Meeting(), decision=Decision(decision), purposes=(), requested_by=None, terms=(),
                  evidence=(), note=None, refers_to=f"r{refers_to}" if refers_to else None, key_id="k",
                  prev_hash="", hash="", signature="")


def test_unchanged_record_is_its_own_status():
    status = effective_status(record(1, "given"), [])
    assert status.decision == Decision.GIVEN and status.label == "given" and not status.withdrawn


def test_given_then_withdrawn():
    status = effective_status(record(1, "given"), [record(2, "withdrawn", 1)])
    assert status.withdrawn and status.label == "given, then withdrawn"


def test_latest_change_wins_and_is_followed_in_turn():
    original = record(1, "refused")
    later = [record(2, "given", 1), record(3, "left-meeting", 1), record(4, "withdrawn", 3), record(5, "given", 4)]
    status = effective_status(original, later)
    assert [r.seq for r in status.history] == [1, 3, 4, 5]
    assert status.decision == Decision.GIVEN
    assert status.label == "refused, corrected to left-meeting, then withdrawn, corrected to given"


def test_unrelated_and_earlier_records_are_ignored():
    status = effective_status(record(5, "given"), [record(2, "withdrawn", 5), record(6, "refused", 9)])
    assert status.decision == Decision.GIVEN
