"""The PDF for people and archives: every font embedded and subset, titles in any script (Latin,
Greek, Cyrillic, CJK, Hebrew, Arabic), link annotations over URLs that wrap without breaking at
hyphens, a tagged structure and PDF/A-2b metadata. Checked with what runs here: pikepdf
(structure, metadata, annotations), pdffonts (embedding), pdfinfo and pdftotext (text)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest

from guard.export import export_history, make_letter
from guard.ledger import Meeting, RecordDraft, TermsRef
from tests.export.conftest import utc

TITLES = {
    "latin": "Réunion d'équipe – Zürich",
    "greek": "Σύσκεψη ομάδας",
    "cyrillic": "Планёрка команды",
    "cjk": "週次ミーティング 会議 회의",
    "hebrew": "ישיבת צוות",
    "arabic": "اجتماع الفريق",
}
LONG_URL = "https://privacyportal.example-provider.com/webform/65962359-ef0d-4399-9db4-572d06de08aa/f277f9f7-bfee-4233-815e-80e290139bc2"


@pytest.fixture
def world(ledger, sample):
    for index, (script, title) in enumerate(TITLES.items()):
        ledger.append(RecordDraft("zoom", "given", occurred_at=utc(2026, 7, 1 + index), feature_id="meeting-summary",
                                  meeting=Meeting(title, None, None), purposes=(f"{script} summary",),
                                  terms=(TermsRef("zoom", "terms", "7" * 64, LONG_URL),)))
    return sample


@pytest.fixture
def history_pdf(ledger, world, catalog, tmp_path) -> Path:
    result = export_history(ledger, catalog, "pdf", tmp_path / "history.pdf")
    assert not result.warnings, result.warnings
    return tmp_path / "history.pdf"


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_every_font_is_embedded_and_subset(history_pdf):
    rows = run("pdffonts", str(history_pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert "Helvetica" not in name
    names = " ".join(rows)
    assert "DejaVuSans" in names or "MPG-Sans" in names


BIDI_CONTROLS = dict.fromkeys([*range(0x200E, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def test_titles_in_every_script_are_real_text(history_pdf):
    """Left-to-right titles read back as they are. Right-to-left ones are drawn in visual order
    (Arabic joined): pdftotext reports them so (it ignores /ActualText), so the drawn glyphs,
    read back and normalised (NFKC turns the joined forms back into letters), are the title
    reversed; the logical title is in the page's /ActualText."""
    text = unicodedata.normalize("NFKC", run("pdftotext", str(history_pdf), "-")).translate(BIDI_CONTROLS)
    flat = " ".join(text.split())
    for script, title in TITLES.items():
        expected = title[::-1] if script in ("hebrew", "arabic") else title
        assert expected in flat, script
    assert "[U+" not in flat
    with pikepdf.open(history_pdf) as pdf:
        streams = b"".join(page.obj.Contents.read_bytes() for page in pdf.pages)
    for script in ("hebrew", "arabic"):
        actual = TITLES[script].encode("utf-16-be").hex().upper()  # inside the line's /ActualText
        assert actual.encode() in streams, script


def test_the_pdf_is_tagged_with_headings_tables_and_a_paragraph_per_record(history_pdf):
    assert "Tagged:          yes" in run("pdfinfo", str(history_pdf))
    with pikepdf.open(history_pdf) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True and str(root.Lang) == "en"
        document = root.StructTreeRoot.K
        assert document.S == "/Document"
        roles = [str(kid.S) for kid in document.K]
        assert roles[0] == "/H1" and {"/H2", "/P", "/Table", "/Sect"} <= set(roles)
        table = next(kid for kid in document.K if kid.S == "/Table")
        assert [str(cell.S) for cell in table.K[0].K] == ["/TH", "/TH", "/TH"]
        records = next(kid for kid in document.K if kid.S == "/Sect").K
        assert all(record.S == "/P" for record in records) and len(records) == 8 + len(TITLES)
        parent_tree = root.StructTreeRoot.ParentTree.Nums
        for number, page in enumerate(pdf.pages):
            assert page.obj.StructParents == number
            marked = re.findall(rb"/MCID (\d+)", page.obj.Contents.read_bytes())
            assert [int(m) for m in marked] == list(range(len(marked)))
            assert len(parent_tree[2 * number + 1]) == len(marked)


def test_pdfa_2b_metadata_and_output_intent(history_pdf):
    with pikepdf.open(history_pdf) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Consent history"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert "/Encrypt" not in pdf.trailer


def test_urls_are_links_and_wrap_without_breaking_at_hyphens(history_pdf):
    with pikepdf.open(history_pdf) as pdf:
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
    links = [a for a in annotations if a.Subtype == "/Link"]
    assert LONG_URL in {str(a.A.URI) for a in links}
    assert all(int(a.F) == 4 and "/StructParent" in a for a in links)
    lines = run("pdftotext", "-layout", str(history_pdf), "-").splitlines()
    assert not any(line.rstrip().endswith("-") and "example-provider" in line for line in lines)
    assert not any(re.search(r"[0-9a-f]-$", line.rstrip()) for line in lines)


def test_a_letter_pdf_links_the_privacy_form_and_is_tagged(ledger, sample, catalog, tmp_path):
    letter = make_letter("withdrawal", ledger, catalog, record_id=sample.given.id, name="Ada", language="de")
    path = letter.to_pdf(tmp_path / "letter.pdf")
    form = catalog.get("zoom").contacts.privacy_form
    with pikepdf.open(path) as pdf:
        uris = {str(a.A.URI) for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"}
        assert str(form) in uris
        assert pdf.open_metadata()["pdfaid:part"] == "2" and str(pdf.Root.Lang) == "de"
    text = run("pdftotext", str(path), "-")
    assert "Widerruf der Einwilligung" in text


def test_a_long_url_is_cut_after_a_slash_never_after_a_hyphen(tmp_path):
    from guard.export.pdf_layout import PdfLayout

    pdf = PdfLayout(str(tmp_path / "w.pdf"), title="t")
    lines = pdf.wrap("Web form: " + LONG_URL + "/" + "-".join(["abcdefgh"] * 30), 10.5)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == ("Web form: " + LONG_URL).replace(" ", "") + "/" + \
        "-".join(["abcdefgh"] * 30)
    assert not any(line.endswith("-") for line in lines)
