"""One word per concept in each language (the glossary in resources/locale/README.md): German
said "Meeting" and "Besprechung" for the same thing, French "registre" for both a record and the
ledger, Spanish "registro" for both too, Italian "registrazione" for a record and a recording, Dutch
"melding" for a meeting's notice and a desktop notification. Each rule names the word a catalog
must not use where the English says the concept."""

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
LOG = re.compile(r"\blog\b", re.IGNORECASE)
NOTICE = re.compile(r"\bnotices?\b", re.IGNORECASE)
NOTIFICATION = re.compile(r"notification|without notice", re.IGNORECASE)
OPT_OUT = re.compile(r"\bopts? out\b", re.IGNORECASE)
OPT_IN = re.compile(r"\bopts? in\b", re.IGNORECASE)
OBJECT = re.compile(r"\bobjection\b|\bI object\b", re.IGNORECASE)  # the right of GDPR Art. 21
WITHDRAW = re.compile(r"\bwithdr[ae]w", re.IGNORECASE)  # a consent, GDPR Art. 7(3)


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
    # Withdraw (Art. 7(3)), object (Art. 21) and a provider's opt-out, as the Regulation's German and
    # French texts (OJ L 119, 4.5.2016) word the first two: "ihre Einwilligung jederzeit zu widerrufen",
    # "Widerspruchsrecht"; "retirer son consentement", "droit d'opposition". An opt-out is a provider's
    # own switch, unconditional, not the objection of Art. 21 (for which the controller may show
    # compelling grounds): German and French said it with the objection's word, the other languages not.
    ("de", WITHDRAW, NOTHING, lacks("widerruf"), "to withdraw a consent is widerrufen, der Widerruf"),
    ("fr", WITHDRAW, NOTHING, lacks("(?:retir|retrait)"), "to withdraw a consent is retirer, le retrait"),
    ("de", OBJECT, NOTHING, lacks("widersp"), "to object is widersprechen, der Widerspruch"),
    ("fr", OBJECT, NOTHING, lacks("oppos"), "to object is s'opposer, l'opposition"),
    ("de", OPT_OUT, NOTHING, re.compile(r"widersp", re.IGNORECASE), "to opt out is sich dagegen entscheiden (Opt-out)"),
    ("de", OPT_OUT, NOTHING, lacks("Opt-out"), "an opt-out is named Opt-out"),
    ("fr", OPT_OUT, NOTHING, re.compile(r"oppos", re.IGNORECASE), "to opt out is choisir l'opt-out"),
    ("fr", OPT_OUT, NOTHING, lacks("opt-out"), "an opt-out is named l'opt-out"),
    ("de", OPT_IN, NOTHING, lacks("einwillig"), "to opt in is to consent: einwilligen (Opt-in)"),
    ("fr", OPT_IN, NOTHING, lacks("consent"), "to opt in is to consent: y consentir (opt-in)"),
    # Refusing and giving a consent: one word each, as the window and the notification's buttons say it
    # (the letters said "Einwilligung verweigert", the settings window "accepter" for giving consent).
    ("de", re.compile(r"\brefus", re.IGNORECASE), NOTHING, re.compile(r"verweiger", re.IGNORECASE),
     "to refuse a consent is ablehnen"),
    ("fr", re.compile(r"\bgive or refuse consent\b|\bconsent given\b", re.IGNORECASE), NOTHING,
     re.compile(r"\baccept", re.IGNORECASE), "to give a consent is consentir, donner son consentement"),
    # Spanish, Italian and Dutch (model-assisted review, 2026-12-02)
    ("es", RECORD, re.compile(f"{LEDGER.pattern}|{LOG.pattern}", re.IGNORECASE), re.compile(r"\bregistros?\b"),
     "registro is the ledger (and a log) only; a ledger record is una entrada"),
    ("it", RECORD, RECORDING, re.compile(r"\bregistrazion[ei]\b", re.IGNORECASE),
     "a ledger record is una voce; una registrazione is a recording"),
    ("nl", NOTICE, NOTIFICATION, re.compile(r"melding", re.IGNORECASE),
     "a notice a meeting shows is een mededeling; een melding is a desktop notification"),
    ("es", OPT_OUT, NOTHING, re.compile(r"\bopon|\boposici", re.IGNORECASE), "to opt out is excluirse throughout"),
    ("it", OPT_OUT, NOTHING, re.compile(r"\boppo[nrs]|opposizion", re.IGNORECASE),
     "to opt out is l'opt-out throughout"),
    ("nl", OPT_OUT, NOTHING, re.compile(r"bezwaar", re.IGNORECASE), "to opt out is zich afmelden throughout"),
    # The GDPR's own terms in its Spanish, Italian and Dutch texts (OJ L 119, 4.5.2016)
    ("es", PERSONAL_DATA, NOTHING, lacks("datos personales"), "personal data are datos personales"),
    ("it", PERSONAL_DATA, NOTHING, lacks("dati personali"), "personal data are dati personali"),
    ("nl", PERSONAL_DATA, NOTHING, lacks("persoonsgegevens"), "personal data are persoonsgegevens"),
    ("es", CONTROLLER, NOTHING, lacks("responsables? del tratamiento"),
     "the controller is el responsable del tratamiento"),
    ("it", CONTROLLER, NOTHING, lacks("titolare del trattamento"), "the controller is il titolare del trattamento"),
    ("nl", CONTROLLER, NOTHING, lacks("verwerkingsverantwoordelijke"),
     "the controller is de verwerkingsverantwoordelijke"),
    ("es", PROCESSOR, NOTHING, lacks("encargad[oa]s? del tratamiento"), "a processor is un encargado del tratamiento"),
    ("it", PROCESSOR, NOTHING, lacks("responsabil[ei] del trattamento"),
     "a processor is un responsabile del trattamento"),
    ("nl", PROCESSOR, NOTHING, lacks("verwerker"), "a processor is een verwerker"),
    ("es", UNDUE_DELAY, NOTHING, lacks("sin dilación indebida"), "without undue delay is sin dilación indebida"),
    ("it", UNDUE_DELAY, NOTHING, lacks("senza ingiustificato ritardo"),
     "without undue delay is senza ingiustificato ritardo"),
    ("nl", UNDUE_DELAY, NOTHING, lacks("(?:onverwijld|zonder onredelijke vertraging)"),
     "without undue delay is onverwijld (Art. 12) or zonder onredelijke vertraging (Art. 17)"),
    ("es", DPO, NOTHING, lacks("delegado de protección de datos"), "the DPO is el delegado de protección de datos"),
    ("it", DPO, NOTHING, lacks("responsabile della protezione dei dati"),
     "the DPO is il responsabile della protezione dei dati"),
    ("nl", DPO, NOTHING, lacks("functionaris voor gegevensbescherming"),
     "the DPO is de functionaris voor gegevensbescherming"),
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
