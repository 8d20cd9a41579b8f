"""Every provider's detection data against real-world strings (tests/catalog/cases/<id>.toml).

Each case runs with Python's ``re`` and with RE2, the linear-time engine detection uses, so a
pattern that only one of them reads the same way fails here rather than in a meeting.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import re2

from guard.catalog import load_catalog
from guard.catalog.models import Provider

CASES_DIR = Path(__file__).parent / "cases"
CATALOG = load_catalog()


def _load_cases() -> dict[str, dict[str, Any]]:
    return {path.stem: tomllib.loads(path.read_text(encoding="utf-8")) for path in sorted(CASES_DIR.glob("*.toml"))}


CASES = _load_cases()


def _case_id(provider_id: str, case: dict[str, Any]) -> str:
    return f"{provider_id}:{case.get('url') or case.get('title') or case.get('name')}"


def _params(kind: str) -> list[Any]:
    return [pytest.param(provider_id, case, id=_case_id(provider_id, case))
            for provider_id, data in CASES.items() for case in data.get(kind, [])]


def _search(patterns: tuple[str, ...], text: str) -> tuple[bool, bool]:
    """(any match with re, any match with RE2)."""
    return (any(re.search(p, text) for p in patterns), any(re2.search(p, text) for p in patterns))


def _provider(provider_id: str) -> Provider:
    provider = CATALOG.get(provider_id)
    assert provider is not None, f"tests/catalog/cases/{provider_id}.toml names no shipped provider"
    return provider


def _check_case(case: dict[str, Any], positive_key: str) -> bool:
    positive = case[positive_key]
    assert isinstance(positive, bool), case
    if positive:
        assert str(case.get("source", "")).startswith("https://"), f"positive case without an https source: {case}"
    else:
        assert case.get("why"), f"negative case without a why: {case}"
    return positive


@pytest.mark.parametrize(("provider_id", "case"), _params("links"))
def test_links(provider_id: str, case: dict[str, Any]) -> None:
    provider = _provider(provider_id)
    meeting = _check_case(case, "meeting")
    web = provider.detect.web
    by_re, by_re2 = _search((*web.url_patterns, *web.any_host_url_patterns), case["url"])
    excluded_re, excluded_re2 = _search(web.url_excludes, case["url"])
    assert excluded_re == excluded_re2, f"{case['url']}: url_excludes differ between re and RE2"
    assert web.is_meeting_url(case["url"]) == (by_re2 and not excluded_re2) == meeting, \
        f"{case['url']}: re={by_re} re2={by_re2} excluded={excluded_re2}, expected {meeting}"


@pytest.mark.parametrize(("provider_id", "case"), [p for p in _params("links") if p.values[1]["meeting"]])
def test_a_meeting_link_belongs_to_one_provider_only(provider_id: str, case: dict[str, Any]) -> None:
    others = [p.id for p in CATALOG if p.id != provider_id and p.detect.web.is_meeting_url(case["url"])]
    assert others == [], f"{case['url']} also matches {others}"


@pytest.mark.parametrize(("provider_id", "case"), [p for p in _params("links") if p.values[1]["meeting"]])
def test_a_meeting_page_is_on_a_listed_host(provider_id: str, case: dict[str, Any]) -> None:
    """The extension's host permissions come from ``web.hosts``: every meeting page must be on one (or on a
    ``link_only_hosts`` host: a short link found in text, which leads on to a meeting page)."""
    parts = urlsplit(case["url"])
    if parts.scheme not in ("http", "https"):
        return  # app links (zoommtg:, msteams:) never open in a tab
    host = (parts.hostname or "").lower()
    web = _provider(provider_id).detect.web
    if not any(re2.search(p, case["url"]) for p in web.url_patterns):
        assert any(re2.search(p, case["url"]) for p in web.any_host_url_patterns)
        return  # a server of its operator's own: the extension cannot see it (web.any_host_url_patterns)
    hosts = (*web.hosts, *web.link_only_hosts)
    assert any(host == h or (h.startswith("*.") and (host == h[2:] or host.endswith(h[1:]))) for h in hosts), \
        f"{host} is not in {provider_id}'s web.hosts {hosts}"


@pytest.mark.parametrize(("provider_id", "case"), _params("titles"))
def test_titles(provider_id: str, case: dict[str, Any]) -> None:
    detect = _provider(provider_id).detect
    meeting = _check_case(case, "meeting")
    where = case["where"]
    if where == "web-device":  # a call window counted only while its browser holds the microphone or camera
        patterns = detect.web.device_window_titles
    else:
        patterns = detect.web.meeting_window_titles if where == "web" else detect.for_os(where).meeting_window_titles
    by_re, by_re2 = _search(patterns, case["title"])
    assert by_re == by_re2 == meeting, f"{case['title']!r}: re={by_re} re2={by_re2}, expected {meeting}"


@pytest.mark.parametrize(("provider_id", "case"), _params("participants"))
def test_participants(provider_id: str, case: dict[str, Any]) -> None:
    detect = _provider(provider_id).detect
    bot = _check_case(case, "bot")
    by_re, by_re2 = _search(detect.participant_names, case["name"])
    assert by_re == by_re2 == bot, f"{case['name']!r}: re={by_re} re2={by_re2}, expected {bot}"


@pytest.mark.parametrize("provider_id", sorted(p.id for p in CATALOG if p.detect.web.url_patterns))
def test_every_provider_with_web_meetings_has_positive_and_negative_links(provider_id: str) -> None:
    links = CASES.get(provider_id, {}).get("links", [])
    assert any(c["meeting"] for c in links), f"tests/catalog/cases/{provider_id}.toml: no meeting link"
    assert any(not c["meeting"] for c in links), f"tests/catalog/cases/{provider_id}.toml: no non-meeting link"


@pytest.mark.parametrize("provider_id", sorted(p.id for p in CATALOG if p.detect.participant_names))
def test_every_provider_with_bot_names_has_bot_and_person_cases(provider_id: str) -> None:
    people = CASES.get(provider_id, {}).get("participants", [])
    assert any(c["bot"] for c in people) and any(not c["bot"] for c in people), provider_id


def test_case_files_only_use_known_sections() -> None:
    for provider_id, data in CASES.items():
        assert set(data) <= {"links", "titles", "participants"}, f"{provider_id}.toml: {set(data)}"


def _has_title_patterns(provider: Provider) -> bool:
    detect = provider.detect
    return bool(detect.web.meeting_window_titles or detect.web.device_window_titles) or any(
        detect.for_os(os_name).meeting_window_titles for os_name in ("linux", "windows", "macos"))  # type: ignore[arg-type]


@pytest.mark.parametrize("provider_id", sorted(p.id for p in CATALOG if _has_title_patterns(p)))
def test_every_provider_with_title_patterns_has_meeting_and_other_titles(provider_id: str) -> None:
    titles = CASES.get(provider_id, {}).get("titles", [])
    assert any(c["meeting"] for c in titles) and any(not c["meeting"] for c in titles), provider_id
