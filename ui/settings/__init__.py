"""The settings window (issue 9): overview, providers, consent history, terms changes, preferences.

The window loads when first named (``from ui.settings import SettingsWindow``): the welcome and
other small windows use :mod:`ui.settings.common` without pulling in every tab (about 30 MB
and 170 ms on the first start, issue 18).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.settings.window import TABS, SettingsWindow

__all__ = ["TABS", "SettingsWindow"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("ui.settings.window"), name)
    raise AttributeError(f"module 'ui.settings' has no attribute {name!r}")
