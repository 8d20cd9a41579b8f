"""Plain values for the presentation tests: the test catalog, snapshots, events."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from guard.events import Evidence, Signal
from guard.monitor import ActiveSession, Snapshot
from tests.support.catalogs import MEETING_TITLE, write_catalog_for_tests

AT = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 3, 2)


@pytest.fixture(scope="session")
def catalog(tmp_path_factory):
    return write_catalog_for_tests(tmp_path_factory.mktemp("catalog"))


def window(pid: int = 42) -> Evidence:
    return Evidence(Signal.WINDOW_TITLE, f"window '{MEETING_TITLE}' of testmeet-bin (pid {pid})", AT, pid)


def process(name: str = "testmeet-bin", pid: int = 42) -> Evidence:
    return Evidence(Signal.PROCESS, f"{name} (pid {pid}) is running", AT, pid)


def session(provider_id: str, name: str, session_id: str, *evidence: Evidence, title: str | None = None) -> ActiveSession:
    return ActiveSession(provider_id=provider_id, provider_name=name, session_id=session_id, started_at=AT,
                         evidence=evidence, title=title)


def snapshot(apps=(), meetings=(), paused_until=None, enabled=True) -> Snapshot:
    return Snapshot(at=AT, enabled=enabled, paused_until=paused_until, apps=tuple(apps), meetings=tuple(meetings),
                    probes=())
