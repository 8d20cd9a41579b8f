"""One SVG per tray state (resources/icons/tray-<state>.svg), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from guard.presentation.icons import app_icon_path, state_icon_path
from guard.presentation.views import TrayState


def icon_path(state: TrayState) -> Path:
    return state_icon_path(state)


@cache
def state_icon(state: TrayState) -> QIcon:
    return QIcon(str(state_icon_path(state)))


def app_icon() -> QIcon:
    return QIcon(str(app_icon_path()))
