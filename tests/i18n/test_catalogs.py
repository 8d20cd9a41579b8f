"""The catalogs under resources/locale: every message the app and the letters show is in them,
translated for each language that offers it, with the same placeholders and keyboard shortcuts;
and the catalogs on disk are what the code marks (so a new string cannot be forgotten)."""

from __future__ import annotations

import tomllib

import pytest

from guard.i18n import LANGUAGES, SOURCE_LANGUAGE
from guard.paths import resources_dir
from guard.presentation import i18n
from guard.presentation.wording import TOPIC_LABELS
from tests.i18n.catalogs import problems, read, required_ids, template

TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalog_is_complete_with_placeholders_and_shortcuts_kept(language):
    found = problems(language)
    assert not found, "\n".join(found[:40])


def test_the_committed_template_lists_every_marked_message():
    """A string marked in the code but not in resources/locale: run python -m tests.i18n.catalogs update."""
    committed = {message.id for message in read() if message.id}
    missing = sorted(str(message.id) for message in template() if message.id and message.id not in committed)
    assert not missing, missing[:20]


def test_the_app_is_offered_in_every_catalog_language_and_covers_hundreds_of_messages():
    """Spanish, Italian and Dutch once translated only the letters: picking Español showed an English app."""
    assert set(i18n.UI_LANGUAGES) == set(LANGUAGES) == {"en", "de", "fr", "es", "it", "nl"}
    assert len(required_ids("de")) > 500
    assert required_ids("es") == required_ids("it") == required_ids("nl") == required_ids("de")


def test_every_terms_topic_label_is_marked_for_translation():
    with (resources_dir() / "terms" / "topics.toml").open("rb") as handle:
        topics = tomllib.load(handle)
    labels = {entry["label"] for entry in topics.get("topic", topics.get("topics", [])) if "label" in entry}
    assert labels and labels <= set(TOPIC_LABELS), labels - set(TOPIC_LABELS)


def test_a_missing_translation_is_reported(monkeypatch):
    """The check itself: a message no catalog has is named."""
    from tests.i18n import catalogs

    real = catalogs.required_ids
    monkeypatch.setattr(catalogs, "required_ids", lambda language: real(language) | {"A message nobody translated"})
    assert any("A message nobody translated" in line for line in catalogs.problems("de"))


def test_german_and_french_read_as_those_languages():
    try:
        i18n.use_language("de")
        assert i18n._("&Quit") == "Bee&nden"
        assert i18n.ngettext("{count} record", "{count} records", 1).format(count=1) == "1 Datensatz"
        assert i18n.format_number(1234567) == "1.234.567"
        i18n.use_language("fr")
        assert i18n.labelled("Statut", "ok") == "Statut\u00a0: ok"
        assert i18n.ngettext("{count} record", "{count} records", 2).format(count=2) == "2 entrées"
        assert i18n.format_number(1234567) == "1\u202f234\u202f567"
    finally:
        i18n.use_language("en")


def test_messages_inside_f_strings_are_extracted(tmp_path):
    """Babel's extractor skips f-strings; the Overview's headings were never translated."""
    from tests.i18n.catalogs import _in_fstrings

    source = tmp_path / "page.py"
    source.write_text('out = f"<h3>{esc(_(\'Now on this computer\'))}</h3>"\n', encoding="utf-8")
    assert list(_in_fstrings(source)) == [(1, "Now on this computer")]
    assert "Now on this computer" in {message.id for message in template()}


def test_spanish_italian_and_dutch_read_as_those_languages():
    """The app, not only the letters, in the three languages that once had letters only."""
    try:
        i18n.use_language("es")
        assert i18n._("&Quit") == "&Salir" and i18n._("Overview") == "Vista general"
        assert i18n.ngettext("{count} record", "{count} records", 2).format(count=2) == "2 entradas"
        assert i18n.format_number(1234567) == "1.234.567"
        i18n.use_language("it")
        assert i18n._("Consent history") == "Cronologia dei consensi"
        assert i18n.ngettext("{count} decision", "{count} decisions", 1).format(count=1) == "1 decisione"
        i18n.use_language("nl")
        assert i18n._("I &consented") == "Ik heb &toestemming gegeven"
        assert i18n.ngettext("{count} provider", "{count} providers", 3).format(count=3) == "3 aanbieders"
        assert i18n.format_number(1234567) == "1.234.567"
    finally:
        i18n.use_language("en")
