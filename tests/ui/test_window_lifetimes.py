"""A closed window is really gone: the tray app runs for days, so the settings window (when it
opens in the tray app's own process) and the consent dialog must leave no widget behind, neither
in Qt (QApplication.allWidgets) nor as a live Python wrapper held by a signal, a cache, the job
runner or a model. Real Qt, the real windows."""

from __future__ import annotations

import gc
import weakref

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QPixmap, QPixmapCache
from PySide6.QtWidgets import QApplication

from tests.ui.test_shell import ready_shell

pytestmark = pytest.mark.desktop

OURS = ("ui.settings.", "ui.dialogs.consent")


def ours() -> set[tuple[int, str]]:
    """Widgets of the window modules that Qt still has, and Python wrappers still valid (address, name)."""
    found = {(shiboken6.getCppPointer(w)[0], f"{type(w).__module__}.{type(w).__name__}")
             for w in QApplication.allWidgets() if type(w).__module__.startswith(OURS)}
    found |= {(shiboken6.getCppPointer(o)[0], f"{type(o).__module__}.{type(o).__name__} (Python)")
              for o in gc.get_objects() if isinstance(o, shiboken6.Shiboken.Object)
              and type(o).__module__.startswith(OURS) and shiboken6.isValid(o)}
    return found


BEFORE: set[int] = set()  # what earlier tests in this process left is theirs to answer for


def live_widgets_of_ours() -> list[str]:
    return sorted({name for address, name in ours() if address not in BEFORE})


def settle(qtbot) -> None:
    qtbot.wait(300)  # the job runner's last results, then deleteLater
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_closing_the_settings_window_and_the_consent_dialog_leaves_no_widget_of_theirs(qtbot, shells, world):
    gc.collect()
    BEFORE.clear()
    BEFORE.update(address for address, _name in ours())
    shell = ready_shell(shells, world)
    host = shell.settings_host
    for tab in ("overview", "providers", "history", "terms", "preferences"):
        shell.show_settings(tab)
        qtbot.waitUntil(lambda: host.window is not None and host.window.isVisible(), timeout=10000)
        shell.jobs.wait(10000)
        qtbot.wait(100)
    window = weakref.ref(host.window)
    assert "ui.settings.window.SettingsWindow" in live_widgets_of_ours()
    host.close_window()
    qtbot.waitUntil(lambda: host.window is None, timeout=5000)
    settle(qtbot)
    assert window() is None or not shiboken6.isValid(window())
    assert live_widgets_of_ours() == []

    dialog = shell.record_consent()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    shell.jobs.wait(10000)
    dialog_ref = weakref.ref(dialog)
    del dialog
    assert any("ConsentDialog" in name for name in live_widgets_of_ours())
    drawn = QPixmap(16, 16)
    QPixmapCache.insert("formmem-drawn-for-the-form", drawn)  # stands for what the style drew for the form
    dialog_ref().close()
    qtbot.waitUntil(lambda: not shell.dialogs, timeout=5000)
    settle(qtbot)
    assert dialog_ref() is None or not shiboken6.isValid(dialog_ref())
    assert live_widgets_of_ours() == []
    # and what Qt drew for it goes too (ui/memory.py)
    qtbot.waitUntil(lambda: QPixmapCache.find("formmem-drawn-for-the-form") is None, timeout=5000)

    shell.show_settings("history")  # and a new window opens after the old one was destroyed
    qtbot.waitUntil(lambda: host.window is not None and host.window.isVisible(), timeout=10000)
