"""The GDPR as letters cite it (resources/export/gdpr.toml) against the Official Journal's text.

Each language names the Publications Office's Formex XML of OJ L 119, 4.5.2016 it was checked
against (``official``, pinned by commit) and that file's SHA-256. The files themselves are not
shipped: point ``MPG_GDPR_FORMEX`` at a folder holding ``L_2016119<LANG>.01000101.xml`` (e.g. the
``original/`` folder of github.com/andersju/gdpr-xml at the commit cited) to repeat the
comparison; without it that test skips and says so.
"""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import re2

from guard.export.letter_words import gdpr
from guard.i18n import LANGUAGES

FORMEX_FILE = "L_2016119{lang}.01000101.xml"
PINNED = re2.compile(r"^https://github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/(?:[^/]+/)*L_2016119([A-Z]{2})\.01000101\.xml$")


def _words(element: ET.Element | None) -> str:
    assert element is not None
    return " ".join("".join(element.itertext()).split())


def test_every_language_cites_the_official_journal_file_it_was_checked_against():
    for language in LANGUAGES:
        entry = gdpr()[language]
        match = PINNED.search(entry["official"])
        assert match and match.group(1) == language.upper(), f"{language}: {entry['official']}"
        assert re2.fullmatch(r"[0-9a-f]{64}", entry["official_sha256"]), language
        assert entry["verified"] is True and set(entry["titles"]) == {"7", "15", "21"}


@pytest.mark.skipif(not os.environ.get("MPG_GDPR_FORMEX"),
                    reason="set MPG_GDPR_FORMEX to a folder of the Official Journal's Formex files "
                           "(L_2016119<LANG>.01000101.xml) to compare the GDPR titles word for word")
@pytest.mark.parametrize("language", LANGUAGES)
def test_titles_and_name_are_the_official_journal_s_word_for_word(language):
    entry = gdpr()[language]
    path = Path(os.environ["MPG_GDPR_FORMEX"]) / FORMEX_FILE.format(lang=language.upper())
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["official_sha256"], f"{path} is not the file cited"
    act = ET.fromstring(data)  # the Publications Office's own file, checked by hash above
    assert f"({entry['regulation']})" in _words(act.find("TITLE"))
    articles = {article.get("IDENTIFIER"): article for article in act.iter("ARTICLE")}
    for number, title in entry["titles"].items():
        article = articles[f"{int(number):03d}"]
        assert _words(article.find("STI.ART")) == title, f"{language} Article {number}"
        assert _words(article.find("TI.ART")).endswith(f" {number}")


# Phrases the letters take word for word from the Regulation's own text, with
# the article they come from: the deadline (Art. 12(3)), the objection's test (Art. 21(1)), what an
# access request asks about the logic (Art. 15(1)(h)) and who the controller is (Art. 4(7)).
LETTER_PHRASES = {
    "de": [("012", "unverzüglich, in jedem Fall aber innerhalb eines Monats nach Eingang"),
           ("021", "zwingende schutzwürdige Gründe"),
           ("015", "aussagekräftige Informationen über die involvierte Logik"),
           ("004", "über die Zwecke und Mittel der Verarbeitung")],
    "fr": [("012", "dans les meilleurs délais et en tout état de cause dans un délai d'un mois à compter de la "
                   "réception"),
           ("021", "motifs légitimes et impérieux"),
           ("015", "informations utiles concernant la logique sous-jacente"),
           ("004", "détermine les finalités et les moyens du traitement")],
    # Spain's text of Art. 12(3) has no "without undue delay": the phrase is the month's
    "es": [("012", "en cualquier caso, en el plazo de un mes a partir de la recepción de"),
           ("021", "motivos legítimos imperiosos"),
           ("015", "información significativa sobre la lógica aplicada"),
           ("004", "los fines y medios del tratamiento")],
    "it": [("012", "senza ingiustificato ritardo e, comunque, al più tardi entro un mese dal ricevimento"),
           ("021", "motivi legittimi cogenti"),
           ("015", "informazioni significative sulla logica utilizzata"),
           ("004", "le finalità e i mezzi del trattamento")],
    "nl": [("012", "onverwijld en in ieder geval binnen een maand na ontvangst van"),
           ("021", "dwingende gerechtvaardigde gronden"),
           ("015", "nuttige informatie over de onderliggende logica"),
           ("004", "het doel van en de middelen voor de verwerking van persoonsgegevens")],
}


@pytest.mark.parametrize("language", sorted(LETTER_PHRASES))
def test_the_letters_use_the_regulation_s_own_phrases(language):
    from tests.i18n.catalogs import letter_ids, read

    ids = letter_ids()
    letters = " ".join(str(message.string) for message in read(language) if message.id in ids)
    letters = " ".join(letters.split())
    missing = [phrase for _article, phrase in LETTER_PHRASES[language] if phrase not in letters]
    assert not missing, f"{language} letters no longer quote the Regulation: {missing}"


@pytest.mark.skipif(not os.environ.get("MPG_GDPR_FORMEX"),
                    reason="set MPG_GDPR_FORMEX to a folder of the Official Journal's Formex files "
                           "(L_2016119<LANG>.01000101.xml) to compare the letters' phrases word for word")
@pytest.mark.parametrize("language", sorted(LETTER_PHRASES))
def test_the_letters_phrases_are_the_official_journal_s_word_for_word(language):
    entry = gdpr()[language]
    path = Path(os.environ["MPG_GDPR_FORMEX"]) / FORMEX_FILE.format(lang=language.upper())
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["official_sha256"], f"{path} is not the file cited"
    articles = {article.get("IDENTIFIER"): _words(article) for article in ET.fromstring(data).iter("ARTICLE")}
    for article, phrase in LETTER_PHRASES[language]:
        assert phrase in articles[article], f"{language} Article {int(article)}: {phrase!r}"
