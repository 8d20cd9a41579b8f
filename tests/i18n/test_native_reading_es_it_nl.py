"""Spanish, Italian and Dutch as a careful native reader checks them (German and French have the
same checks in test_native_reading.py): one register (usted, Lei, u) and never a gendered word for
the reader, each language's quotation marks and apostrophe, Spanish opening ¿ and ¡, the app never
called "the Guard", Italian's first of the month, and letters laid out as each language writes
them. Each check names the message it found; each was written for a mistake found in the catalogs
by a model-assisted review (not a native speaker's, see resources/locale/README.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from tests.i18n.catalogs import _texts, read
from tests.i18n.test_native_reading import description_texts

LANGUAGES = ("es", "it", "nl")
SHELL = re.compile(r'"\$USER"')  # a command the reader types, quoted as the shell wants


def texts(language: str) -> Iterator[tuple[str, str]]:
    """(English source, translated text) of every message, a shortcut's & taken out, and of every
    translated catalog description (the provider's English quotes left out)."""
    for message in read(language):
        if message.id:
            for source, text in _texts(message.id, message.string):
                yield source, SHELL.sub("", text.replace("&", ""))
    yield from description_texts(language)


def found_in(language: str, pattern: re.Pattern[str]) -> list[str]:
    return [f"{match.group(0)!r} in {text[max(0, match.start() - 30):match.end() + 30]!r}"
            for _source, text in texts(language) for match in pattern.finditer(text)]


# The reader is addressed as usted / Lei / u. Informal forms: pronouns and possessives, and the
# second-person verbs that are informal only (an imperative such as "añade" is also "it adds").
INFORMAL = {
    "es": re.compile(r"\b(?:tú|tus?|te|ti|contigo|vosotr[oa]s|puedes|tienes|quieres|debes|sabes|has|eres|estás)\b",
                     re.IGNORECASE),
    "it": re.compile(r"\b(?:tu|tuo|tua|tuoi|tue|te|ti|puoi|hai|vuoi|devi|sei|sai)\b", re.IGNORECASE),
    "nl": re.compile(r"\b(?:je|jij|jou|jouw|jullie)\b", re.IGNORECASE),
}
# Words that give the reader a gender ("Bienvenido", "yo mismo", "Sono uscito"): the app does not
# know it, so it says "Le damos la bienvenida", "personalmente", "Ho lasciato la riunione".
GENDERED = {
    "es": re.compile(r"(?<![Ll]a )\b[Bb]ienvenid[oa]s? a\b|\b(?:mí|yo|usted) mism[oa]\b"),  # not the noun
    "it": re.compile(r"(?<![Ii]l )\b[Bb]envenut[oa] in\b|\b(?:me|io|lei) stess[oa]\b|\b[Ss]ono (?:uscit|entrat|pront|"
                     r"sicur)[oa]\b"),
    "nl": re.compile(r"(?!)"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reader_is_addressed_formally_and_never_given_a_gender(language):
    informal, gendered = found_in(language, INFORMAL[language]), found_in(language, GENDERED[language])
    assert not informal and not gendered, f"{language}: informal {informal}, gendered {gendered}"


def test_the_register_checks_find_what_a_machine_translation_slips_into():
    assert INFORMAL["es"].search("Puedes retirar tu consentimiento") and INFORMAL["it"].search("Puoi revocare")
    assert INFORMAL["nl"].search("Je kunt jouw toestemming intrekken")
    assert not INFORMAL["es"].search("Puede retirar su consentimiento; la aplicación añade una entrada")
    assert not INFORMAL["it"].search("Può revocare il suo consenso; l'app aggiunge una voce")
    assert not INFORMAL["nl"].search("U kunt uw toestemming intrekken")
    assert GENDERED["es"].search("Bienvenido a Meeting Privacy Guard") and GENDERED["it"].search("Sono uscito")
    assert not GENDERED["es"].search("Le damos la bienvenida") and not GENDERED["it"].search("allo stesso modo")


# Italian writes "lei", "suo", "la" without the courtesy capital: the catalog had "le Sue riunioni"
# and "risponderLe" among hundreds of lower-case forms. One form throughout.
COURTESY_CAPITAL = re.compile(r"(?<=[a-zàèéìòù,;:] )(?:Lei|Sua|Suo|Sue|Suoi)\b|(?<=[a-z])(?:Le|La|Lo|Gli)\b")


def test_italian_uses_one_form_of_the_courtesy_pronoun():
    assert not found_in("it", COURTESY_CAPITAL)
    assert COURTESY_CAPITAL.search("i dati delle Sue riunioni") and COURTESY_CAPITAL.search("risponderLe di")
    assert not COURTESY_CAPITAL.search("La invii a lei. Le riunioni sue")


# Spanish and Italian quote with « » (RAE's first choice; Italian caporali), Dutch with ‘ ’; a
# straight or English double quote in the middle of a sentence was a slip ("naar \"de aanbieder\"").
WRONG_QUOTES = {"es": re.compile(r"[“”„\"‘]|(?<=\s)’"), "it": re.compile(r"[“”„\"‘]|(?<=\s)’"),
                "nl": re.compile(r"[«»“”„\"]")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_quotes_with_its_own_marks(language):
    assert not found_in(language, WRONG_QUOTES[language]), language


def test_italian_uses_one_apostrophe():
    """The catalog writes l'app with the straight apostrophe; one message had l’accesso."""
    curly, straight = found_in("it", re.compile("’")), found_in("it", re.compile("'"))
    assert not (curly and straight), curly


def test_spanish_opens_its_questions_and_exclamations():
    found = [text for _source, text in texts("es")
             for sentence in re.split(r"(?<=[.?!])\s+", text)
             if ("?" in sentence and "¿" not in sentence) or ("!" in sentence and "¡" not in sentence)]
    assert not found, found


# The app is "Meeting Privacy Guard" or "the app"; "de Guard", "del Guard", "di Guard", "van de
# Guard" read as a name it does not have (German and French said "dieser App", "de l'application").
ALONE = re.compile(r"(?<!Privacy )\bGuard\b")


@pytest.mark.parametrize("language", ["de", "fr", *LANGUAGES])
def test_the_app_is_never_called_the_guard(language):
    assert not found_in(language, ALONE), language


def test_the_english_words_never_call_it_the_guard_either():
    """The Overview said "read by the Guard's browser extension" and Preferences "the Guard's GNOME
    Shell extension", where every translation (and the welcome) says the app."""
    found = [text for message in read() if message.id for text in (message.id if isinstance(message.id, tuple)
                                                                    else (message.id,)) if ALONE.search(text)]
    assert not found, found


# Calques the review found: "Stand nu" (German "Stand jetzt"), "indicato sopra, con cosa fare".
CALQUES = {"es": re.compile(r"con lo que hay que hacer\)"), "it": re.compile(r"con cosa fare\)"),
           "nl": re.compile(r"\bStand nu\b|met wat u kunt doen\)")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_word_for_word_calques(language):
    assert not found_in(language, CALQUES[language])


def test_italian_writes_the_first_of_the_month_as_an_ordinal():
    """"1 dicembre 2026" is how CLDR writes it; Italian writes "1º dicembre 2026" (letters, exports, app)."""
    from guard.i18n import translation
    from guard.presentation import i18n

    italian = translation("it")
    assert italian.format_date(date(2026, 12, 1)) == "1º dicembre 2026"
    assert italian.format_date(date(2026, 12, 11)) == "11 dicembre 2026"
    assert italian.format_date(date(2026, 12, 1), "short") == "01/12/26"
    assert translation("es").format_date(date(2026, 12, 1)) == "1 de diciembre de 2026"
    assert translation("nl").format_date(date(2026, 12, 1)) == "1 december 2026"
    try:
        i18n.use_language("it")
        assert i18n.format_date(date(2026, 3, 1), "long") == "1º marzo 2026"
    finally:
        i18n.use_language("en")


# A letter as each language lays one out: the salutation and how the body's first word follows it
# (a Spanish colon and an Italian or German comma: Spanish then writes a capital, Italian and German
# a small letter; Dutch and French a capital after their comma), and the closing formula.
LAYOUT = {"es": ("Muy señores míos:", str.isupper, "Atentamente,"),
          "it": ("Gentili Signore e Signori,", str.islower, "Distinti saluti,"),
          "nl": ("Geachte heer, mevrouw,", str.isupper, "Hoogachtend"),
          "de": ("Sehr geehrte Damen und Herren,", str.islower, "Mit freundlichen Grüßen"),
          "fr": ("Madame, Monsieur,", str.isupper, None)}


@pytest.mark.parametrize("language", sorted(LAYOUT))
def test_each_letter_opens_and_closes_as_the_language_writes_a_letter(language):
    from guard.export.letter_words import BODY, WORDS
    from guard.i18n import translation

    words = translation(language)
    salutation, first_letter, closing = LAYOUT[language]
    for kind, body in BODY.items():
        text = words.gettext(body)
        head, _, rest = text.partition("\n\n")
        assert head == salutation and first_letter(rest[0]), f"{language} {kind}: {text[:80]!r}"
    if closing is not None:
        # German and Dutch end the formula without a comma (Onze Taal: geen komma na de slotformule)
        assert words.gettext(WORDS["closing"]) == closing, language


# CLDR's third plural form is for a million and more: Spanish and Italian then put de / di before
# the noun ("1.000.000 de documentos", "1.000.000 di documenti"), as after "un millón", "un milione".
# The catalogs had copied the "other" form ("1.000.000 documentos") into it.
MANY_NOUN = {"es": re.compile(r"\{count\} (?!más\b)(\w+s)\b"),
             "it": re.compile(r"\{count\} (?!(?:altr[ie]|di)\b)(\w+[ie])\b")}
MANY_OF = {"es": "de", "it": "di"}


@pytest.mark.parametrize("language", ["es", "it"])
def test_a_million_takes_de_or_di_before_its_noun(language):
    found = []
    for message in read(language):
        if message.id and message.pluralizable and len(message.string) == 3:
            many, other = message.string[1], message.string[2]
            for noun in MANY_NOUN[language].findall(other):
                if f"{{count}} {MANY_OF[language]} {noun}" not in many:
                    found.append(f"{many!r} ({noun})")
    assert not found, f"{language}: the 'many' form lacks {MANY_OF[language]}:\n" + "\n".join(found)
