"""Web meeting apps' pages (tests/detect/real_pages_web.toml), read in their source: a meeting in progress
is found, a lobby (pre-join screen) and an open app are left alone, except the cases marked as known misses."""

from __future__ import annotations

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules
from tests.detect.page_states import STATES, cases, extension_sees, outcome, right, split_of

CATALOG = load_catalog()
RULES = DetectionRules.from_catalog(CATALOG, "linux")
CATALOG_IDS = {provider.id for provider in CATALOG}


def _params() -> list:
    params = []
    for case in cases():
        marks = [pytest.mark.xfail(strict=True, reason=case["known_miss"])] if "known_miss" in case else []
        params.append(pytest.param(case, id=f"{case['split']}:{case['state']}:{case['browser']}:{case['url'][:60]}",
                                   marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_a_web_apps_page_says_meeting_only_for_a_meeting(case):
    assert case["state"] in STATES and case["expected"] == ("meeting" if case["state"] == "meeting" else "nothing")
    assert case["source"].startswith("https://github.com/") and "/blob/" in case["source"], case["source"]
    assert case["split"] == split_of(case), "the split is fixed by the link, title and state"
    assert case["provider"] in CATALOG_IDS
    assert case["lobby_screen"] == ("lobby_element" in case), "a page showing its lobby element names it"
    why = f"{case['url']} ({case['state']}): {case['how']}; said {outcome(RULES, CATALOG, case)}; {case['source']}"
    assert right(RULES, CATALOG, case), why


def test_the_set_spans_states_splits_and_servers_the_extension_sees_and_does_not():
    found = cases()
    assert {case["split"] for case in found} == {"dev", "heldout"}
    assert {case["state"] for case in found} == set(STATES)
    assert {extension_sees(CATALOG, case["url"]) for case in found} == {True, False}
    assert {case["browser"] for case in found} >= {"chrome", "firefox"}
