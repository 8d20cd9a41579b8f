"""Which browser window titles count while the extension is connected (guard/detect/title_trust.py).

Plain values; the real browser, extension and window lister are in
tests/browser/test_chromium.py::test_a_page_titled_like_meet_is_no_meeting_while_the_extension_sees_meets_hosts_hostile.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.browser.hosts import HostRule
from guard.catalog.loader import load_catalog
from guard.detect.matching import DetectionRules
from guard.detect.observation import Observation
from guard.detect.title_trust import (
    TitleTrust,
    covered_providers,
    packaged_host_rules,
    provider_covered,
    title_is_evidence,
)
from guard.events import Signal

MEET_WEB = {"hosts": ["meet.google.com"], "url_patterns": [r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}"]}
GRANTED = (HostRule("meet.google.com", False, "https"), HostRule("zoom.us", True, "https"))


@pytest.fixture(scope="module")
def rules() -> DetectionRules:
    return DetectionRules.from_catalog(load_catalog(), "linux")


def test_a_title_is_no_evidence_only_when_the_connected_extension_sees_the_host_and_reports_no_tab():
    connected, covered = frozenset({100}), frozenset({"google-meet"})
    assert not title_is_evidence("google-meet", 100, connected, covered, frozenset())
    assert title_is_evidence("google-meet", 100, connected, covered, frozenset({(100, "google-meet")}))
    assert title_is_evidence("google-meet", 200, connected, covered, frozenset()), "that browser has no extension"
    assert title_is_evidence("jitsi-meet", 100, connected, covered, frozenset()), "a host the extension cannot see"
    assert not title_is_evidence("google-meet", 100, connected, covered, frozenset({(200, "google-meet")})), \
        "the other browser's Meet tab does not vouch for this one's title"


def test_the_shipped_catalog_covers_meet_teams_and_zoom_but_not_self_hostable_jitsi(rules):
    assert packaged_host_rules(), "the packaged manifest's host permissions are read"
    assert covered_providers(rules) == frozenset({"google-meet", "teams", "zoom"})
    assert rules.titled_web["jitsi-meet"]["self_hostable"] is True


def test_a_host_outside_the_permissions_keeps_the_providers_titles():
    """A user catalog file adding a self-hosted server's host: the packaged extension cannot see it."""
    assert provider_covered(MEET_WEB, GRANTED)
    assert not provider_covered({**MEET_WEB, "hosts": ["meet.google.com", "meet.example.org"]}, GRANTED)
    assert not provider_covered({**MEET_WEB, "self_hostable": True}, GRANTED)
    assert not provider_covered({**MEET_WEB, "self_hostable": "yes"}, GRANTED), "anything but false: self-hostable"
    assert not provider_covered({}, GRANTED), "no host known: nothing says the extension sees it"
    assert not provider_covered({"url_patterns": [r"^https://[^/]+/room/\d+"]}, GRANTED), "a host pattern unread"


def test_subdomain_permissions_cover_subdomains_only_when_granted():
    assert provider_covered({"hosts": ["us02web.zoom.us", "*.zoom.us", "zoom.us"]}, GRANTED)
    assert not provider_covered({"hosts": ["*.meet.google.com"]}, GRANTED)
    assert not provider_covered({"hosts": ["google.com"]}, GRANTED)
    assert not provider_covered({"hosts": ["us02web.zoom.us"]}, (HostRule("zoom.us", False, "https"),))


def test_an_unreadable_manifest_covers_nothing(tmp_path: Path):
    bad = tmp_path / "manifest.json"
    bad.write_text("{not json")
    assert packaged_host_rules(bad) == ()
    odd = tmp_path / "odd.json"
    odd.write_text('{"host_permissions": ["<all_urls>", "https://meet.google.com/*", "http://zoom.us/*"]}')
    assert packaged_host_rules(odd) == (HostRule("meet.google.com", False, "https"),)


def test_the_detector_step_drops_only_the_contradicted_browser_titles(rules):
    at = datetime(2026, 12, 1, tzinfo=UTC)
    meet = Observation("google-meet", Signal.WINDOW_TITLE, 11, "chromium shows Meet", at, meeting=True)
    jitsi = Observation("jitsi-meet", Signal.WINDOW_TITLE, 11, "chromium shows Jitsi", at, meeting=True)
    client = Observation("zoom", Signal.WINDOW_TITLE, 50, "zoom shows a meeting", at, meeting=True)
    browser_of = {11: 10}.get  # pid 11 is a window of browser instance 10; 50 is a client's
    trust = TitleTrust(rules)
    assert trust.kept([meet, jitsi, client], browser_of, frozenset({10}), frozenset()) == [jitsi, client]
    assert trust.kept([meet], browser_of, frozenset({10}), frozenset({(10, "google-meet")})) == [meet]
    assert trust.kept([meet], browser_of, frozenset(), frozenset()) == [meet], "no extension: titles count"
