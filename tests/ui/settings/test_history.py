"""Consent history tab: the lazy table over a real ledger, filters, sorting, details, the
chart, adding a record by hand and withdrawing a consent. The tab reads and writes on the job
runner, so each step waits for its answers (``wait_idle``) before looking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication

from guard.ledger import Decision, Order, RecordDraft
from guard.presentation.records import decision_label
from tests.support.faults import FailsOnceAfterLanding
from tests.ui.conftest import blocking_ok
from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import fill_ledger
from ui.settings.history_model import DECISION, OCCURRED, PAGE, PROVIDER, SEQ
from ui.settings.record_dialog import RecordDialog
from ui.settings.withdraw_dialog import LetterDialog, WithdrawDialog


@pytest.fixture
def records(services):
    return fill_ledger(services.ledger(), services.catalog, services.terms_store, 600, withdrawals=5)


def load_all(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Ask for every page (as scrolling through would) and wait until they arrived."""
    wait_idle(qtbot, window)
    model = window.history.model
    for row in range(0, model.rowCount(), PAGE):
        model.row(row)
    wait_idle(qtbot, window)


def column(window, col: int, rows: int | None = None, qtbot=None) -> list[str]:  # type: ignore[no-untyped-def]
    load_all(qtbot, window)
    model = window.history.model
    count = model.rowCount() if rows is None else min(rows, model.rowCount())
    return [model.data(model.index(row, col)) for row in range(count)]


def test_table_lists_every_record_newest_first(open_window, records, qtbot):
    window = open_window(tab="history")
    load_all(qtbot, window)
    model = window.history.model
    assert model.rowCount() == len(records) == 605
    expected = sorted(records, key=lambda r: (r.occurred_at, r.seq), reverse=True)
    shown = [model.record_at(row).id for row in range(model.rowCount())]
    assert shown == [r.id for r in expected]
    assert window.history.count_label.text() == "605 records"


def shown_ids(history, qtbot) -> set[str]:  # type: ignore[no-untyped-def]
    load_all(qtbot, history.window())
    return {history.model.record_at(row).id for row in range(history.model.rowCount())}


def test_filters_by_provider_decision_dates_and_text(open_window, records, qtbot):
    window = open_window(tab="history")
    history = window.history
    history.provider.setCurrentIndex(history.provider.findData("zoom"))
    history.decision.setCurrentIndex(history.decision.findData("refused"))
    first = min(r.occurred_at for r in records).astimezone().date() + timedelta(days=30)
    last = first + timedelta(days=240)
    history.date_from.setDate(QDate(first))
    history.date_to.setDate(QDate(last))
    history.use_from.setChecked(True)
    history.use_to.setChecked(True)

    def wanted(r) -> bool:
        day = r.occurred_at.astimezone().date()
        return r.provider_id == "zoom" and r.decision == Decision.REFUSED and first <= day <= last

    expected = {r.id for r in records if wanted(r)}
    assert expected and len(expected) < len(records) / 10
    assert shown_ids(history, qtbot) == expected
    assert history.count_label.text() == f"{len(expected)} records match"

    history.clear_filters()
    wait_idle(qtbot, window)
    assert history.model.rowCount() == len(records)
    qtbot.keyClicks(history.search, "SYNC")  # meeting titles and notes, any case, after a short pause
    qtbot.waitUntil(lambda: history.model.filter.text == "SYNC")
    expected = {r.id for r in records if "sync" in f"{r.meeting.title} {r.note}".lower()}
    assert expected and shown_ids(history, qtbot) == expected


def test_sorting_by_provider_decision_and_recording_order(open_window, records, qtbot):
    window = open_window(tab="history")
    table = window.history.table
    by_seq = sorted(records, key=lambda r: r.seq)

    table.sortByColumn(PROVIDER, Qt.SortOrder.AscendingOrder)
    assert window.history.model.order == Order.PROVIDER
    expected = sorted(records, key=lambda r: (r.provider_id, r.occurred_at, r.seq))
    load_all(qtbot, window)
    assert [window.history.model.record_at(i).id for i in range(len(records))] == [r.id for r in expected]

    table.sortByColumn(DECISION, Qt.SortOrder.DescendingOrder)
    expected = sorted(records, key=lambda r: (str(r.decision), r.occurred_at, r.seq), reverse=True)
    assert column(window, DECISION, qtbot=qtbot) == [decision_label(r.decision) for r in expected]

    table.sortByColumn(SEQ, Qt.SortOrder.AscendingOrder)
    assert column(window, SEQ, qtbot=qtbot) == [str(r.seq) for r in by_seq]

    table.sortByColumn(OCCURRED, Qt.SortOrder.AscendingOrder)
    load_all(qtbot, window)
    assert window.history.model.record_at(0).id == min(records, key=lambda r: (r.occurred_at, r.seq)).id


def test_an_unsortable_column_keeps_the_current_order(open_window, records, qtbot):
    window = open_window(tab="history")
    before = window.history.model.order
    window.history.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # Meeting
    assert window.history.model.order == before
    assert window.history.table.horizontalHeader().sortIndicatorSection() == OCCURRED


def test_model_reads_only_the_pages_it_shows(services, open_window, qtbot):
    records = fill_ledger(services.ledger(), services.catalog, None, 5000, seed=3)
    window = open_window(tab="history")
    model = window.history.model
    wait_idle(qtbot, window)
    assert model.rowCount() == 5000
    assert model.pages_read <= 2  # the rows on screen, not 25 pages
    expected = sorted(records, key=lambda r: (r.occurred_at, r.seq), reverse=True)
    window.history.table.scrollToBottom()
    wait_idle(qtbot, window)
    assert model.record_at(4999).id == expected[4999].id  # read from the end, in reverse
    model.row(2 * PAGE + 7)
    wait_idle(qtbot, window)
    assert model.record_at(2 * PAGE + 7).id == expected[2 * PAGE + 7].id
    assert model.pages_read <= 5


def test_details_show_every_field_and_the_chain_position(open_window, records, qtbot):
    window = open_window(tab="history")
    history = window.history
    target = next(r for r in records if r.evidence and r.terms and r.note)
    history.show_record(target.id)
    wait_idle(qtbot, window)
    text = history.details.toPlainText()
    for expected in (f"Record {target.seq}", target.id, target.hash, target.prev_hash, target.signature,
                     target.meeting.title, target.note, target.terms[0].sha256, target.evidence[0].detail,
                     f"record {target.seq}", decision_label(target.decision)):
        assert expected in text, expected
    assert history.table.currentIndex().row() >= 0
    assert history.model.record_at(history.table.currentIndex().row()).id == target.id


def test_timeline_counts_decisions_per_month_and_a_bar_filters_the_table(open_window, records, qtbot):
    window = open_window(tab="history")
    wait_idle(qtbot, window)
    chart = window.history.chart
    assert chart.timeline.total == len(records)
    months = {r.occurred_at.astimezone().strftime("%Y-%m") for r in records}
    assert chart.timeline.period == "month" and len(chart.timeline.bars) >= len(months)
    busiest = max(range(len(chart.timeline.bars)), key=lambda i: chart.timeline.bars[i].total)
    bar = chart.timeline.bars[busiest]
    chart.setFocus()
    for _ in range(busiest + 1):  # the first Right picks the first bar
        qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.selected == busiest
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    in_month = [r for r in records if r.occurred_at.astimezone().strftime("%Y-%m") == bar.label]
    assert window.history.model.rowCount() == len(in_month) == bar.total
    assert window.history.use_from.isChecked() and window.history.use_to.isChecked()


def test_an_empty_ledger_says_how_a_record_gets_there_and_a_filter_that_none_match(open_window, qtbot):
    """A first start's empty chart said "in this selection", as if a filter hid something; it says how a
    decision gets recorded. A filter that matches nothing still says so."""
    window = open_window(tab="history")
    wait_idle(qtbot, window)
    assert window.history.chart.message.startswith("No decisions recorded yet.")
    assert "Add record…" in window.history.chart.message
    window.history.search.setText("no meeting is called this")
    window.history.apply_filter()
    wait_idle(qtbot, window)
    assert window.history.chart.message == "No decisions recorded in this selection."


def drive_dialog(qtbot, kind, fill) -> None:  # type: ignore[no-untyped-def]
    """When the dialog of type ``kind`` opens (modal), run ``fill(dialog)`` on it."""

    def poll() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        fill(dialog)

    QTimer.singleShot(20, poll)



def test_an_objection_or_access_letter_is_written_about_the_chosen_record(open_window, services, qtbot):
    """The command line writes an objection (GDPR Art. 21) and an access request (Art. 15) about a
    record; the window offered only the withdrawal letter, and only for a consent in force, so a
    user who had refused had no letter to send."""
    with blocking_ok():
        refused = services.record_decision(RecordDraft(provider_id="zoom", feature_id="meeting-summary",
                                                       decision=Decision.REFUSED))
    window = open_window(tab="history")
    history = window.history
    assert not history.letter_button.isEnabled()  # no record chosen yet
    history.show_record(refused.id)
    wait_idle(qtbot, window)
    assert history.letter_button.isEnabled() and not history.withdraw_button.isEnabled()

    for action, article in ((history.objection_action, "Article 21(1)"), (history.access_action, "Article 15")):
        action.trigger()
        qtbot.waitUntil(lambda: history.letter_dialog is not None and history.letter_dialog.isVisible(),
                        timeout=20000)
        dialog = history.letter_dialog
        assert dialog is not None
        text = dialog.text.toPlainText()
        assert article in text and refused.id in text and "privacy@zoom.us" in text
        assert dialog.fill_in.text().startswith("Fill in before sending: ")
        assert dialog.language_note.text().startswith("Written in English, the app's language. For another "
                                                       "language, choose it under Preferences")
        dialog.accept()
        history.letter_dialog = None

def test_a_record_added_by_hand_is_stored_with_the_terms_in_force(open_window, services, qtbot):
    window = open_window(tab="history")

    def fill(dialog: RecordDialog) -> None:
        dialog.provider.setCurrentIndex(dialog.provider.findData("zoom"))
        dialog.feature.setCurrentIndex(dialog.feature.findData("meeting-summary"))
        dialog.decision.setCurrentIndex(dialog.decision.findData("refused"))
        qtbot.keyClicks(dialog.title, "Budget review")
        qtbot.keyClicks(dialog.purposes, "meeting summary, action items")
        dialog.requested_by.setCurrentIndex(dialog.requested_by.findData("host"))
        qtbot.waitUntil(lambda: "Zoom Terms of Service (version of " in dialog.terms.text(), timeout=10000)
        shown.append(dialog.terms.text())  # the version a person can tell: its date, not a hash prefix
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    shown: list[str] = []
    drive_dialog(qtbot, RecordDialog, fill)
    with qtbot.waitSignal(window.consent_recorded) as signal:
        qtbot.mouseClick(window.history.add_button, Qt.MouseButton.LeftButton)
    record = signal.args[0]
    with blocking_ok():
        stored = services.ledger().get(record.id)
        in_force = services.terms_in_force("zoom")
    assert (stored.provider_id, stored.feature_id, stored.decision) == ("zoom", "meeting-summary", Decision.REFUSED)
    assert stored.meeting.title == "Budget review"
    assert stored.purposes == ("meeting summary", "action items")
    assert stored.terms and stored.terms == in_force
    assert shown and in_force[0].sha256[:12] not in shown[0]
    assert shown[0].endswith("Known only as shipped with the app (no check has compared them with the provider's "
                             "pages yet, so newer versions may be in force): Zoom Terms of Service; Zoom Privacy "
                             "Statement.")  # the 2023 baseline is all this computer has: "in force" with that caveat
    wait_idle(qtbot, window)
    assert window.history.model.rowCount() == 1
    assert "Budget review" in window.history.details.toPlainText()


def test_withdrawal_adds_a_record_linked_to_the_consent(open_window, services, records, qtbot):
    window = open_window(tab="history")
    history = window.history
    with blocking_ok():
        given = next(r for r in reversed(records) if r.decision == Decision.GIVEN
                     and services.ledger().effective_status(r).decision == Decision.GIVEN)
    history.show_record(given.id)
    wait_idle(qtbot, window)
    assert history.withdraw_button.isEnabled()

    letters: list[LetterDialog] = []

    def read_letter(dialog: LetterDialog) -> None:
        letters.append(dialog)
        dialog.accept()

    def fill(dialog: WithdrawDialog) -> None:
        qtbot.keyClicks(dialog.note, "I no longer agree to AI summaries.")
        assert dialog.letter.isChecked()
        drive_dialog(qtbot, LetterDialog, read_letter)
        dialog.accept()

    drive_dialog(qtbot, WithdrawDialog, fill)
    with qtbot.waitSignal(window.consent_recorded) as signal:
        qtbot.mouseClick(history.withdraw_button, Qt.MouseButton.LeftButton)
    withdrawal = signal.args[0]
    provider = services.catalog.get(given.provider_id)
    qtbot.waitUntil(lambda: len(letters) == 1, timeout=20000)  # the withdrawal letter is offered
    letter = letters[0].text.toPlainText()
    assert "7(3)" in letter and provider.name in letter
    with blocking_ok():
        ledger = services.ledger()
        assert ledger.get(withdrawal.id).refers_to == given.id
        assert ledger.effective_status(given).label == "given, then withdrawn"
        assert ledger.count() == len(records) + 1
        assert ledger.verify().ok
    assert withdrawal.decision == Decision.WITHDRAWN and withdrawal.note == "I no longer agree to AI summaries."
    assert withdrawal.language == "en"  # the language the withdrawal dialog was shown in (the tests' desktop's)
    wait_idle(qtbot, window)
    assert history.model.rowCount() == len(records) + 1
    history.show_record(given.id)
    wait_idle(qtbot, window)
    assert "given, then withdrawn" in history.details.toPlainText()
    assert not history.withdraw_button.isEnabled()


def test_only_a_consent_in_force_can_be_withdrawn(open_window, records, qtbot):
    window = open_window(tab="history")
    refused = next(r for r in records if r.decision == Decision.REFUSED)
    window.history.show_record(refused.id)
    wait_idle(qtbot, window)
    assert not window.history.withdraw_button.isEnabled()
    assert "refused" in window.history.withdraw_button.toolTip()


def test_a_damaged_ledger_is_reported_not_fatal(app_home, xdg_config, open_window, qtbot):
    from guard.paths import app_paths
    from guard.services import Services

    data = app_paths().ensure().data_dir
    (data / "ledger.sqlite3").write_bytes(b"this is not a ledger" * 100)
    broken = Services(app_paths())
    try:
        window = open_window(broken, tab="history")
        wait_idle(qtbot, window)
        assert window.history.error.isVisible()
        assert "ledger.sqlite3" in window.history.error.text()
        assert window.history.model.rowCount() == 0
        assert "cannot be read" in window.overview.browser.toPlainText()
    finally:
        with blocking_ok():
            broken.close()
    assert (data / "ledger.sqlite3").read_bytes() == b"this is not a ledger" * 100


def test_each_months_bar_has_its_own_caption_in_german(services, open_window, qtbot):
    """Two months of decisions are two captioned bars ("Nov. 2026", "Dez. 2026"), not one caption
    under the first bar that reads as if both were in November."""
    from datetime import UTC, datetime

    from guard.ledger import RecordDraft
    from ui.language import apply_language

    apply_language("de")
    try:
        with blocking_ok():
            for month in (9, 10, 11, 12):
                services.record_decision(RecordDraft(provider_id="zoom", decision=Decision.GIVEN,
                                                     occurred_at=datetime(2026, month, 15, 12, 0, tzinfo=UTC)))
        window = open_window(tab="history")
        wait_idle(qtbot, window)
        chart = window.history.chart
        assert len(chart.timeline.bars) == 4
        assert chart.captioned_bars() == [0, 1, 2, 3]
        details = window.history.details
        hint = "Wählen Sie einen Datensatz, um ihn vollständig zu sehen."
        assert details.toPlainText() == hint  # the whole sentence, wrapped in the pane (not a one-line placeholder)
        assert details.document().size().width() <= details.viewport().width()
    finally:
        apply_language("")


def test_ok_pressed_again_after_a_failure_said_once_the_record_landed_makes_one_record(app_home, xdg_config, qtbot):
    """Audit 8: each OK made a new record id, so a failure reported after the record had landed (here the
    real append succeeds, then an OSError is raised from the save, as a disk error after the commit would)
    had the second OK add the same record again. The same form pressed again reuses the id: one record."""
    from guard.paths import app_paths
    from ui.jobs import JobRunner

    with blocking_ok():
        services = FailsOnceAfterLanding(app_paths())
    jobs = JobRunner()
    try:
        dialog = RecordDialog(services, jobs)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.provider.setCurrentIndex(dialog.provider.findData("zoom"))
        dialog.decision.setCurrentIndex(dialog.decision.findData("refused"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.ok_button.isEnabled(), timeout=20000)
        assert dialog.error.text().startswith("Not saved: ")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.record is not None, timeout=20000)
        with blocking_ok():
            stored = list(services.ledger().iter())
        assert [record.id for record in stored] == [dialog.record.id], "one decision, one record"
    finally:
        with blocking_ok():
            services.close()


def test_a_person_reads_the_features_name_not_its_id(open_window, services, qtbot):
    """The details pane, the withdraw question and the withdrawal letter name the AI feature as the
    catalog does ("Meeting summary with AI Companion …"), not by its id ("meeting-summary")."""
    from guard.ledger import RecordDraft

    with blocking_ok():
        given = services.record_decision(RecordDraft(provider_id="zoom", feature_id="meeting-summary",
                                                     decision=Decision.GIVEN))
    name = services.catalog.get("zoom").feature("meeting-summary").name
    window = open_window(tab="history")
    history = window.history
    history.show_record(given.id)
    wait_idle(qtbot, window)
    details = history.details.toPlainText()
    assert name in details and "meeting-summary" not in details

    asked: list[str] = []
    letters: list[str] = []

    def read_letter(dialog: LetterDialog) -> None:
        letters.append(dialog.text.toPlainText())
        dialog.accept()

    def answer(dialog: WithdrawDialog) -> None:
        asked.append(dialog.intro.text())
        drive_dialog(qtbot, LetterDialog, read_letter)
        dialog.accept()

    drive_dialog(qtbot, WithdrawDialog, answer)
    qtbot.mouseClick(history.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(letters) == 1, timeout=30_000)
    assert f"“{name}”" in asked[0] and "meeting-summary" not in asked[0]
    assert name in letters[0] and "meeting-summary" not in letters[0]


def test_the_withdraw_question_names_the_feature_and_the_meeting(services, qtbot):
    from guard.ledger import Meeting, RecordDraft

    with blocking_ok():
        given = services.record_decision(RecordDraft(provider_id="zoom", feature_id="meeting-summary",
                                                     meeting=Meeting(title="Budget review"), decision=Decision.GIVEN))
    name = services.catalog.get("zoom").feature("meeting-summary").name
    dialog = WithdrawDialog(given, "Zoom", feature_name=name)
    qtbot.addWidget(dialog)
    asked = dialog.intro.text()
    assert f"for “{name}” in the meeting “Budget review”" in asked and "meeting-summary" not in asked


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_date_fields_read_year_month_day_in_every_language_and_say_so(open_window, services, qtbot, language):
    """They showed the locale's short form (02/12/2026, 12/2/2026, 02.12.2026): day or month first
    is a guess next to the "2 Dec 2026" the history and letters use."""
    from ui.jobs import JobRunner
    from ui.language import apply_language

    apply_language(language)
    try:
        window = open_window(tab="history")
        history = window.history
        history.date_from.setDate(QDate(2026, 3, 4))
        assert history.date_from.text() == "2026-03-04" and history.date_to.text().count("-") == 2
        today = QDate.currentDate().toString("yyyy-MM-dd")
        for edit in (history.date_from, history.date_to):
            tip = edit.toolTip()
            assert today in tip and "ISO 8601" in tip and edit.accessibleDescription() == tip
        assert history.date_from.toolTip().splitlines()[0] != history.date_from.toolTip().splitlines()[-1]

        jobs = JobRunner()
        try:
            dialog = RecordDialog(services, jobs)
            qtbot.addWidget(dialog)
            assert dialog.occurred.text().startswith(today + " ")  # and the time, HH:mm
            tip = dialog.occurred.toolTip().splitlines()
            assert len(tip) == 2 and today in tip[1]  # what the field is for, then how it reads
        finally:
            jobs.shutdown()
    finally:
        apply_language("")
