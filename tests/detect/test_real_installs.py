"""Process names of real installations (tests/detect/real_installs.toml) through the detection rules.

Each name is what a packaging manifest (nixpkgs, Flathub, Scoop, a Homebrew cask) installs, read by
commit: the rules for that OS must name the provider it belongs to, and nothing for a program that only
shares a word with one (Sysinternals' ZoomIt).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules

FIXTURE = tomllib.loads((Path(__file__).parent / "real_installs.toml").read_text(encoding="utf-8"))
CATALOG = load_catalog()
RULES = {os_name: DetectionRules.from_catalog(CATALOG, os_name) for os_name in ("linux", "windows", "macos")}


def _cases() -> list[Any]:
    return [pytest.param(case, id=f"{case['os']}:{case['process']}") for case in FIXTURE["installs"]]


@pytest.mark.parametrize("case", _cases())
def test_an_installed_program_is_recognised_as_its_provider_or_as_nothing(case):
    assert case["source"].startswith("https://github.com/") and "/blob/" in case["source"] and case["path"]
    matches = RULES[case["os"]].match_process(case["process"])
    assert [m.provider_id for m in matches] == ([case["provider"]] if "provider" in case else []), case["path"]
    assert all(m.meeting_only == case.get("meeting_only", False) for m in matches), case["path"]


def test_the_fixture_covers_every_os_and_a_look_alike():
    assert {case["os"] for case in FIXTURE["installs"]} == {"linux", "windows", "macos"}
    assert any("provider" not in case for case in FIXTURE["installs"])
