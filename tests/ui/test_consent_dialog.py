"""The consent dialog writes a real ledger record (with the terms in force) and says what
went wrong without losing what the user typed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QRadioButton

from guard.events import Evidence, MeetingSession, Signal
from guard.ledger import Decision, RequestedBy, ledger_path, open_ledger
from guard.presentation.actions import RecordConsent
from guard.presentation.consent_form import ConsentSubject
from guard.services import Services
from tests.support.catalogs import MEETING_TITLE
from tests.support.faults import FailsOnceAfterLanding
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
    # named by the date a person can tell the version by, not a hash prefix
    assert re.search(r"Zoom Terms of Service \(version of \d{1,2} \w+ \d{4}\)", dialog.terms_info.text())
    # the 2023 version shipped with the app is all it knows: "in force" is said with that caveat
    assert dialog.terms_info.text().endswith(
        "Known only as shipped with the app (no check has compared them with the provider's pages yet, so newer "
        "versions may be in force): Zoom Terms of Service; Zoom Privacy Statement.")
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



def test_terms_a_check_has_read_are_said_in_force_without_the_shipped_caveat(qtbot, world):
    """The caveat goes for a document once a check stored its text from the provider's page."""
    from tests.ui.settings.world import store_zoom_versions

    services = Services(world.paths)
    store_zoom_versions(services.terms_store)
    dialog = dialog_for(qtbot, services, provider_id="zoom")
    qtbot.waitUntil(lambda: "Recorded with the terms in force" in dialog.terms_info.text(), timeout=10000)
    text = dialog.terms_info.text()
    assert text.endswith("Known only as shipped with the app (no check has compared it with the provider's page "
                         "yet, so a newer version may be in force): Zoom Privacy Statement.")
    assert text.count("Zoom Terms of Service") == 1

@pytest.mark.parametrize("record_in_helper", [False, True], ids=["in-process", "tray-helper-process"])
def test_a_damaged_ledger_is_reported_and_nothing_typed_is_lost(qtbot, world, record_in_helper):
    path = ledger_path(world.paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a ledger" * 100)
    dialog = dialog_for(qtbot, Services(world.paths, record_in_helper=record_in_helper))
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


def test_the_record_keeps_the_language_the_form_was_shown_in(qtbot, world):
    """The consent record's notice language (ISO/IEC TS 27560, DPVCG guide §8.2.2) is the form's."""
    from ui.language import apply_language

    assert apply_language("de") == "de"
    try:
        dialog = dialog_for(qtbot, Services(world.paths), provider_id="zoom")
        assert dialog.save_button.text() != "Save"  # the form is shown in German
        dialog.decision_buttons[str(Decision.GIVEN)].click()
        with qtbot.waitSignal(dialog.recorded, timeout=20000):
            dialog.save_button.click()
    finally:
        apply_language("")  # the tests' desktop is C.UTF-8: English
    with open_ledger(world.paths) as ledger:
        (stored,) = list(ledger.iter())
    assert stored.language == "de"


def test_saving_without_a_decision_says_what_is_missing(qtbot, world):
    dialog = dialog_for(qtbot, Services(world.paths))
    dialog.save_button.click()
    assert dialog.error.isVisible() and "Choose your decision" in dialog.error.text()
    assert not ledger_path(world.paths).exists()
    image = dialog.error.grab().toImage()
    drawn = {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}
    assert "#b00020" in drawn and dialog.error.font().bold(), "the message stands out: red and bold"


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


def open_dialog(qtbot, dialog: ConsentDialog) -> ConsentDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_with_no_meeting_no_service_is_chosen_and_only_catalog_services_are_offered(qtbot, world):
    """Issue 19: with no meeting the form defaulted to Amazon Chime, a discontinued service."""
    services = Services(world.paths)
    dialog = open_dialog(qtbot, ConsentDialog(services, ConsentSubject()))
    assert dialog.provider.currentData() == "" and dialog.provider.currentText() == "Choose the service…"
    offered = [dialog.provider.itemData(i) for i in range(1, dialog.provider.count())]
    assert sorted(offered) == sorted(p.id for p in services.catalog), "every catalog service, nothing else"
    labels = [dialog.provider.itemText(i) for i in range(1, dialog.provider.count())]
    chime = labels.index("Amazon Chime (ended 20 Feb 2026)")
    assert all("(ended" in label for label in labels[chime:]), "services that ended come last"
    running = labels[:chime]
    assert running == sorted(running, key=str.casefold) and "Zoom" in running
    dialog.decision_buttons[str(Decision.GIVEN)].click()
    dialog.save_button.click()
    assert dialog.error.isVisible() and dialog.error.text() == "Choose the service the decision is about first."
    dialog.provider.setCurrentIndex(dialog.provider.findData("zoom"))
    assert not dialog.error.isVisible(), "the message goes once a service is chosen"
    assert not ledger_path(world.paths).exists()


def test_the_red_message_goes_once_a_decision_is_chosen(qtbot, world):
    """Issue 19: "Choose your decision first…" stayed after a decision was chosen."""
    dialog = open_dialog(qtbot, dialog_for(qtbot, Services(world.paths)))
    dialog.save_button.click()
    assert dialog.error.isVisible() and dialog.error.text().startswith("Choose your decision first")
    dialog.decision_buttons[str(Decision.NOTICE_ONLY)].click()
    assert not dialog.error.isVisible()


def rows_whole(dialog: ConsentDialog) -> bool:
    """Every purpose is shown whole (or the list scrolls to it), and nothing is drawn over the list."""
    view = dialog.purposes
    area = view.viewport().rect()
    rows = view.verticalScrollBar().isVisible() or all(area.contains(view.visualItemRect(view.item(i)))
                                                       for i in range(view.count()))
    below = dialog.other_purpose.mapTo(dialog.content, dialog.other_purpose.rect().topLeft()).y()
    bottom = view.mapTo(dialog.content, view.rect().bottomLeft()).y()
    return rows and bottom < below


def test_the_purposes_list_shows_every_purpose_after_switching_provider(qtbot, world):
    """Issue 19: after switching provider the purposes list was cut mid-item with no scroll bar."""
    dialog = dialog_for(qtbot, Services(world.paths))
    qtbot.waitExposed(dialog)
    assert rows_whole(dialog)
    for provider_id in ("ringcentral", "otter", "zoom", "testmeet", "ringcentral"):
        dialog.provider.setCurrentIndex(dialog.provider.findData(provider_id))
        qtbot.wait(50)  # the layout follows on the next turn of the event loop, as on screen
        assert dialog.purposes.count() >= 1
        assert rows_whole(dialog), f"a purpose of {provider_id} is cut or covered"
    assert dialog.purposes.count() == 5


def test_the_ai_feature_box_shows_the_whole_name(qtbot, world):
    """Issue 19: the AI-feature box was truncated."""
    dialog = dialog_for(qtbot, Services(world.paths), provider_id="zoom")
    qtbot.waitExposed(dialog)
    for index in range(dialog.feature.count()):
        dialog.feature.setCurrentIndex(index)
        qtbot.wait(1)
        text = dialog.feature.currentText()
        assert dialog.feature.fontMetrics().horizontalAdvance(text) + 20 <= dialog.feature.width(), text
        assert dialog.feature.toolTip() == text
        qtbot.waitUntil(lambda: dialog.feature.mapTo(dialog.scroll.viewport(), QPoint(dialog.feature.width(), 0)).x()
                        <= dialog.scroll.viewport().width(), timeout=3000)  # the box is not cut by the dialog's edge


def test_a_dialog_the_window_manager_keeps_narrow_scrolls_sideways_to_its_right_edge(qtbot, world):
    """A tiling compositor (sway) sets the dialog's size and ignores its wish to widen: the form's
    right edge (the AI-feature box) must still be reachable, by scrolling, never cut off."""
    dialog = dialog_for(qtbot, Services(world.paths), provider_id="zoom")
    qtbot.waitExposed(dialog)
    longest = max(range(dialog.feature.count()),
                  key=lambda i: dialog.feature.fontMetrics().horizontalAdvance(dialog.feature.itemText(i)))
    dialog.feature.setCurrentIndex(longest)
    dialog.setMaximumWidth(dialog.minimumWidth())  # what the tiling window manager does
    dialog.resize(dialog.minimumWidth(), dialog.height())
    bar = dialog.scroll.horizontalScrollBar()
    qtbot.waitUntil(lambda: dialog.content.width() > dialog.scroll.viewport().width(), timeout=3000)
    qtbot.waitUntil(bar.isVisible, timeout=3000)
    bar.setValue(bar.maximum())
    right = dialog.feature.mapTo(dialog.scroll.viewport(), QPoint(dialog.feature.width(), 0)).x()
    assert right <= dialog.scroll.viewport().width(), "the feature box's right edge can be scrolled to"


def test_the_service_box_shows_the_whole_name_of_the_longest_service(qtbot, world):
    """The service box is sized by the names' length, not by measuring each (which mapped fonts for
    names it does not show: tests/ui/test_tray_imports.py); the longest still shows whole."""
    dialog = dialog_for(qtbot, Services(world.paths), provider_id="zoom")
    qtbot.waitExposed(dialog)
    metrics = dialog.provider.fontMetrics()
    longest = max(range(dialog.provider.count()), key=lambda i: metrics.horizontalAdvance(dialog.provider.itemText(i)))
    dialog.provider.setCurrentIndex(longest)
    qtbot.wait(1)
    text = dialog.provider.currentText()
    assert len(text) > 10  # a real service's name, not the "Choose the service…" line
    assert metrics.horizontalAdvance(text) + 20 <= dialog.provider.width(), text


def test_a_decision_in_the_ledger_is_never_said_not_saved_so_it_is_not_saved_twice(qtbot, world):
    """Audit 7, the rare double record: the decision was appended, then removing its kept copy failed
    (here the copy was swapped for a folder of that name while the helper process appended), and the
    form said "Not saved ... press Save again": the user did, and one decision became two records.
    Once it is in the ledger the form says it is saved; the copy left is found by its id later."""
    import os
    import threading
    import time

    from guard.services.threads import allowed

    folder = world.paths.data_dir / "decisions-waiting"
    swapped: list[str] = []
    stop = threading.Event()

    def swap_the_kept_copy() -> None:  # another process of this user's, while the helper appends
        while not stop.is_set() and not swapped:
            for entry in folder.glob("*.json") if folder.is_dir() else ():
                os.rename(entry, f"{entry}.moved")
                entry.mkdir()
                (entry / "inside").write_text("x")
                swapped.append(entry.name)
                return
            time.sleep(0.001)

    thread = threading.Thread(target=swap_the_kept_copy, daemon=True)
    thread.start()
    services = Services(world.paths, record_in_helper=True)
    try:
        dialog = dialog_for(qtbot, services)
        dialog.decision_buttons[str(Decision.REFUSED)].click()
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.saving, timeout=60000)
        assert swapped, "the copy was swapped while the decision was appended"
        assert not dialog.error.isVisible(), dialog.error.text()
        assert not dialog.isVisible(), "saved: the form closed"
        (kept_id,) = (name.removesuffix(".json") for name in swapped)
        with allowed():  # the test's own checks, on its thread
            assert services.sign_waiting() == []
    finally:
        stop.set()
        thread.join(5)
        with allowed():
            services.close()
    with open_ledger(world.paths) as ledger:
        (stored,) = list(ledger.iter())
    assert stored.id == kept_id and stored.decision == Decision.REFUSED


@pytest.mark.parametrize("record_in_helper", [False, True], ids=["in-process", "tray-helper-process"])
def test_save_pressed_again_after_a_failure_said_once_the_record_landed_makes_one_record(qtbot, world,
                                                                                       record_in_helper):
    """Audit 8: each press of Save made a new record id, so a failure reported after the record had
    landed (here the real append succeeds, then an OSError is raised from the save, as a disk error
    after the commit would) had the user's second press add the same decision again. A retried save
    of the same answers reuses the id: the ledger keeps one record and the form closes. Changed
    answers are another decision, with an id of their own."""
    from guard.services.threads import allowed

    services = FailsOnceAfterLanding(world.paths, record_in_helper=record_in_helper)
    try:
        dialog = dialog_for(qtbot, services)
        dialog.decision_buttons[str(Decision.REFUSED)].click()
        dialog.save_button.click()
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20000)
        assert dialog.error.text().startswith("Not saved: ") and dialog.save_button.isEnabled()
        with qtbot.waitSignal(dialog.recorded, timeout=20000) as recorded:
            dialog.save_button.click()
        assert not dialog.isVisible()
        with open_ledger(world.paths) as ledger:
            (stored,) = list(ledger.iter())
        assert stored.id == recorded.args[0].id and stored.decision == Decision.REFUSED

        services.failures = 1  # the same again, but the user changes the decision before pressing Save again
        changed = dialog_for(qtbot, services)
        changed.decision_buttons[str(Decision.REFUSED)].click()
        changed.save_button.click()
        qtbot.waitUntil(lambda: changed.error.isVisible(), timeout=20000)
        changed.decision_buttons[str(Decision.GIVEN)].click()
        with qtbot.waitSignal(changed.recorded, timeout=20000):
            changed.save_button.click()
        with open_ledger(world.paths) as ledger:
            decisions = [record.decision for record in ledger.iter()]
        assert decisions == [Decision.REFUSED, Decision.REFUSED, Decision.GIVEN], "no decision is lost"
    finally:
        with allowed():
            services.close()


def test_save_in_the_form_a_failed_notification_answer_opened_sends_that_answer_once(qtbot, world):
    """Audit 8: a button on a notification whose save failed after its record had landed opened the
    form with the decision chosen and 'Not saved'; Save there made a second record of it. The form
    sends that same answer under its id: one record."""
    from guard.presentation.actions import AnswerConsent
    from guard.services.threads import allowed
    from ui.consent_flow import ConsentFlow
    from ui.jobs import JobRunner

    services = FailsOnceAfterLanding(world.paths)
    jobs = JobRunner()
    flow = ConsentFlow()
    flow.use(services, jobs)
    try:
        with qtbot.waitSignal(flow.dialog_opened, timeout=20000) as opened:
            flow.answer(AnswerConsent(str(Decision.REFUSED), RecordConsent(provider_id="zoom")))
        dialog = opened.args[0]
        assert dialog.error.text().startswith("Not saved: ")
        with qtbot.waitSignal(dialog.recorded, timeout=20000):
            dialog.save_button.click()
        with open_ledger(world.paths) as ledger:
            assert [record.decision for record in ledger.iter()] == [Decision.REFUSED], "one answer, one record"
    finally:
        flow.close_all()
        assert jobs.shutdown(10000)
        with allowed():
            services.close()
