"""guard.ledger.waiting: a decision kept until the signing key can be read is a private file that
survives as it was written; anything else found in its folder is left alone, never read as a decision."""

from __future__ import annotations

import json
import os
import stat
import uuid
from datetime import UTC, datetime

from guard.ledger import RecordDraft
from guard.ledger.waiting import MAX_FILE_BYTES, WaitingDecisions


def test_a_kept_decision_comes_back_as_it_was_made_and_goes_once_done(tmp_path):
    waiting = WaitingDecisions(tmp_path)
    assert waiting.listed() == [] and waiting.count() == 0
    record_id = str(uuid.uuid4())
    before = datetime.now(UTC)
    draft = RecordDraft(provider_id="zoom", decision="refused", note="no")
    waiting.keep(record_id, draft, "the keyring did not answer")
    (kept,) = waiting.listed()
    assert kept.record_id == record_id and kept.why == "the keyring did not answer"
    assert kept.draft.decision == "refused" and kept.draft.note == "no"
    assert kept.draft.occurred_at is not None and kept.draft.occurred_at >= before  # the time it was made, fixed
    assert stat.S_IMODE(os.stat(waiting.folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(waiting.folder / f"{record_id}.json").st_mode) == 0o600
    waiting.done(record_id)
    assert waiting.listed() == [] and waiting.count() == 0


def test_files_that_are_not_kept_decisions_are_left_alone(tmp_path):
    waiting = WaitingDecisions(tmp_path)
    good = str(uuid.uuid4())
    waiting.keep(good, RecordDraft(provider_id="zoom", decision="given"), "locked")
    bad = {name: str(uuid.uuid4()) for name in ("garbage", "other-id", "bad-draft", "huge", "link")}
    (waiting.folder / f"{bad['garbage']}.json").write_text("{not json")
    (waiting.folder / f"{bad['other-id']}.json").write_text(
        (waiting.folder / f"{good}.json").read_text())  # a copy under another name is not that decision
    (waiting.folder / f"{bad['bad-draft']}.json").write_text(json.dumps(
        {"format": 1, "record_id": bad["bad-draft"], "kept_at": "x", "why": "y", "draft": {"decision": "maybe"}}))
    (waiting.folder / f"{bad['huge']}.json").write_text(" " * (MAX_FILE_BYTES + 1))
    (waiting.folder / f"{bad['link']}.json").symlink_to(waiting.folder / f"{good}.json")
    (waiting.folder / "notes.txt").write_text("not one of ours")
    assert [kept.record_id for kept in waiting.listed()] == [good]
    assert all((waiting.folder / f"{record_id}.json").exists() or (waiting.folder / f"{record_id}.json").is_symlink()
               for record_id in bad.values()), "nothing is deleted: it may be all that is left of a decision"


def test_a_title_with_a_lone_surrogate_is_recorded_not_refused(app_home):
    """Audit round six: a window or tab title may hold a lone surrogate (a broken title), which
    the ledger replaces when it records. Keeping the decision on disk while it is signed (and while
    the key cannot be read) wrote it as UTF-8, which cannot hold one: the decision was refused.
    It is kept, and recorded with the surrogate replaced."""
    from guard.ledger import Meeting
    from guard.paths import app_paths
    from guard.services import Services

    services = Services(app_paths())
    try:
        record = services.record_decision(RecordDraft("zoom", "given", meeting=Meeting("Stand\ud800up\udfff")))
        assert record.meeting.title == "Stand\ufffdup\ufffd" and services.waiting_count() == 0
    finally:
        services.close()
    kept = WaitingDecisions(app_paths().data_dir)
    kept.keep(str(uuid.uuid4()), RecordDraft("zoom", "refused", meeting=Meeting("a\ud800")), "the key is away")
    assert [k.draft.meeting.title for k in kept.listed()] == ["a\ud800"]
