"""The letter view offers a second letter to the organisation that hosted or recorded the meeting
when the provider may be only its processor: the user types the organisation's name and address,
the core writes the letter (on the job runner), and it opens in a letter view of its own. A
provider without that role shows no such fields."""

from __future__ import annotations

from PySide6.QtCore import Qt

from guard.ledger import Meeting, RecordDraft
from tests.ui.conftest import blocking_ok
from ui.jobs import JobRunner
from ui.settings.withdraw_dialog import LetterDialog


def test_the_letter_view_writes_the_letter_to_the_host(qtbot, services):
    with blocking_ok():
        zoom = services.record_decision(RecordDraft("zoom", "given", meeting=Meeting("Board call")))
        whereby = services.record_decision(RecordDraft("whereby", "given", meeting=Meeting("Design review")))
        offered = services.withdraw(zoom.id).letter
        plain = services.withdraw(whereby.id).letter
    assert offered is not None and plain is not None
    jobs = JobRunner()
    dialogs = []
    for letter in (offered, plain):
        dialog = LetterDialog(letter.title, letter.text, letter.suggested_name, None, letter.mailto, services=services,
                              jobs=jobs, notice=letter.notice,
                              host_letter_for=letter.record_id if letter.offers_host_letter else None)
        qtbot.addWidget(dialog)
        dialog.show()
        dialogs.append(dialog)
    with_host, without = dialogs
    assert not hasattr(without, "host_name") and without.host_record is None
    assert "may be only that organisation's processor" in with_host.notice.text()
    assert with_host.host_name.isVisible() and not with_host.host_button.isEnabled()  # no name yet
    qtbot.keyClicks(with_host.host_name, "Acme <b>Ltd</b>")
    with_host.host_name.insert("\u202e")  # pasted: QTest types Latin-1 only
    qtbot.keyClicks(with_host.host_address, "1 High Street, London")
    assert with_host.host_button.isEnabled()
    qtbot.mouseClick(with_host.host_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: with_host.host_dialog is not None, timeout=30_000)
    host = with_host.host_dialog
    assert host is not None
    qtbot.addWidget(host)
    text = host.text.toPlainText()
    assert "\nAcme <b>Ltd</b>\n1 High Street, London\n" in text and '“Board call”' in text  # plain, as typed
    assert "you are its controller" in text and host.windowTitle().endswith("Acme <b>Ltd</b> (Zoom)")
    assert host.host_record is None  # the organisation's letter offers no third one
    jobs.shutdown()


def test_the_withdrawal_in_the_history_tab_offers_the_host_letter(open_window, services, qtbot):
    """The history tab's withdrawal opens the letter view with the host fields for a provider
    that may be a processor (the wiring from Services.withdraw to the letter view)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tests.ui.settings.conftest import wait_idle
    from ui.settings.withdraw_dialog import WithdrawDialog

    with blocking_ok():
        given = services.record_decision(RecordDraft("zoom", "given", meeting=Meeting("Board call")))
    window = open_window(tab="history")
    window.history.show_record(given.id)
    wait_idle(qtbot, window)
    seen: list[LetterDialog] = []

    def when_open(kind, act) -> None:  # type: ignore[no-untyped-def]
        def poll() -> None:
            dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
            if dialog is None:
                QTimer.singleShot(20, poll)
                return
            act(dialog)
        QTimer.singleShot(20, poll)

    def read_letter(dialog: LetterDialog) -> None:
        seen.append(dialog)
        dialog.accept()

    def confirm(dialog: WithdrawDialog) -> None:
        when_open(LetterDialog, read_letter)
        dialog.accept()

    when_open(WithdrawDialog, confirm)
    qtbot.mouseClick(window.history.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=30_000)
    assert seen[0].host_record == given.id and hasattr(seen[0], "host_name")
