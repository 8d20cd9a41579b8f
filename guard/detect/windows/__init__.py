"""Window titles and the processes that own them, one backend per OS behind :class:`WindowLister`.

Backends: :mod:`.linux_x11` (EWMH over python-xlib), :mod:`.win32` (EnumWindows),
:mod:`.macos` (CGWindowListCopyWindowInfo). :mod:`guard.detect.platform` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class WindowInfo:
    """A top-level window: its title and owning process (None when the window does not say)."""

    title: str
    pid: int | None
    window_id: int = 0


class WindowLister(Protocol):
    """Lists visible top-level windows; raises ProbeUnavailable (with the reason) when it cannot."""

    name: str

    def windows(self) -> list[WindowInfo]: ...
