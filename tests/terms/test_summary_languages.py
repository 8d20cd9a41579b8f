"""A terms change's summary said in each of the app's languages (plain values): the templates,
topic labels and scope phrases are translated, the provider's words are quoted as written.

The summaries are real: what the classifier made of Zoom's Terms of Service from 1 February to
31 March 2023 (tests/terms/corpus/pairs/zoom/terms-of-service/2023-02-01__2023-04-01, Open Terms
Archive, ODC-BY-1.0) and of Section 10.2 from 7 to 11 August 2023 (tests/terms/fixtures/zoom,
provenance in its README). They are kept here as values so the wording tests do not move when
the classifier learns; test_analysis_keeps_the_summary_as_values ties them to the classifier.
"""

from __future__ import annotations

import pytest

from guard.i18n import translation
from guard.jsonable import to_json_data
from guard.terms.summary_model import ChangeSummary, MoveVerb, Phrase, ScopeMove, UseMention
from guard.terms.summary_words import say_summary

SHARING = Phrase("third-party-sharing", "Sharing with third parties and processors")
CONSENT = Phrase("consent-opt-out", "Opt-out and consent")
SHARE = Phrase("share", "sharing {data} with third parties")

RETENTION_21 = ChangeSummary(  # minor: the topic is touched, the scope did not move (wording changed)
    kind="changed", section="21", whole_section=True,
    topics=(Phrase("retention", "Retention and deletion"), Phrase("recording-transcription",
                                                                  "Recording and transcription"), CONSENT),
    before="By using the Services, you are giving Zoom consent to store recordings for any or all Zoom meetings or "
           "webinars that you join, if such recordings are stored in our systems.",
    now="By using the Services, you authorize Zoom to store recordings.")
SHARING_25 = ChangeSummary(  # material: the scope grew
    kind="changed", section="25", whole_section=True, topics=(SHARING, CONSENT),
    moves=(ScopeMove(MoveVerb.ALLOWS, (UseMention(SHARE, (Phrase("customer-content", "your content"),)),)),),
    now="…access to and use of the Services and Software, including Laws requiring you to provide proper End User "
        "notifications and to obtain proper End User consents, which may be necessary to allow Zoom and Zoom’s "
        "authorized third parties to access, use, and share Customer Content.")
LICENCE_10_3 = ChangeSummary(  # an addition naming three uses, the later two with "it"
    kind="added", section="10.3", whole_section=True,
    topics=(Phrase("content-licence", "Use of your content or data"),
            Phrase("recording-transcription", "Recording and transcription")),
    moves=(ScopeMove(MoveVerb.ALLOWS, (
        UseMention(Phrase("license", "a licence over {data}"), (Phrase("customer-content", "your content"),)),
        UseMention(Phrase("access-content", "accessing and using {data}"), again=True),
        UseMention(Phrase("transcribe", "transcribing {data}"), again=True))),),
    now="**10.3 Permitted Use; Customer Content**. Zoom may redistribute, publish, import, access, use, store, "
        "transmit, review, disclose, preserve, extract, modify, reproduce, share, use, display, copy, distribute, "
        "translate, transcribe, create derivative works, and process Customer…")
REMOVED_12 = ChangeSummary(  # a removal
    kind="removed", section="12", whole_section=True, topics=(SHARING,),
    moves=(ScopeMove(MoveVerb.NO_LONGER_ALLOWS, (UseMention(SHARE, (Phrase("personal-data", "personal data"),)),)),),
    before="Each party agrees to regard and preserve as confidential all non-public information provided by the "
           "other party relating to the business, systems, operations, source code, Services, strategic plans, "
           "clients, pricing (including, but not limited to, the pricing terms herein),…")
CONSENT_10_2 = ChangeSummary(  # August 2023: a limit dropped, quoted in the provider's words
    kind="changed", section="10.2", topics=(Phrase("ai-training", "AI training"), CONSENT),
    moves=(ScopeMove(MoveVerb.NO_LONGER_SAYS, limit=Phrase("without-consent", "without your consent"),
                     quoted="without your consent"),),
    before="Notwithstanding the above, Zoom will not use audio, video or chat Customer Content to train our "
           "artificial intelligence models without your consent.",
    now="**Zoom does not use any of your audio, video, chat, screen sharing, attachments or other "
        "communications-like Customer Content (such as poll results, whiteboard and reactions) to train Zoom or "
        "third-party artificial intelligence models.**")

NB = "\u00a0"
# The summaries with the provider's sentences replaced by <B> (before) and <N> (now); the limit's
# own words stay (they are the provider's too, and quoted as written).
EXPECTED = {
    "en": (
        "Retention and deletion, Recording and transcription, Opt-out and consent: Section 21 changed its wording. "
        "Before: “<B>” Now: “<N>”",
        "Sharing with third parties and processors, Opt-out and consent: Section 25 now allows sharing your content "
        "with third parties. Now: “<N>”",
        "Use of your content or data, "
        "Recording and transcription: New Section 10.3 now allows a licence over your "
        "content, accessing and using it and transcribing it. It says: “<N>”",
        "Sharing with third parties and processors: Section 12 was removed: it no longer allows sharing personal "
        "data with third parties. It said: “<B>”",
        "AI training, Opt-out and consent: Section 10.2 no longer says “without your consent”. Before: “<B>” "
        "Now: “<N>”",
    ),
    "de": (
        "Speicherung und Löschung, Aufzeichnung und Transkription, Opt-out und Einwilligung: Abschnitt 21 wurde "
        "umformuliert. Vorher: „<B>“ Jetzt: „<N>“",
        "Weitergabe an Dritte und Auftragsverarbeiter, Opt-out und Einwilligung: Abschnitt 25 erlaubt jetzt die "
        "Weitergabe von Ihren Inhalten an Dritte. Jetzt: „<N>“",
        "Nutzung Ihrer Inhalte oder Daten, "
        "Aufzeichnung und Transkription: Der neue Abschnitt 10.3 erlaubt jetzt eine Lizenz "
        "an Ihren Inhalten, das Abrufen und Nutzen von denselben Daten und die Transkription von denselben Daten. "
        "Wortlaut: „<N>“",
        "Weitergabe an Dritte und Auftragsverarbeiter: Abschnitt 12 wurde entfernt und erlaubt die Weitergabe von "
        "personenbezogenen Daten an Dritte nicht mehr. Bisheriger Wortlaut: „<B>“",
        "KI-Training, Opt-out und Einwilligung: Abschnitt 10.2 sagt nicht mehr „without your consent“. "
        "Vorher: „<B>“ Jetzt: „<N>“",
    ),
    "fr": (
        f"Conservation et suppression, Enregistrement et transcription, Opt-out et consentement{NB}: La section 21 "
        f"a changé de formulation. Avant{NB}: «{NB}<B>{NB}» Désormais{NB}: «{NB}<N>{NB}»",
        f"Partage avec des tiers et des sous-traitants, Opt-out et consentement{NB}: La section 25 autorise "
        f"désormais le partage de vos contenus avec des tiers. Désormais{NB}: «{NB}<N>{NB}»",
        f"Utilisation de vos contenus ou données, "
        f"Enregistrement et transcription{NB}: La nouvelle section 10.3 autorise désormais "
        f"une licence d'utilisation de vos contenus, la consultation et l'utilisation de ces mêmes données et la "
        f"transcription de ces mêmes données. Elle indique{NB}: «{NB}<N>{NB}»",
        f"Partage avec des tiers et des sous-traitants{NB}: La section 12 a été supprimée{NB}: elle n'autorise plus le "
        f"partage de données à caractère personnel avec des tiers. Elle indiquait{NB}: «{NB}<B>{NB}»",
        f"Entraînement de l'IA, Opt-out et consentement{NB}: La section 10.2 ne dit plus «{NB}without your "
        f"consent{NB}». Avant{NB}: «{NB}<B>{NB}» Désormais{NB}: «{NB}<N>{NB}»",
    ),
    "es": (
        "Conservación y supresión, Grabación y transcripción, Exclusión y consentimiento: La sección 21 ha cambiado "
        "de redacción. Antes: «<B>» Ahora: «<N>»",
        "Comunicación a terceros y encargados del tratamiento, Exclusión y consentimiento: La sección 25 ahora permite "
        "la comunicación de su contenido a terceros. Ahora: «<N>»",
        "Uso de su contenido o sus datos, "
        "Grabación y transcripción: La nueva sección 10.3 ahora permite una licencia "
        "sobre su contenido, el acceso a esos mismos datos y su uso y la transcripción de esos mismos datos. "
        "Dice: «<N>»",
        "Comunicación a terceros y encargados del tratamiento: La sección 12 se ha eliminado: ya no permite la "
        "comunicación de datos personales a terceros. Decía: «<B>»",
        "Entrenamiento de IA, Exclusión y consentimiento: La sección 10.2 ya no dice «without your consent». "
        "Antes: «<B>» Ahora: «<N>»",
    ),
    "it": (
        "Conservazione e cancellazione, Registrazione e trascrizione, Opt-out e consenso: La sezione 21 ha cambiato "
        "formulazione. Prima: «<B>» Ora: «<N>»",
        "Condivisione con terzi e responsabili del trattamento, Opt-out e consenso: La sezione 25 ora consente la "
        "condivisione di contenuti dell'utente con terzi. Ora: «<N>»",
        "Uso dei suoi contenuti o dati, "
        "Registrazione e trascrizione: La nuova sezione 10.3 ora consente una licenza su "
        "contenuti dell'utente, l'accesso a quegli stessi dati e il loro uso e la trascrizione di quegli stessi dati. "
        "Testo: «<N>»",
        "Condivisione con terzi e responsabili del trattamento: La sezione 12 è stata rimossa: non consente più la "
        "condivisione di dati personali con terzi. Testo precedente: «<B>»",
        "Addestramento dell'IA, Opt-out e consenso: La sezione 10.2 non dice più «without your consent». "
        "Prima: «<B>» Ora: «<N>»",
    ),
    "nl": (
        "Bewaring en wissing, Opname en transcriptie, Afmelden en toestemming: Sectie 21 is anders geformuleerd. "
        "Voorheen: ‘<B>’ Nu: ‘<N>’",
        "Delen met derden en verwerkers, Afmelden en toestemming: Sectie 25 staat nu het delen van uw inhoud met "
        "derden toe. Nu: ‘<N>’",
        "Gebruik van uw inhoud of gegevens, "
        "Opname en transcriptie: De nieuwe sectie 10.3 staat nu een licentie op uw inhoud, "
        "toegang tot en gebruik van diezelfde gegevens en het transcriberen van diezelfde gegevens toe. "
        "De tekst luidt: ‘<N>’",
        "Delen met derden en verwerkers: Sectie 12 is verwijderd en staat het delen van persoonsgegevens met derden "
        "niet meer toe. De tekst luidde: ‘<B>’",
        "AI-training, Afmelden en toestemming: Sectie 10.2 zegt niet meer ‘without your consent’. "
        "Voorheen: ‘<B>’ Nu: ‘<N>’",
    ),
}
CASES = (RETENTION_21, SHARING_25, LICENCE_10_3, REMOVED_12, CONSENT_10_2)
NAMES = ("wording", "material", "addition", "removal", "limit-dropped")


def _expected(template: str, summary: ChangeSummary) -> str:
    return template.replace("<B>", summary.before or "").replace("<N>", summary.now or "")


@pytest.mark.parametrize("language", sorted(EXPECTED))
@pytest.mark.parametrize("index", range(len(CASES)), ids=NAMES)
def test_each_language_says_a_real_summary_with_the_providers_words_as_written(language: str, index: int) -> None:
    summary = CASES[index]
    said = say_summary(summary, translation(language))
    assert said == _expected(EXPECTED[language][index], summary)
    for quote in (summary.before, summary.now):
        assert quote is None or quote in said  # never translated, never cut again


def test_english_without_a_catalog_is_the_english_catalog() -> None:
    for summary in CASES:
        assert say_summary(summary) == say_summary(summary, translation("en"))


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl"])
def test_no_english_template_words_are_left_in_a_translated_summary(language: str) -> None:
    english_only = ("now allows", "no longer", "now says", "was removed", "It said", "It says", "Before:", "Now:",
                    "Section ", "changed its wording", "your content", "personal data", "third parties", " it ")
    for summary in CASES:
        said = say_summary(summary, translation(language))
        for quote in (summary.before, summary.now, "without your consent"):
            said = said.replace(quote or "\0", "")
        assert not [words for words in english_only if words in said], said


def test_a_hostile_quote_is_inserted_as_plain_text_in_every_language() -> None:
    """Braces and markup in the provider's words are never read as a template."""
    hostile = ChangeSummary(kind="added", section="{section}", topics=(SHARING,), whole_section=True,
                            moves=(ScopeMove(MoveVerb.SAYS, limit=Phrase("x", "{quote}"), quoted="{0} {quote!r}"),),
                            now="<b>{head}</b> {subject} %s {0.__class__}")
    for language in EXPECTED:
        said = say_summary(hostile, translation(language))
        assert "<b>{head}</b> {subject} %s {0.__class__}" in said and "{0} {quote!r}" in said
        assert "{section}" in said


def test_more_uses_than_named_are_counted_in_the_languages_plural() -> None:
    uses = tuple(UseMention(Phrase(f"u{n}", "keeping {data}"), again=n > 0) for n in range(3))
    summary = ChangeSummary(kind="changed", section="4", topics=(SHARING,),
                            moves=(ScopeMove(MoveVerb.ALLOWS, uses, more=1), ScopeMove(MoveVerb.RULES_OUT, uses,
                                                                                      more=2)))
    english = say_summary(summary)
    assert "keeping your data, keeping it, keeping it and 1 more use and now rules out" in english
    assert "and 2 more uses." in english
    german = say_summary(summary, translation("de"))
    assert "und 1 weitere Nutzung und schließt jetzt" in german and "und 2 weitere Nutzungen aus." in german


def test_a_summary_survives_its_json_form_and_is_said_again_in_another_language() -> None:
    """A change found while the app ran in English reads in German once the user switches."""
    for summary in CASES:
        data = to_json_data(summary)
        again = ChangeSummary.from_dict(data)
        assert again == summary
        assert say_summary(again, translation("de")) == say_summary(summary, translation("de"))
    with pytest.raises(ValueError, match="Not a change summary"):
        ChangeSummary.from_dict({"section": "1"})
