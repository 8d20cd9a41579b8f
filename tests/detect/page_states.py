"""What detection makes of a web meeting app's page (tests/detect/real_pages_web.toml), shared by
tests/detect/test_real_pages_web.py and tests/bench/bench_page_states.py.

A page on a host the browser extension sees goes the way a real tab goes: the host's state file holds the
tab as the extension sends it (its link, title, whether it shows a lobby element the catalog names, and in
Firefox whether it holds the microphone or camera), the extension's probe reads it
(guard/detect/browser_tabs.py) and the session machine says whether a meeting is in progress. The window title
and the browser's microphone and camera are not modelled there (tests/detect/test_lobby_tabs.py and
test_device_titles.py cover them).
A page on a server the extension does not see (a self-hosted one) goes the title's way
(tests/detect/title_states.py): its window title, with the devices where the browser holds them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil

from guard.browser.messages import State, TabInfo
from guard.browser.state import BrowserState, save
from guard.catalog import Catalog
from guard.catalog.notices import normalise
from guard.detect.browser_tabs import BrowserTabs
from guard.detect.matching import DetectionRules
from guard.detect.sessions import SessionState, advance

FIXTURE = Path(__file__).parent / "real_pages_web.toml"
STATES = ("meeting", "lobby", "app")
SUFFIX = {"chrome": " - Google Chrome", "chromium": " - Chromium", "firefox": " \u2014 Mozilla Firefox"}
AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def cases() -> list[dict[str, Any]]:
    return list(tomllib.loads(FIXTURE.read_text(encoding="utf-8"))["cases"])


def split_of(case: dict[str, Any]) -> str:
    """Held-out when the first byte of the SHA-256 of the case's link, title and state is even."""
    key = f"{case['url']}\n{case['title']}\n{case['state']}"
    return "heldout" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "dev"


def extension_sees(catalog: Catalog, url: str) -> bool:
    """Whether the url's host is one of the catalog's meeting hosts (the extension's host permissions)."""
    host = urlsplit(url).hostname or ""
    for provider in catalog:
        for declared in provider.detect.web.hosts:
            bare = declared.removeprefix("*.")
            if host == bare or (declared.startswith("*.") and host.endswith("." + bare)):
                return True
    return False


def lobby_found(catalog: Catalog, case: dict[str, Any]) -> bool:
    """Whether the extension finds the page's lobby: the page shows its lobby element (``lobby_element``) and the
    catalog's ``lobby_selectors`` for the case's provider name it (the content script looks for those only), or
    the page, declaring its language (``page_lang``), shows words (``lobby_text``) the catalog's ``lobby_texts``
    list for that language (compared as the content script does: normalised, an ellipsis after them allowed)."""
    web = [provider.detect.web for provider in catalog if provider.id == case["provider"]]
    if bool(case["lobby_screen"]) and any(case.get("lobby_element") in w.lobby_selectors for w in web):
        return True
    text, language = case.get("lobby_text"), case.get("page_lang")
    if not text or not language:
        return False
    words = normalise(text).rstrip(". \u2026")
    return any(words in {normalise(p) for p in w.lobby_texts.get(language, ())} for w in web)


def _tab_says(rules: DetectionRules, catalog: Catalog, case: dict[str, Any]) -> list[str]:
    """The providers of the meetings the session machine starts from the tab as the extension sends it."""
    tab: dict[str, Any] = {"id": 1, "window": 1, "url": case["url"], "title": case["title"], "active": True,
                           "providers": (case["provider"],), "lobby": lobby_found(catalog, case)}
    if case["browser"] == "firefox":  # only Firefox tells extensions of the page's microphone and camera
        tab["microphone"] = tab["camera"] = case["devices_held"]
    with tempfile.TemporaryDirectory() as folder:
        state = BrowserState(browser="firefox" if case["browser"] == "firefox" else "chromium", browser_pid=None,
                             host_pid=os.getpid(), host_started=psutil.Process().create_time(), connected_at=AT,
                             updated_at=AT)
        state.apply(State(type="state", tabs=(TabInfo.model_validate(tab),)), AT)
        save(Path(folder), state)
        observations = BrowserTabs(Path(folder)).observations(rules, AT)
    sessions, _events = advance(SessionState(), observations, AT)
    return [meeting.provider_id for meeting in sessions.meetings_in_progress]


def outcome(rules: DetectionRules, catalog: Catalog, case: dict[str, Any]) -> tuple[str, str | None]:
    """("meeting", provider) or ("nothing", None) for the case's page."""
    if extension_sees(catalog, case["url"]):
        found = _tab_says(rules, catalog, case)
        return ("meeting", found[0]) if len(found) == 1 else ("nothing", None)
    title = case["title"] + SUFFIX[case["browser"]]
    matches = rules.match_browser_window(title, case["browser"])
    if len(matches) == 1:
        return "meeting", matches[0].provider_id
    if not matches and case["devices_held"]:
        calls = rules.match_device_window(title, case["browser"])
        if len(calls) == 1:
            return "meeting", calls[0]
    return "nothing", None


def right(rules: DetectionRules, catalog: Catalog, case: dict[str, Any]) -> bool:
    said, provider = outcome(rules, catalog, case)
    if case["expected"] == "meeting":
        return said == "meeting" and provider == case.get("provider")
    return said == "nothing"


def figures(rules: DetectionRules, catalog: Catalog, split: str) -> dict[str, int]:
    """Counts for one split: cases, right, meetings found, lobbies and open apps taken for meetings."""
    chosen = [case for case in cases() if case["split"] == split]
    meetings = [case for case in chosen if case["state"] == "meeting"]
    lobbies = [case for case in chosen if case["state"] == "lobby"]
    apps = [case for case in chosen if case["state"] == "app"]
    return {
        "cases": len(chosen),
        "right": sum(right(rules, catalog, case) for case in chosen),
        "meetings": len(meetings),
        "meetings_found": sum(right(rules, catalog, case) for case in meetings),
        "lobbies": len(lobbies),
        "lobbies_taken_for_meetings": sum(not right(rules, catalog, case) for case in lobbies),
        "apps": len(apps),
        "apps_taken_for_meetings": sum(not right(rules, catalog, case) for case in apps),
    }
