"""One notice, one decision (guard.ledger.answers): a notification's answer is recorded once however
often the notice is told, and looking for the earlier answer never keeps an answer from being
recorded. The tray app's way: each append in a helper process, the look on a read-only connection.
Real SQLite ledger, real helper processes, the test desktop's real keyring."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from guard.ledger import Ledger, RecordDraft, ledger_path
from guard.paths import app_paths
from guard.services import Services
from tests.ledger.conftest import tamper

pytestmark = pytest.mark.desktop


def answer(decision: str) -> RecordDraft:
    return RecordDraft("zoom", decision, occurred_at=datetime.now(UTC), feature_id="ai-companion",
                       meeting={"title": "Weekly sync", "id_or_link": "https://zoom.us/j/123"},
                       notice={"text": "AI Companion is on", "seen_at": datetime.now(UTC)})


def test_the_second_answer_to_one_notice_is_not_recorded(app_home, secret_service):
    services = Services(app_paths(), record_in_helper=True)
    try:
        first, was_there = services.record_answer(answer("given"), str(uuid.uuid4()))
        assert not was_there
        again, was_there = services.record_answer(answer("refused"), str(uuid.uuid4()))
        assert was_there and again.id == first.id
        other = answer("refused").changed(notice={"text": "Recording is on", "seen_at": datetime.now(UTC)})
        assert services.record_answer(other, str(uuid.uuid4()))[1] is False, "another notice is another question"
    finally:
        services.close()
    with Ledger.open(ledger_path(app_paths())) as ledger:
        assert [str(r.decision) for r in ledger.iter()] == ["given", "refused"]


def test_a_damaged_record_never_keeps_an_answer_from_being_recorded_hostile(app_home, secret_service):
    services = Services(app_paths(), record_in_helper=True)
    try:
        services.record_decision(RecordDraft("zoom", "given", note="an earlier decision"))
    finally:
        services.close()
    tamper(ledger_path(app_paths()), "UPDATE records SET body = '{\"not\": \"a record\"}' WHERE seq = 1")
    services = Services(app_paths(), record_in_helper=True)
    try:
        record, was_there = services.record_answer(answer("refused"), str(uuid.uuid4()))
    finally:
        services.close()
    assert not was_there and record.seq == 2 and str(record.decision) == "refused"
