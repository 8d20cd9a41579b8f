"""The tray menu as data (no Qt): which items, enabled when, with which action ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from guard.monitor import Snapshot
from guard.presentation.actions import (
    CheckTerms,
    OpenSettings,
    PauseMonitoring,
    Quit,
    RecordConsent,
    ResumeMonitoring,
    SetAutostart,
)
from guard.presentation.status import tray_status
from tests.support.catalogs import write_catalog_for_tests
from ui.tray.menu_model import MenuFlags, menu_entries

RECORD, PAUSE, RESUME, CHECK_TERMS, AUTOSTART = (RecordConsent(), PauseMonitoring(), ResumeMonitoring(), CheckTerms(),
                                                 SetAutostart())

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def by_action(entries):
    return {entry.action: entry for entry in entries if entry.action}


def status(tmp_path, paused_until=None):
    catalog = write_catalog_for_tests(tmp_path / "catalog")
    return tray_status(Snapshot(NOW, True, paused_until, (), (), ()), catalog, today=NOW.date())


def test_items_wait_for_the_apps_data_and_quit_never_does(tmp_path):
    entries = by_action(menu_entries(status(tmp_path), MenuFlags(ready=False)))
    assert not entries[RECORD].enabled and not entries[PAUSE].enabled and not entries[CHECK_TERMS].enabled
    assert entries[Quit()].enabled and entries[OpenSettings()].enabled


def test_paused_offers_resume_with_the_time_it_ends(tmp_path):
    until = NOW + timedelta(hours=1)
    entries = by_action(menu_entries(status(tmp_path, until)))
    assert PAUSE not in entries
    assert entries[RESUME].text == f"Resume &monitoring (paused until {until.astimezone().strftime('%H:%M')})"


def test_a_running_check_and_the_autostart_state_show(tmp_path):
    entries = by_action(menu_entries(status(tmp_path), MenuFlags(checking_terms=True, autostart=True)))
    assert entries[CHECK_TERMS].text == "Checking terms…" and not entries[CHECK_TERMS].enabled
    assert entries[AUTOSTART].checkable and entries[AUTOSTART].checked
    unknown = by_action(menu_entries(status(tmp_path), MenuFlags(autostart=None)))
    assert not unknown[AUTOSTART].enabled


def test_ampersands_in_catalog_text_are_literal(tmp_path):
    from ui.tray.menu_model import esc, info

    assert esc("Q&A") == "Q&&A" and info("Q&A").text == "Q&&A"
