"""Window titles on a Wayland desktop: the desktop's own lister, and X11 apps through Xwayland.

Wayland lets no app read other apps' window titles through the protocol; each desktop has its
own sanctioned way (sway's IPC, a KWin script, the Guard's GNOME Shell extension). X11 apps
still run on the session's Xwayland display, whose windows any X11 client can read as on any X
server: many meeting clients (Zoom's Linux client among them) run there by default.

Every desktop lister here also lists Xwayland's windows, with their pids, so Xwayland is read
directly only when the desktop's own lister cannot look (no extension, the socket gone) or does
not cover X11 windows; connecting to an Xwayland that starts on demand would start it for
nothing. When both lists are read, they are merged and a window in both (same pid and title)
is listed once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo, WindowLister

log = logging.getLogger(__name__)


def merge_windows(lists: Iterable[Sequence[WindowInfo]]) -> list[WindowInfo]:
    """The windows of all ``lists`` in order, each (pid, title) once: the first list's copy wins."""
    seen: set[tuple[int | None, str]] = set()
    merged: list[WindowInfo] = []
    for windows in lists:
        for window in windows:
            key = (window.pid, window.title)
            if key not in seen:
                seen.add(key)
                merged.append(window)
    return merged


class WaylandWindowLister:
    """The desktop's lister (``primary``, None where the desktop offers none) and Xwayland's."""

    def __init__(self, primary: WindowLister | None, xwayland: WindowLister | None, desktop: str) -> None:
        self.primary = primary
        self.xwayland = xwayland
        self.desktop = desktop
        parts = [lister.name for lister in (primary, xwayland) if lister is not None]
        self.name = "+".join(parts) or "none"
        self.last_problem = ""  # why the last call saw only part of the windows ("" when it saw all)

    def windows(self) -> list[WindowInfo]:
        lists: list[list[WindowInfo]] = []
        reasons: list[str] = []
        covered = False
        if self.primary is not None:
            try:
                lists.append(self.primary.windows())
                covered = bool(getattr(self.primary, "covers_xwayland", False))
            except ProbeUnavailable as error:
                reasons.append(str(error))
        else:
            reasons.append(f"{self.desktop} gives apps no way to read other apps' window titles")
        if self.xwayland is not None and not covered:
            try:
                lists.append(self.xwayland.windows())
            except ProbeUnavailable as error:
                reasons.append(str(error))
        if not lists:
            raise ProbeUnavailable("; ".join(reasons))
        problem = "; ".join(reasons)
        if problem and problem != self.last_problem:
            log.info("Only X11 (Xwayland) windows are read: %s", problem)
        self.last_problem = problem
        return merge_windows(lists)

    def close(self) -> None:
        for lister in (self.primary, self.xwayland):
            close = getattr(lister, "close", None)
            if callable(close):
                close()
