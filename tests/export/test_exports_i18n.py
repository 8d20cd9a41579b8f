"""The people-facing exports (HTML, PDF) speak the user's language, as the app and the letters do;
the ones for programs (JSON, CSV, receipts) stay byte for byte what they were, and verify."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime

import pytest

from guard.export import export_history
from guard.export.verify_export import verify_export
from guard.paths import app_paths
from tests.export.conftest import no_keyring_env
from tests.export.test_html_pdf import html_of

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
ENGLISH_HEADINGS = ("Consent history", "Timeline", "Ledger check", "Provider / feature", "In force now",
                    "Terms in force", "records exported", "Times are UTC")


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_german_html_export_reads_german_throughout(ledger, sample, catalog, tmp_path):
    page, parsed = html_of(ledger, catalog, tmp_path, language="de", now=NOW)
    text = flat("".join(parsed.text))
    assert '<html lang="de">' in page
    for heading in ("Einwilligungsverlauf", "Übersicht", "Zeitleiste", "Prüfung des Protokolls: intakt",
                    "Anbieter / Funktion", "Jetzt gültig", "Geltende Bedingungen: Zoom"):
        assert heading in text, heading
    for english in ENGLISH_HEADINGS:
        assert english not in text, english
    assert "<h2>Summary</h2>" not in page
    assert "8 Datensätze exportiert (alle Datensätze)" in text
    assert "Exportiert am 01.12.2026 20:00 UTC" in text  # the German way to write a day
    assert "02.03.2026 09:15 UTC" in text  # the first record, occurred 2026-03-02 09:15 UTC
    assert "erteilt" in text and "abgelehnt" in text and "jetzt: erteilt, dann widerrufen" in text
    assert "Angefragt von: der Host" in text
    # What was signed appears as stored, in whatever language it was written.
    assert "Ünïcödé 会議 &lt;script&gt;alert(1)&lt;/script&gt;" in page and "Quarterly planning" in text
    assert ledger.verify().head_hash in page


def test_a_french_pdf_export_reads_french_and_says_so(ledger, sample, catalog, tmp_path):
    export_history(ledger, catalog, "pdf", tmp_path / "historique.pdf", language="fr", now=NOW)
    raw = (tmp_path / "historique.pdf").read_bytes()
    text = flat(subprocess.run(["pdftotext", "-layout", str(tmp_path / "historique.pdf"), "-"], capture_output=True,
                               text=True, check=True).stdout)
    for words in ("Historique des consentements", "Résumé", "Chronologie", "Vérification du registre",
                  "1er déc. 2026 20:00 UTC", "page 1", "Réunion\u00a0: Quarterly planning"):
        assert flat(words) in text, words
    for english in ENGLISH_HEADINGS:
        assert english not in text, english
    assert b"/Lang (fr)" in raw  # a screen reader reads it with French rules
    assert ledger.verify().head_hash in text.replace(" ", "")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_readable_exports_do_not_change_with_the_language(ledger, sample, catalog, tmp_path, fmt):
    for language in ("en", "de"):
        export_history(ledger, catalog, fmt, tmp_path / f"{language}.{fmt}", language=language, now=NOW)
    german, english = (tmp_path / f"de.{fmt}").read_bytes(), (tmp_path / f"en.{fmt}").read_bytes()
    if fmt == "csv":
        assert german == english
    else:
        documents = [json.loads(raw) for raw in (german, english)]
        for document in documents:
            document.pop("@id")  # each export is its own document (a new urn:uuid), whatever its language
        assert documents[0] == documents[1]
        check = verify_export(json.loads(german))
        assert check.ok and check.records == len(sample.all), check.problems


def test_the_settings_window_exports_in_the_apps_language(ledger, sample, tmp_path):
    from guard.export_format import ExportFormat
    from guard.services import ExportRequest, Services

    services = Services(app_paths())
    try:
        settings = services.settings
        services.save_settings(settings.model_copy(
            update={"general": settings.general.model_copy(update={"language": "it"})}))
        services.export(ExportRequest(ExportFormat.HTML, tmp_path / "storia.html"), lambda done, total: True)
    finally:
        services.close()
    page = (tmp_path / "storia.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in page and "<h1>Cronologia dei consensi</h1>" in page and "Riepilogo" in page


def test_the_command_line_takes_a_language_and_refuses_one_it_has_not(cli, sample, tmp_path):
    out = tmp_path / "historia.html"
    result = cli("consent", "export", "--format", "html", "-o", str(out), "--lang", "es", env=no_keyring_env())
    assert result.returncode == 0, result.stderr
    assert "<h1>Historial de consentimientos</h1>" in out.read_text(encoding="utf-8")
    result = cli("consent", "export", "--format", "html", "-o", str(tmp_path / "x.html"), "--lang", "tlh",
                 env=no_keyring_env())
    assert result.returncode != 0 and "tlh" in result.stderr and re.search(r"\ben, de, fr, es, it, nl\b", result.stderr)
    assert not (tmp_path / "x.html").exists()
