"""One SVG per tray state (resources/icons/tray-<state>.svg), loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from guard.paths import resources_dir
from guard.presentation.views import TrayState


def icon_path(state: TrayState) -> Path:
    return resources_dir() / "icons" / f"tray-{state.value}.svg"


@cache
def state_icon(state: TrayState) -> QIcon:
    return QIcon(str(icon_path(state)))


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "meeting-privacy-guard.svg"))
