"""Detection's platform switch: which OS (and, on Linux, which desktop) this is, and the window,
microphone, camera, socket and accessibility backends for it. Each OS-specific area has exactly
one such switch (autostart: :func:`guard.autostart.current_autostart`; notifications:
``ui.notifications.choose_notifier``), and tests/test_contracts.py checks that every backend of
an area has the same surface."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from guard.detect.desktop import Compositor, DesktopFacts, SessionType, desktop_facts
from guard.detect.media import MediaLister
from guard.detect.windows import WindowLister

if TYPE_CHECKING:
    from guard.catalog.models import OsName
    from guard.detect.accessibility import AccessibilityReader, ClientInMeeting
    from guard.detect.browser_tabs import BrowserTabs
    from guard.detect.matching import DetectionRules
    from guard.detect.observation import Observation


def current_os(platform: str | None = None) -> OsName:
    """``linux``, ``windows`` or ``macos``: the catalog's name for this OS."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "linux"


def _browser_tabs() -> BrowserTabs:
    from guard.detect.browser_tabs import BrowserTabs  # pydantic and the state schemas: only when detecting

    return BrowserTabs()


def _no_accessibility() -> AccessibilityReader:
    from guard.detect.accessibility import Unavailable

    return Unavailable("accessibility", "no accessibility reader was given")


class DeferredReader:
    """An accessibility reader made when first asked to read. The probe is off by default and
    reads only while a client shows a meeting, so most passes (every ``meeting-guard scan``
    without one, issue 18) need only its name and never load the reader's modules."""

    def __init__(self, name: str, make: Callable[[], AccessibilityReader]) -> None:
        self.name = name
        self._make = make
        self.reader: AccessibilityReader | None = None

    def observations(self, clients: Sequence[ClientInMeeting], rules: DetectionRules,
                     at: datetime) -> list[Observation]:
        if self.reader is None:
            self.reader = self._make()
        return self.reader.observations(clients, rules, at)

    def close(self) -> None:
        """Closes the reader, if one was made."""
        if self.reader is not None:
            self.reader.close()


def _atspi_reader() -> AccessibilityReader:
    from guard.detect.accessibility.atspi import AtSpiReader

    return AtSpiReader()


@dataclass
class Backends:
    """What the detector uses to look, besides the process table."""

    windows: WindowLister
    microphone: MediaLister
    camera: MediaLister
    sockets: MediaLister
    browser_tabs: BrowserTabs = field(default_factory=_browser_tabs)  # the extension's tabs, on every OS
    # native clients' notices and participant lists (off unless the setting enables it)
    accessibility: AccessibilityReader = field(default_factory=_no_accessibility)


def current_desktop(env: Mapping[str, str] | None = None) -> DesktopFacts:
    """The desktop this process runs in, from its environment."""
    return desktop_facts(os.environ if env is None else env, current_os())


def linux_window_lister(env: Mapping[str, str] | None = None) -> WindowLister:
    """The window lister for this Linux desktop: EWMH on X11; on Wayland the desktop's own
    (sway's IPC, a KWin script, the GNOME Shell extension) with X11 apps read through Xwayland."""
    from guard.detect.windows.linux_x11 import X11WindowLister

    env = os.environ if env is None else env
    facts = desktop_facts(env, "linux")
    if facts.session != SessionType.WAYLAND:
        return X11WindowLister(env)
    from guard.detect.windows.wayland import WaylandWindowLister

    primary: WindowLister | None = None
    if facts.compositor == Compositor.SWAY:
        from guard.detect.windows.sway_ipc import SwayWindowLister

        primary = SwayWindowLister(env)
    elif facts.compositor == Compositor.KDE:
        from guard.detect.windows.kwin_script import KWinWindowLister

        primary = KWinWindowLister(env)
    elif facts.compositor == Compositor.GNOME:
        from guard.detect.windows.gnome_shell import GnomeShellWindowLister

        primary = GnomeShellWindowLister(env)
    xwayland = X11WindowLister(env, xwayland=True) if facts.xwayland else None
    return WaylandWindowLister(primary, xwayland, facts.label)


def default_backends(os_name: OsName | None = None, *, one_pass: bool = False) -> Backends:
    """The real backends for ``os_name`` (default: this OS). Imports only what that OS needs.
    ``one_pass``: for a single detection pass (``scan``), so no helper that only pays off over
    many ticks is started (Linux's ``pactl subscribe``: the list is read directly)."""
    from guard.detect.sockets import UdpSockets, Unsupported

    os_name = os_name or current_os()
    if os_name == "windows":
        from guard.detect.accessibility import unavailable_for
        from guard.detect.media.win32_consent import ConsentStoreUsage
        from guard.detect.windows.win32 import Win32WindowLister

        return Backends(Win32WindowLister(), ConsentStoreUsage("microphone"), ConsentStoreUsage("webcam"), UdpSockets(),
                        accessibility=unavailable_for("windows"))
    if os_name == "macos":
        from guard.detect.accessibility import unavailable_for
        from guard.detect.media.macos_coreaudio import CAMERA_UNAVAILABLE, CoreAudioMicrophone
        from guard.detect.windows.macos import MacWindowLister

        return Backends(MacWindowLister(), CoreAudioMicrophone(), Unsupported("macos-camera", CAMERA_UNAVAILABLE),
                        UdpSockets(), accessibility=unavailable_for("macos"))
    from guard.detect.media.linux_pulse import PulseMicrophone
    from guard.detect.media.linux_video import ProcVideoDevices

    return Backends(linux_window_lister(), PulseMicrophone(subscribe=not one_pass), ProcVideoDevices(), UdpSockets(),
                    accessibility=DeferredReader("at-spi", _atspi_reader))
