"""The prefilter in front of the link patterns: a link runs only through the patterns of its host,
and still finds every meeting every pattern would find (guard/detect/link_hosts.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from guard.catalog import load_catalog
from guard.detect import matching
from guard.detect.link_hosts import LinkHosts, link_host
from guard.detect.matching import DetectionRules
from guard.patterns import COUNTER
from tests.catalog.pattern_costs import costs
from tests.catalog.peer_corpora import load
from tests.detect.world import provider_toml, write_catalog

ROOT = Path(__file__).resolve().parents[2]


def _links() -> list[str]:
    """Every link and invitation text of the catalog's cases and the peer corpora."""
    texts = [case["text"] for case in load()["texts"]]
    peers = tomllib.loads((ROOT / "tests" / "catalog" / "peers" / "links.toml").read_text(encoding="utf-8"))
    texts += [case["text"] for case in peers.get("texts", ()) if "text" in case]
    for path in sorted((ROOT / "tests" / "catalog" / "cases").glob("*.toml")):
        for cases in tomllib.loads(path.read_text(encoding="utf-8")).values():
            if isinstance(cases, list):
                texts += [case["url"] for case in cases if isinstance(case, dict) and "url" in case]
    return texts


def test_the_prefilter_finds_every_link_every_pattern_finds(monkeypatch):
    catalog = load_catalog()
    links = _links()
    assert len(links) > 700
    gated = DetectionRules.from_catalog(catalog, "linux")
    assert len(gated.url_hosts.gated) > 80, "the shipped patterns come with their hosts"
    found = [gated.match_urls((text,)) for text in links]
    monkeypatch.setattr(matching, "shipped_gates", dict)  # no hosts known: every pattern on every link
    everything = DetectionRules.from_catalog(catalog, "linux")
    assert not everything.url_hosts.gated
    assert found == [everything.match_urls((text,)) for text in links]


def test_a_link_runs_only_through_the_patterns_of_its_host():
    rules = DetectionRules.from_catalog(load_catalog(), "linux")
    before, _chars = COUNTER.snapshot()
    assert rules.match_urls(("https://meet.google.com/abc-defg-hij",)) == [
        ("google-meet", "https://meet.google.com/abc-defg-hij")]
    calls = COUNTER.snapshot()[0] - before
    ungated = sum(1 for _provider, pattern in rules.url_patterns if pattern.source not in rules.url_hosts.gated)
    assert calls <= ungated + 4 < len(rules.url_patterns) // 2  # Meet's own four, not Zoom's, Teams', ...


def test_a_user_catalogs_own_link_pattern_runs_on_every_link(tmp_path):
    """Only shipped patterns come with hosts read from them: one a user writes is never gated out."""
    catalog = write_catalog(tmp_path / "catalog", {"intranet": provider_toml(
        "intranet", "Intranet Meet", url_patterns=[r"^https://meet\.intranet\.example/r/[a-z]+$"],
        extra='hosts = ["meet.intranet.example"]\n')})
    rules = DetectionRules.from_catalog(catalog, "linux")
    assert rules.match_urls(("https://meet.intranet.example/r/weekly",)) == [
        ("intranet", "https://meet.intranet.example/r/weekly")]


@pytest.mark.parametrize(("url", "host"), [
    ("https://Dell.Zoom.us/j/1", "dell.zoom.us"),
    ("https://x.example@zoom.us/j/1", "x.example"),  # the raw form; its canonical form is another candidate
    ("https://zoom.us:443/j/1", "zoom.us"),
    ("https://zoom.us", "zoom.us"),
    ("zoommtg://zoom.us/join?confno=1", None),
    ("http://zoom.us/j/1", None),
])
def test_a_links_host_is_its_run_of_host_characters(url, host):
    assert link_host(url) == host


def test_wildcard_hosts_cover_every_subdomain_and_exact_hosts_only_themselves():
    hosts = LinkHosts()
    hosts.add("zoom", ["zoom.us", "*.zoom.us"])
    hosts.add("meet", ["meet.google.com"])
    assert hosts.keys("us02web.zoom.us") == hosts.keys("a.b.zoom.us") == hosts.keys("zoom.us") == {"zoom"}
    assert hosts.keys("evilzoom.us") == hosts.keys("zoom.us.example") == frozenset()
    assert hosts.keys("x.meet.google.com") == frozenset() and hosts.keys("meet.google.com") == {"meet"}


def test_one_link_costs_the_patterns_of_one_host_family_and_the_budget_has_room():
    """The shipped patterns cost 7,921 in all (session 12), 5,680 of it link patterns every link ran through;
    behind the prefilter one link costs the ungated patterns and its own host's
    (python -m tests.bench.bench_link_cost prints the figures)."""
    figures = costs(load_catalog())
    assert figures["one_link"] < figures["link_patterns"] // 3
    assert figures["budget_measure"] < 2 * 4000 - 2000, "room for two thousand more before the user budget's scale"
