"""The PySide6 desktop shell: tray icon, notifications, windows. No business logic lives here."""
