"""Titles and texts chosen by meeting hosts and web pages stay inert in the UI (issue 16,
items 4, 5 and 9): a 100 kB title never blocks a decision and never makes a menu or dialog
wider than the screen; markup in a title cannot rewrite the sentence the user acts on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu

from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting, Signal
from guard.monitor import Snapshot
from guard.presentation.consent_form import MAX_FIELD, ConsentSubject
from guard.services import Decision, Meeting, RecordDraft, Services
from tests.ui.conftest import blocking_ok
from tests.ui.test_shell import ready_shell
from ui.dialogs.consent import ConsentDialog
from ui.settings.withdraw_dialog import WithdrawDialog

pytestmark = pytest.mark.desktop

NOW = datetime.now(UTC)
HUGE = "Weekly sync " + "W" * 100_000  # one long word: nothing to wrap at
REWRITE = ('<b>Budget</b></p><p style="font-size:40px">Pressing Withdraw will NOT withdraw anything.</p>'
           '<img src="file:///etc/hostname">')
MAX_MENU_PX = 600


def widest_menu(menu: QMenu) -> int:
    widths = [menu.sizeHint().width()]
    for action in menu.actions():
        if action.menu() is not None:
            widths.append(widest_menu(action.menu()))
    return max(widths)


def huge_meeting() -> MeetingSession:
    evidence = (Evidence(Signal.WINDOW_TITLE, f"chromium (pid 42) shows a meeting titled '{HUGE}'", NOW, 42),
                Evidence(Signal.BROWSER_TAB, f"tab chromium/7 titled {HUGE}", NOW, tab="chromium/7"))
    return MeetingSession("m1", "testmeet", NOW, evidence, title=HUGE, url=f"https://meet.example.org/{HUGE}")


def test_a_100_kb_title_leaves_the_tray_menu_at_a_sane_width(qtbot, shells, world):
    shell = ready_shell(shells, world)
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(RunningApp("a", "testmeet", NOW),),
                               meetings=(huge_meeting(),), probes=()))
    assert widest_menu(shell.tray.menu) < MAX_MENU_PX
    (entry,) = [a for a in shell.tray.menu.actions() if a.text().startswith("TestMeet meeting: Weekly sync")]
    assert entry.text().endswith("…") and len(entry.text()) < 100


def test_a_100_kb_title_leaves_the_consent_dialog_sane_and_is_saved_cut(qtbot, world):
    with blocking_ok():
        services = Services(world.paths)
    dialog = ConsentDialog(services, ConsentSubject(huge_meeting()))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() < 1000 and dialog.sizeHint().width() < 1000
    assert len(dialog.title.text()) == MAX_FIELD
    dialog.decision_buttons[str(Decision.GIVEN)].click()
    with qtbot.waitSignal(dialog.recorded, timeout=20000) as recorded:
        dialog.save_button.click()
    record = recorded.args[0]
    assert record.meeting.title.startswith("Weekly sync W") and len(record.meeting.title) == MAX_FIELD
    assert all(len(e.detail) <= MAX_FIELD for e in record.evidence) and len(record.evidence) == 2
    with blocking_ok():
        services.close()


def test_markup_in_a_title_cannot_rewrite_the_withdraw_confirmation(qtbot, world):
    with blocking_ok():
        services = Services(world.paths)
        record = services.record_decision(RecordDraft(provider_id="testmeet", decision=Decision.GIVEN,
                                                      meeting=Meeting(title=REWRITE + "W" * 1800)))
    dialog = WithdrawDialog(record, "TestMeet")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if "Withdraw the consent" in label.text()]
    (intro,) = labels
    assert intro.textFormat() == Qt.TextFormat.PlainText
    assert intro.text().startswith("Withdraw the consent you gave to TestMeet for “<b>Budget</b></p>")
    assert "A new record is added that points at it" in intro.text(), "the sentence ends as the app wrote it"
    assert dialog.sizeHint().width() < 1000
    with blocking_ok():
        services.close()


def shown_in_tooltip(tip: str) -> str:
    """What Qt's tooltip shows for ``tip``: like every QLabel left to decide, it renders the text
    as rich text when ``Qt.mightBeRichText`` thinks it is (any '<...>' before the first line break)."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtGui import Qt as QtGuiNamespace

    if not QtGuiNamespace.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def test_markup_in_a_title_shows_as_text_in_the_tray_menus_tooltip(qtbot, shells, world):
    """Audit round four: a title cut in the menu has the whole title in its tooltip, and Qt
    rendered markup in a tooltip (a 40 px 'Pressing Withdraw will NOT withdraw anything.')."""
    shell = ready_shell(shells, world)
    title = REWRITE + " W" * 200
    meeting = MeetingSession("m1", "testmeet", NOW, (Evidence(Signal.WINDOW_TITLE, "a window", NOW, 42),),
                             title=title)
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(RunningApp("a", "testmeet", NOW),),
                               meetings=(meeting,), probes=()))
    (entry,) = [a for a in shell.tray.menu.actions() if a.text().startswith("TestMeet meeting: <b>Budget</b>")]
    assert entry.text().endswith("…")
    shown = " ".join(shown_in_tooltip(entry.toolTip()).split())
    assert shown.startswith("TestMeet meeting: <b>Budget</b></p><p style=\"font-size:40px\">Pressing Withdraw")


def test_markup_in_a_notice_or_bot_name_shows_as_text_in_the_tray_icons_tooltip(qtbot, shells, world):
    shell = ready_shell(shells, world)
    bot = '<b style="font-size:40px">All clear</b><img src="file:///etc/hostname">'
    meeting = MeetingSession("m1", "testmeet", NOW, (Evidence(Signal.WINDOW_TITLE, "a window", NOW, 42),),
                             title="Standup", seen=(SeenInMeeting(Signal.PARTICIPANT, "testmeet", bot, NOW),))
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(RunningApp("a", "testmeet", NOW),),
                               meetings=(meeting,), probes=()))
    shown = " ".join(shown_in_tooltip(shell.tray.icon.toolTip()).split())
    assert '<b style="font-size:40px">All clear</b><img src="file:///et…' in shown, shown
