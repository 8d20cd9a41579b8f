"""The desktop around the app, besides detection: what the session offers (a tray host, a
notification server, the Guard's GNOME Shell extension), and installing that extension.

Detection's own view of the desktop (which window lister fits) is :mod:`guard.detect.desktop`;
what the user is told works here is :mod:`guard.presentation.desktop`. No Qt here.
"""

from guard.desktop.gnome_extension import ExtensionError, ExtensionInstall, ExtensionState
from guard.desktop.session import DesktopReport, DesktopServices, look_around, status_notifier_registered

__all__ = ["DesktopReport", "DesktopServices", "ExtensionError", "ExtensionInstall", "ExtensionState",
           "look_around", "status_notifier_registered"]
