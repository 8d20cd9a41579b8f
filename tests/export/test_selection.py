"""What a record means now, as the exports say it, agrees with the ledger's own answer."""

from __future__ import annotations

from guard.export.selection import ExportFilter, StatusIndex, iter_entries
from guard.ledger import RecordDraft
from tests.export.conftest import utc


def test_standing_matches_the_ledgers_effective_status_through_chains(ledger, sample):
    # a correction of a correction, and a withdrawal corrected back to given
    twice = ledger.correct(sample.correction.id, RecordDraft("teams", "refused", occurred_at=utc(2026, 6, 1)))
    ledger.correct(twice.id, RecordDraft("teams", "given", occurred_at=utc(2026, 6, 2)))
    ledger.correct(sample.withdrawal.id, RecordDraft("zoom", "given", occurred_at=utc(2026, 6, 3)))
    statuses = StatusIndex.load(ledger)
    entries = list(iter_entries(ledger, ExportFilter(), statuses))
    assert len(entries) == ledger.count() == 11
    for entry in entries:
        expected = ledger.effective_status(ledger.get(entry.id))
        assert entry.standing.label == expected.label
        assert entry.standing.decision == str(expected.decision)
        assert entry.standing.current_id == (expected.current.id if expected.current.id != entry.id else None)
    labels = {e.id: e.standing.label for e in entries}
    assert labels[sample.given.id] == "given, then withdrawn, corrected to given"
    assert labels[sample.refused.id] == "refused, corrected to given, corrected to refused, corrected to given"


def test_entries_keep_the_records_as_stored(ledger, sample):
    entries = list(iter_entries(ledger, ExportFilter(provider_id="zoom"), StatusIndex.load(ledger)))
    assert [e.to_dict() for e in entries] == [r.to_dict() for r in sample.all if r.provider_id == "zoom"]
