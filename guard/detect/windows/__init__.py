"""Window titles and the processes that own them, one backend per window system behind :class:`WindowLister`.

Backends: :mod:`.linux_x11` (EWMH over python-xlib, and X11 apps under Xwayland),
:mod:`.sway_ipc` (sway's IPC), :mod:`.kwin_script` (a KWin script, KDE Plasma),
:mod:`.gnome_shell` (the Guard's GNOME Shell extension), :mod:`.wayland` (a Wayland desktop's
own lister merged with Xwayland's windows), :mod:`.win32` (EnumWindows),
:mod:`.macos` (CGWindowListCopyWindowInfo). :mod:`guard.detect.platform` picks one.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol


# A NamedTuple, not a frozen dataclass: defined on every scan's start-up, where a frozen dataclass
# costs several times as much (issue 18); never replaced or serialised.
class WindowInfo(NamedTuple):
    """A top-level window: its title and owning process (None when the window does not say).

    ``window_id`` tells windows apart within one backend; ``app_id`` is what the window system
    calls the app (a Wayland app id, an X11 class), when it says."""

    title: str
    pid: int | None
    window_id: int = 0
    app_id: str = ""
    active: bool = False  # the window with the focus, where the window system says (X11's _NET_ACTIVE_WINDOW)


class WindowLister(Protocol):
    """Lists visible top-level windows; raises ProbeUnavailable (with the reason) when it cannot."""

    name: str

    def windows(self) -> list[WindowInfo]: ...
