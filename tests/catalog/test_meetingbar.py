"""MeetingBar conformance: every meeting link MeetingBar recognises is a meeting of the right provider here.

The fixture (tests/catalog/meetingbar/links.toml, Apache-2.0 data from leits/MeetingBar by commit) holds
MeetingBar's own test links and concrete links derived from its link patterns. Each is checked three ways:
MeetingBar's pattern accepts it (the fixture is honest), the detection engine names exactly the mapped
provider (as for a link on a command line or in a tab the extension reports), and the browser extension's
generated data (resources/extension/data.js) lets the extension see the tab and report it as a meeting.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules
from guard.paths import resources_dir

FIXTURE_DIR = Path(__file__).parent / "meetingbar"
FIXTURE = tomllib.loads((FIXTURE_DIR / "links.toml").read_text(encoding="utf-8"))
CATALOG = load_catalog()
RULES = DetectionRules.from_catalog(CATALOG, "linux")


def _extension_data() -> dict[str, Any]:
    text = (resources_dir() / "extension" / "data.js").read_text(encoding="utf-8")
    start, end = text.index("Object.freeze(") + len("Object.freeze("), text.rindex(");")
    data: dict[str, Any] = json.loads(text[start:end])
    return data


EXTENSION = _extension_data()


def _links(differs: bool) -> list[Any]:
    return [pytest.param(link, id=f"{link['service']}:{link['url']}")
            for link in FIXTURE["links"] if ("differs" in link) == differs]


def _expected(link: dict[str, Any]) -> str:
    return str(FIXTURE["services"][link["service"]])


def _extension_providers(url: str) -> list[str]:
    """What the extension's ``MPG.meetingProviders(url, "")`` (resources/extension/common.js) returns: providers
    whose host rule covers the link's host and one of whose pattern's fixed pieces all occur in the link."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return []
    host = (parts.hostname or "").lower()
    on_host = [provider for rule in EXTENSION["hosts"]
               if not (rule["scheme"] == "https" and parts.scheme != "https")
               and (host == rule["host"] or (rule["subdomains"] and host.endswith("." + rule["host"])))
               for provider in rule["providers"]]
    pieces = {rule["provider"]: rule["url"] for rule in EXTENSION["meetings"]}
    link = url.lower()
    return [p for p in dict.fromkeys(on_host) if any(all(piece in link for piece in alt) for alt in pieces.get(p, []))]


def test_the_fixture_names_its_source_and_licence():
    provenance = FIXTURE["provenance"]
    assert provenance["repository"] == "leits/MeetingBar" and len(provenance["commit"]) == 40
    assert provenance["licence"] == "Apache-2.0"
    assert "Apache License" in (FIXTURE_DIR / provenance["licence_file"]).read_text(encoding="utf-8")


def test_every_meetingbar_service_is_mapped_to_a_provider_or_excluded_with_a_reason():
    services, excluded = FIXTURE["services"], FIXTURE["excluded"]
    assert not set(services) & set(excluded)
    assert set(FIXTURE["patterns"]) <= set(services) | set(excluded), "a MeetingBar pattern with no decision here"
    unknown = sorted({pid for pid in services.values() if CATALOG.get(pid) is None})
    assert unknown == [], f"fixture names providers the catalog lacks: {unknown}"
    assert all(len(why) > 20 for why in excluded.values())
    for service in services:
        assert any(link["service"] == service for link in FIXTURE["links"]), f"no link for MeetingBar's {service}"


@pytest.mark.parametrize("link", _links(False) + _links(True))
def test_meetingbar_s_own_pattern_accepts_each_fixture_link(link):
    """Derived links are only derived if MeetingBar's pattern (read with Python's re) really accepts them."""
    assert link["origin"] in ("test", "derived")
    assert re.search(FIXTURE["patterns"][link["service"]]["pattern"], link["url"]), link


@pytest.mark.parametrize("link", _links(False))
def test_each_meetingbar_link_is_a_meeting_of_the_mapped_provider(link):
    expected = _expected(link)
    found = [provider for provider, _ in RULES.match_urls((link["url"],))]
    assert found == [expected], f"{link['url']}: detected as {found}, MeetingBar says {link['service']} ({expected})"
    assert CATALOG.get(expected).detect.web.is_meeting_url(link["url"])


def _link_only(url: str) -> bool:
    """The link is on one of the catalog's ``link_only_hosts`` (a short link: no tab shows a meeting there)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == only.removeprefix("*.") or (only.startswith("*.") and host.endswith(only[1:]))
               for provider in CATALOG for only in provider.detect.web.link_only_hosts)


@pytest.mark.parametrize("link", [p for p in _links(False) if urlsplit(p.values[0]["url"]).scheme == "https"])
def test_the_extension_sees_each_meetingbar_meeting_tab(link):
    expected = [] if _link_only(link["url"]) else [_expected(link)]
    assert _extension_providers(link["url"]) == expected, link["url"]


@pytest.mark.parametrize("link", _links(True))
def test_deliberate_differences_from_meetingbar_hold(link):
    """Where this project deliberately disagrees with MeetingBar, the reason is written down and holds."""
    assert len(link["differs"]) > 40
    assert RULES.match_urls((link["url"],)) == []


@pytest.mark.parametrize("url", [pytest.param(n["url"], id=n["url"])
                                 for n in FIXTURE["not_links"] if "differs" not in n])
def test_meetingbar_s_non_meeting_links_are_not_meetings(url):
    """The app decides (the extension only pre-filters tabs by host and fixed pieces of the patterns)."""
    assert RULES.match_urls((url,)) == []


@pytest.mark.parametrize("link", [pytest.param(n, id=n["url"]) for n in FIXTURE["not_links"] if "differs" in n])
def test_links_meetingbar_leaves_out_that_this_project_counts_hold(link):
    """Where this project counts a link MeetingBar's tests call no meeting, the reason is written down and holds."""
    assert len(link["differs"]) > 40
    assert [provider for provider, _url in RULES.match_urls((link["url"],))] == [link["counted"]]
