"""Browser window titles: each browser's suffix cut off (browsers.toml), then the services' tab titles.

Issue 14: a Google Meet tab titled ``Meet – abc-defg-hij`` (en dash, sometimes a no-break space)
did not match ``^Meet - .+``, and Teams web, the Zoom web client and Jitsi had no title pattern.
The window titles below are the forms each browser writes (see the sources in browsers.toml).
"""

from __future__ import annotations

import pytest

from guard.detect.browsers import load_browsers, page_titles
from guard.detect.matching import DetectionRules
from guard.patterns import compile_pattern
from tests.detect.world import provider_toml, write_catalog

# Tab-title patterns as the catalog writes them for the normalised title (see resources/catalog).
TITLES = {
    "google-meet": [r"^Meet - [a-z]{3}-[a-z]{4}-[a-z]{3}$"],
    "teams": [r"^(?:Meet|Meeting|Meeting compact view) \| .+ \| Microsoft Teams$"],
    "zoom": [r"^Zoom Meeting$", r"^Zoom$"],
    "jitsi-meet": [r"^\S.* \| Jitsi Meet$"],
}


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalog")
    files = {pid: provider_toml(pid, pid, "browser-meeting", web_titles=patterns) for pid, patterns in TITLES.items()}
    return DetectionRules.from_catalog(write_catalog(folder, files), "linux")


@pytest.mark.parametrize("browser, title, provider", [
    ("chromium", "Meet \u2013 abc-defg-hij - Chromium", "google-meet"),
    ("chromium", "Meet\u00a0\u2013 abc-defg-hij - Chromium", "google-meet"),
    ("chrome", "Meet \u2013 abc-defg-hij - Google Chrome", "google-meet"),
    ("firefox", "Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox", "google-meet"),
    ("firefox-esr", "Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox Private Browsing", "google-meet"),
    ("firefox", "Meet \u2013 abc-defg-hij \u2014 Work \u2014 Mozilla Firefox", "google-meet"),
    ("msedge", "Meet \u2013 abc-defg-hij - Personal - Microsoft\u200b Edge", "google-meet"),
    ("msedge", "Meet \u2013 abc-defg-hij and 2 more pages - Work - Microsoft\u200b Edge", "google-meet"),
    ("brave", "Meet | Weekly sync | Microsoft Teams - Brave", "teams"),
    ("chromium", "Meet | Weekly - sync | Microsoft Teams - Chromium", "teams"),
    ("firefox", "Zoom Meeting \u2014 Mozilla Firefox", "zoom"),
    ("chrome", "Zoom - Google Chrome", "zoom"),
    ("chromium", "StandupRoom | Jitsi Meet - Chromium", "jitsi-meet"),
    ("vivaldi-bin", "StandupRoom | Jitsi Meet - Vivaldi", "jitsi-meet"),
    ("chromium", "Meet \u2013 abc-defg-hij", "google-meet"),  # an --app window: no suffix
])
def test_a_meeting_tab_is_found_behind_each_browser_suffix(rules, browser, title, provider):
    assert [m.provider_id for m in rules.match_browser_window(title, browser)] == [provider]


@pytest.mark.parametrize("browser, title", [
    ("chromium", "Google Meet - Chromium"),
    ("firefox", "Meet \u2013 abc-defg-hij notes \u2014 Mozilla Firefox"),
    ("chrome", "Chat | Weekly sync | Microsoft Teams - Google Chrome"),
    ("firefox", "Zoom Meeting recordings \u2014 Mozilla Firefox"),
    ("chromium", "Jitsi Meet - Chromium"),
    ("chromium", "Inbox (3) - Chromium"),
])
def test_other_pages_of_the_same_services_are_not_meetings(rules, browser, title):
    assert rules.match_browser_window(title, browser) == []


def test_a_window_of_an_unknown_browser_is_tried_with_every_suffix(rules):
    assert [m.provider_id for m in rules.match_browser_window("Zoom \u2014 Mozilla Firefox")] == ["zoom"]


def test_page_titles_cut_only_a_matching_suffix():
    firefox = load_browsers().by_process("linux")["firefox"]
    # a title with the browser's suffix is never matched whole ("Meet - Google Chrome" is no meeting)
    assert page_titles("A \u2014 B \u2014 Mozilla Firefox", firefox) == ["A - B", "A"]
    assert page_titles("Mozilla Firefox", firefox) == ["Mozilla Firefox"]


def test_every_browser_has_valid_suffixes_and_verified_ones_have_sources():
    table = load_browsers()
    assert {"chromium", "chrome", "edge", "firefox", "brave", "vivaldi", "opera", "safari", "arc"} <= {
        b.id for b in table.browsers}
    for browser in table.browsers:
        for suffix in browser.title_suffixes:
            assert suffix.endswith("$"), f"{browser.id}: a suffix is matched at the end ({suffix!r})"
            compile_pattern(suffix)
        if browser.verified:
            assert browser.sources, f"{browser.id} is marked verified without a source"
        else:
            assert browser.note, f"{browser.id} is unverified: its note says why"


@pytest.mark.parametrize("browser, title, provider", [
    ("chrome", "Meet \u2013 abc-defg-hij - Google Chrome", "google-meet"),
    ("firefox", "Meet\u00a0\u2013 abc-defg-hij \u2014 Mozilla Firefox", "google-meet"),
    ("msedge", "Meet | Weekly sync | Microsoft Teams - Personal - Microsoft\u200b Edge", "teams"),
    ("chromium", "Zoom Meeting - Chromium", "zoom"),
    ("firefox-esr", "WeeklyStandup | Jitsi Meet \u2014 Mozilla Firefox Private Browsing", "jitsi-meet"),
])
def test_the_shipped_catalog_finds_real_tab_titles_in_every_browser(browser, title, provider):
    """The services' real tab titles (sources in resources/catalog) behind each browser's suffix."""
    from guard.catalog import load_catalog

    rules = DetectionRules.from_catalog(load_catalog(), "linux")
    assert provider in [m.provider_id for m in rules.match_browser_window(title, browser)]
