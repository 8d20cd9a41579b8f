"""What detection makes of a web meeting app's page title (tests/detect/real_titles_web.toml), shared by
tests/detect/test_real_titles_web.py and tests/bench/bench_title_states.py.

A browser window's title goes through the path a real window takes: the browser's suffix and an unread
count cut off, the catalog's tab-title patterns, and, where the case says the browser holds the microphone
or camera, the call-window titles of self-hosted services (guard/detect/device_titles.py). The browser
extension is not modelled: these services run on hosts it does not see.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from guard.detect.matching import DetectionRules

FIXTURE = Path(__file__).parent / "real_titles_web.toml"
STATES = ("meeting", "lobby", "app")


def cases() -> list[dict[str, Any]]:
    return list(tomllib.loads(FIXTURE.read_text(encoding="utf-8"))["cases"])


def split_of(title: str) -> str:
    """The case's split, fixed by its title alone: held-out when the first byte of its SHA-256 is even."""
    return "heldout" if hashlib.sha256(title.encode("utf-8")).digest()[0] % 2 == 0 else "dev"


def outcome(rules: DetectionRules, case: dict[str, Any]) -> tuple[str, str | None]:
    """("meeting", provider) or ("nothing", None) for the case's window."""
    found = rules.match_browser_window(case["title"], case["browser"])
    if len(found) == 1:
        return "meeting", found[0].provider_id
    if not found and case["devices_held"]:
        calls = rules.match_device_window(case["title"], case["browser"])
        if len(calls) == 1:
            return "meeting", calls[0]
    return "nothing", None


def right(rules: DetectionRules, case: dict[str, Any]) -> bool:
    """Whether detection says what the case's state calls for (a meeting of its provider, or nothing)."""
    said, provider = outcome(rules, case)
    if case["expected"] == "meeting":
        return said == "meeting" and provider == case.get("provider")
    return said == "nothing"


def figures(rules: DetectionRules, split: str) -> dict[str, int]:
    """Counts for one split: cases, right, meetings found and missed, other states taken for meetings, and
    the meetings whose title tells them apart that were found."""
    chosen = [case for case in cases() if case["split"] == split]
    meetings = [case for case in chosen if case["state"] == "meeting"]
    others = [case for case in chosen if case["state"] != "meeting"]
    telling = [case for case in meetings if case["tells_apart"]]
    return {
        "cases": len(chosen),
        "right": sum(right(rules, case) for case in chosen),
        "meetings": len(meetings),
        "meetings_found": sum(right(rules, case) for case in meetings),
        "others": len(others),
        "others_taken_for_meetings": sum(not right(rules, case) for case in others),
        "meetings_with_their_own_title": len(telling),
        "of_those_found": sum(right(rules, case) for case in telling),
    }
