"""``Ledger.iter_stored``: records as stored, for bulk readers (exports)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from guard.ledger import Order, RecordDraft, RecordFilter

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def filled(ledger):
    # occurred_at out of seq order, with ties, so the occurred orders differ from the chain's
    for i in range(23):
        ledger.append(RecordDraft(f"p{i % 3}", "given", occurred_at=START + timedelta(hours=(i * 7) % 5)))
    first = ledger.get(ledger.page(order=Order.OLDEST, limit=1)[0].id)
    ledger.withdraw(first.id)
    return ledger


@pytest.mark.parametrize("order", list(Order))
@pytest.mark.parametrize("batch", [1, 4, 1000])
def test_stored_rows_are_the_records_in_every_order_and_page_size(filled, order, batch):
    expected = [r.to_dict() for r in filled.iter(order=order)]
    stored = list(filled.iter_stored(order=order, batch=batch))
    assert [s.to_record().to_dict() for s in stored] == expected


def test_stored_body_is_what_the_hash_covers(filled):
    for stored in filled.iter_stored():
        assert hashlib.sha256((stored.prev_hash + stored.body).encode()).hexdigest() == stored.hash
        assert stored.occurred_at == stored.to_record().to_dict()["occurred_at"]


def test_filters_apply_and_amends_only_lists_withdrawals_and_corrections(filled):
    only = RecordFilter(provider_id="p1", occurred_from=START + timedelta(hours=1))
    assert [s.seq for s in filled.iter_stored(only, Order.OCCURRED_OLDEST, batch=2)] == \
           [r.seq for r in filled.iter(only, Order.OCCURRED_OLDEST)]
    amends = list(filled.iter_stored(RecordFilter(amends_only=True)))
    assert len(amends) == 1 and amends[0].to_record().is_withdrawal


def test_records_added_between_pages_do_not_shift_a_page(filled):
    pages = filled.iter_stored(order=Order.OCCURRED_OLDEST, batch=5)
    seen = [next(pages).seq for _ in range(5)]
    filled.append(RecordDraft("p9", "refused", occurred_at=START - timedelta(days=1)))  # sorts before them all
    seen += [s.seq for s in pages]
    assert len(seen) == len(set(seen)) == 24  # nothing repeated, nothing skipped


def test_documents_are_signed_with_the_ledgers_current_key(filled, ledger):
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    info, sign = filled.document_signer()
    signature = sign(b"eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ")
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(info.public_key))
    public.verify(bytes.fromhex(signature), b"eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ")
    assert info.key_id == filled.proof().keys[-1].key_id


def test_an_empty_ledger_has_no_key_to_sign_documents_with(tmp_path):
    from guard.ledger import Ledger, LedgerKeyError

    with Ledger.open(tmp_path / "empty.sqlite3") as empty, pytest.raises(LedgerKeyError, match="no signing key yet"):
        empty.document_signer()
