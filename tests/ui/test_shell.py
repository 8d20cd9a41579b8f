"""The shell: events and snapshots become the tray's icon, tooltip, menu and notifications;
menu picks and notification clicks become actions. Real tray (trayer), real dunst."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMenu

from guard import APP_NAME
from guard.events import (
    ClauseChange,
    Evidence,
    MeetingSession,
    MeetingStarted,
    NotetakerSeen,
    RunningApp,
    Signal,
    TermsChanged,
)
from guard.monitor import MonitorEvent, Snapshot
from guard.presentation.status import TrayState
from guard.services import Services
from tests.support.catalogs import MEETING_TITLE
from tests.ui.conftest import blocking_ok, dunst
from ui.tray.icons import state_icon
from ui.tray.menu import menu_texts

pytestmark = pytest.mark.desktop

NOW = datetime.now(UTC)


def evidence() -> tuple[Evidence, ...]:
    return (Evidence(Signal.WINDOW_TITLE, f"window '{MEETING_TITLE}' of testmeet (pid 4242)", NOW, 4242),)


def meeting(provider_id: str = "testmeet", session_id: str = "s1", title: str = MEETING_TITLE) -> MeetingSession:
    return MeetingSession(session_id, provider_id, NOW, evidence(), title=title)


def meeting_snapshot(provider_id: str = "testmeet", title: str = MEETING_TITLE) -> Snapshot:
    app = RunningApp("a1", provider_id, NOW, evidence())
    return Snapshot(at=NOW, enabled=True, paused_until=None, apps=(app,), meetings=(meeting(provider_id, title=title),),
                    probes=())


def started(services: Services, session_id: str = "s1", provider_id: str = "testmeet") -> MonitorEvent:
    provider = services.catalog.get(provider_id)
    event = MeetingStarted(provider_id=provider_id, at=NOW, meeting=meeting(provider_id, session_id))
    return MonitorEvent(event, provider, tuple(provider.ai_features), tuple(provider.clauses_in_force(NOW.date())))


def notetaker(services: Services) -> MonitorEvent:
    provider = services.catalog.get("scribe")
    return MonitorEvent(NotetakerSeen(provider_id="scribe", at=NOW, session_id="n1"), provider,
                        tuple(provider.ai_features), ())


def terms_changed() -> TermsChanged:
    return TermsChanged(provider_id="testmeet", at=NOW, document_id="terms", url="https://example.org/terms",
                        old_sha256="a" * 64, new_sha256="b" * 64,
                        changes=(ClauseChange(("ai-training",), "We do not train.", "We train.", "10.2",
                                              "AI training: Section 10.2 now says: “We train.”"),))


def ready_shell(shells, world, **options):
    """A shell showing its tray with Services ready, fed by the test instead of the worker."""
    shell = shells.make(world.paths, **options)
    shell.show_ui()
    with blocking_ok():
        services = Services(world.paths)
    shell.use_services(services)
    shell.detection.stop()  # the test feeds events and snapshots itself
    shell.terms.stop()
    return shell


def find_action(menu: QMenu, text: str):
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
        if action.menu() is not None and (found := find_action(action.menu(), text)) is not None:
            return found
    return None


def test_snapshots_set_the_icon_state_and_the_tooltip(qtbot, shells, world):
    shell = ready_shell(shells, world)
    tray = shell.tray
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(), meetings=(), probes=()))
    assert tray.state == TrayState.IDLE
    assert tray.icon.toolTip() == f"{APP_NAME}: no meeting client detected"

    app = RunningApp("a1", "plaincall", NOW, ())
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(app,), meetings=(), probes=()))
    assert tray.state == TrayState.CLIENT_OPEN
    assert tray.icon.toolTip() == f"{APP_NAME}: PlainCall is open — no meeting detected"

    shell.on_snapshot(meeting_snapshot("plaincall"))
    assert tray.state == TrayState.MEETING
    assert tray.icon.icon().cacheKey() == state_icon(TrayState.MEETING).cacheKey()

    shell.on_snapshot(meeting_snapshot())
    assert tray.state == TrayState.AI_MEETING
    assert tray.icon.icon().cacheKey() == state_icon(TrayState.AI_MEETING).cacheKey()
    assert tray.icon.toolTip() == (f"{APP_NAME}: TestMeet meeting in progress — Meeting summary with Helper AI can "
                                   "be turned on by the host or an account admin")


def assert_terms_change_shown(qtbot, shell) -> None:
    window = shell.settings_host.window
    assert window is not None and window.isVisible() and window.current_tab() == "terms"

    def chosen() -> bool:  # the tab reads the terms store on the job runner
        document = window.terms.current_document()
        return document is not None and (document.provider_id, document.document_id) == ("testmeet", "terms")

    qtbot.waitUntil(chosen, timeout=10000)


def test_terms_change_shows_until_the_user_looks_at_it(qtbot, shells, world):
    shell = ready_shell(shells, world)
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(), meetings=(), probes=()))
    shell.on_terms_changed([terms_changed()])
    assert shell.tray.state == TrayState.TERMS_CHANGED
    action = find_action(shell.tray.menu, "TestMeet Terms of Service changed — show the change…")
    assert action is not None
    action.trigger()
    assert_terms_change_shown(qtbot, shell)
    assert shell.tray.state == TrayState.IDLE


def test_menu_lists_the_meeting_its_evidence_features_and_clauses(qtbot, shells, world):
    shell = ready_shell(shells, world)
    shell.on_snapshot(meeting_snapshot())
    lines = [line.strip() for line in menu_texts(shell.tray.menu)]
    assert lines[0] == "TestMeet meeting in progress"
    assert f"TestMeet meeting: {MEETING_TITLE}" in lines
    assert f"Window: window '{MEETING_TITLE}' of testmeet (pid 4242)" in lines
    assert "Meeting summary with Helper AI (formerly Recap)" in lines
    assert "Cloud recording (unverified)" in lines
    assert "Turned on by: the host or an account admin" in lines
    assert "You can ask the host to stop it or leave the meeting." in lines
    assert "Source: Summary help page (checked 10 Jan 2026)" in lines
    assert "§10.2 AI training — checked 10 Jan 2026" in lines
    assert "§10.4 Use of your content or data (unverified) — checked 12 Jan 2026" in lines  # whole, date not cut
    assert "“We do not use your audio, video or chat to train AI models.”" in lines
    assert not any("Old wording" in line for line in lines), "a clause no longer in force is not listed"
    for item in ("Record my decision…", "Pause monitoring for 1 hour", "Check terms now", "Open settings", "Quit"):
        assert item in lines


def test_pause_for_an_hour_and_resume_from_the_menu(qtbot, shells, world):
    shell = shells.make(world.paths)
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    qtbot.waitUntil(lambda: shell.snapshot is not None, timeout=10000)
    find_action(shell.tray.menu, "Pause monitoring for 1 hour").trigger()
    qtbot.waitUntil(lambda: shell.status.paused, timeout=5000)
    assert shell.tray.state == TrayState.PAUSED
    until = shell.status.paused_until
    assert 3590 < (until - datetime.now(UTC)).total_seconds() <= 3600
    resume = f"Resume monitoring (paused until {until.astimezone().strftime('%H:%M')})"
    assert find_action(shell.tray.menu, resume) is not None
    assert find_action(shell.tray.menu, "Pause monitoring for 1 hour") is None
    find_action(shell.tray.menu, resume).trigger()
    qtbot.waitUntil(lambda: not shell.status.paused, timeout=5000)
    assert find_action(shell.tray.menu, "Pause monitoring for 1 hour") is not None


def test_a_meeting_is_announced_once_even_when_its_start_is_reported_again(qtbot, shells, world):
    shell = ready_shell(shells, world)
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000) as sent:
        shell.on_events([started(shell.services)])
    assert sent.args == ["meeting:s1"]
    shell.on_events([started(shell.services)])
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000) as other:
        shell.on_events([started(shell.services, "s2", "plaincall")])
    assert other.args == ["meeting:s2"]
    assert list(shell.notices) == ["meeting:s1", "meeting:s2"]


def test_muted_kinds_are_not_announced(qtbot, shells, world):
    world.settings("[general]\nwelcome_shown = true\n\n[notifications]\nmeeting_started = false\n")
    shell = ready_shell(shells, world)
    shell.on_events([started(shell.services)])
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000) as sent:
        shell.on_events([notetaker(shell.services)])
    assert sent.args == ["notetaker:n1"]
    assert list(shell.notices) == ["notetaker:n1"]


def test_clicking_the_real_notification_opens_the_consent_dialog(qtbot, shells, world):
    shell = ready_shell(shells, world)
    assert shell.notifier.name == "freedesktop"
    dunst("close-all")
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000):
        shell.on_events([started(shell.services)])
        shell.on_snapshot(meeting_snapshot())  # the worker sends the tick's snapshot after its events
    assert dunst("count", "displayed").stdout.strip() == "1"
    with qtbot.waitSignal(shell.consent_dialog_opened, timeout=10000) as opened:
        assert dunst("action", "0").returncode == 0
    dialog = opened.args[0]
    assert dialog.provider.currentData() == "testmeet"
    assert dialog.title.text() == MEETING_TITLE
    assert "window 'TestMeet Meeting'" in dialog.evidence_info.text()
    dunst("close-all")
    history = dunst("history").stdout
    assert "TestMeet meeting detected: TestMeet Meeting" in history
    assert "Meeting summary with Helper AI" in history


def test_clicking_a_terms_notification_opens_the_change(qtbot, shells, world):
    shell = ready_shell(shells, world)
    dunst("close-all")
    with qtbot.waitSignal(shell.notifier.sent, timeout=10000):
        shell.on_terms_changed([terms_changed()])
    with qtbot.waitSignal(shell.status_changed, timeout=10000):
        assert dunst("action", "0").returncode == 0
    assert_terms_change_shown(qtbot, shell)
    assert shell.unseen_terms == {}


def test_check_terms_now_runs_in_the_worker_and_answers_with_a_notification(qtbot, shells, world):
    shell = shells.make(world.paths)  # world's settings switch the network off: nothing leaves this machine
    with qtbot.waitSignal(shell.services_ready, timeout=20000):
        shell.start()
    with qtbot.waitSignal(shell.notifier.sent, check_params_cb=lambda key: key.startswith("terms-check:"),
                          timeout=30000):
        find_action(shell.tray.menu, "Check terms now").trigger()
        assert shell.checking_terms
        assert find_action(shell.tray.menu, "Checking terms…") is not None
    qtbot.waitUntil(lambda: not shell.checking_terms, timeout=5000)
    (notice,) = [n for k, n in shell.notices.items() if k.startswith("terms-check:")]
    assert notice.body.startswith("Nothing was fetched: network access is switched off")
    assert find_action(shell.tray.menu, "Check terms now") is not None
