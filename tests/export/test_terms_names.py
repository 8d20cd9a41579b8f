"""Exports name the terms in force by the document's title and version date, not by the
stored id ("terms 506edd7c2fbc" told a reader nothing); the id stays as a reference."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from guard.export import export_history
from guard.ledger import Meeting, RecordDraft, TermsRef
from guard.terms.baseline import load_baselines
from guard.terms.store import TermsStore
from tests.export.test_html_pdf import pdf_text


def _zoom_record(ledger) -> str:
    """A record made under the shipped Zoom terms baseline (dated 2023-08-11 in its metadata)."""
    baseline = load_baselines()[0][("zoom", "terms")]
    ledger.append(RecordDraft("zoom", "given", occurred_at=datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
                              meeting=Meeting("Planning"), terms=(TermsRef("zoom", "terms", baseline.sha256, "https://explore.zoom.us/en/terms/"),)))
    assert baseline.version_date is not None
    return baseline.sha256


def test_pdf_html_and_json_name_the_terms_title_and_version_date(ledger, catalog, tmp_path: Path):
    sha = _zoom_record(ledger)
    store = TermsStore(tmp_path / "terms")
    named = f"Zoom Terms of Service, version of 2023-08-11 (ref. terms {sha[:12]})"
    export_history(ledger, catalog, "html", tmp_path / "h.html", terms_store=store)
    assert named in (tmp_path / "h.html").read_text(encoding="utf-8")
    export_history(ledger, catalog, "pdf", tmp_path / "h.pdf", terms_store=store)
    text = " ".join(pdf_text(tmp_path / "h.pdf").split())
    assert "Zoom Terms of Service, version of 2023-08-11" in text
    assert "terms terms" not in text
    export_history(ledger, catalog, "json", tmp_path / "h.json", terms_store=store)
    notices = [node for node in _walk(json.loads((tmp_path / "h.json").read_text(encoding="utf-8")))
               if node.get("dct:hasVersion") == f"sha256:{sha}"]
    assert notices and all(n.get("dct:title") == "Zoom Terms of Service" and n.get("dct:date") == "2023-08-11"
                           for n in notices)


def test_unknown_version_says_so_instead_of_a_bare_id(ledger, catalog, tmp_path: Path):
    ledger.append(RecordDraft("zoom", "given", occurred_at=datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
                              meeting=Meeting("Planning"), terms=(TermsRef("zoom", "terms", "5" * 64, "https://zoom.us/terms"),)))
    export_history(ledger, catalog, "html", tmp_path / "h.html", terms_store=TermsStore(tmp_path / "terms"))
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "Zoom Terms of Service, version date not known (ref. terms 555555555555)" in page


def _walk(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
