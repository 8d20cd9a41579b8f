"""Detection-only entries: a meeting service whose terms are not tracked yet is still detected, and
every place that shows a provider's documents says "no terms tracked yet" instead of going blank."""

from __future__ import annotations

import json

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules
from guard.presentation.wording import NO_TERMS_TRACKED
from ui.settings.provider_page import PageColours, ProviderPage

CATALOG = load_catalog()
DETECTION_ONLY = sorted(p.id for p in CATALOG if not p.tracks_terms)


def test_the_catalog_has_detection_only_entries_for_meetingbar_services():
    assert {"around", "zhumu", "streamyard", "tuple", "voov-meeting"} <= set(DETECTION_ONLY)


@pytest.mark.parametrize("provider_id", ["zhumu", "streamyard"])
def test_a_detection_only_meeting_link_is_detected(provider_id):
    rules = DetectionRules.from_catalog(CATALOG, "linux")
    url = {"zhumu": "https://welink.zhumu.com/j/150525986", "streamyard": "https://streamyard.com/guest/u6qes7i8cj"}
    assert rules.match_urls(("chromium", url[provider_id])) == [(provider_id, url[provider_id])]


def test_providers_text_says_no_terms_are_tracked(cli):
    result = cli("providers", "zhumu")
    assert result.returncode == 0, result.stderr
    assert "Terms documents (0):" in result.stdout
    assert f"none: {NO_TERMS_TRACKED}" in result.stdout
    tracked = cli("providers", "zoom")
    assert NO_TERMS_TRACKED not in tracked.stdout and "Zoom Privacy Statement (privacy-statement)" in tracked.stdout


def test_providers_json_says_whether_terms_are_tracked(cli):
    report = json.loads(cli("providers", "streamyard", "--json").stdout)
    assert report["documents"] == [] and report["terms_tracked"] is False
    assert json.loads(cli("providers", "zoom", "--json").stdout)["terms_tracked"] is True


def test_the_settings_provider_page_says_no_terms_are_tracked():
    page = ProviderPage(PageColours(mark="#ff0", badge="#ccc"))
    html = page.render(CATALOG.get("around"))
    assert f"None: {NO_TERMS_TRACKED}." in html
    assert "Discontinued" in html or "discontinued" in html.lower()
    assert NO_TERMS_TRACKED not in page.render(CATALOG.get("zoom"))
