"""The CSV export reads back, with the csv module, as exactly the ledger's records."""

from __future__ import annotations

import csv

import pytest

from guard.export import ExportError, export_history
from guard.export.csv_export import COLUMNS, join_multi, split_multi


def read_rows(path, encoding="utf-8") -> list[dict[str, str]]:
    with open(path, newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle))


def as_record(row: dict[str, str], unquote=lambda v: v) -> dict:
    """A CSV row turned back into the shape of ``Record.to_dict()``."""
    row = {key: unquote(value) for key, value in row.items()}
    none = lambda value: value or None  # noqa: E731  (an empty cell is a missing value)
    terms_count = len(split_multi(row["terms_sha256"]))
    evidence_count = len(split_multi(row["evidence_signals"]))
    columns = lambda name, count: split_multi(row[name], count)  # noqa: E731
    return {
        "id": row["id"], "seq": int(row["seq"]), "recorded_at": row["recorded_at"], "occurred_at": row["occurred_at"],
        "provider_id": row["provider_id"], "feature_id": none(row["feature_id"]),
        "meeting": {"title": none(row["meeting_title"]), "id_or_link": none(row["meeting_id_or_link"]),
                    "organiser": none(row["meeting_organiser"])},
        "decision": row["decision"], "purposes": split_multi(row["purposes"]),
        "requested_by": none(row["requested_by"]),
        "terms": [{"provider_id": p, "document_id": d, "sha256": s, "url": none(u)} for p, d, s, u in zip(
            columns("terms_provider_ids", terms_count), columns("terms_document_ids", terms_count),
            columns("terms_sha256", terms_count), columns("terms_urls", terms_count), strict=True)],
        "evidence": [{"signal": s, "detail": d, "seen_at": t} for s, d, t in zip(
            columns("evidence_signals", evidence_count), columns("evidence_details", evidence_count),
            columns("evidence_seen_at", evidence_count), strict=True)],
        "note": none(row["note"]), "refers_to": none(row["refers_to"]), "format": 2, "key_id": row["key_id"],
        "prev_hash": row["prev_hash"], "hash": row["hash"], "signature": row["mac"],
        **({"notice": {"text": row["notice_text"], "seen_at": row["notice_seen_at"]}} if row["notice_seen_at"] else {}),
        **({"cut": {name: int(length) for name, _, length in
                    (item.partition("=") for item in split_multi(row["cut"]))}} if row["cut"] else {}),
        **({"kept": {"kept_at": row["kept_at"], "why": row["kept_why"]}} if row["kept_at"] else {}),
        **({"language": row["language"]} if row["language"] else {}),
    }


def undo(value: str) -> str:
    """The one rule to read a value back: drop the leading "'" the export adds (OWASP)."""
    return value[1:] if value.startswith("'") else value


def test_csv_read_back_equals_the_records(ledger, sample, catalog, tmp_path):
    result = export_history(ledger, catalog, "csv", tmp_path / "history.csv")
    rows = read_rows(tmp_path / "history.csv")
    assert result.records == len(rows) == len(sample.all)
    assert list(rows[0]) == list(COLUMNS)
    assert [as_record(row, undo) for row in rows] == [record.to_dict() for record in sample.all]


def test_csv_is_rfc_4180_utf8_with_crlf_and_a_header(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "csv", tmp_path / "history.csv")
    data = (tmp_path / "history.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.startswith(b"id,seq,occurred_at,") and b"\r\n" in data
    assert "Ünïcödé 会議".encode() in data
    assert b'"Budget, ""final""\nsecond line"' in data  # quotes doubled, newline kept inside quotes


def test_multi_valued_cells_join_and_split_predictably():
    items = ["a | b", "back\\slash", "plain", "pipe|end\\"]
    cell = join_multi(items)
    assert cell == "a \\| b | back\\\\slash | plain | pipe\\|end\\\\"
    assert split_multi(cell) == items
    assert split_multi("") == [] and split_multi("", 2) == ["", ""]


def test_names_come_from_the_catalog(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "csv", tmp_path / "history.csv")
    rows = {row["id"]: row for row in read_rows(tmp_path / "history.csv")}
    assert rows[sample.given.id]["provider_name"] == "Zoom"
    assert rows[sample.given.id]["feature_name"] == catalog.get("zoom").feature("meeting-summary").name
    assert rows[sample.given.id]["status_now"] == "given, then withdrawn"
    assert rows[sample.notice.id]["provider_name"] == "acme-notes"  # not in the catalog: its id


def test_excel_variant_has_a_bom_quotes_every_cell_and_defuses_formulas(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "csv", tmp_path / "excel.csv", excel=True)
    data = (tmp_path / "excel.csv").read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"id","seq","occurred_at"')
    rows = read_rows(tmp_path / "excel.csv", encoding="utf-8-sig")
    tricky = next(row for row in rows if row["id"] == sample.tricky.id)
    assert tricky["note"] == "'-10 points; +1 @someone"
    assert tricky["meeting_id_or_link"] == "meet; id=5"  # a ';' stays inside its quoted cell
    assert [as_record(row, undo) for row in rows] == [record.to_dict() for record in sample.all]


def test_excel_option_is_refused_for_other_formats(ledger, catalog, tmp_path):
    with pytest.raises(ExportError, match="CSV format only"):
        export_history(ledger, catalog, "json", tmp_path / "x.json", excel=True)
    assert not (tmp_path / "x.json").exists()


def test_fast_lines_equal_the_generic_rfc_4180_rows(ledger, sample, catalog, tmp_path):
    from guard.export.csv_export import _cell, _plain_line, row
    from guard.export.facts import CatalogFacts
    from guard.export.job import ExportJob
    from guard.export.progress import Progress
    from guard.export.selection import ExportFilter, StatusIndex

    job = ExportJob(ledger, CatalogFacts(catalog), ExportFilter(), StatusIndex.load(ledger), Progress(None, 0),
                    generated_at=sample.given.recorded_at)
    entries = list(job.entries())
    assert len(entries) == len(sample.all)
    for entry in entries:
        assert _plain_line(entry, job) == ",".join(map(_cell, row(entry, job)))


def test_the_header_is_the_documented_version_and_only_appends_to_the_last(ledger, sample, catalog, tmp_path):
    """docs/csv-export.md: version 1's 33 columns in their places, then version 2's three."""
    from pathlib import Path

    from guard.export.csv_export import CSV_VERSION

    export_history(ledger, catalog, "csv", tmp_path / "history.csv")
    with open(tmp_path / "history.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    doc = (Path(__file__).resolve().parents[2] / "docs" / "csv-export.md").read_text(encoding="utf-8")
    table = [line.split("|") for line in doc.splitlines()  # the columns' table: "| # | `name` | what | since |"
             if line.startswith("| ") and line.split("|")[1].strip().isdigit() and line.split("|")[2].startswith(" `")]
    documented = [cells[2].strip().strip("`") for cells in table]
    since = [int(cells[4]) for cells in table]
    assert header == documented == list(COLUMNS) and len(header) == 36 and CSV_VERSION == max(since) == 2
    assert header[:33][-2:] == ["terms_titles", "terms_version_dates"]  # version 1 unchanged
    assert header[33:] == ["kept_at", "kept_why", "language"] and since == sorted(since)


def test_a_kept_decision_says_when_and_why_it_was_kept(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "csv", tmp_path / "history.csv")
    rows = {row["id"]: row for row in read_rows(tmp_path / "history.csv")}
    assert rows[sample.whereby.id]["kept_at"] == "2026-11-23T08:00:05.000000Z"  # as the ledger writes times
    assert rows[sample.whereby.id]["kept_why"] == "the keyring did not answer"
    assert rows[sample.given.id]["kept_at"] == rows[sample.given.id]["kept_why"] == ""
    assert rows[sample.given.id]["language"] == "de" and rows[sample.refused.id]["language"] == ""
