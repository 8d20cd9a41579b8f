"""One word for one thing, in every language: each decision a person records, and each state of a
browser's extension, is said with the same word on every surface that names it (the consent
form, the notification's buttons, the history, the exports and letters, the Overview, the
command line). English said "I declined" on the form and "Refused" in the history; Spanish and
Italian refused a consent with two verbs each ("rechazar" and "denegar", "rifiutare" and
"negare") and gave it with two ("dar" and "otorgar", "dare" and "prestare"); German, Spanish and
Dutch said "I left" with another verb than "left the meeting"; the Overview said "Browser tabs
(not known)" of a browser the extension settings called "not set up"."""

from __future__ import annotations

from datetime import UTC, datetime

import re

import pytest

from guard.desktop import DesktopReport, DesktopServices
from guard.detect.desktop import desktop_facts
from guard.export.dpv_terms import METHOD
from guard.presentation.browser_words import BROWSER_STATES, browser_state_words
from guard.presentation.consent_form import DECISIONS
from guard.presentation.desktop import desktop_capabilities
from guard.presentation.i18n import UI_LANGUAGES, _, labelled, listed, use_language
from guard.presentation.notices import ANSWERS
from guard.presentation.records import DECISION_LABELS, STATUS_WORDS
from tests.i18n.catalogs import _texts, read

# The one word (its forms) each language says a decision with; the glossary in resources/locale/README.md.
ONE_WORD: dict[str, dict[str, str]] = {
    "en": {"given": r"consent|given", "refused": r"refus", "withdrawn": r"withdr", "left-meeting": r"\bleft\b",
           "notice-only": r"notice"},
    "de": {"given": r"einwillig|eingewilligt|willige|erteilt", "refused": r"lehn", "withdrawn": r"widerruf",
           "left-meeting": r"verlassen", "notice-only": r"hinweis"},
    "fr": {"given": r"consen|donné", "refused": r"refus", "withdrawn": r"retir", "left-meeting": r"quitt",
           "notice-only": r"\bavis\b"},
    "es": {"given": r"\bd(?:ad[oa]|oy)\b", "refused": r"rechaz", "withdrawn": r"retirad", "left-meeting": r"abandon",
           "notice-only": r"aviso"},
    "it": {"given": r"prest", "refused": r"rifiut", "withdrawn": r"revoca", "left-meeting": r"lasciat",
           "notice-only": r"avviso"},
    "nl": {"given": r"gegeven|geef", "refused": r"weiger", "withdrawn": r"ingetrokken", "left-meeting": r"verlaten",
           "notice-only": r"mededeling"},
}
# A second word for a decision: never, anywhere a message speaks of consent or a decision.
SECOND_WORD: dict[str, str] = {
    "en": r"\bdeclin",
    "de": r"verweiger|\bgegangen\b",
    "fr": r"\bdéclin",
    "es": r"deneg|otorg|\bme he ido\b",
    "it": r"\bneg(?:a|o|are|ato|ata)\b|\bd(?:are|ato|o) il consenso\b",
    "nl": r"afwijz|afgewez|weggegaan",
}
ABOUT_DECISIONS = re.compile(r"consent|refus|declin|decision|\bI left\b|left the meeting", re.IGNORECASE)
DECIDED = ("given", "refused", "withdrawn", "left-meeting", "notice-only")


def surfaces(decision: str) -> list[str]:
    """Every label the app shows for ``decision``, untranslated: history, status sentences and
    exports, the consent form, the notification's buttons."""
    form = {str(value): label for value, label in DECISIONS}
    labels = [DECISION_LABELS.get(decision), STATUS_WORDS.get(decision), form.get(decision),
              dict(ANSWERS).get(decision)]
    return [label for label in labels if label]


@pytest.fixture
def language():  # type: ignore[no-untyped-def]
    def use(code: str) -> None:
        use_language(code)

    yield use
    use_language("en")


@pytest.mark.parametrize("code", UI_LANGUAGES)
def test_each_decision_is_said_with_one_word_on_every_surface(code, language):
    language(code)
    wrong = []
    for decision in DECIDED:
        word = re.compile(ONE_WORD[code][decision], re.IGNORECASE)
        second = re.compile(SECOND_WORD[code], re.IGNORECASE)
        for label in surfaces(decision):
            said = _(label).replace("&", "")
            if not word.search(said) or second.search(said):
                wrong.append(f"{decision}: {label!r} -> {said!r}")
    assert not wrong, f"{code}: a decision said with another word:\n" + "\n".join(wrong)


@pytest.mark.parametrize("code", UI_LANGUAGES)
def test_no_message_about_consent_uses_a_second_word(code):
    second = re.compile(SECOND_WORD[code], re.IGNORECASE)
    found = []
    for message in read(None if code == "en" else code):
        if not message.id:
            continue
        for source, text in _texts(message.id, message.string):
            said = (source if code == "en" else text).replace("&", "")
            if ABOUT_DECISIONS.search(source) and said and second.search(said):
                found.append(f"{source[:80]!r} -> {said[:120]!r}")
    assert not found, f"{code}: a second word for a decision:\n" + "\n".join(found)


def test_the_export_says_how_a_decision_was_made_with_the_same_word():
    for decision, method in METHOD.items():
        assert re.search(ONE_WORD["en"][decision], method) or decision == "given", (decision, method)
        assert not re.search(SECOND_WORD["en"], method, re.IGNORECASE), (decision, method)


class Browser:
    def __init__(self, state: str) -> None:
        self.browser, self.state, self.last_seen = "Chromium", state, None


@pytest.mark.parametrize("code", UI_LANGUAGES)
@pytest.mark.parametrize("state", sorted(BROWSER_STATES))
def test_the_overview_says_a_browsers_state_as_its_settings_do(code, state, language):
    """The Overview's "Browser tabs" names each browser's state in the words of the browser-extension
    settings (and of ``meeting-guard browser status``), never "not known" of a state it knows."""
    language(code)
    report = DesktopReport(desktop_facts({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}),
                           DesktopServices(True, True, True, None))
    (tabs,) = [c for c in desktop_capabilities(report, browsers=[Browser(state)]) if c.signal == "browser-tabs"]
    assert tabs.detail == labelled("Chromium", browser_state_words(state))
    (both,) = [c for c in desktop_capabilities(report, browsers=[Browser(state), Browser(state)])
               if c.signal == "browser-tabs"]
    assert both.detail == listed([tabs.detail, tabs.detail])  # "a\u00a0; b" in French
    assert tabs.works is (True if state == "extension connected" else None if state == "host registered" else False)
    if state == "host registered":  # its extension connected before: the browser is closed, nothing to add
        seen = Browser(state)
        seen.last_seen = datetime(2026, 12, 2, 18, 33, tzinfo=UTC)
        (was,) = [c for c in desktop_capabilities(report, browsers=[seen]) if c.signal == "browser-tabs"]
        assert was.detail == labelled("Chromium", _("set up; the extension is not connected now")) and not was.enable


DECISION = {"en": "decision", "de": "Entscheidung", "fr": "décision", "es": "decisión", "it": "decisione",
            "nl": "beslissing"}


@pytest.mark.parametrize("code", UI_LANGUAGES)
def test_recording_a_decision_has_one_name(code):
    """The tray menu and the no-tray window said "Record my consent…", the notifications "Record my
    decision…", for the one form where a refusal is recorded too."""
    wrong = []
    for message in read(None if code == "en" else code):
        if isinstance(message.id, str) and re.match(r"&?Record my ", message.id):
            said = (message.id if code == "en" else str(message.string)).replace("&", "")
            if DECISION[code] not in said:
                wrong.append(said)
    assert not wrong, f"{code}: {wrong}"


MONITORING = {"en": "monitoring", "de": "Überwachung", "fr": "surveillance", "es": "supervisión",
              "it": "monitoraggio", "nl": "bewaking"}
PAUSED_OR_OFF = re.compile(r"\b(?:monitoring|detection)\b.*\b(?:paused|switched off)\b|\b(?:pause|resume)\b.*"
                           r"\b(?:monitoring|detection)\b", re.IGNORECASE)


@pytest.mark.parametrize("code", UI_LANGUAGES)
def test_a_paused_or_switched_off_state_names_monitoring(code):
    """The tray said "monitoring paused", the Overview "Detection is paused", of one state."""
    wrong = []
    for message in read(None if code == "en" else code):
        if isinstance(message.id, str) and PAUSED_OR_OFF.search(message.id):
            said = (message.id if code == "en" else str(message.string)).replace("&", "")
            if MONITORING[code].lower() not in said.lower():
                wrong.append(said)
    assert not wrong, f"{code}: {wrong}"
