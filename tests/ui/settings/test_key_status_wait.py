"""The settings window reads the signing key's status from the keyring; a keyring that does not
answer (here the test desktop's real gnome-keyring, stopped) must not hold up closing the window
or quitting the app. Before the fix the read could not be stopped: closing waited on it (up to the
keyring's deadline) and the app's shutdown reported its lane still busy."""

from __future__ import annotations

import os
import signal

import pytest

from guard import keyring_call
from guard.keyring_call import DEADLINE_ENV
from guard.ledger import RecordDraft
from guard.paths import app_paths
from guard.services import Services
from tests.ui.conftest import blocking_ok
from ui.jobs import JobRunner
from ui.settings.preferences import KEY_STATUS_JOB

pytestmark = pytest.mark.desktop


@pytest.fixture
def stopped_keyring(desktop):
    """The desktop's gnome-keyring stopped: every call is delivered and none is answered."""
    if desktop.keyring_pid is None:
        pytest.fail("the test desktop did not note its gnome-keyring-daemon's pid")
    os.kill(desktop.keyring_pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(desktop.keyring_pid, signal.SIGCONT)
        assert keyring_call.wait_idle(20), "the keyring did not answer the abandoned call once continued"


@pytest.fixture
def key_in_keyring(app_home, monkeypatch):
    """A ledger whose signing key is in the keyring, opened afresh: its status must be read there."""
    monkeypatch.setenv(DEADLINE_ENV, "600")  # the read would wait ten minutes
    with blocking_ok():
        first = Services(app_paths())
        try:
            first.record_decision(RecordDraft(provider_id="zoom", decision="given"))
            assert first.key_status().storage == "keyring"
        finally:
            first.close()
        services = Services(app_paths())
    yield services
    with blocking_ok():
        services.close()


def test_closing_the_window_and_quitting_while_the_keyring_does_not_answer_do_not_wait_on_it(
        qtbot, key_in_keyring, stopped_keyring):
    from ui.settings import SettingsWindow

    jobs = JobRunner()
    window = SettingsWindow(key_in_keyring, jobs)
    qtbot.addWidget(window)
    window.show_tab("preferences")
    window.show()
    qtbot.waitExposed(window)
    assert jobs.busy(KEY_STATUS_JOB), "the key's status is being read from the keyring"
    qtbot.wait(300)
    assert jobs.busy(KEY_STATUS_JOB) and window.preferences.key_status.text() == "Checking…"  # still waiting

    window.close()  # the user closes the window
    qtbot.waitUntil(lambda: not jobs.busy(KEY_STATUS_JOB), timeout=20000)  # far below the keyring's 600 s
    window.shutdown()  # the app quits
    assert jobs.shutdown(5000), "the worker threads must stop"
    assert window.preferences.key_status.text() == "Checking…", "nothing half-read is shown"


def test_quitting_the_tray_app_while_its_settings_window_waits_on_the_keyring_stops_in_time(
        qtbot, shells, world, monkeypatch, desktop):
    """The whole tray app (its Services record in a helper process, as shipped) with the settings
    window open in it: the key's status and the Overview's verify wait on a keyring that does not
    answer; quitting stops them, so the app's lanes stop within the shutdown's own wait."""
    monkeypatch.setenv(DEADLINE_ENV, "600")
    with blocking_ok():
        first = Services(world.paths)
        try:
            first.record_decision(RecordDraft(provider_id="zoom", decision="given"))
            assert first.key_status().storage == "keyring"
        finally:
            first.close()
    shell = shells.make(world.paths)
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    os.kill(desktop.keyring_pid, signal.SIGSTOP)
    try:
        shell.show_settings("preferences")
        qtbot.waitUntil(lambda: shell.jobs.busy(KEY_STATUS_JOB), timeout=20000)
        qtbot.wait(500)
        assert shell.jobs.busy(KEY_STATUS_JOB), "the key's status waits on the keyring"
        assert shell.shutdown(), "the worker threads must stop"
    finally:
        os.kill(desktop.keyring_pid, signal.SIGCONT)
        assert keyring_call.wait_idle(20)
