"""Recording decisions: what goes in comes back out, nothing is changed in place, and
withdrawals and corrections are new records pointing at the old ones."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from guard.events import Evidence, Signal
from guard.ledger import (
    Decision,
    EvidenceItem,
    Ledger,
    LedgerInputError,
    Meeting,
    Notice,
    Order,
    RecordDraft,
    RecordFilter,
    RecordNotFoundError,
    RequestedBy,
    TermsRef,
)
from guard.ledger.canonical import canonical_json, record_hash
from guard.ledger.models import GENESIS_HASH

SHA = "9f" * 32


def full_draft(**changes) -> RecordDraft:
    values = {
        "provider_id": "zoom", "decision": Decision.GIVEN, "feature_id": "ai-companion",
        "occurred_at": datetime(2026, 5, 1, 14, 30, tzinfo=UTC),
        "meeting": Meeting(title="Weekly “sync” — Ünïcode", id_or_link="https://zoom.us/j/123", organiser="Ada"),
        "purposes": ("meeting summary", "smart recording"), "requested_by": RequestedBy.HOST,
        "terms": (TermsRef("zoom", "terms-of-service", SHA, "https://zoom.us/terms"),),
        "evidence": (Evidence(Signal.WINDOW_TITLE, "Zoom Meeting", datetime(2026, 5, 1, 14, 29, tzinfo=UTC), pid=42),),
        "note": "host turned on AI Companion",
    }
    values.update(changes)
    return RecordDraft(**values)


def test_appended_record_comes_back_with_every_field(ledger):
    record = ledger.append(full_draft())
    assert record.seq == 1 and record.prev_hash == GENESIS_HASH
    again = ledger.get(record.id)
    assert again == record
    assert again.meeting.title == "Weekly “sync” — Ünïcode"
    assert again.purposes == ("meeting summary", "smart recording")
    assert again.requested_by == RequestedBy.HOST
    assert again.terms == (TermsRef("zoom", "terms-of-service", SHA, "https://zoom.us/terms"),)
    assert again.evidence == (EvidenceItem("window-title", "Zoom Meeting", datetime(2026, 5, 1, 14, 29, tzinfo=UTC)),)
    assert again.occurred_at == datetime(2026, 5, 1, 14, 30, tzinfo=UTC)
    assert again.recorded_at.tzinfo is not None


def test_record_hash_is_sha256_of_previous_hash_and_canonical_content(ledger):
    first = ledger.append(full_draft())
    second = ledger.append(full_draft(decision="refused", note=None))
    content = {key: value for key, value in second.to_dict().items()
               if key not in ("prev_hash", "hash", "signature")}
    assert second.prev_hash == first.hash
    assert second.hash == record_hash(first.hash, canonical_json(content))


def test_timestamps_are_utc_iso8601(ledger):
    berlin = timezone(timedelta(hours=2))
    record = ledger.append(full_draft(occurred_at=datetime(2026, 5, 1, 16, 30, tzinfo=berlin)))
    data = record.to_dict()
    assert data["occurred_at"] == "2026-05-01T14:30:00.000000Z"
    assert data["recorded_at"].endswith("Z")


def test_naive_times_are_refused(ledger):
    with pytest.raises(LedgerInputError, match="occurred_at"):
        ledger.append(full_draft(occurred_at=datetime(2026, 5, 1, 14, 30)))


@pytest.mark.parametrize("changes, field", [
    ({"provider_id": "Zoom Inc"}, "provider_id"),
    ({"provider_id": ""}, "provider_id"),
    ({"decision": "maybe"}, "decision"),
    ({"requested_by": "boss"}, "requested_by"),
    ({"terms": ({"provider_id": "zoom", "document_id": "tos", "sha256": "not-a-hash"},)}, "terms[0].sha256"),
    ({"terms": ({"provider_id": "zoom", "document_id": "tos", "sha256": SHA, "url": "ftp://x"},)}, "terms[0].url"),
    ({"purposes": ("ok", "  ")}, "purposes[1]"),
    ({"purposes": "one string"}, "purposes"),
    ({"refers_to": "not-an-id"}, "refers_to"),
])
def test_bad_field_is_refused_by_name_and_nothing_is_written(ledger, changes, field):
    with pytest.raises(LedgerInputError) as raised:
        ledger.append(full_draft(**changes))
    assert f"'{field}'" in str(raised.value)
    assert ledger.count() == 0


def test_records_cannot_be_updated_or_deleted_in_place(ledger, path):
    ledger.append(full_draft())
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE records SET note = 'changed'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM records")
    conn.close()
    assert ledger.verify().ok


def test_withdrawal_is_a_new_record_pointing_at_the_consent(ledger):
    given = ledger.append(full_draft())
    withdrawal = ledger.withdraw(given.id, note="changed my mind")
    assert withdrawal.seq == 2 and withdrawal.refers_to == given.id
    assert withdrawal.decision == Decision.WITHDRAWN and withdrawal.requested_by == RequestedBy.SELF
    assert withdrawal.provider_id == given.provider_id and withdrawal.feature_id == given.feature_id
    assert ledger.get(given.id) == given  # the consent itself is unchanged
    status = ledger.effective_status(given)
    assert status.decision == Decision.WITHDRAWN and status.withdrawn
    assert status.label == "given, then withdrawn"
    assert [r.id for r in status.history] == [given.id, withdrawal.id]


def test_only_a_consent_in_force_can_be_withdrawn(ledger):
    refused = ledger.append(full_draft(decision="refused"))
    with pytest.raises(LedgerInputError, match="only a consent that is in force"):
        ledger.withdraw(refused.id)
    given = ledger.append(full_draft())
    ledger.withdraw(given.id)
    with pytest.raises(LedgerInputError, match="given, then withdrawn"):
        ledger.withdraw(given.id)
    assert ledger.count() == 3


def test_correction_supersedes_without_changing_the_original(ledger):
    original = ledger.append(full_draft(decision="refused"))
    correction = ledger.correct(original.id, full_draft(decision="given", note="I actually agreed"))
    assert correction.refers_to == original.id and correction.is_correction
    status = ledger.effective_status(original)
    assert status.decision == Decision.GIVEN and status.corrected
    assert status.label == "refused, corrected to given"
    assert ledger.get(original.id).decision == Decision.REFUSED


def test_withdrawing_unknown_record_names_the_id(ledger):
    with pytest.raises(RecordNotFoundError, match="00000000-0000-0000-0000-000000000001"):
        ledger.withdraw("00000000-0000-0000-0000-000000000001")


def test_refers_to_must_name_an_existing_record(ledger):
    with pytest.raises(RecordNotFoundError, match="refers_to"):
        ledger.append(full_draft(refers_to="00000000-0000-0000-0000-000000000001"))


def test_filters_count_and_page(ledger):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(30):
        ledger.append(full_draft(
            provider_id="zoom" if day % 2 else "teams", decision="given" if day % 3 else "refused",
            occurred_at=start + timedelta(days=day),
            meeting=Meeting(title=f"Planning {day}"), note="budget talk" if day == 7 else None,
        ))
    assert ledger.count() == 30
    assert ledger.count(RecordFilter(provider_id="zoom")) == 15
    assert ledger.count(RecordFilter(decision="refused")) == 10
    january_10_to_20 = RecordFilter(occurred_from=start + timedelta(days=9), occurred_to=start + timedelta(days=20))
    assert ledger.count(january_10_to_20) == 11
    assert [r.meeting.title for r in ledger.page(RecordFilter(text="BUDGET"))] == ["Planning 7"]
    assert [r.meeting.title for r in ledger.page(RecordFilter(text="planning 2"), order=Order.OCCURRED_OLDEST)][:2] \
        == ["Planning 2", "Planning 20"]
    newest = ledger.page(limit=5)
    assert [r.occurred_at.day for r in newest] == [30, 29, 28, 27, 26]
    second_page = ledger.page(offset=5, limit=5, order=Order.OLDEST)
    assert [r.seq for r in second_page] == [6, 7, 8, 9, 10]
    assert [r.seq for r in ledger.iter(batch=7)] == list(range(1, 31))
    assert [r.seq for r in ledger.iter(RecordFilter(provider_id="teams"), batch=4)] == list(range(1, 31, 2))


def test_text_search_treats_wildcards_literally(ledger):
    ledger.append(full_draft(note="100% sure"))
    ledger.append(full_draft(note="1000 sure"))
    assert [r.note for r in ledger.page(RecordFilter(text="100%"))] == ["100% sure"]
    assert ledger.count(RecordFilter(text="_")) == 0


def test_append_many_is_all_or_nothing(ledger):
    ledger.append(full_draft())
    with pytest.raises(LedgerInputError):
        ledger.append_many([full_draft(), full_draft(provider_id="BAD ID")])
    assert ledger.count() == 1
    records = ledger.append_many([full_draft(), full_draft()])
    assert [r.seq for r in records] == [2, 3] and records[1].prev_hash == records[0].hash
    assert ledger.verify().ok


def test_stored_body_is_the_canonical_json_of_the_record(ledger, path):
    record = ledger.append(full_draft())
    body = sqlite3.connect(path).execute("SELECT body FROM records").fetchone()[0]
    content = json.loads(body)
    assert body == canonical_json(content)
    assert list(content) == sorted(content)
    assert content["meeting"]["title"] == record.meeting.title


def test_a_2023_character_title_is_cut_and_marked_never_refused(ledger):
    """Issue 16 item 4: any web page can set such a tab title; the decision must still be recorded."""
    title = "T" * 2_023
    draft = full_draft(meeting=Meeting(title=title), evidence=(Evidence(Signal.BROWSER_TAB, title, datetime.now(UTC)),),
                       note="n" * 25_000)
    record = ledger.append(draft)
    assert len(record.meeting.title) == 2_000 and record.meeting.title.endswith("… [cut: 2023 characters in all]")
    assert record.evidence[0].detail.endswith("… [cut: 2023 characters in all]")
    assert record.cut == {"meeting.title": 2_023, "evidence[0].detail": 2_023, "note": 25_000}
    assert ledger.verify().ok


def test_a_100_kb_title_and_hostile_characters_are_stored_as_text(ledger):
    record = ledger.append(full_draft(meeting=Meeting(title="\x00\ud800<b>x</b>\n" + "y" * 100_000)))
    assert record.meeting.title.startswith("\ufffd\ufffd<b>x</b>\n") and len(record.meeting.title) == 2_000
    assert ledger.get(record.id) == record


def test_the_notice_a_participant_was_shown_is_kept_with_when(ledger):
    seen = datetime(2026, 11, 30, 14, 3, tzinfo=UTC)
    record = ledger.append(full_draft(decision="notice-only",
                                      notice=Notice(text="AI Companion is on. Summary is being generated.",
                                                    seen_at=seen)))
    again = ledger.get(record.id)
    assert again.notice == Notice(text="AI Companion is on. Summary is being generated.", seen_at=seen)
    assert again.to_dict()["notice"] == {"text": "AI Companion is on. Summary is being generated.",
                                         "seen_at": "2026-11-30T14:03:00.000000Z"}
    assert again.format == 2


def test_records_written_before_the_notice_field_read_back_without_one(path, no_keyring):
    from tests.ledger.legacy import build_legacy_ledger

    old = build_legacy_ledger(path, ["before"])
    with Ledger.open(path) as ledger:
        record = ledger.get(old["ids"][0])
    assert record.format == 1 and record.notice is None and record.cut == {}
    assert "notice" not in record.to_dict() and "cut" not in record.to_dict()


def test_a_meeting_link_typed_with_its_passcode_is_stored_without_it_hostile(ledger, cli, app_home):
    """Detection cuts a link's secrets before it is shown, stored or sent; a link typed or pasted into
    the consent form, the add-a-record dialog or ``consent add --meeting-id`` went into the signed
    record whole, and from there into exports people hand on and letters sent out. The ledger keeps
    every meeting link as detection would show it."""
    from guard.ledger import RecordDraft

    record = ledger.append(RecordDraft("zoom", "given", meeting={
        "title": "Weekly sync", "id_or_link": "https://us02web.zoom.us/j/81234567890?pwd=Zk9sbWJ3dTRjZz09"}))
    assert record.meeting.id_or_link == "https://us02web.zoom.us/j/81234567890?pwd=…"
    assert ledger.get(record.id).meeting.id_or_link == "https://us02web.zoom.us/j/81234567890?pwd=…"
    plain = ledger.append(RecordDraft("zoom", "given", meeting={"id_or_link": "812 3456 7890"}))
    assert plain.meeting.id_or_link == "812 3456 7890", "a meeting id is kept as typed"

    done = cli("consent", "add", "--provider", "teams", "--decision", "refused", "--meeting-id",
               "https://teams.microsoft.com/meet/2345678901234?p=AbCdEfGhIj", "--json")
    assert done.returncode == 0, done.stderr
    assert "AbCdEfGhIj" not in done.stdout and "?p=…" in done.stdout
