"""Dialogs and small windows: the consent dialog and the window used when there is no tray."""
