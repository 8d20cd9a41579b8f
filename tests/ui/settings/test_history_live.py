"""The consent history while the window stays open: a record written by the command line (another
process) shows without reopening the window. Real window, real ledger, the real command line."""

from __future__ import annotations

from guard.ledger import Decision, RecordDraft
from tests.conftest import run_cli
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import wait_idle
from ui.settings.history_model import PROVIDER


def test_a_record_added_on_the_command_line_shows_in_the_open_history(open_window, services, desktop, qtbot):
    with blocking_ok():
        services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
    window = open_window(tab="history")
    wait_idle(qtbot, window)
    history = window.history
    assert history.model.rowCount() == 1

    added = run_cli("consent", "add", "--provider", "teams", "--decision", "refused", "--note", "said on the phone")
    assert added.returncode == 0, added.stderr

    def newest() -> object:
        return history.model.data(history.model.index(0, PROVIDER))

    qtbot.waitUntil(lambda: history.model.rowCount() == 2 and newest() == "Microsoft Teams", timeout=20000)
    qtbot.waitUntil(lambda: history.count_label.text() == "2 records", timeout=20000)

