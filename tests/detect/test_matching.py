"""Catalog detection data compiled into look-ups: process names, meeting links, window titles."""

import pytest

from guard.detect.matching import DetectionRules, browser_names, redact_url, urls_in_args
from tests.detect.world import provider_toml, write_catalog

WEB = {
    "google-meet": [r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}"],
    "teams": [r"^https://teams\.(microsoft|live)\.com/(l/meetup-join|meet)/", r"^msteams:/l/meetup-join/"],
    "zoom": [r"^https://([a-z0-9-]+\.)?zoom\.us/(j|wc(/join)?)/\d+", r"^zoommtg://([a-z0-9-]+\.)?zoom\.us/join\?"],
    "jitsi": [r"^https://meet\.jit\.si/[A-Za-z0-9]+"],
    "whereby": [r"^https://whereby\.com/[a-z0-9-]+"],
}


@pytest.fixture
def rules(tmp_path):
    files = {pid: provider_toml(pid, pid.title(), "browser-meeting", url_patterns=patterns)
             for pid, patterns in WEB.items() if pid not in ("zoom", "teams")}
    files["zoom"] = provider_toml("zoom", "Zoom", processes=["zoom", "ZoomWebviewHost"],
                                  meeting_processes=["zoom-meeting-helper"], url_patterns=WEB["zoom"],
                                  window_titles=["^Zoom Workplace$"], meeting_window_titles=["^Zoom Meeting"])
    files["teams"] = provider_toml("teams", "Teams", processes=["ms-teams.exe"], url_patterns=WEB["teams"],
                                   web_titles=[r"\| Microsoft Teams$"])
    files["otter"] = provider_toml("otter", "Otter", "notetaker", processes=["otter"])
    return DetectionRules.from_catalog(write_catalog(tmp_path / "catalog", files), "linux")


@pytest.mark.parametrize("args, provider", [
    (("--app=https://meet.google.com/abc-defg-hij",), "google-meet"),
    (("--new-window", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0"), "teams"),
    (("https://us05web.zoom.us/wc/join/81234567890",), "zoom"),
    (("--url=zoommtg://zoom.us/join?action=join&confno=81234567890&pwd=s3cret",), "zoom"),
    (("-kiosk", "https://meet.jit.si/WeeklyStandup"), "jitsi"),
    (("https://whereby.com/team-room",), "whereby"),
])
def test_meeting_links_on_command_lines_match_their_provider(rules, args, provider):
    assert [match[0] for match in rules.match_urls(args)] == [provider]


def test_ordinary_browsing_is_no_meeting(rules):
    args = ("https://meet.google.com/", "https://zoom.us/pricing", "--app=https://example.org/meet.google.com/abc-defg-hij")
    assert rules.match_urls(args) == []


def test_a_client_may_only_match_its_own_links(rules):
    args = ("--url=https://meet.google.com/abc-defg-hij",)
    assert rules.match_urls(args, frozenset({"zoom"})) == []


def test_passcodes_are_redacted_from_meeting_links():
    shown = redact_url("zoommtg://zoom.us/join?action=join&confno=81234567890&pwd=s3cret")
    assert "s3cret" not in shown and "confno=81234567890" in shown


def test_urls_inside_arguments_are_found():
    assert "https://meet.google.com/abc-defg-hij" in urls_in_args(("--app=https://meet.google.com/abc-defg-hij",))


def test_process_names_match_case_and_exe_insensitively(rules):
    assert [m.provider_id for m in rules.match_process("ZOOM")] == ["zoom"]
    assert [m.provider_id for m in rules.match_process("MS-Teams.EXE")] == ["teams"]
    assert [m.meeting_only for m in rules.match_process("zoom-meeting-helper")] == [True]
    assert rules.match_process("zoomer") == []


def test_linux_truncated_names_are_flagged_for_confirmation(rules):
    assert rules.maybe_truncated("zoom-meeting-he")
    assert not rules.maybe_truncated("zoom")
    assert not rules.maybe_truncated("some-other-proc")


def test_packaged_app_names_match_by_letters(rules):
    assert [m.provider_id for m in rules.match_app_name("MSTeams_8wekyb3d8bbwe")] == ["teams"]


def test_window_titles_tell_meeting_from_home_window(rules):
    assert rules.match_app_window("zoom", "Zoom Meeting").meeting is True
    assert rules.match_app_window("zoom", "Zoom Workplace").meeting is False
    assert rules.match_app_window("zoom", "Notes") is None
    assert [m.provider_id for m in rules.match_browser_window("Weekly sync | Microsoft Teams")] == ["teams"]


def test_notetakers_are_known_by_kind(rules):
    assert rules.notetakers == frozenset({"otter"})


def test_browsers_are_listed_per_os():
    assert "chromium" in browser_names("linux")
    assert "chrome" in browser_names("windows")  # names are compared without .exe
    assert "google chrome" in browser_names("macos")


@pytest.mark.parametrize("args, url", [
    (("zoomus://zoom.us/join?action=join&confno=81234567890",), "zoomus://zoom.us/join?action=join&confno=81234567890"),
    (("--url=msteams:/l/meetup-join/19%3ameeting_x/0",), "msteams:/l/meetup-join/19%3ameeting_x/0"),
    (("webex://meet?url=https%3A%2F%2Facme.webex.com",), "webex://meet?url=https%3A%2F%2Facme.webex.com"),
    (("open", "'wbx://acme.webex.com/join/jane'"), "wbx://acme.webex.com/join/jane"),
])
def test_app_links_on_a_command_line_are_found(args, url):
    """zoommtg:/zoomus:, msteams:, webex:/wbx: links a browser hands to a client (issue 14 item 3)."""
    assert url in urls_in_args(args)


def test_only_providers_whose_links_look_like_chats_are_media_gated():
    from guard.catalog import load_catalog

    shipped = DetectionRules.from_catalog(load_catalog(), "linux")
    assert shipped.media_gated == frozenset({"discord"})
