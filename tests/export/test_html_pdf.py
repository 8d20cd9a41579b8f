"""The people-facing exports: a self-contained HTML page and a PDF whose text holds every record."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pytest

from guard.export import ExportCancelled, export_history


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def html_of(ledger, catalog, tmp_path, **kwargs) -> tuple[str, Collector]:
    export_history(ledger, catalog, "html", tmp_path / "history.html", **kwargs)
    page = (tmp_path / "history.html").read_text(encoding="utf-8")
    parsed = Collector()
    parsed.feed(page)
    return page, parsed


def test_html_is_one_self_contained_page_without_scripts_or_requests(ledger, sample, catalog, tmp_path):
    page, parsed = html_of(ledger, catalog, tmp_path)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert tags.count("style") == 1
    assert not any("src" in attrs for _, attrs in parsed.tags)
    assert "url(" not in page and "@import" not in page
    csp = next(attrs["content"] for tag, attrs in parsed.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp


def test_html_escapes_user_text(ledger, sample, catalog, tmp_path):
    page, parsed = html_of(ledger, catalog, tmp_path)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Ünïcödé 会議 <script>alert(1)</script>" in "".join(parsed.text)  # shown as text
    assert "Grace &amp; Co" in page
    text = "".join(parsed.text)
    assert "ישיבת צוות Standup" in text and "اجتماع المورد – Vendor call" in text  # right-to-left titles kept


def test_html_has_a_summary_with_counts_verification_and_head_hash(ledger, sample, catalog, tmp_path):
    page, parsed = html_of(ledger, catalog, tmp_path)
    text = " ".join("".join(parsed.text).split())
    report = ledger.verify()
    assert report.head_hash in page and "Ledger check: intact" in text
    assert f"{len(sample.all)} records exported (all records)" in text
    counts = dict(re.findall(r'<td class="d-([a-z-]+)">[^<]+</td><td class="n">(\d+)</td>', page))
    assert counts == {"given": "4", "refused": "1", "withdrawn": "1", "left-meeting": "1", "notice-only": "1"}
    now = dict(re.findall(r'<td class="d-([a-z-]+)">[^<]+</td><td class="n">\d+</td><td class="n">(\d+)</td>',
                          page))
    assert now["given"] == "4" and now["withdrawn"] == "2" and now["refused"] == "0"  # withdrawn; corrected refusal
    row = r'<tr><td>([^<]+) <span class="small">\(([a-z-]+)\)</span></td><td class="n">(\d+)'
    providers = dict([(pid, n) for _, pid, n in re.findall(row, page)])
    assert providers == {"zoom": "3", "teams": "2", "acme-notes": "1", "google-meet": "1", "whereby": "1"}


def test_html_timeline_lists_every_record_oldest_first(ledger, sample, catalog, tmp_path):
    page, _ = html_of(ledger, catalog, tmp_path)
    positions = [page.index(record.id + "</code></td></tr>") for record in
                 sorted(sample.all, key=lambda r: (r.occurred_at, r.seq))]
    assert positions == sorted(positions)
    assert "given, then withdrawn" in page


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_text_contains_every_record(ledger, sample, catalog, tmp_path):
    calls = []
    result = export_history(ledger, catalog, "pdf", tmp_path / "history.pdf",
                            progress=lambda done, total: calls.append((done, total)))
    assert (tmp_path / "history.pdf").read_bytes().startswith(b"%PDF-")
    text = pdf_text(tmp_path / "history.pdf")
    flat = re.sub(r"\s+", " ", text)
    for record in sample.all:
        assert record.id in flat.replace(" ", "") or record.id in flat
    assert "Ünïcödé 会議 <script>alert(1)</script>" in flat
    assert "Quarterly planning" in flat and "Design review" in flat
    assert ledger.verify().head_hash in flat.replace(" ", "")
    assert "Ledger check" in flat and "intact" in flat
    assert calls[0] == (0, len(sample.all)) and calls[-1] == (result.records, result.records)


@pytest.mark.parametrize("stop_at", [0, 8])
def test_pdf_progress_can_cancel_and_nothing_is_left_behind(ledger, sample, catalog, tmp_path, stop_at):
    out = tmp_path / "out"
    with pytest.raises(ExportCancelled):
        export_history(ledger, catalog, "pdf", out / "history.pdf", progress=lambda done, total: done < stop_at)
    assert list(out.iterdir()) == []


def test_an_existing_file_is_replaced_only_by_a_complete_export(ledger, sample, catalog, tmp_path):
    target = tmp_path / "out" / "history.html"
    target.parent.mkdir()
    target.write_text("old export")
    with pytest.raises(ExportCancelled):
        export_history(ledger, catalog, "html", target, progress=lambda done, total: False)
    assert target.read_text() == "old export" and list(target.parent.iterdir()) == [target]
    export_history(ledger, catalog, "html", target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_characters_no_font_has_are_kept_as_code_points():
    from guard.export.pdf_fonts import FontFace, PdfFonts

    helvetica_only = PdfFonts()
    assert helvetica_only.fit("Zürich € Ωmega 会議") == "Zürich € [U+03A9]mega [U+4F1A][U+8B70]"
    base = FontFace("B", "BB", frozenset("Zürich €!mega "))
    greek = FontFace("G", "GB", frozenset("Ω"))
    cjk = FontFace("C", "C", frozenset("会議Ω"))
    fonts = PdfFonts(base, (greek, cjk))
    assert fonts.fit("Zürich € Ωmega 会議") == "Zürich € Ωmega 会議"
    assert fonts.runs("Zürich Ω 会議!", bold=True) == [("BB", "Zürich "), ("GB", "Ω"), ("BB", " "), ("C", "会議"),
                                                        ("BB", "!")]
    assert fonts.runs("plain ascii") == [("B", "plain ascii")]


def test_wrapped_lines_fit_the_page_and_keep_every_word(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from guard.export.pdf_layout import PdfLayout

    pdf = PdfLayout(str(tmp_path / "w.pdf"), title="t")
    text = ("Meeting: Quarterly planning, Ada Lovelace, https://zoom.us/j/123456789012345678901234567890 | For: "
            "meeting summary; action items | " + "x" * 200 + " | Ünïcödé 会議 " * 6 + " end")
    for size, bold in ((8.0, False), (12.0, True)):
        lines = pdf.wrap(text, size, bold=bold)
        assert len(lines) > 2
        for line in lines:
            runs = pdf.fonts.runs(line, bold)
            assert sum(stringWidth(part, font, size) for font, part in runs) <= pdf.text_width + 0.01
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert pdf.wrap("short", 9) == ["short"] and pdf.wrap("", 9) == [""]


def test_a_decision_kept_unsigned_says_so_in_the_html_and_pdf(ledger, catalog, tmp_path):
    """Audit 7: a kept decision was an unsigned file anyone able to write to the data folder could have
    written; its record says so (``kept``), and so do the exports people read, not only the JSON."""
    import uuid
    from datetime import UTC, datetime

    from guard.ledger import RecordDraft
    from guard.ledger.models import KeptMark

    kept = KeptMark(kept_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC), why="the keyring was locked")
    ledger.append(RecordDraft("zoom", "given", kept=kept), record_id=str(uuid.uuid4()))
    ledger.append(RecordDraft("zoom", "refused"))
    _, parsed = html_of(ledger, catalog, tmp_path)
    shown = "".join(parsed.text)
    assert shown.count("Kept unsigned on this computer from 2026-11-30 09:00 UTC") == 1, "the kept one only"
    assert "(the keyring was locked); until then only the files in the app's data folder vouched for it" in shown
    target = tmp_path / "history.pdf"
    export_history(ledger, catalog, "pdf", target, jurisdiction="EU")
    text = " ".join(pdf_text(target).split())
    assert "Kept unsigned on this computer from 2026-11-30 09:00 UTC" in text
