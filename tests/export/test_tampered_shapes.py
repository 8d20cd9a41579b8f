"""Exports of a ledger whose record bodies were reshaped by someone editing the file (audit round
two): every export still writes, says NOT intact, keeps the other records, and a tampered value
cannot move CSV columns."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from guard.export import export_history
from guard.ledger import ledger_path
from guard.paths import app_paths
from tests.export.test_hostile_values import tamper


def _set_body(seq: int, body: str) -> None:
    with sqlite3.connect(ledger_path(app_paths())) as db:
        db.execute("DROP TRIGGER IF EXISTS records_append_only_update")
        db.execute("UPDATE records SET body = ? WHERE seq = ?", (body, seq))


@pytest.mark.parametrize("body", ["{}", "[]", '"text"', '{"id": "x", "decision": "given"}',
                                  '{"id": 5, "decision": ["given"], "meeting": 1, "terms": [1], "purposes": [2], '
                                  '"evidence": "x", "occurred_at": 7}', "not json {", "[" * 5000 + "]" * 5000],
                         ids=["empty object", "array", "string", "missing keys", "wrong types", "not json", "deep"])
@pytest.mark.parametrize("fmt", ["html", "csv", "json", "pdf"])
def test_export_of_a_reshaped_record_still_writes(ledger, sample, catalog, tmp_path, body, fmt):
    """It raised KeyError / TypeError for every format: the history could not be exported at all."""
    _set_body(sample.given.seq, body)
    target = tmp_path / f"history.{fmt}"
    export_history(ledger, catalog, fmt, target)
    data = target.read_bytes()
    assert data and sample.withdrawal.id.encode() in data or fmt == "pdf"


def test_a_tampered_id_cannot_shift_csv_columns(ledger, sample, catalog, tmp_path):
    """The CSV fast path writes id-like fields unquoted once they hold only id characters, and a
    comma is one of them: an id 'x,1,...,refused' pushed the real values right, so the decision
    column of a spreadsheet showed what the editor chose."""
    forged = "x,1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,zoom,Zoom,,,refused"
    tamper(ledger_path(app_paths()), sample.given.seq, id=forged)
    export_history(ledger, catalog, "csv", tmp_path / "h.csv")
    with open(tmp_path / "h.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert all(len(row) == len(header) for row in rows)
    [row] = [r for r in rows if r[0] == forged]
    assert row[header.index("decision")] == "given"


def test_html_of_a_reshaped_record_says_not_intact(ledger, sample, catalog, tmp_path):
    _set_body(sample.given.seq, "[]")
    export_history(ledger, catalog, "html", tmp_path / "h.html")
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "NOT intact" in page and sample.withdrawal.id in page
