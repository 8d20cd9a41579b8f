"""The baselines shipped in resources/terms are real archived texts in the app's own form."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from guard.terms.baseline import load_baselines, shipped_baselines_dir
from tests.terms.support.baselines import canonical
from tests.terms.support.pages import fixture_text

SHIPPED = {("zoom", "terms"): "zoom/tos-2023-08-11.ota.md", ("zoom", "privacy"): "zoom/privacy-2022-12-30.ota.md"}


def test_shipped_baselines_load_without_problems() -> None:
    baselines, problems = load_baselines()
    assert problems == []
    assert set(SHIPPED) <= set(baselines)


@pytest.mark.parametrize(("key", "fixture"), list(SHIPPED.items()))
def test_baseline_is_exactly_the_archived_text(key: tuple[str, str], fixture: str) -> None:
    baselines, _ = load_baselines()
    assert baselines[key].text == canonical(fixture_text(fixture))


@pytest.mark.parametrize("key", list(SHIPPED))
def test_baseline_metadata_is_dated_and_sourced(key: tuple[str, str]) -> None:
    provider, document = key
    meta = json.loads((shipped_baselines_dir() / provider / f"{document}.json").read_text(encoding="utf-8"))
    assert meta["status"] == "shipped baseline"
    assert meta["url"].startswith("https://")
    stated = meta["version_date_basis"].split("'")[-2]  # e.g. Effective Date: August 11, 2023
    assert stated in fixture_text(SHIPPED[key])
    assert str(datetime.strptime(stated.split(": ")[1], "%B %d, %Y").date()) == meta["version_date"]
    assert meta["archive"]["commit"] in meta["obtained_from"]
    assert len(meta["archive"]["commit"]) == 40
