"""Orders and counts the settings window's history uses: sorting by provider and decision
in SQL (each with an exact reverse), and decisions per local month for its chart."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from guard.ledger import Decision, Order, RecordDraft, RecordFilter

START = datetime(2024, 1, 1, tzinfo=UTC)
PROVIDERS = ("zoom", "teams", "otter")


@pytest.fixture
def filled(ledger):
    decisions = list(Decision)
    drafts = [RecordDraft(provider_id=PROVIDERS[i % 3], decision=decisions[(i * 7) % len(decisions)],
                          occurred_at=START + timedelta(hours=37 * ((i * 13) % 50)))
              for i in range(150)]
    return ledger, ledger.append_many(drafts)


KEYS = {
    Order.PROVIDER: (lambda r: (r.provider_id, r.occurred_at, r.seq), False),
    Order.PROVIDER_DESC: (lambda r: (r.provider_id, r.occurred_at, r.seq), True),
    Order.DECISION: (lambda r: (str(r.decision), r.occurred_at, r.seq), False),
    Order.DECISION_DESC: (lambda r: (str(r.decision), r.occurred_at, r.seq), True),
}


@pytest.mark.parametrize("order", list(KEYS))
def test_records_sort_by_provider_or_decision_then_time(filled, order):
    ledger, records = filled
    key, reverse = KEYS[order]
    expected = [r.id for r in sorted(records, key=key, reverse=reverse)]
    assert [r.id for r in ledger.page(None, 0, 1000, order)] == expected
    assert [r.id for r in ledger.page(None, 40, 25, order)] == expected[40:65]


def test_a_filter_and_an_order_combine(filled):
    ledger, records = filled
    page = ledger.page(RecordFilter(decision=Decision.GIVEN), 0, 1000, Order.PROVIDER_DESC)
    expected = sorted((r for r in records if r.decision == Decision.GIVEN),
                      key=lambda r: (r.provider_id, r.occurred_at, r.seq), reverse=True)
    assert [r.id for r in page] == [r.id for r in expected]


@pytest.fixture
def new_york(monkeypatch):
    monkeypatch.setenv("TZ", "EST5")  # UTC-5, no daylight saving: needs no tz database
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_month_counts_group_by_local_month_and_decision(ledger, new_york):
    at = [datetime(2024, 1, 10, tzinfo=UTC), datetime(2024, 2, 1, 3, tzinfo=UTC),  # Jan 31, 22:00 local
          datetime(2024, 2, 1, 6, tzinfo=UTC), datetime(2024, 4, 2, tzinfo=UTC)]
    decisions = [Decision.GIVEN, Decision.GIVEN, Decision.REFUSED, Decision.GIVEN]
    ledger.append_many([RecordDraft(provider_id="zoom" if i < 3 else "teams", decision=d, occurred_at=a)
                        for i, (a, d) in enumerate(zip(at, decisions, strict=True))])
    assert ledger.month_counts() == [("2024-01", "given", 2), ("2024-02", "refused", 1), ("2024-04", "given", 1)]
    assert ledger.month_counts(RecordFilter(provider_id="teams")) == [("2024-04", "given", 1)]
    assert ledger.month_counts(RecordFilter(provider_id="nobody")) == []
