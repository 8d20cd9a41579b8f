"""Window and tab titles in the languages people use (tests/detect/real_titles_l10n.toml).

Every case goes through the path its window takes (a browser window's suffix and unread count cut off,
or a provider's own app window) against the shipped catalog; a couple of localised titles are then
shown on real X11 windows to the monitor.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from guard.catalog import load_catalog
from guard.detect.matching import DetectionRules
from tests.detect.world import client_copy, collect_until, has, new_monitor, of_kind, provider_toml, unique, \
    write_catalog, x11_window

FIXTURE = tomllib.loads((Path(__file__).parent / "real_titles_l10n.toml").read_text(encoding="utf-8"))
CATALOG = load_catalog()
RULES = DetectionRules.from_catalog(CATALOG, "linux")
EXPECTED = {"meeting", "app", "nothing"}


def outcome(case: dict[str, str]) -> tuple[str, str | None]:
    """What detection makes of the case's window: ("meeting" | "app" | "nothing", provider)."""
    if "app" in case:
        match = RULES.match_app_window(case["app"], case["title"])
        if match is None:
            return "nothing", None
        return ("meeting" if match.meeting else "app"), match.provider_id
    found = RULES.match_browser_window(case["title"], case["browser"])
    if not found and case.get("devices_held"):  # a self-hosted call window counts while the browser holds the mic
        calls = RULES.match_device_window(case["title"], case["browser"])
        return ("meeting", calls[0]) if len(calls) == 1 else ("nothing", None)
    return ("meeting", found[0].provider_id) if len(found) == 1 else ("nothing", None)


def _params() -> list:
    params = []
    for case in FIXTURE["cases"]:
        marks = [pytest.mark.xfail(strict=True, reason=case["known_miss"])] if "known_miss" in case else []
        params.append(pytest.param(case, id=f"{case['split']}:{case['language']}:{case['title'][:60]}", marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_a_localised_title_names_its_meeting_app_or_nothing(case):
    assert case["expected"] in EXPECTED and case["split"] in {"dev", "heldout"} and case["state"]
    assert case["source"].startswith("https://github.com/") and "/blob/" in case["source"], case["source"]
    assert ("app" in case) != ("browser" in case), "a case is either a browser window or an app window"
    want = (case["expected"], case.get("provider")) if case["expected"] != "nothing" else ("nothing", None)
    why = f"{case['title']!r} ({case['language']}): {case['state']}; source {case['source']}"
    assert outcome(case) == want, why
    if "private" in case:
        assert RULES.private_browser_window(case["title"], case["browser"]) is case["private"], why


def test_the_set_spans_languages_apps_and_both_splits():
    cases = FIXTURE["cases"]
    assert {c["split"] for c in cases} == {"dev", "heldout"}
    assert len({c["language"] for c in cases}) >= 8
    assert {c.get("provider") for c in cases} >= {"teams", "jitsi-meet", "mattermost", "google-meet"}
    assert any(c.get("private") for c in cases) and any(c.get("private") is False for c in cases)
    assert any(c["expected"] == "nothing" for c in cases) and any("app" in c for c in cases)


def _shipped_titles(provider_id: str) -> list[str]:
    (provider,) = [p for p in CATALOG if p.id == provider_id]
    return list(provider.detect.for_os("linux").meeting_window_titles)


@pytest.mark.desktop
@pytest.mark.parametrize(("provider_id", "title"), [
    ("teams", "(2) 회의 | 주간 회의 | Microsoft Teams"),
    ("teams", "Вызов Иван Петров | Microsoft Teams"),
    ("mattermost", "Calls Widget"),
])
def test_a_real_window_with_a_localised_meeting_title_starts_a_meeting(tmp_path, processes, desktop, provider_id,
                                                                       title):
    name = unique(provider_id)  # the shipped title patterns, under a process name no other test uses
    catalog = write_catalog(tmp_path / "catalog", {
        provider_id: provider_toml(provider_id, provider_id, processes=[name],
                                   meeting_window_titles=_shipped_titles(provider_id)),
    })
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    x11_window(processes, title, client.pid, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    events = collect_until(new_monitor(catalog), has("meeting-started", provider_id))
    (meeting,) = of_kind(events, "meeting-started", provider_id)
    assert meeting.event.meeting_title == title


@pytest.mark.desktop
def test_a_real_chat_window_in_polish_is_no_meeting(tmp_path, processes, desktop):
    name = unique("teams")
    catalog = write_catalog(tmp_path / "catalog", {
        "teams": provider_toml("teams", "teams", processes=[name], meeting_window_titles=_shipped_titles("teams")),
    })
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    x11_window(processes, "(4) Czat | 🔒 GitHub Secure | Microsoft Teams", client.pid, env=desktop.child_env(),
               ready_file=tmp_path / "mapped")
    events = collect_until(new_monitor(catalog), lambda _events: False, timeout=1.5)
    assert of_kind(events, "app-started", "teams") and of_kind(events, "meeting-started") == []
