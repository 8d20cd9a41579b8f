"""The Qt user interface: tray icon, notifications, dialogs, settings window. No business logic.

Importing ``ui`` applies the work-arounds for known Qt binding bugs (see ``ui.qt_fixes``).
"""

from ui import qt_fixes as _qt_fixes

_qt_fixes.apply()
_qt_fixes.stop_caching_sources()
