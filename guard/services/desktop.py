"""The door's desktop calls: what this desktop offers and what works here, the tray icon's
registration, and the GNOME Shell extension. Each waits on the session bus or the disk, so the
UI runs them through its job runner (they are :func:`~guard.services.threads.blocking`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from guard.services.threads import blocking

if TYPE_CHECKING:
    from guard.desktop import DesktopReport, ExtensionInstall
    from guard.detect.observation import ProbeStatus
    from guard.presentation.desktop import Capability


@blocking
def desktop_report() -> DesktopReport:
    """Blocks: this session's desktop and what its bus offers (a few calls, one second each at most)."""
    from guard.desktop import look_around

    return look_around()


@blocking
def desktop_capabilities(probes: Sequence[ProbeStatus] = ()) -> tuple[DesktopReport, tuple[Capability, ...]]:
    """Blocks: the desktop report and, from it and the probes' last statuses, what each signal can do here."""
    from guard.desktop import look_around
    from guard.presentation.desktop import desktop_capabilities as capabilities

    report = look_around()
    return report, capabilities(report, probes)


@blocking
def tray_registered(pid: int | None = None) -> bool:
    """Blocks: whether this process's tray icon is registered as a status notifier item with the
    desktop's tray host (Plasma's panel, waybar, GNOME's AppIndicator extension)."""
    from guard.desktop import status_notifier_registered

    return status_notifier_registered(os.getpid() if pid is None else pid)


@blocking
def install_gnome_extension() -> ExtensionInstall:
    """Blocks: installs the Guard's GNOME Shell extension for this user (raises ExtensionError)."""
    from guard.desktop.gnome_extension import install

    return install()
