"""The settings window (issue 9): overview, providers, consent history, terms changes, preferences."""

from ui.settings.window import TABS, SettingsWindow

__all__ = ["TABS", "SettingsWindow"]
