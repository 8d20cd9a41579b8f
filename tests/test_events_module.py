"""guard.events keeps every name it always had: the event classes, defined in guard.event_kinds (a
running app's), guard.event_kinds_meeting and guard.event_kinds_terms so that a detection pass
defines only the events it makes, are re-exported on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

NAMES = ("Signal", "Evidence", "SeenInMeeting", "MeetingSession", "RunningApp", "Event", "DetectionEvent",
         "AppStarted", "AppStopped", "MeetingStarted", "MeetingEnded", "NotetakerWhere", "NotetakerSeen",
         "AiFeatureNoticed", "ClauseChange", "TermsChanged", "event_to_dict")


def test_every_name_imports_from_guard_events_in_a_fresh_process():
    code = ("import sys\nimport guard.events\n"
            "assert not [m for m in sys.modules if m.startswith('guard.event_kinds')]\n"
            f"from guard.events import {', '.join(NAMES)}\n"
            "from guard import event_kinds, event_kinds_meeting, event_kinds_terms\n"
            f"for name in {NAMES!r}:\n"
            "    value = getattr(guard.events, name)\n"
            "    homes = [m for m in (event_kinds, event_kinds_meeting, event_kinds_terms) if hasattr(m, name)]\n"
            "    assert all(getattr(m, name) is value for m in homes), name\n"
            "print(sorted(set(dir(guard.events)) & set({NAMES!r})) == sorted({NAMES!r}))\n").replace(
        "{NAMES!r}", repr(NAMES))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


def test_each_event_module_loads_with_its_own_events_only():
    """A scan that sees a client running makes AppStarted: the meeting's and the terms watcher's
    classes stay undefined (issue 18: each frozen dataclass costs the scan its compiled methods)."""
    code = ("import sys\n"
            "from guard.events import AppStarted\n"
            "print(sorted(m for m in sys.modules if m.startswith('guard.event_kinds')))\n"
            "from guard.events import MeetingEnded\n"
            "print(sorted(m for m in sys.modules if m.startswith('guard.event_kinds')))\n"
            "from guard.events import TermsChanged\n"
            "print(sorted(m for m in sys.modules if m.startswith('guard.event_kinds')))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "['guard.event_kinds']", "['guard.event_kinds', 'guard.event_kinds_meeting']",
        "['guard.event_kinds', 'guard.event_kinds_meeting', 'guard.event_kinds_terms']"]


def test_an_unknown_name_is_an_attribute_error():
    import guard.events

    with pytest.raises(AttributeError, match="NoSuchEvent"):
        _ = guard.events.NoSuchEvent  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        exec("from guard.events import NoSuchEvent", {})


def test_an_event_from_guard_events_is_the_same_class_and_serialises_as_before():
    from datetime import UTC, datetime

    from guard.events import AppStarted, RunningApp, event_to_dict

    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    app = RunningApp(id="zoom:app:1", provider_id="zoom", started_at=at)
    data = event_to_dict(AppStarted(provider_id="zoom", at=at, app=app))
    assert data["event"] == "app-started" and data["session_id"] == "zoom:app:1" and data["evidence"] == []
    assert AppStarted.__module__ == "guard.event_kinds"

