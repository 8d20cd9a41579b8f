"""The settings window's tests: real Services over the test's own MEETING_GUARD_HOME (real
settings file, ledger, terms store), a private XDG_CONFIG_HOME for the autostart entry, and
the window shown under the test desktop's X server (offscreen when there is none)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from guard.paths import app_paths
from guard.services import Services


@pytest.fixture
def xdg_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


@pytest.fixture
def services(app_home: Path, xdg_config: Path) -> Iterator[Services]:
    from tests.ui.conftest import blocking_ok

    with blocking_ok():  # the test's own setup, not the app's GUI thread at work
        opened = Services(app_paths())
    yield opened
    with blocking_ok():
        opened.close()


@pytest.fixture
def open_window(qtbot, services: Services) -> Iterator[Callable[..., object]]:
    """``open_window()`` shows a SettingsWindow over ``services`` (closed at the end of the test)."""
    from ui.settings import SettingsWindow

    windows: list[SettingsWindow] = []

    def factory(svc: Services | None = None, tab: str | None = None) -> SettingsWindow:
        window = SettingsWindow(svc or services)
        qtbot.addWidget(window)
        windows.append(window)
        if tab:
            window.show_tab(tab)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield factory
    for window in windows:
        window.shutdown()
        window.close()


def wait_idle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait until the window's background jobs are done and their results delivered (a result
    may start another job, so a few rounds)."""
    for _ in range(4):
        qtbot.waitUntil(lambda: window.tasks.wait(50) is True, timeout=60_000)
        qtbot.wait(20)


def click_box(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    """Click a check box on its indicator (a stretched box does not react to clicks in its empty part)."""
    from PySide6.QtCore import QPoint, Qt

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
