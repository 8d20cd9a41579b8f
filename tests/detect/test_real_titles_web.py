"""Web meeting apps' own page titles (tests/detect/real_titles_web.toml), read in their source: a meeting
in progress is found, a lobby and an open app are left alone, except the cases marked as known misses."""

from __future__ import annotations

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules
from tests.detect.title_states import STATES, cases, outcome, right, split_of

RULES = DetectionRules.from_catalog(load_catalog(), "linux")
CATALOG_IDS = {provider.id for provider in load_catalog()}


def _params() -> list:
    params = []
    for case in cases():
        marks = [pytest.mark.xfail(strict=True, reason=case["known_miss"])] if "known_miss" in case else []
        params.append(pytest.param(case, id=f"{case['split']}:{case['state']}:{case['title'][:60]}", marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_a_web_apps_own_title_says_meeting_only_for_a_meeting(case):
    assert case["state"] in STATES and case["expected"] == ("meeting" if case["state"] == "meeting" else "nothing")
    assert case["source"].startswith("https://github.com/") and "/blob/" in case["source"], case["source"]
    assert case["split"] == split_of(case["title"]), "the split is fixed by the title"
    assert case.get("provider") is None or case["provider"] in CATALOG_IDS
    why = f"{case['title']!r} ({case['state']}): {case['how']}; said {outcome(RULES, case)}; source {case['source']}"
    assert right(RULES, case), why


def test_the_set_spans_services_states_and_both_splits():
    found = cases()
    assert {case["split"] for case in found} == {"dev", "heldout"}
    assert {case["state"] for case in found} == set(STATES)
    assert len({case["service"] for case in found}) >= 7
    assert any(case["tells_apart"] for case in found) and any(not case["tells_apart"] for case in found)
