"""Every shipped provider file loads, and every statement in it says where it comes from."""

from __future__ import annotations

import re
from datetime import date

import pytest

from guard.catalog import load_catalog
from guard.catalog.loader import shipped_catalog_dir
from guard.catalog.models import ProviderKind

CHECKED_BY = date(2026, 12, 1)  # today (the project's date): nothing can be checked later


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_shipped_file_loads_without_problems(catalog):
    files = sorted(shipped_catalog_dir().glob("*.toml"))
    assert catalog.problems == []
    assert len(catalog) == len(files) >= 18


def test_file_name_is_the_provider_id(catalog):
    for path in shipped_catalog_dir().glob("*.toml"):
        assert catalog.get(path.stem) is not None, f"{path.name}: id does not match the file name"


REQUIRED = {
    "zoom", "teams", "google-meet", "webex", "slack", "discord", "skype", "goto-meeting", "ringcentral",
    "jitsi-meet", "whereby", "amazon-chime", "jami", "otter", "fireflies", "read-ai", "fathom", "tldv",
    "granola", "krisp",
}


def test_the_issue_s_providers_are_all_there(catalog):
    assert REQUIRED <= set(catalog.providers)
    assert catalog.by_kind(ProviderKind.NOTETAKER), "AI note-takers are in the catalog"


def test_every_feature_has_a_sourced_and_dated_origin(catalog):
    for provider in catalog:
        for feature in provider.ai_features:
            assert feature.sources, f"{provider.id}.{feature.id} has no source"
            for source in feature.sources:
                assert source.url.scheme == "https", f"{provider.id}.{feature.id}: {source.url}"
                assert source.checked <= CHECKED_BY


def test_every_clause_has_source_checked_date_and_a_known_document(catalog):
    for provider in catalog:
        doc_ids = {doc.id for doc in provider.documents}
        for clause in provider.clauses:
            where = f"{provider.id}.{clause.id}"
            assert clause.source.scheme == "https", where
            assert clause.checked <= CHECKED_BY, where
            assert clause.document in doc_ids, where
            assert clause.quote.strip(), where


def test_clause_dates_are_in_order(catalog):
    for provider in catalog:
        for clause in provider.clauses:
            where = f"{provider.id}.{clause.id}"
            assert clause.effective_from <= clause.checked, f"{where} takes effect after it was checked"
            if clause.effective_to is not None:
                assert clause.effective_from <= clause.effective_to, where


def test_unverified_items_explain_themselves(catalog):
    """What was not read in its source says why (a note), so the UI can tell the user."""
    for provider in catalog:
        for clause in provider.clauses:
            if not clause.verified:
                assert clause.note, f"{provider.id}.{clause.id} is unverified without a note"
        for feature in provider.ai_features:
            if not feature.verified:
                assert feature.note, f"{provider.id}.{feature.id} is unverified without a note"


def test_documents_use_the_shared_ids_where_they_apply(catalog):
    """The terms watcher keys its baselines by these ids: a provider's first document of each type uses them."""
    shared = {"terms-of-service": "terms", "privacy-statement": "privacy", "ai-terms": "ai-terms"}
    for provider in catalog:
        seen: set[str] = set()
        for doc in provider.documents:
            assert doc.url.scheme == "https", f"{provider.id}.{doc.id}"
            if doc.type.value in shared and doc.type.value not in seen:
                assert doc.id == shared[doc.type.value], f"{provider.id}: first {doc.type.value} is '{doc.id}'"
                seen.add(doc.type.value)


def test_detection_claims_carry_sources(catalog):
    for provider in catalog:
        detect = provider.detect
        has_data = any(
            getattr(getattr(detect, os_name), attr)
            for os_name in ("linux", "windows", "macos")
            for attr in ("processes", "meeting_processes", "window_titles", "meeting_window_titles")
        ) or detect.web.url_patterns or detect.participant_names
        if has_data:
            assert detect.sources, f"{provider.id}: detection data without sources"
        if detect.verified:
            assert detect.sources, f"{provider.id}: verified detection needs sources"


MEETING_URLS = {
    "google-meet": ("https://meet.google.com/abc-defg-hij", "https://meet.google.com/landing"),
    "zoom": ("https://app.zoom.us/wc/81234567890/join", "https://zoom.us/signin"),
    "jitsi-meet": ("https://meet.jit.si/MyTeamStandup", "https://meet.jit.si/"),
    "whereby": ("https://whereby.com/my-room", "https://whereby.com/"),
    "teams": ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0",
              "https://teams.microsoft.com/"),
}


@pytest.mark.parametrize("provider_id", sorted(MEETING_URLS))
def test_meeting_url_patterns_match_meetings_not_home_pages(catalog, provider_id):
    meeting, home = MEETING_URLS[provider_id]
    patterns = [re.compile(p) for p in catalog.get(provider_id).detect.web.url_patterns]
    assert any(p.search(meeting) for p in patterns), meeting
    assert not any(p.search(home) for p in patterns), home


def test_zoom_clause_history_covers_2023(catalog):
    zoom = catalog.get("zoom")
    by_id = {clause.id: clause for clause in zoom.clauses}
    added = by_id["tos-10-4-2023-08-07"]
    assert "Notwithstanding the above, Zoom will not use audio, video or chat Customer Content" in added.quote
    assert (added.effective_from, added.effective_to) == (date(2023, 8, 7), date(2023, 8, 11))
    rewrite = by_id["tos-10-2-2023-08-11-no-training"]
    assert rewrite.verified and rewrite.effective_from == date(2023, 8, 11) and rewrite.effective_to is None
    in_force_mid_2023 = {c.id for c in zoom.clauses_in_force(date(2023, 8, 8))}
    assert {"tos-10-2-2023-03", "tos-10-4-2023-03", "tos-10-4-2023-08-07"} <= in_force_mid_2023
    assert "tos-10-2-2023-08-11-no-training" not in in_force_mid_2023


MEETING_TITLES = {
    # provider: (os or "web", a meeting window's title, titles of home screens that must not match)
    "zoom": ("linux", "Zoom Meeting", ("Zoom Cloud Meetings", "Zoom Workplace", "Zoom")),
    "google-meet": ("web", "Meet - abc-defg-hij - Google Chrome", ("Google Meet - Google Chrome", "Google Meet")),
}


@pytest.mark.parametrize("provider_id", sorted(MEETING_TITLES))
def test_meeting_window_titles_match_meetings_not_home_screens(catalog, provider_id):
    where, meeting, homes = MEETING_TITLES[provider_id]
    detect = catalog.get(provider_id).detect
    patterns = [re.compile(p) for p in (detect.web if where == "web" else detect.for_os(where)).meeting_window_titles]
    assert any(p.search(meeting) for p in patterns), meeting
    for home in homes:
        assert not any(p.search(home) for p in patterns), home


def test_every_provider_lists_at_least_one_document(catalog):
    """The terms watcher needs a page to fetch for every provider."""
    for provider in catalog:
        assert provider.documents, f"{provider.id} has no document"


MEETING_KINDS = {ProviderKind.MEETING_CLIENT, ProviderKind.CHAT_WITH_CALLS, ProviderKind.BROWSER_MEETING}


def test_meeting_providers_have_ai_features_or_say_why_not(catalog):
    """A meeting client without AI features must say so (with its source) rather than stay silent."""
    for provider in catalog:
        if provider.kind in MEETING_KINDS and not provider.ai_features:
            assert provider.note and "AI feature" in provider.note, \
                f"{provider.id}: no AI features and no note explaining why"


BOT_NAMES = {
    # provider: (bot display names from the provider's own help pages, human names that must not match)
    "fireflies": (("Fireflies.ai Notetaker Parth", "Fireflies Notetaker"), ("Parth Shah", "Fire Fly")),
    "fathom": (("Fathom AI Notetaker",), ("Fathom Jones", "Ada Lovelace")),
}


@pytest.mark.parametrize("provider_id", sorted(BOT_NAMES))
def test_participant_name_patterns_match_bots_not_people(catalog, provider_id):
    bots, people = BOT_NAMES[provider_id]
    detect = catalog.get(provider_id).detect
    for name in bots:
        assert detect.matches_participant(name), name
    for name in people:
        assert not detect.matches_participant(name), name


def test_participant_names_are_sourced_wherever_listed(catalog):
    for provider in catalog:
        if provider.detect.participant_names:
            assert provider.detect.sources, f"{provider.id}: bot names without a source"
