"""The consent dialog writes a real ledger record (with the terms in force) and says what
went wrong without losing what the user typed."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QRadioButton

from guard.events import Evidence, MeetingSession, Signal
from guard.ledger import Decision, RequestedBy, ledger_path, open_ledger
from guard.presentation.actions import RecordConsent
from guard.presentation.consent_form import ConsentSubject
from guard.services import Services
from tests.support.catalogs import MEETING_TITLE
from ui.dialogs.consent import ConsentDialog

NOW = datetime.now(UTC)
EVIDENCE = (Evidence(Signal.WINDOW_TITLE, f"window '{MEETING_TITLE}' of testmeet (pid 77)", NOW, 77),)


def dialog_for(qtbot, services, provider_id="testmeet", title=MEETING_TITLE, request=RecordConsent()) -> ConsentDialog:
    meeting = MeetingSession(id="s1", provider_id=provider_id, started_at=NOW, evidence=EVIDENCE, title=title,
                             url="https://meet/1")
    dialog = ConsentDialog(services, ConsentSubject(meeting, request))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def check_purpose(dialog: ConsentDialog, text: str) -> None:
    for index in range(dialog.purposes.count()):
        if dialog.purposes.item(index).text() == text:
            dialog.purposes.item(index).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"no purpose {text!r}")


def test_dialog_is_prefilled_from_the_meeting_and_the_catalog(qtbot, world):
    services = Services(world.paths)
    dialog = dialog_for(qtbot, services)
    assert dialog.provider.currentText() == "TestMeet"
    assert dialog.title.text() == MEETING_TITLE and dialog.link.text() == "https://meet/1"
    features = [dialog.feature.itemText(i) for i in range(dialog.feature.count())]
    assert features == ["Meeting summary with Helper AI (formerly Recap)", "Cloud recording (unverified)",
                        "No particular feature"]
    assert [dialog.purposes.item(i).text() for i in range(dialog.purposes.count())] == [
        "A summary of the meeting", "A transcript of what is said"]
    assert dialog.requested_by.currentData() == str(RequestedBy.HOST)
    assert "The host or an account admin can turn on Meeting summary with Helper AI" in dialog.feature_info.text()
    assert "window 'TestMeet Meeting' of testmeet (pid 77)" in dialog.evidence_info.text()
    dialog.feature.setCurrentIndex(1)
    assert "A recording of the meeting" in [dialog.purposes.item(i).text() for i in range(dialog.purposes.count())]


def test_saving_writes_a_ledger_record_with_the_terms_in_force(qtbot, world):
    services = Services(world.paths)
    dialog = dialog_for(qtbot, services, provider_id="zoom")  # the shipped catalog has Zoom's baseline terms
    assert dialog.provider.currentText() == "Zoom"
    qtbot.waitUntil(lambda: "Recorded with the terms in force: Zoom Terms of Service (version" in
                    dialog.terms_info.text(), timeout=10000)
    dialog.decision_buttons[str(Decision.REFUSED)].click()
    check_purpose(dialog, "A summary of the meeting")
    qtbot.keyClicks(dialog.other_purpose, "Coaching")
    qtbot.keyClicks(dialog.note, "Asked the host to turn it off.")
    with qtbot.waitSignal(dialog.recorded, timeout=20000) as recorded:
        dialog.save_button.click()
    record = recorded.args[0]
    assert not dialog.isVisible()
    with open_ledger(world.paths) as ledger:
        (stored,) = list(ledger.iter())
        assert ledger.verify().ok
    assert stored.id == record.id
    assert stored.provider_id == "zoom" and stored.feature_id == "meeting-summary"
    assert stored.decision == Decision.REFUSED and stored.requested_by == RequestedBy.HOST
    assert stored.purposes == ("A summary of the meeting", "Coaching")
    assert stored.meeting.title == MEETING_TITLE and stored.meeting.id_or_link == "https://meet/1"
    assert stored.note == "Asked the host to turn it off."
    assert {ref.document_id for ref in stored.terms} == {"terms", "privacy"}
    assert all(len(ref.sha256) == 64 for ref in stored.terms)
    assert [(e.signal, e.detail) for e in stored.evidence] == [("window-title", EVIDENCE[0].detail)]


def test_a_damaged_ledger_is_reported_and_nothing_typed_is_lost(qtbot, world):
    path = ledger_path(world.paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a ledger" * 100)
    dialog = dialog_for(qtbot, Services(world.paths))
    dialog.decision_buttons[str(Decision.GIVEN)].click()
    qtbot.keyClicks(dialog.note, "Host asked at the start.")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20000)
    assert dialog.error.text().startswith("Not saved: ")
    assert str(path) in dialog.error.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.note.toPlainText() == "Host asked at the start."
    assert dialog.title.text() == MEETING_TITLE
    assert dialog.decision_buttons[str(Decision.GIVEN)].isChecked()
    assert path.read_bytes() == b"this is not a ledger" * 100, "the damaged file is left as it was"


def test_saving_without_a_decision_says_what_is_missing(qtbot, world):
    dialog = dialog_for(qtbot, Services(world.paths))
    dialog.save_button.click()
    assert dialog.error.isVisible() and "Choose your decision" in dialog.error.text()
    assert not ledger_path(world.paths).exists()


def test_the_dialog_works_from_the_keyboard_and_names_its_fields(qtbot, world):
    dialog = dialog_for(qtbot, Services(world.paths))
    for kind in (QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QRadioButton, QPushButton):
        for widget in dialog.findChildren(kind):
            if widget.isVisible() and widget.parent() is not None and not isinstance(widget.parent(), QComboBox):
                assert widget.accessibleName(), f"{widget!r} has no accessible name"
    letters = [text[text.index("&") + 1].lower()
               for kind in (QLabel, QRadioButton, QPushButton) for widget in dialog.findChildren(kind)
               if "&" in (text := widget.text().replace("&&", ""))]
    assert len(letters) == len(set(letters)) >= 12, f"keyboard shortcuts must be unique: {sorted(letters)}"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    qtbot.keyClick(dialog.windowHandle(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # "I &left the meeting"
    qtbot.waitUntil(dialog.decision_buttons[str(Decision.LEFT_MEETING)].isChecked, timeout=2000)  # animated click
    qtbot.keyClick(dialog.windowHandle(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)  # "Not&e:"
    assert dialog.note.hasFocus()
    qtbot.keyClicks(dialog.note, "Left at once.")
    with qtbot.waitSignal(dialog.recorded, timeout=20000):
        qtbot.keyClick(dialog.windowHandle(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # "&Save decision"
    with open_ledger(world.paths) as ledger:
        (stored,) = list(ledger.iter())
    assert stored.decision == Decision.LEFT_MEETING and stored.note == "Left at once."
