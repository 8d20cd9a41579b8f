"""Meeting links as other open-source calendar tools find them (tests/catalog/peers/links.toml).

Real invitations carry links wrapped and decorated: Outlook Safe Links, Google's redirect, HTML
escapes, a sentence's punctuation, angle brackets. Whatever the wrapping, detection must name the
provider and report the meeting link itself, never the wrapper (whose ``data=`` holds the
recipient's address). Each case is from a peer's test or derived from its code, with provenance.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import re2

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules

FIXTURE = tomllib.loads((Path(__file__).parent / "peers" / "links.toml").read_text(encoding="utf-8"))
RULES = DetectionRules.from_catalog(load_catalog(), "linux")


def _cases() -> list[Any]:
    return [pytest.param(case, id=f"{case['source']}:{case['text'][:60]}") for case in FIXTURE["texts"]]


def test_every_case_names_a_recorded_source_and_says_why_when_it_finds_nothing():
    for case in FIXTURE["texts"]:
        source = FIXTURE["sources"][case["source"]]
        assert source["licence"] and source["checked"], case["source"]
        assert case["origin"] in ("test", "derived", "quoted") and case["where"], case
        if case["origin"] in ("test", "quoted"):
            assert "GPL" not in source["licence"], f"{case['source']} is GPL: describe its forms, do not copy"
        if not case["links"]:
            assert case.get("why") or case.get("differs"), case


@pytest.mark.parametrize("case", _cases())
def test_the_meeting_link_is_found_under_its_wrapping(case):
    found = sorted(tuple(pair) for pair in RULES.match_urls((case["text"],)))
    assert found == sorted(tuple(pair) for pair in case["links"]), case["where"]


@pytest.mark.parametrize("case", [p for p in _cases() if p.values[0]["links"]])
def test_no_wrapper_is_reported_as_the_meeting_link(case):
    for _provider, url in RULES.match_urls((case["text"],)):
        assert "safelinks" not in url and "google.com/url" not in url and "&amp;" not in url and "l.php" not in url


def _on_any_host(provider_id: str, url: str) -> bool:
    """A link only ``any_host_url_patterns`` match: a server of its operator's own, which the extension has
    no access to (it asks for none on any host)."""
    web = load_catalog().providers[provider_id].detect.web
    return not any(re2.search(pattern, url) for pattern in web.url_patterns)


def _positive_tab_links() -> list[Any]:
    cases = []
    for path in sorted((Path(__file__).parent / "cases").glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get("links", []):
            if case["meeting"] and case["url"].startswith("https://") and not _on_any_host(path.stem, case["url"]):
                cases.append(pytest.param(path.stem, case["url"], id=f"{path.stem}:{case['url'][:80]}"))
    return cases


@pytest.mark.parametrize(("provider_id", "url"), _positive_tab_links())
def test_the_extension_reports_every_meeting_tab_of_the_cases(provider_id, url):
    """The extension pre-filters tabs by host and the patterns' fixed pieces (resources/extension/data.js):
    a meeting page it drops never reaches detection, whatever the catalog's patterns say. A short link on a
    ``link_only_hosts`` host (g.co/meet/...) is no tab's page: the extension has no access to it."""
    from tests.catalog.test_meetingbar import _extension_providers, _link_only

    if _link_only(url):
        assert provider_id not in _extension_providers(url)
    else:
        assert provider_id in _extension_providers(url)
