"""Every shipped provider file loads, and every statement in it says where it comes from."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import re2

from guard.catalog import load_catalog
from guard.catalog.loader import shipped_catalog_dir
from guard.catalog.models import CONTACT_FIELDS, ContactKind, Provider, ProviderKind, Source

CHECKED_BY = date(2026, 12, 2)  # today (the project's date): nothing can be checked later


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_shipped_file_loads_without_problems(catalog):
    files = sorted(shipped_catalog_dir().glob("*.toml"))
    assert catalog.problems == []
    assert len(catalog) == len(files) >= 60


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


def test_a_provider_without_documents_is_a_declared_detection_only_entry(catalog):
    """The terms watcher needs a page to fetch; an entry without one exists only so that its meetings
    are detected, and says so in its note rather than guessing a terms URL."""
    detection_only = [p for p in catalog if not p.tracks_terms]
    for provider in detection_only:
        assert provider.note and "detection-only" in provider.note, \
            f"{provider.id} has no document and its note does not say it is a detection-only entry"
    assert len(catalog) - len(detection_only) >= 60, "the providers whose terms are tracked stay covered"


MEETING_KINDS = {ProviderKind.MEETING_CLIENT, ProviderKind.CHAT_WITH_CALLS, ProviderKind.BROWSER_MEETING}


def test_meeting_providers_have_ai_features_or_say_why_not(catalog):
    """A meeting client without AI features must say so (with its source) rather than stay silent."""
    for provider in catalog:
        if provider.kind in MEETING_KINDS and not provider.ai_features:
            assert provider.note and "AI feature" in provider.note, \
                f"{provider.id}: no AI features and no note explaining why"


def test_participant_names_are_sourced_wherever_listed(catalog):
    for provider in catalog:
        if provider.detect.participant_names:
            assert provider.detect.sources, f"{provider.id}: bot names without a source"


def _patterns(provider: Provider) -> list[tuple[str, str]]:
    detect = provider.detect
    found = [(f"{os_name}.{attr}", p) for os_name in ("linux", "windows", "macos")
             for attr in ("window_titles", "meeting_window_titles") for p in getattr(detect.for_os(os_name), attr)]  # type: ignore[arg-type]
    found += [(f"web.{attr}", p) for attr in ("url_patterns", "url_excludes", "meeting_window_titles",
                                               "device_window_titles")
              for p in getattr(detect.web, attr)]
    found += [("participant_names", p) for p in detect.participant_names]
    return found


def test_every_shipped_pattern_compiles_under_re2(catalog):
    """Detection matches with RE2 (linear time): no lookaround or backreferences in shipped data."""
    for provider in catalog:
        for where, pattern in _patterns(provider):
            try:
                re2.compile(pattern)
            except re2.error as error:
                pytest.fail(f"{provider.id} {where}: {pattern!r} does not compile under RE2 ({error})")


def test_every_provider_can_be_detected(catalog):
    """A provider with nothing to match is dead weight: a process, an app id, a link or a bot name."""
    for provider in catalog:
        detect = provider.detect
        signals = [n for os_name in ("linux", "windows", "macos")
                   for n in (*detect.for_os(os_name).processes, *detect.for_os(os_name).meeting_processes,  # type: ignore[arg-type]
                             *detect.for_os(os_name).bundle_ids)]  # type: ignore[arg-type]
        assert signals or detect.web.url_patterns or detect.web.device_window_titles or detect.participant_names, \
            f"{provider.id}: no process name, bundle id, web pattern or bot name"


def test_web_meetings_name_their_hosts(catalog):
    """The browser extension asks for permission on web.hosts only; a web pattern without hosts (meeting pages,
    or link-only hosts whose links are found in text) is invisible to it."""
    for provider in catalog:
        web = provider.detect.web
        if any(p.startswith("^https://") for p in web.url_patterns):
            assert web.hosts or web.link_only_hosts, f"{provider.id}: url_patterns without web.hosts"


def _check_sources(where: str, sources: tuple[Source, ...]) -> None:
    assert sources, f"{where}: no source"
    for source in sources:
        assert source.url.scheme == "https", f"{where}: {source.url}"
        assert source.checked <= CHECKED_BY, f"{where}: checked {source.checked} is in the future"


def test_detection_sources_are_https_and_dated(catalog):
    for provider in catalog:
        if provider.detect.sources:
            _check_sources(f"{provider.id}.detect", provider.detect.sources)


def test_every_notice_has_a_source_and_a_language(catalog):
    for provider in catalog:
        for feature in provider.ai_features:
            for notice in feature.notices:
                where = f"{provider.id}.{feature.id} notice {notice.text!r}"
                _check_sources(where, notice.sources)
                if not notice.verified:
                    assert notice.note, f"{where} is unverified without a note"


def test_contacts_are_sourced_and_dated(catalog):
    for provider in catalog:
        contacts = provider.contacts
        stated = [name for name in CONTACT_FIELDS if getattr(contacts, name)]
        if stated or contacts.kind != ContactKind.CONTROLLER:
            _check_sources(f"{provider.id}.contacts", contacts.sources)
            if not contacts.verified:
                assert contacts.note, f"{provider.id}.contacts is unverified without a note"


PINNED_IN_REPOSITORY = re2.compile(r"^https://github\.com/[^/]+/[^/]+/(?:blob|tree)/[0-9a-f]{40}(?:/|$)")
POLICY_ARCHIVE = re2.compile(
    r"^https://github\.com/(?:OpenTermsArchive/[^/]+-versions|tosdr/[^/]+-versions|citp/privacy-policy-historical)/")
A_YEAR = re2.compile(r"\b(?:19|20)\d\d\b")


def test_verified_contacts_cite_a_version_anyone_can_read_again(catalog):
    """A verified contact was read in the provider's own text, so a letter's reader can check it:
    every source is dated (checked, not in the future), a file in a repository (an archive of
    policies, a project's own repo) is cited by commit, never by branch, and a policy archive's
    copy says in its title the date of the version read (an old version's address is as of then)."""
    verified = [provider for provider in catalog if provider.contacts.verified]
    assert len(verified) >= 50  # as of 2026-12-01
    for provider in verified:
        where = f"{provider.id}.contacts"
        _check_sources(where, provider.contacts.sources)
        for source in provider.contacts.sources:
            url = str(source.url)
            if source.url.host == "github.com":
                assert PINNED_IN_REPOSITORY.search(url), f"{where}: {url} is not pinned to a commit"
            if POLICY_ARCHIVE.search(url):
                assert source.title and A_YEAR.search(source.title), f"{where}: {url} does not say its version's date"


def test_every_provider_says_where_its_letters_go(catalog):
    """A letter needs a recipient: a sourced privacy contact, or a sourced statement that no
    company holds the data (and who does instead), that the service ended, or that no contact
    could be found (so the letter asks for one). A provider with none of these fails."""
    kinds = Counter()
    for provider in catalog:
        contacts, where = provider.contacts, f"{provider.id}.contacts"
        _check_sources(where, contacts.sources)
        kinds[contacts.kind] += 1
        if contacts.kind == ContactKind.CONTROLLER:
            assert contacts.controller or contacts.known, f"{where}: names neither a controller nor an address"
        else:
            assert contacts.note, f"{where}: a '{contacts.kind}' entry says why in its note"
        if contacts.kind == ContactKind.NO_CONTROLLER:
            assert contacts.write_to and not contacts.known and not contacts.controller, where
        if contacts.kind == ContactKind.DISCONTINUED:
            assert provider.discontinued is not None and provider.discontinued.on <= CHECKED_BY, where
    assert kinds[ContactKind.NO_CONTROLLER] >= 9 and kinds[ContactKind.CONTROLLER] >= 49  # as of 2026-12-01


def test_software_run_by_its_users_has_no_controller_to_write_to(catalog):
    """Self-hosted, local and peer-to-peer software: no company holds the meeting data."""
    for provider_id in ("baresip", "dino", "gajim", "jami", "mumble", "qtox", "twinkle", "meetily", "mattermost"):
        contacts = catalog.get(provider_id).contacts
        assert contacts.kind == ContactKind.NO_CONTROLLER and contacts.write_to, provider_id


def test_discontinued_services_say_when_and_where_from(catalog):
    for provider in catalog:
        ended = provider.discontinued
        if ended is not None:
            _check_sources(f"{provider.id}.discontinued", ended.sources)
            assert ended.on <= CHECKED_BY or ended.note, f"{provider.id}: a future end date needs a note"
            if not ended.verified:
                assert ended.note, f"{provider.id}.discontinued is unverified without a note"
