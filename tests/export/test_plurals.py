"""Counts read as words in every language: "1 record", "2 records", never "record(s)"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from guard.export import export_history, make_letter
from guard.export.letter_words import Wording
from guard.export.summary import records_text
from guard.i18n import LANGUAGES
from guard.ledger import Meeting, RecordDraft
from tests.export.test_html_pdf import pdf_text

EXPECTED = {  # (one, several) as a reader of the language writes them
    "en": ("- and 1 earlier record of", "- and 3 earlier records of"),
    "de": ("- und 1 früherer Datensatz", "- und 3 frühere Datensätze"),
    "fr": ("- et 1 entrée antérieure", "- et 3 entrées antérieures"),
    "es": ("- y 1 entrada anterior", "- y 3 entradas anteriores"),
    "it": ("- e 1 voce precedente", "- e 3 voci precedenti"),
    "nl": ("- en 1 eerdere registratie van", "- en 3 eerdere registraties van"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_letters_count_of_left_out_records_uses_the_languages_plural_forms(language):
    words = Wording(language)
    one, several = words.older(1, "Zoom"), words.older(3, "Zoom")
    assert one.startswith(EXPECTED[language][0]) and several.startswith(EXPECTED[language][1])
    assert "(" not in one + several and "/" not in one + several and one.endswith("Zoom")


def test_a_letter_cut_by_one_record_says_one_record(ledger, catalog):
    for day in range(1, 22):
        ledger.append(RecordDraft("zoom", "given", occurred_at=datetime(2026, 1, day, tzinfo=UTC)))
    letter = make_letter("access", ledger, catalog, provider_id="zoom", language="de")
    assert "- und 1 früherer Datensatz meiner Entscheidungen zu Zoom" in letter.text


def test_exports_count_records_in_words(ledger, catalog, tmp_path):
    assert (records_text(1), records_text(2), records_text(0)) == ("1 record", "2 records", "0 records")
    ledger.append(RecordDraft("zoom", "given", occurred_at=datetime(2026, 1, 5, tzinfo=UTC), meeting=Meeting("A")))
    export_history(ledger, catalog, "html", tmp_path / "h.html")
    assert "1 record exported" in (tmp_path / "h.html").read_text(encoding="utf-8")
    export_history(ledger, catalog, "pdf", tmp_path / "h.pdf")
    text = " ".join(pdf_text(tmp_path / "h.pdf").split())
    assert "1 record; decisions dated" in text and "record(s)" not in text
