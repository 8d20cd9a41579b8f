"""Catalog texts in the window's language (guard.catalog.translations): a feature's description
and what participants are shown read in German where a translation of that very English exists,
marked when a machine made it; a changed English, a broken file or entry falls back to English;
quotes of what the provider shows stay word for word."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from guard.catalog.loader import load_catalog
from guard.catalog.translations import catalog_translations, english_key, read_translations, translations_dir
from guard.presentation import wording
from guard.presentation.i18n import use_language

QUOTE = re.compile(r"(?<![A-Za-z])'(.+?)'(?![A-Za-z])")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture
def german():
    use_language("de")
    yield
    use_language("en")


def entry(english: str, text: str, field: str = "description", machine: str = "true") -> str:
    return (f'[[text]]\nprovider = "zoom"\nfeature = "meeting-summary"\nfield = "{field}"\n'
            f'english = "{english_key(english)}"\nmachine = {machine}\ntext = "{text}"\n')


def test_a_translation_is_used_only_for_the_english_it_was_made_of(tmp_path: Path):
    path = tmp_path / "de.toml"
    path.write_text(entry("Writes a summary.", "Schreibt eine Zusammenfassung."), encoding="utf-8")
    translations = read_translations(path)
    found = translations.get("zoom", "meeting-summary", "description", "Writes a summary.")
    assert found is not None and found.text == "Schreibt eine Zusammenfassung." and found.machine
    assert translations.get("zoom", "meeting-summary", "description", "Writes a summary and trains AI.") is None
    assert translations.get("zoom", "meeting-summary", "participant_notice", "Writes a summary.") is None


def test_in_german_a_feature_reads_in_german_marked_as_machine_made(catalog, german):
    summary = catalog.get("zoom").feature("meeting-summary")
    text = wording.feature_description(summary, "zoom")
    assert text.startswith("Erstellt aus dem Meeting-Transkript eine Zusammenfassung")
    assert text.endswith("(maschinelle Übersetzung)")
    assert "AI Companion" in wording.participant_notice(summary, "zoom")
    assert wording.participant_notice(summary, "zoom").startswith("Den Teilnehmenden wird ein Hinweis angezeigt")


def test_a_changed_english_text_shows_in_english_not_a_stale_translation(catalog, german):
    summary = catalog.get("zoom").feature("meeting-summary")
    changed = summary.model_copy(update={"description": summary.description + " It also trains AI models."})
    assert wording.feature_description(changed, "zoom") == changed.description


def test_english_window_shows_the_catalog_as_written(catalog):
    summary = catalog.get("zoom").feature("meeting-summary")
    assert wording.feature_description(summary, "zoom") == summary.description


def test_a_broken_file_or_entry_falls_back_to_english_and_says_where(tmp_path: Path, caplog):
    broken = tmp_path / "de.toml"
    broken.write_text("[[text]\nprovider = ", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert len(read_translations(broken)) == 0
    assert str(broken) in caplog.text and "English is shown" in caplog.text
    caplog.clear()
    bad = tmp_path / "fr.toml"
    bad.write_text(entry("A", "B", field="note") + entry("C", "D").replace(english_key("C"), "not-a-key") +
                   entry("E", "F"), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        translations = read_translations(bad)
    assert len(translations) == 1
    assert "[[text]] number 1: field 'note' is not one of description, participant_notice" in caplog.text
    assert "[[text]] number 2: 'english' must be" in caplog.text


def test_every_shipped_translation_names_a_feature_and_keeps_the_providers_words(catalog):
    """Stale entries (the English changed since) are allowed, never shown; current ones keep each
    quote of the English word for word."""
    files = sorted(translations_dir().glob("*.toml"))
    assert [f.stem for f in files] == ["de", "es", "fr", "it", "nl"]
    current = 0
    for path in files:
        translations = catalog_translations(path.stem)
        assert len(translations) > 0, f"{path} has no entry that could be read"
        for provider in catalog:
            for feature in provider.ai_features:
                for field in ("description", "participant_notice"):
                    english = getattr(feature, field)
                    found = translations.get(provider.id, feature.id, field, english)
                    if found is None:
                        continue
                    current += 1
                    for quote in QUOTE.findall(english):
                        assert f"'{quote}'" in found.text, f"{path.name}: {provider.id}/{feature.id} {field}: {quote}"
    assert current >= 100


def test_in_french_a_feature_reads_in_french_marked_as_machine_made(catalog):
    summary = catalog.get("zoom").feature("meeting-summary")
    use_language("fr")
    try:
        text = wording.feature_description(summary, "zoom")
    finally:
        use_language("en")
    assert text.startswith("Produit à partir de la transcription un résumé de la réunion")
    assert text.endswith("(traduction automatique)")


@pytest.mark.parametrize("language, start, mark", [
    ("es", "Genera un resumen de la reunión", "(traducción automática)"),
    ("it", "Genera un riepilogo della riunione", "(traduzione automatica)"),
    ("nl", "Maakt op basis van de transcriptie een samenvatting", "(machinevertaling)"),
])
def test_in_spanish_italian_and_dutch_a_feature_reads_in_that_language_marked_as_machine_made(
        catalog, language, start, mark):
    """A Spanish, Italian or Dutch window showed every description in English (session 10)."""
    summary = catalog.get("zoom").feature("meeting-summary")
    use_language(language)
    try:
        text = wording.feature_description(summary, "zoom")
        notice = wording.participant_notice(summary, "zoom")
    finally:
        use_language("en")
    assert text.startswith(start) and text.endswith(mark)
    assert "AI Companion" in notice and notice != summary.participant_notice
