"""Meeting links from more peer projects (tests/catalog/peers/corpora.toml): Itsycal, Calendr, GNOME
Calendar, RingCentral's own widgets, a Raycast extension, and pages that are no meeting.

Only the dev split is asserted here: the held-out third is measured by
``python -m tests.bench.bench_peer_corpora --split heldout``, which prints figures and never which text
failed. A dev text detection reads otherwise on purpose says why (``differs``); one whose service the
catalog lacks says so (``gap``).
"""

from __future__ import annotations

from typing import Any

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules
from tests.catalog.peer_corpora import Score, held_out, load

CORPORA = load()
RULES = DetectionRules.from_catalog(load_catalog(), "linux")


def _dev() -> list[Any]:
    return [pytest.param(case, id=f"{case['source']}:{case['text'][:60]}")
            for case in CORPORA["texts"] if not held_out(case["text"])]


def test_every_text_names_a_recorded_source_and_says_why_it_is_no_meeting():
    for case in CORPORA["texts"]:
        source = CORPORA["sources"][case["source"]]
        assert source["licence"] and source["checked"] and source["commit"], case["source"]
        assert case["origin"] in ("test", "derived", "quoted") and case["where"], case
        if case["origin"] != "derived":
            assert "GPL" not in source["licence"] and "not open source" not in source["licence"], (
                f"{case['source']}: describe its forms, do not copy")
        assert source["batch"] in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10), case["source"]
        if not case["links"]:
            assert case.get("why"), case


def test_the_split_is_a_third_held_out_and_depends_on_the_text_alone():
    texts = [case["text"] for case in CORPORA["texts"]]
    assert len(set(texts)) == len(texts), "a text twice would sit in both splits"
    out = [text for text in texts if held_out(text)]
    assert 0.2 < len(out) / len(texts) < 0.45
    assert held_out("https://zoom.us/j/1") == held_out("https://zoom.us/j/1")


@pytest.mark.parametrize("case", _dev())
def test_dev_text_names_the_peers_provider_and_reports_the_meetings_own_link(case):
    score = Score()
    score.add(case, RULES.match_urls((case["text"],)))
    if case.get("gap"):
        assert score.false_pos == 0, case["where"]  # a service the catalog lacks, never another provider instead
        return
    if case.get("differs"):
        return  # read otherwise on purpose; the reason is in the fixture
    assert not score.failures, score.failures
