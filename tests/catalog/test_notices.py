"""Notice phrases are found in text as pages show it (typographic dashes, quotes, odd spaces, any case)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from guard.catalog import load_catalog
from guard.catalog.models import Notice, Source
from guard.catalog.notices import (
    MAX_TEXT,
    all_notices,
    normalise,
    notice_in,
    notices_in,
)
from guard.patterns import ELISION

SOURCE = Source(url="https://example.org/help", checked=date(2026, 12, 1))  # type: ignore[arg-type]


def _notice(text: str) -> Notice:
    return Notice(text=text, language="en", sources=(SOURCE,), verified=True)


def test_typographic_forms_and_case_do_not_hide_a_notice() -> None:
    notice = _notice("Recording and transcription have started.")
    shown = "RECORDING\u00a0and transcription\u200b have   started. Let everyone know they're being recorded."
    assert notice_in(notice, shown)


def test_quotes_and_dashes_are_normalised_on_both_sides() -> None:
    notice = _notice("Gemini is taking notes - it's on for everyone")
    assert notice_in(notice, "Gemini is taking notes \u2013 it\u2019s on for everyone")


def test_a_different_sentence_is_not_a_notice() -> None:
    assert not notice_in(_notice("Recording has started"), "Recording has stopped")


def test_shown_text_is_capped_so_a_huge_page_costs_bounded_work() -> None:
    notice = _notice("AI Companion is on")
    assert not notice_in(notice, "x" * MAX_TEXT + " AI Companion is on " + "x" * MAX_TEXT)
    assert notice_in(notice, "AI Companion is on " + "x" * (MAX_TEXT * 3))
    assert len(normalise("y" * (MAX_TEXT * 5))) <= MAX_TEXT + len(ELISION)


@pytest.mark.parametrize("bad", ["two\nlines", " padded", "ab"])
def test_notice_text_must_be_one_trimmed_line(bad: str) -> None:
    with pytest.raises(ValidationError):
        _notice(bad)


def test_language_must_be_a_tag() -> None:
    with pytest.raises(ValidationError):
        Notice(text="Recording", language="english please", sources=(SOURCE,))


def test_shipped_notices_are_found_in_their_own_words() -> None:
    """Every shipped notice matches its own text as a page would show it, and belongs to its provider."""
    catalog = load_catalog()
    found = all_notices(catalog)
    for provider_id, feature_id, notice in found:
        provider = catalog.get(provider_id)
        assert provider is not None
        shown = f"Banner: {notice.text.replace(' ', chr(0xA0))}"
        assert (provider.feature(feature_id), notice) in notices_in(provider, shown)


@pytest.mark.parametrize(
    ("provider_id", "shown", "feature_id"),
    [
        # Zoom's web client banners (zoom/meetingsdk-web strings), as a page shows them with their tooltip text after.
        ("zoom", "This meeting is being transcribed for AI Companion. Anyone with access to the transcript may view"
                 " or share it with others.", "meeting-questions"),
        ("zoom", "Meeting-Zusammenfassung mit AI\u00a0Companion ist aktiviert", "meeting-summary"),
        ("zoom", "Dieses Meeting wird aufgezeichnet\nDurch weitere Teilnahme am Meeting stimmen Sie der"
                 " Aufzeichnung zu.",
         "cloud-recording"),
        ("zoom", "La reunión se está transcribiendo. Cualquiera con acceso...", "transcription"),
        # Teams meetings through Microsoft's ACS UI library: the compliance banner in German and French.
        ("teams", "Die Aufzeichnung und Transkription haben begonnen. Datenschutzrichtlinie",
         "recording-transcription"),
        ("teams", "L'enregistrement a démarré. En savoir plus", "recording-transcription"),
        # Google Meet's join dialog (seen in a meeting bot's adapter; unverified).
        ("google-meet", "Gemini is taking notes\u2026 Join now", "take-notes-for-me"),
        ("google-meet", "This video call is being transcribed", "transcription"),
        # Mattermost Calls' participant disclaimer (German).
        ("mattermost", "Aufnahme läuft. Der Gastgeber hat mit der Aufzeichnung dieses Meetings begonnen. Wenn du an der"
                       " Sitzung teilnimmst, erklärst du dich mit der Aufzeichnung einverstanden.",
         "calls-recording-transcription"),
        # Jitsi Meet's French transcription label.
        ("jitsi-meet", "La transcription est actuellement activée", "recording-and-subtitles"),
    ],
)
def test_real_banners_are_recognised_as_their_feature(provider_id: str, shown: str, feature_id: str) -> None:
    """Text as each provider's meeting page shows it is recognised as the right AI feature."""
    provider = load_catalog().get(provider_id)
    assert provider is not None
    assert feature_id in {feature.id for feature, _ in notices_in(provider, shown)}


def test_a_meeting_page_without_a_banner_has_no_notice() -> None:
    provider = load_catalog().get("zoom")
    assert provider is not None
    assert notices_in(provider, "Zoom Meeting. Participants (3). Chat. Share Screen. Recording settings") == []


def test_shipped_notices_cite_repositories_by_commit_and_say_how_sure_they_are() -> None:
    """A notice read in a repository (locale files, SDK strings) points at the file at one commit,
    so the words can be checked again as they were read; unverified notices say why in `note`."""
    for provider_id, feature_id, notice in all_notices(load_catalog()):
        where = f"{provider_id}/{feature_id}: {notice.text!r}"
        for source in notice.sources:
            url = str(source.url)
            if url.startswith("https://github.com/") and "/blob/" in url:
                ref = url.split("/blob/", 1)[1].split("/", 1)[0]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), \
                    f"{where} cites {url} by a branch, not a commit"
        if not notice.verified:
            assert notice.note, f"{where} is unverified without saying why"


def test_notices_come_in_the_languages_eu_participants_meet() -> None:
    """The big meeting providers' notices exist beyond English, so a German or French banner is recognised."""
    by_provider: dict[str, set[str]] = {}
    for provider_id, _, notice in all_notices(load_catalog()):
        by_provider.setdefault(provider_id, set()).add(notice.language.split("-")[0])
    six = {"en", "de", "fr", "es", "it", "nl"}
    expected = {"zoom": six, "teams": six, "mattermost": six, "jitsi-meet": six - {"es"}}
    for provider_id, languages in expected.items():
        assert languages <= by_provider.get(provider_id, set()), provider_id
