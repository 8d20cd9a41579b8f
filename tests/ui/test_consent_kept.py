"""A decision saved while the keyring holding the ledger's key does not answer is kept, not lost:
the form says so (and cannot save it twice), and the tray's loop adds it to the ledger, signed and
dated when it was made, once the keyring answers. Real Qt, the test desktop's real gnome-keyring
(stopped, then continued), a real ledger; in the tray app's way (a helper process) and in-process."""

from __future__ import annotations

import os
import signal

import pytest

from guard import keyring_call
from guard.keyring_call import DEADLINE_ENV
from guard.ledger import Decision, RecordDraft, open_ledger
from guard.services import Services
from tests.ui.conftest import blocking_ok
from tests.ui.test_consent_dialog import dialog_for
from ui.jobs import JobRunner
from ui.loops import WaitingLoop

pytestmark = pytest.mark.desktop


@pytest.fixture
def keyring_daemon(desktop, monkeypatch):
    if desktop.keyring_pid is None:
        pytest.fail("the test desktop did not note its gnome-keyring-daemon's pid")
    monkeypatch.setenv(DEADLINE_ENV, "1")
    yield desktop.keyring_pid
    os.kill(desktop.keyring_pid, signal.SIGCONT)


@pytest.mark.parametrize("record_in_helper", [True, False], ids=["tray-helper-process", "in-process"])
def test_a_decision_made_while_the_keyring_does_not_answer_is_kept_and_signed_once_it_does(
        qtbot, world, keyring_daemon, record_in_helper):
    with blocking_ok():
        first = Services(world.paths)
        try:
            first.record_decision(RecordDraft(provider_id="zoom", decision="given"))
            assert first.key_status().storage == "keyring"
        finally:
            first.close()
        services = Services(world.paths, record_in_helper=record_in_helper)  # the key must come from the keyring
    os.kill(keyring_daemon, signal.SIGSTOP)
    dialog = dialog_for(qtbot, services, provider_id="zoom")
    dialog.decision_buttons[str(Decision.REFUSED)].click()
    qtbot.keyClicks(dialog.note, "Said no while my keyring hung.")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=60000)
    text = dialog.error.text()
    assert "Kept on this computer, not yet in the ledger" in text and "did not answer within 1 s" in text, text
    assert not dialog.save_button.isEnabled(), "a kept decision cannot be saved a second time"
    dialog.save()  # nor by its shortcut
    with blocking_ok():
        assert services.waiting_count() == 1

    os.kill(keyring_daemon, signal.SIGCONT)
    assert keyring_call.wait_idle(20)
    jobs = JobRunner()
    loop = WaitingLoop(jobs)
    try:
        with qtbot.waitSignal(loop.signed, timeout=60000) as signed:
            loop.start(services)  # the tray app's loop: at start, then every ten minutes
        (record,) = signed.args[0]
        assert record.seq == 2 and record.decision == Decision.REFUSED
        assert record.note == "Said no while my keyring hung."
        assert record.occurred_at < record.recorded_at  # when it was decided, not when it could be signed
    finally:
        loop.stop()
        assert jobs.shutdown(10000)
    with blocking_ok():
        assert services.waiting_count() == 0
        services.close()
        with open_ledger(world.paths) as ledger:
            report = ledger.verify()
            assert report.ok and report.count == 2, report.summary()


def test_an_answer_from_a_notification_that_is_kept_opens_the_form_saying_so(qtbot, world, keyring_daemon):
    """The tray records a notification's answer without the form; when it is kept (the keyring does not
    answer), the form opens with the answer chosen, says it is kept, and offers no second save."""
    from guard.presentation.actions import AnswerConsent, RecordConsent
    from ui.consent_flow import ConsentFlow

    with blocking_ok():
        first = Services(world.paths)
        try:
            first.record_decision(RecordDraft(provider_id="zoom", decision="given"))
        finally:
            first.close()
        services = Services(world.paths, record_in_helper=True)  # as the tray app runs
    os.kill(keyring_daemon, signal.SIGSTOP)
    jobs = JobRunner()
    flow = ConsentFlow()
    flow.use(services, jobs)
    try:
        with qtbot.waitSignal(flow.dialog_opened, timeout=60000) as opened:
            flow.answer(AnswerConsent(str(Decision.REFUSED), RecordConsent(provider_id="zoom")))
        dialog = opened.args[0]
        assert dialog.decision_buttons[str(Decision.REFUSED)].isChecked()
        assert "Kept on this computer, not yet in the ledger" in dialog.error.text()
        assert not dialog.save_button.isEnabled()
        with blocking_ok():
            assert services.waiting_count() == 1
    finally:
        os.kill(keyring_daemon, signal.SIGCONT)
        flow.close_all()
        assert jobs.shutdown(10000)
        with blocking_ok():
            services.close()
