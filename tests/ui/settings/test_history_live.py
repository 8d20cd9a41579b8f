"""The consent history as a user reads it: a record written by the command line (another
process) shows without reopening the window, and a record's terms read as the consent form named
them. Real window, real ledger and terms store, the real command line."""

from __future__ import annotations

from guard.ledger import Decision, RecordDraft
from guard.presentation.i18n import format_date
from tests.conftest import run_cli
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import wait_idle
from ui.settings.history_model import DECISION, PROVIDER


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



def test_record_details_name_the_terms_version_as_the_consent_form_did(open_window, services, desktop, qtbot):
    """The details showed a SHA-256 where the form had said "Terms of Service (version of 11 Aug 2023)"."""
    with blocking_ok():
        record = services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
        form_dates = services.terms_version_dates("zoom")
    terms = record.terms[0]
    assert terms.sha256 in form_dates, "the shipped Zoom terms carry a date"
    window = open_window(tab="history")
    window.show_record(record.id)
    wait_idle(qtbot, window)
    text = window.history.details.toPlainText()
    title = services.document_title("zoom", terms.document_id)
    assert f"{title} (version of {format_date(form_dates[terms.sha256])})" in text
    assert terms.sha256 in text  # still there to copy, on a line of its own
    assert f"SHA-256 {terms.sha256}" not in text


def test_the_decision_column_shows_the_whole_decision_in_french(open_window, services, desktop, qtbot):
    """"Consentement donné" was cut to "Consentement d…" in the French history."""
    from ui.language import apply_language

    apply_language("fr")
    try:
        with blocking_ok():
            services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN))
        window = open_window(tab="history")
        wait_idle(qtbot, window)
        table = window.history.table
        shown = table.model().data(table.model().index(0, DECISION))
        assert shown == "Consentement donné"
        assert table.fontMetrics().horizontalAdvance(shown) + 8 <= table.columnWidth(DECISION)
    finally:
        apply_language("")


def test_the_time_column_shows_the_whole_time_in_french(open_window, services, desktop, qtbot):
    """"1er nov. 2026, 20:30" was cut to "1er nov. 2026, 20:…" in the French history."""
    from datetime import datetime

    from ui.language import apply_language
    from ui.settings.history_model import OCCURRED

    apply_language("fr")
    try:
        with blocking_ok():
            services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN,
                                                 occurred_at=datetime(2026, 11, 1, 20, 30).astimezone()))
        window = open_window(tab="history")
        wait_idle(qtbot, window)
        table = window.history.table
        shown = table.model().data(table.model().index(0, OCCURRED))
        assert shown.startswith("1er nov. 2026")
        assert table.fontMetrics().horizontalAdvance(shown) + 8 <= table.columnWidth(OCCURRED)
    finally:
        apply_language("")
