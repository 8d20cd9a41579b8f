"""Plain values for the presentation tests: the test catalog, snapshots, events."""

from __future__ import annotations

from datetime import date, datetime, UTC

import pytest

from guard.events import Evidence, MeetingSession, RunningApp, Signal
from guard.monitor import Snapshot
from tests.support.catalogs import MEETING_TITLE, write_catalog_for_tests

AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


@pytest.fixture(scope="session")
def catalog(tmp_path_factory):
    return write_catalog_for_tests(tmp_path_factory.mktemp("catalog"))


def window(pid: int = 42) -> Evidence:
    return Evidence(Signal.WINDOW_TITLE, f"window '{MEETING_TITLE}' of testmeet-bin (pid {pid})", AT, pid)


def process(name: str = "testmeet-bin", pid: int = 42) -> Evidence:
    return Evidence(Signal.PROCESS, f"{name} (pid {pid}) is running", AT, pid)


def session(provider_id: str, meeting_id: str, *evidence: Evidence, title: str | None = None,
            ended: bool = False) -> MeetingSession:
    """A meeting (in progress, or ``ended``)."""
    return MeetingSession(id=meeting_id, provider_id=provider_id, started_at=AT, evidence=evidence, title=title,
                          ended_at=AT if ended else None)


def app(provider_id: str, app_id: str, *evidence: Evidence) -> RunningApp:
    return RunningApp(id=app_id, provider_id=provider_id, started_at=AT, evidence=evidence)


def snapshot(apps=(), meetings=(), paused_until=None, enabled=True, ended=()) -> Snapshot:
    return Snapshot(at=AT, enabled=enabled, paused_until=paused_until, apps=tuple(apps), meetings=tuple(meetings),
                    probes=(), ended=tuple(ended))
