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


def test_a_title_spelling_another_meetings_link_is_another_question_hostile(app_home, secret_service):
    """A meeting without a link is known by its title; an organiser can title it with the link of
    a meeting answered earlier. Its notice is another question: its answer is recorded."""
    services = Services(app_paths(), record_in_helper=True)
    try:
        services.record_answer(answer("given"), str(uuid.uuid4()))
        titled = answer("refused").changed(meeting={"title": "https://zoom.us/j/123", "id_or_link": None})
        record, was_there = services.record_answer(titled, str(uuid.uuid4()))
    finally:
        services.close()
    assert not was_there and str(record.decision) == "refused", "a real answer was dropped as already recorded"


def test_a_long_notice_told_again_is_answered_once_hostile(app_home, secret_service):
    """The ledger keeps a notice cut to its limit (and trimmed); told again, the same long notice
    (or one with a line break at its end, as a page's text has) is the same question."""
    long_text = "AI Companion is on. " * 400 + "\n"
    services = Services(app_paths(), record_in_helper=True)
    try:
        first, _ = services.record_answer(answer("given").changed(
            notice={"text": long_text, "seen_at": datetime.now(UTC)}), str(uuid.uuid4()))
        again, was_there = services.record_answer(answer("refused").changed(
            notice={"text": long_text, "seen_at": datetime.now(UTC)}), str(uuid.uuid4()))
    finally:
        services.close()
    assert first.was_cut and was_there and again.id == first.id, "the same notice was answered twice"


def test_a_later_meeting_without_a_link_is_a_new_question_the_same_day_hostile(app_home, secret_service):
    """A desktop client's meeting has no link and a generic title ("Zoom Meeting"): the morning's
    and the afternoon's notices look alike. The afternoon's answer is recorded; one told again at
    once is still the same question. A meeting known by its link keeps its answer for the day."""
    from datetime import timedelta

    def linkless(decision: str, when: datetime) -> RecordDraft:
        return answer(decision).changed(occurred_at=when, meeting={"title": "Zoom Meeting", "id_or_link": None})

    morning = datetime.now(UTC) - timedelta(hours=3)
    services = Services(app_paths(), record_in_helper=True)
    try:
        services.record_answer(linkless("given", morning), str(uuid.uuid4()))
        afternoon, was_there = services.record_answer(linkless("refused", datetime.now(UTC)), str(uuid.uuid4()))
        assert not was_there and str(afternoon.decision) == "refused", "the afternoon's answer was dropped"
        again, was_there = services.record_answer(linkless("given", datetime.now(UTC)), str(uuid.uuid4()))
        assert was_there and again.id == afternoon.id, "a notice told again at once is one question"
        services.record_answer(answer("given").changed(occurred_at=morning), str(uuid.uuid4()))
        linked, was_there = services.record_answer(answer("refused"), str(uuid.uuid4()))
        assert was_there, "a meeting known by its link keeps its answer for the day"
    finally:
        services.close()


# One app instance answering a notice, as a real process of its own: started, it waits for the
# file named first to appear (so both instances answer at once), then answers and prints the outcome.
_INSTANCE = """
import json, sys, time, uuid
from datetime import UTC, datetime
from pathlib import Path
from guard.ledger import RecordDraft
from guard.paths import app_paths
from guard.services import Services

go, ready, decision, in_helper = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "helper"
services = Services(app_paths(), record_in_helper=in_helper)
draft = RecordDraft("zoom", decision, occurred_at=datetime.now(UTC), feature_id="ai-companion",
                    meeting={"title": "Weekly sync", "id_or_link": "https://zoom.us/j/123"},
                    notice={"text": "AI Companion is on", "seen_at": datetime.now(UTC)})
ready.write_text("ready")
while not go.exists():
    time.sleep(0.002)
try:
    record, was_there = services.record_answer(draft, str(uuid.uuid4()))
    print(json.dumps({"id": record.id, "was_there": was_there}))
except Exception as error:
    print(json.dumps({"error": type(error).__name__, "message": str(error)}))
finally:
    services.close()
"""


def test_two_app_instances_answering_one_notice_at_once_record_one_decision_hostile(app_home, secret_service,
                                                                                     tmp_path):
    """Two instances (the tray app, which appends in a helper process, and a second one appending
    itself, as the command line does) each tell the same notice and get a button pressed at the same
    moment. The look for an earlier answer and the append are one step under the ledger's lock, so
    one decision is recorded and the other instance is told the first answer stands. The files
    left named like kept decisions (unreadable) make each instance's look last long enough for the
    two to overlap, as a slow disk would."""
    import json
    import subprocess
    import sys
    import time

    waiting = app_paths().data_dir / "decisions-waiting"
    waiting.mkdir(parents=True, mode=0o700)
    for _ in range(3000):
        (waiting / f"{uuid.uuid4()}.json").write_text("{")
    go = tmp_path / "go"
    instances = []
    for number, (decision, how) in enumerate([("given", "helper"), ("refused", "here")]):
        ready = tmp_path / f"ready-{number}"
        instances.append((ready, subprocess.Popen([sys.executable, "-c", _INSTANCE, str(go), str(ready), decision, how],
                                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in instances) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.write_text("go")
    outcomes = []
    for _, process in instances:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    with Ledger.open(ledger_path(app_paths())) as ledger:
        records = list(ledger.iter())
    assert len(records) == 1, f"one notice answered twice: {[str(r.decision) for r in records]}"
    recorded = [outcome for outcome in outcomes if outcome.get("was_there") is False]
    assert len(recorded) == 1 and recorded[0]["id"] == records[0].id, outcomes
    (other,) = [outcome for outcome in outcomes if outcome is not recorded[0]]
    # told the first answer stands: found in the ledger, or (its look came while the first was being
    # signed) found held by the other instance
    assert other.get("was_there") is True and other["id"] == records[0].id or (
        other.get("error") == "DecisionKept" and "being saved already" in other["message"]), other


def test_long_notices_that_differ_after_the_kept_part_are_two_questions_hostile(app_home, secret_service):
    """The ledger keeps a notice's first 4,000 characters; two notices alike that far (a page's
    boilerplate first, what is switched on last) are two questions: the second one's answer is
    recorded, not dropped as answered. The record says which whole notice it answered."""
    import hashlib

    shared = "Meeting notice. " * 300
    summary, recording = shared + "Meeting summary is on.", shared + "Recording has started."
    assert len(summary) == len(recording)  # the kept part's mark says the whole length: alike too
    services = Services(app_paths(), record_in_helper=True)
    try:
        first, _ = services.record_answer(answer("given").changed(
            notice={"text": summary, "seen_at": datetime.now(UTC)}), str(uuid.uuid4()))
        second, was_there = services.record_answer(answer("refused").changed(
            notice={"text": recording, "seen_at": datetime.now(UTC)}), str(uuid.uuid4()))
        again, was_there_again = services.record_answer(answer("given").changed(
            notice={"text": recording + "\n", "seen_at": datetime.now(UTC)}), str(uuid.uuid4()))
    finally:
        services.close()
    assert first.was_cut and not was_there and str(second.decision) == "refused", "a real answer was dropped"
    assert was_there_again and again.id == second.id, "the same long notice told again is one question"
    assert second.notice_sha256 == hashlib.sha256(recording.encode()).hexdigest()
