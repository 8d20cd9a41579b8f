"""A meeting link an older build kept whole (typed into the consent form with its passcode, before the
ledger cut secrets from every link on 2026-12-02) is shown in the exports made for people and in letters
as the ledger keeps links now: the signed record stays as it is, only the signed JSON shows it whole."""

from __future__ import annotations

import json

from guard.export import ExportFilter, export_history, make_letter
from guard.ledger import RecordDraft
from guard.ledger import models
from tests.export.test_html_pdf import pdf_text

LINK = "https://us02web.zoom.us/j/81234567890?pwd=Zk9sbWJ3dTRjZz09"


def test_an_older_records_passcode_stays_out_of_html_pdf_and_letters_hostile(ledger, catalog, tmp_path,
                                                                              monkeypatch):
    with monkeypatch.context() as older:  # as builds before 2026-12-02 stored a typed link: whole
        older.setattr(models, "link_without_secrets", lambda link: link)
        record = ledger.append(RecordDraft("zoom", "given", meeting={"title": "Budget review", "id_or_link": LINK}))
    assert ledger.get(record.id).meeting.id_or_link == LINK, "the older record, signed with its passcode"

    for kind in ("html", "pdf", "json"):
        export_history(ledger, catalog, kind, tmp_path / f"history.{kind}", ExportFilter())
    html = (tmp_path / "history.html").read_text(encoding="utf-8")
    assert "Zk9sbWJ3dTRjZz09" not in html and "j/81234567890?pwd=…" in html
    pdf = pdf_text(tmp_path / "history.pdf")
    assert "Zk9sbWJ3dTRjZz09" not in pdf and "81234567890" in pdf
    signed = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert LINK in json.dumps(signed), "the signed export keeps the record as it was signed"

    for kind in ("withdrawal", "objection", "access"):
        letter = make_letter(kind, ledger, catalog, record_id=record.id)
        assert "Zk9sbWJ3dTRjZz09" not in letter.text and "Zk9sbWJ3dTRjZz09" not in letter.mailto, kind
        assert "j/81234567890?pwd=…" in letter.text, kind


def test_an_older_records_link_for_one_person_keeps_their_address_and_name_out_of_csv(ledger, catalog, tmp_path,
                                                                                      monkeypatch):
    """Who a link was made for is cut like a passcode (2026-12-02): an older record that kept a registration
    link whole shows it, in the CSV export as in the HTML one, without the joiner's address and name."""
    link = "https://us06web.zoom.us/j/81234567890?pwd=Zk9s&uname=Ada%20Lovelace&email=ada@example.org"
    with monkeypatch.context() as older:
        older.setattr(models, "link_without_secrets", lambda link: link)
        ledger.append(RecordDraft("zoom", "given", meeting={"title": "Budget review", "id_or_link": link}))
    for kind in ("csv", "html"):
        export_history(ledger, catalog, kind, tmp_path / f"history.{kind}", ExportFilter())
        shown = (tmp_path / f"history.{kind}").read_text(encoding="utf-8-sig")
        assert "ada@example.org" not in shown and "Lovelace" not in shown, kind
        assert "j/81234567890?pwd=…&amp;uname=…&amp;email=…" in shown if kind == "html" else \
            "j/81234567890?pwd=…&uname=…&email=…" in shown
