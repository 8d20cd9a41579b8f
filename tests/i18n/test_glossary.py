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

# (language, where the English says, unless it also says, the translation must not say, why)
RULES = [
    ("de", ANY, NOTHING, re.compile(r"Besprechung"), "a meeting is ein Meeting"),
    ("de", RECORD, NOTHING, re.compile(r"\bEintr[aä]g"), "a ledger record is ein Datensatz"),
    ("de", re.compile(r"\brecord", re.IGNORECASE), NOTHING, re.compile(r"\b[Ee]rfass"), "to record is festhalten"),
    ("fr", RECORD, LEDGER, re.compile(r"\bregistres?\b"), "registre is the ledger only"),
    ("fr", RECORD, RECORDING, re.compile(r"\benregistrements?\b"), "a ledger record is une entrée"),
    ("fr", ANY, NOTHING, re.compile(r"(?<!chaîne de )\bhachage\b", re.IGNORECASE), "a hash is une empreinte"),
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
