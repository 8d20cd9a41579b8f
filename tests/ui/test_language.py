"""The app in the user's language: the desktop locale chooses it, Preferences override it, our
strings come from resources/locale (gettext) and Qt's standard buttons from qtbase_<lang>.qm.
Real Qt application with its tray under Xvfb and trayer."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from guard.monitor import Snapshot
from guard.presentation.i18n import current_language
from tests.ui.test_shell import NOW, find_action, meeting_snapshot, ready_shell
from ui.language import apply_language
from ui.tray.menu import menu_texts

pytestmark = pytest.mark.desktop

GERMAN = """
[general]
welcome_shown = true
language = "de"

[terms]
network_enabled = false
"""


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    apply_language("")  # the tests' desktop is C.UTF-8: English


def cancel_text() -> str:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    return box.button(QDialogButtonBox.StandardButton.Cancel).text()


def test_the_setting_shows_menu_tooltip_settings_and_qt_buttons_in_german(qtbot, shells, world):
    world.settings(GERMAN)
    shell = ready_shell(shells, world)
    assert current_language() == "de"
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(), meetings=(), probes=()))
    lines = menu_texts(shell.tray.menu)
    for item in ("Meine Entscheidung festhalten…", "Überwachung 1 Stunde pausieren", "Einstellungen öffnen",
                 "Willkommen und Datenschutz…", "Beenden"):
        assert item in lines, (item, lines)
    assert "kein Meeting-Client erkannt" in shell.tray.icon.toolTip()
    shell.on_snapshot(meeting_snapshot())
    assert find_action(shell.tray.menu, "Warum die App das annimmt") is not None
    assert cancel_text() == "Abbrechen", "Qt's own buttons follow the language (qtbase_de.qm)"
    shell.show_settings()
    qtbot.waitUntil(lambda: shell.settings_host.window is not None and shell.settings_host.window.isVisible(),
                    timeout=20000)
    tabs = shell.settings_host.window.tab_widget
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Übersicht", "Anbieter", "Einwilligungsverlauf", "Bedingungsänderungen", "Einstellungen"]


def test_the_desktop_locale_chooses_french_and_an_unknown_one_english(qtbot, monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert apply_language("") == "fr"
    assert cancel_text() == "Annuler"
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert apply_language("") == "en" and cancel_text() == "Cancel"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert apply_language("de") == "de", "the Preferences' choice wins over the desktop's"


def test_changing_the_language_in_preferences_rebuilds_the_menu(qtbot, shells, world):
    shell = ready_shell(shells, world)
    shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=None, apps=(), meetings=(), probes=()))
    assert "Open settings" in menu_texts(shell.tray.menu)
    settings = shell.services.settings
    shell.apply_settings(settings.model_copy(update={"general": settings.general.model_copy(
        update={"language": "fr"})}))
    qtbot.waitUntil(lambda: "Ouvrir les paramètres" in menu_texts(shell.tray.menu), timeout=5000)
    assert "Quitter" in menu_texts(shell.tray.menu)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it", "nl"])
def test_the_consent_dialogs_keyboard_shortcuts_do_not_clash_in_any_language(qtbot, world, language):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from guard.services import Services
    from tests.ui.settings.test_window import mnemonic
    from tests.ui.test_consent_dialog import dialog_for

    apply_language(language)
    dialog = dialog_for(qtbot, Services(world.paths))
    letters = [letter for widget in (*dialog.findChildren(QLabel), *dialog.findChildren(QAbstractButton))
               if (letter := mnemonic(widget.text()))]
    assert len(letters) > 10 and len(letters) == len(set(letters)), sorted(letters)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it", "nl"])
def test_the_tray_menus_keyboard_shortcuts_do_not_clash_in_any_language(qtbot, shells, world, language):
    from datetime import timedelta

    from tests.ui.settings.test_window import mnemonic

    world.settings(GERMAN.replace('"de"', f'"{language}"'))
    shell = ready_shell(shells, world)
    for paused in (None, NOW + timedelta(hours=1)):
        shell.on_snapshot(Snapshot(at=NOW, enabled=True, paused_until=paused, apps=(), meetings=(), probes=()))
        letters = [letter for action in shell.tray.menu.actions() if (letter := mnemonic(action.text()))]
        assert len(letters) >= 6 and len(letters) == len(set(letters)), sorted(letters)
