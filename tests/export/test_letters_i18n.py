"""Letters in the user's language: English, German, French, Spanish, Italian and Dutch, the GDPR
cited as each language's official text names it, chosen by --lang, the settings or the locale."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from guard.export import make_letter
from guard.export.letter_words import WORDS, gdpr
from guard.i18n import LANGUAGES, LanguageError, choose_language, locale_dir, locale_region, system_language
from guard.presentation.i18n import UI_LANGUAGES
from tests.i18n.catalogs import letter_ids

GREETING = {"en": "Dear Sir or Madam,", "de": "Sehr geehrte Damen und Herren,", "fr": "Madame, Monsieur,",
            "es": "Muy señores míos:", "it": "Gentili Signore e Signori,", "nl": "Geachte heer, mevrouw,"}
DATE = {"en": "1 June 2026", "de": "1. Juni 2026", "fr": "1er juin 2026", "es": "1 de junio de 2026",
        "it": "1º giugno 2026", "nl": "1 juni 2026"}
WHEN = {"en": "2026-03-02 09:15 UTC", "de": "2. März 2026 09:15 UTC", "fr": "2 mars 2026 09:15 UTC",
        "es": "2 de marzo de 2026 09:15 UTC", "it": "2 marzo 2026 09:15 UTC", "nl": "2 maart 2026 09:15 UTC"}
TITLE = {"en": "“Quarterly planning”", "de": "„Quarterly planning“", "fr": "«\u00a0Quarterly planning\u00a0»",
         "es": "«Quarterly planning»", "it": "«Quarterly planning»", "nl": "‘Quarterly planning’"}
REFERENCE = {"en": "Art. 7(3) GDPR", "de": "Art. 7 Abs. 3 DSGVO", "fr": "article 7, paragraphe 3, du RGPD",
             "es": "artículo 7, apartado 3, del RGPD", "it": "articolo 7, paragrafo 3, del RGPD",
             "nl": "artikel 7, lid 3, AVG"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_letter_is_written_in_each_language_with_the_gdpr_as_it_names_itself(ledger, sample, catalog, language):
    letter = make_letter("withdrawal", ledger, catalog, record_id=sample.given.id, name="Ada Lovelace",
                         today=date(2026, 6, 1), language=language)
    text, cites = letter.text, gdpr()[language]
    assert letter.language == language and GREETING[language] in text and f"\n{DATE[language]}\n" in text
    assert REFERENCE[language] in letter.subject
    assert cites["titles"]["7"] in text and cites["regulation"] in text  # the official title of Article 7
    assert sample.given.id in text and WHEN[language] in text and TITLE[language] in text  # as the language writes them
    feature = catalog.get("zoom").feature("meeting-summary").name  # the catalog's name, never the id beside it
    assert feature in letter.subject and feature in text and "meeting-summary" not in text
    assert "Zoom Terms of Service" in text and "(terms)" not in text
    for other, greeting in GREETING.items():
        if other != language:
            assert greeting not in text
    if language != "en":
        assert "[FILL IN" not in text and "Yours faithfully" not in text and "Status now" not in text


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_has_a_translation_that_keeps_its_placeholders(language):
    with (locale_dir() / language / "LC_MESSAGES" / "meeting-guard.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    with (locale_dir() / "meeting-guard.pot").open("rb") as handle:
        template = read_po(handle)
    ids = {message.id for message in template if message.id}
    assert ids and ids == {message.id for message in catalog if message.id}
    letters = letter_ids()  # the catalogs also hold the app's messages, required where the app is offered
    for message in catalog:
        if not message.id or (language not in UI_LANGUAGES and message.id not in letters):
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        assert all(forms) and not message.fuzzy, message.id
        for index, form in enumerate(forms):
            source = sources[min(index, len(sources) - 1)]
            assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", form))


def test_the_gdpr_references_name_their_official_source_per_language():
    for language in LANGUAGES:
        entry = gdpr()[language]
        assert entry["source"] == (f"https://eur-lex.europa.eu/legal-content/{language.upper()}/TXT/"
                                   "?uri=CELEX:32016R0679")
        assert set(entry["titles"]) == {"7", "15", "21"}
        assert entry["verified"] is True  # against the Official Journal (test_gdpr_official_text.py)


def test_the_language_follows_an_explicit_choice_then_the_settings_then_the_locale(monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_BE.UTF-8")
    assert system_language() == "fr" and locale_region() == "BE"
    assert choose_language() == "fr" and choose_language(setting="nl") == "nl"
    assert choose_language("de-AT", setting="nl") == "de"
    assert choose_language(setting="xx") == "fr"  # a bad setting falls back to the system's
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert system_language() == "en" and locale_region() is None
    monkeypatch.setenv("LANGUAGE", "pt:it")  # LANGUAGE lists preferences; the first with a catalog wins
    assert system_language() == "it"
    with pytest.raises(LanguageError, match="en, de, fr, es, it, nl"):
        choose_language("pt")


def test_the_letter_command_takes_a_language(cli, ledger, sample):
    from tests.export.conftest import no_keyring_env

    run = cli("letter", "--kind", "objection", "--record", sample.given.id, "--lang", "de", env=no_keyring_env())
    assert run.returncode == 0, run.stderr
    assert "Widerspruch gegen die Verarbeitung" in run.stdout and "Art. 21 Abs. 1 DSGVO" in run.stdout
    assert "„Widerspruchsrecht“" in run.stdout
    run = cli("letter", "--kind", "objection", "--record", sample.given.id, "--lang", "pt", env=no_keyring_env())
    assert run.returncode == 2 and "No translation for language 'pt'" in run.stderr


@pytest.mark.parametrize(("language", "said"), [
    ("en", "meeting-guard: warning: Record {id} is “left the meeting”: no consent recorded there is in force to "
           "withdraw."),
    ("de", "meeting-guard: Warnung: Datensatz {id} steht auf „Meeting verlassen“: Dort ist keine Einwilligung in "
           "Kraft, die widerrufen werden könnte."),
    # stderr's messages are one line, their white space (the no-break spaces too) as plain spaces
    ("fr", "meeting-guard: avertissement : L’entrée {id} est « a quitté la réunion » : aucun consentement"),
])
def test_the_letter_commands_warnings_speak_the_letters_language(cli, ledger, sample, catalog, language, said):
    """The lines around the letter speak its language; its warnings on stderr did not (English
    beside a German letter). They follow the letter: --lang, else the settings, else the system."""
    from tests.export.conftest import no_keyring_env

    run = cli("letter", "--kind", "withdrawal", "--record", sample.left.id, "--lang", language,
              env=no_keyring_env())
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith(said.format(id=sample.left.id)), run.stderr
    unknown = cli("letter", "--kind", "access", "--provider", "zoom", "--to-host", "Acme", "--lang", language,
                  env=no_keyring_env())
    assert unknown.returncode == 0 and "warning" not in unknown.stderr.lower()


# Words that read the same in a language (a technical term, a loan word), so a copy is not a gap.
# The exports' labels too: "Details", "Meeting" are German words (the German glossary says Meeting,
# resources/locale/README.md); "ref." and "id" are how these languages abbreviate.
REF = "{title}, {version} (ref. {document} {hash})"
LIST = "{records}; {period}."  # French alone puts a space before the semicolon
LABELLED = "{label}: {value}"  # French alone puts a (no-break) space before the colon
LISTED = "{first}; {second}"  # and before the semicolon
SAME_IN = {"de": {"Details", "Meeting", "Meeting: {meeting}", "  Meeting: {meeting}", "ORGANISATION", LIST, LABELLED,
                  LISTED},
           "fr": {"{document}, version sha256:{sha256}", "page {page}", "ORGANISATION"},  # the same word there
           "es": {REF, LIST, LABELLED, LISTED}, "it": {"E-mail: {email}", "id {id}", LIST, LABELLED, LISTED},
           "nl": {"E-mail: {email}", "Details", "id {id}", REF, LIST, LABELLED, LISTED}}


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_no_letter_message_is_left_in_english(language):
    """A message copied untranslated passes the check above (it is not empty): every letter
    message, the processor and host-letter ones included, must read differently from English."""
    with (locale_dir() / language / "LC_MESSAGES" / "meeting-guard.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    letters = letter_ids()
    assert {"processor_notice", "processor_forward", "host_controller", "host_processors"} <= set(WORDS)
    assert {WORDS[key] for key in ("processor_notice", "processor_unconfirmed", "processor_forward",
                                   "host_controller", "host_processors", "fill_host_postal")} <= letters
    copied = {m.id for m in catalog if m.id in letters and m.string == m.id} - SAME_IN.get(language, set())
    assert not copied


def test_a_value_that_looks_like_a_placeholder_is_written_as_it_is():
    """A meeting title or service name holding "{records}" is the user's text, not a place for the
    records: values go in in one pass."""
    from guard.export.letter_words import Wording

    body = Wording("fr").body("withdrawal", service="Zoom {records}", records="- entrée 1")
    assert "Zoom {records}" in body and body.count("- entrée 1") == 1
