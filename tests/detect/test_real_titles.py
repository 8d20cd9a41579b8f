"""Real window titles through the detection engine (tests/detect/real_titles.toml).

The catalog's case files check each title pattern on a bare page title; this checks the path a real
window takes: the browser's suffix cut off, an unread count in front ignored, dashes normalised, and
no provider named for the pages around a meeting (join page, after leaving, chat, a shop page).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules, without_unread_count

FIXTURE = tomllib.loads((Path(__file__).parent / "real_titles.toml").read_text(encoding="utf-8"))
RULES = DetectionRules.from_catalog(load_catalog(), "linux")


@pytest.mark.parametrize("case", [pytest.param(c, id=c["title"][:70]) for c in FIXTURE["titles"]])
def test_a_real_window_title_names_its_meeting_or_nothing(case):
    assert case["source"].startswith("https://") and case["state"]
    found = [match.provider_id for match in RULES.match_browser_window(case["title"], case["browser"])]
    assert found == ([case["provider"]] if "provider" in case else []), case["state"]


def test_an_unread_count_is_ignored_only_in_front():
    assert without_unread_count("(2) Meeting | X | Microsoft Teams") == "Meeting | X | Microsoft Teams"
    assert without_unread_count("(99+) Chat | Microsoft Teams") == "Chat | Microsoft Teams"
    assert without_unread_count("(a) Meeting") == "(a) Meeting"
    assert without_unread_count("Meeting (2) | X") == "Meeting (2) | X"
    assert without_unread_count("(2)") == "(2)"


def test_a_desktop_meeting_window_with_an_unread_count_is_still_a_meeting():
    match = RULES.match_app_window("teams", "(3) Meeting compact view | Standup | Microsoft Teams")
    assert match is not None and match.meeting


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c['provider']}:{c['title']}") for c in FIXTURE["app_windows"]])
def test_a_real_app_window_is_told_apart_from_its_meeting_window(case):
    assert case["source"].startswith("https://") and case["state"]
    match = RULES.match_app_window(case["provider"], case["title"])
    assert (match is not None and match.meeting) == case["meeting"], case["state"]
