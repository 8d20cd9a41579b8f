"""One word per concept in German and French (the glossary in resources/locale/README.md): German
said "Meeting" and "Besprechung" for the same thing, French "registre" for both a record and the
ledger. Each rule names the word a catalog must not use where the English says the concept."""

from __future__ import annotations

import re

import pytest

from tests.i18n.catalogs import _texts, read

ANY = re.compile(r"")
NOTHING = re.compile(r"(?!)")
RECORD = re.compile(r"\brecords?\b", re.IGNORECASE)
LEDGER = re.compile(r"\bledger\b", re.IGNORECASE)
RECORDING = re.compile(r"\brecordings?\b", re.IGNORECASE)
PERSONAL_DATA = re.compile(r"\bpersonal data\b", re.IGNORECASE)
CONTROLLER = re.compile(r"(?<!\{)\bcontroller\b(?!\})", re.IGNORECASE)  # not the {controller} placeholder
PROCESSOR = re.compile(r"\bprocessors?\b", re.IGNORECASE)
UNDUE_DELAY = re.compile(r"\bwithout undue delay\b", re.IGNORECASE)
DPO = re.compile(r"\bdata protection officer\b", re.IGNORECASE)


def lacks(words: str) -> re.Pattern[str]:
    """A translation that does not say ``words`` (the official text's term for the concept)."""
    return re.compile(rf"^(?![\s\S]*{words})", re.IGNORECASE)


# (language, where the English says, unless it also says, the translation must not say, why)
RULES = [
    ("de", ANY, NOTHING, re.compile(r"Besprechung"), "a meeting is ein Meeting"),
    ("de", RECORD, NOTHING, re.compile(r"\bEintr[aä]g"), "a ledger record is ein Datensatz"),
    ("de", re.compile(r"\brecord", re.IGNORECASE), NOTHING, re.compile(r"\b[Ee]rfass"), "to record is festhalten"),
    ("fr", RECORD, LEDGER, re.compile(r"\bregistres?\b"), "registre is the ledger only"),
    ("fr", RECORD, RECORDING, re.compile(r"\benregistrements?\b"), "a ledger record is une entrée"),
    ("fr", ANY, NOTHING, re.compile(r"(?<!chaîne de )\bhachage\b", re.IGNORECASE), "a hash is une empreinte"),
    # The GDPR's own terms, as its German and French texts (OJ L 119, 4.5.2016) use them; the
    # phrases are checked against the Official Journal in tests/export/test_gdpr_official_text.py.
    ("de", PERSONAL_DATA, NOTHING, lacks("personenbezogene"), "personal data are personenbezogene Daten"),
    ("fr", PERSONAL_DATA, NOTHING, lacks("données à caractère personnel"),
     "personal data are des données à caractère personnel"),
    ("de", CONTROLLER, NOTHING, lacks("Verantwortliche"), "the controller is der Verantwortliche"),
    ("fr", CONTROLLER, NOTHING, lacks("responsable du traitement"), "the controller is le responsable du traitement"),
    ("de", PROCESSOR, NOTHING, lacks("Auftragsverarbeiter"), "a processor is ein Auftragsverarbeiter"),
    ("fr", PROCESSOR, NOTHING, lacks("sous-traitant"), "a processor is un sous-traitant"),
    ("de", UNDUE_DELAY, NOTHING, lacks("unverzüglich"), "without undue delay is unverzüglich"),
    ("fr", UNDUE_DELAY, NOTHING, lacks("dans les meilleurs délais"),
     "without undue delay is dans les meilleurs délais"),
    ("de", DPO, NOTHING, lacks("Datenschutzbeauftragte"), "the DPO is der/die Datenschutzbeauftragte"),
    ("fr", DPO, NOTHING, lacks("délégué à la protection des données"),
     "the DPO is le délégué à la protection des données"),
]


@pytest.mark.parametrize("language, english, unless, wrong, why", RULES, ids=[f"{r[0]}: {r[4]}" for r in RULES])
def test_one_word_per_concept(language, english, unless, wrong, why):
    found = []
    for message in read(language):
        if not message.id:
            continue
        for source, text in _texts(message.id, message.string):
            text = text.replace("&", "")  # a shortcut's mark does not hide a word
            if text and english.search(source) and not unless.search(source) and wrong.search(text):
                found.append(f"{source[:80]!r} -> {text[:120]!r}")
    assert not found, f"{language}: {why}:\n" + "\n".join(found)
