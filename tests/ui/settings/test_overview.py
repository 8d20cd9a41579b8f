"""Overview tab: a real meeting seen by a real Monitor, AI features that could be on, the
latest terms changes, the ledger's verification and key storage, and reported problems."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import keyring
import pytest
from keyring.backends import fail

from guard.ledger import Decision, RecordDraft
from guard.paths import app_paths
from guard.services import Services
from guard.terms.models import FetchRecord, FetchResult
from tests.detect.world import (
    Processes,
    client_copy,
    close_monitors,
    collect_until,
    has,
    new_monitor,
    provider_toml,
    unique,
    write_catalog,
    x11_window,
)
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import fill_ledger, store_zoom_versions


def plain(window) -> str:  # type: ignore[no-untyped-def]
    return " ".join(window.overview.browser.toPlainText().split())


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()
    close_monitors()


@pytest.mark.desktop
def test_a_real_meeting_in_progress_is_shown_with_its_evidence_and_ai_features(
        open_window, services, processes, tmp_path, desktop, qtbot):
    name = unique("zoom")
    catalog = write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name], meeting_window_titles=["^Zoom Meeting$"]),
    })
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    x11_window(processes, "Zoom Meeting", client.pid, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    monitor = new_monitor(catalog)
    collect_until(monitor, has("meeting-started", "zoom"))
    window = open_window()
    assert "Detection has not reported yet" in plain(window)

    window.set_snapshot(monitor.snapshot())
    text = plain(window)
    assert "1 meeting in progress" in text
    assert "Zoom — “Zoom Meeting” · meeting in progress" in text  # named as the window's catalog names it
    assert f"Window: {name} (pid {client.pid}) shows a meeting window titled 'Zoom Meeting'" in text
    zoom = services.catalog.get("zoom")
    for feature in zoom.ai_features:
        assert feature.name in text
    assert "Zoom — in a meeting now" in text


def test_ledger_status_says_verified_with_count_and_key_storage(open_window, services, qtbot):
    fill_ledger(services.ledger(), services.catalog, services.terms_store, 120)
    window = open_window()
    wait_idle(qtbot, window)
    text = plain(window)
    assert "120 records · verified: every record intact" in text
    with blocking_ok():
        key = services.ledger().key_status().message()
    assert f"Signing key: {key}" in text


def test_a_tampered_ledger_is_shown_as_not_verified(open_window, services, qtbot):
    fill_ledger(services.ledger(), services.catalog, None, 30)
    conn = sqlite3.connect(services.ledger().path, isolation_level=None)
    conn.execute("DROP TRIGGER records_append_only_update")
    conn.execute("UPDATE records SET body = replace(body, '\"decision\":\"', '\"decision\":\"x') WHERE seq = 7")
    conn.close()
    window = open_window()
    wait_idle(qtbot, window)
    text = plain(window)
    assert "NOT verified" in text and "seq 7" in text


def test_latest_terms_change_counts_ai_changes_and_opens_the_comparison(open_window, services, qtbot):
    store_zoom_versions(services.terms_store)
    window = open_window()
    wait_idle(qtbot, window)
    text = plain(window)
    assert "Zoom: Zoom Terms of Service" in text
    assert "1 change to AI or data-use clauses" in text
    window.overview.link_activated.emit("terms", "zoom/terms")
    assert window.current_tab() == "terms"
    wait_idle(qtbot, window)
    assert window.terms.model.relevant_count == 1



def test_unchecked_terms_are_not_said_to_be_unchanged(open_window, services, qtbot):
    """On the first start, and after a check that found the computer offline, the Overview said
    "No watched document has changed since the versions shipped with the app": nothing was known."""
    window = open_window()
    wait_idle(qtbot, window)
    assert "No watched document has changed" not in plain(window)
    assert "changes since the versions shipped with the app are not known. Not checked yet." in plain(window)

    services.terms_store.log_fetch(FetchRecord(datetime.now(UTC), "zoom", "terms", "https://zoom.us/terms",
                                               FetchResult.FAILED, error_kind="offline", message="offline"))
    window.terms_updated()
    wait_idle(qtbot, window)
    assert "not known" in plain(window) and "offline, 1 document not checked." in plain(window)

    services.terms_store.log_fetch(FetchRecord(datetime.now(UTC), "zoom", "terms", "https://zoom.us/terms",
                                               FetchResult.UNCHANGED, 200))
    window.terms_updated()
    wait_idle(qtbot, window)
    assert "No watched document has changed since the versions shipped with the app. Last check" in plain(window)


def test_catalog_and_settings_problems_are_listed(app_home, xdg_config, open_window, qtbot):
    paths = app_paths().ensure()
    (paths.user_catalog_dir).mkdir(parents=True, exist_ok=True)
    (paths.user_catalog_dir / "broken.toml").write_text('id = "broken"\nname = 3\n', encoding="utf-8")
    paths.settings_file.write_text("[detection]\ninterval_seconds = 0.01\n", encoding="utf-8")
    broken = Services(app_paths())
    try:
        window = open_window(broken)
        text = plain(window)
        assert "broken.toml" in text and "The file was skipped" in text
        assert "'detection.interval_seconds' = 0.01 is invalid" in text
    finally:
        with blocking_ok():
            broken.close()


def test_recording_here_reverifies_and_the_count_follows(open_window, services, qtbot):
    window = open_window()
    wait_idle(qtbot, window)
    assert "0 records" in plain(window) or "no records yet" in plain(window)
    with blocking_ok():
        record = services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
    window.ledger_updated()
    wait_idle(qtbot, window)
    assert "1 record · verified" in plain(window)
    window.history.model.row(0)
    wait_idle(qtbot, window)
    assert window.history.model.rowCount() == 1 and window.history.model.record_at(0).id == record.id


def test_the_overview_says_what_tamper_evidence_covers_with_the_keyring(open_window, services, qtbot):
    """Issue 16: the Overview says plainly what verification catches here and what it cannot."""
    fill_ledger(services.ledger(), services.catalog, None, 3)
    window = open_window()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "It cannot catch:" in plain(window), timeout=10000)
    text = plain(window)
    assert "Keyring: " in text and "an older copy of the ledger put back in place (rollback)" in text
    assert "someone who can read your keyring" in text


def test_without_a_keyring_the_overview_says_rollback_and_re_signing_go_unseen(open_window, services, qtbot):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        _overview_without_keyring(open_window, services, qtbot)
    finally:
        keyring.set_keyring(previous)


def _overview_without_keyring(open_window, services, qtbot) -> None:  # type: ignore[no-untyped-def]
    fill_ledger(services.ledger(), services.catalog, None, 3)
    window = open_window()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "It cannot catch:" in plain(window), timeout=10000)
    text = plain(window)
    assert "No keyring: the signing key, the trusted keys and the newest head are kept in files." in text
    assert "put back an older ledger together with an older anchor file" in text
    assert "(rollback)" not in text.split("It cannot catch:")[0], "rollback is not claimed as caught"


def test_decisions_kept_until_the_key_can_be_read_are_said_until_they_are_in_the_ledger(open_window, services, qtbot):
    """A decision kept while the keyring was away is not in the ledger yet: the Overview says so
    (here kept as the door keeps it), and no longer once it is added."""
    import uuid

    from guard.ledger.waiting import WaitingDecisions

    with blocking_ok():
        for decision in (Decision.GIVEN, Decision.REFUSED):
            WaitingDecisions(services.paths.data_dir).keep(str(uuid.uuid4()), RecordDraft(
                provider_id="zoom", decision=decision), "the keyring did not answer within 15 s")
    window = open_window()
    wait_idle(qtbot, window)
    assert "2 decisions are kept on this computer, not yet in the ledger" in plain(window)
    with blocking_ok():
        assert [record.seq for record in services.sign_waiting()] == [1, 2]
    window.ledger_updated()
    wait_idle(qtbot, window)
    text = plain(window)
    assert "2 records · verified" in text and "kept on this computer" not in text


def test_an_empty_ledger_is_not_said_to_have_every_record_intact(open_window, qtbot):
    """A new user's first Overview read "0 records · verified: every record intact"."""
    window = open_window()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "0 records ·" in plain(window), timeout=20000)
    text = plain(window)
    assert "0 records · no records to verify yet" in text
    assert "every record intact" not in text
