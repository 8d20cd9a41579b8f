"""Give memory freed by a closed window back to the system.

The settings window holds thousands of widgets and a page cache; when it closes they are
freed, but glibc keeps freed memory in the process for reuse, so the tray app would stay at
its peak size for the rest of the session. ``malloc_trim`` hands it back (Linux; elsewhere
the C library returns memory by itself and this does nothing).

glibc also gives each thread that allocates at once its own arena; the tray app has a dozen
threads (job lanes, D-Bus, detection), and memory freed in one arena is not reused by another,
so the app grew a few MB each time the settings window was opened again. Two arenas are
plenty for an app whose GUI thread does little (:func:`limit_arenas`, before threads start).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sys

log = logging.getLogger(__name__)


M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2


def limit_arenas() -> None:
    """At most :data:`ARENAS` malloc arenas (glibc); call before the app starts its threads."""
    if not sys.platform.startswith("linux"):
        return
    try:
        if not ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, ARENAS):
            log.debug("mallopt(M_ARENA_MAX) was refused")
    except (OSError, AttributeError) as error:  # not glibc: its allocator has no such setting
        log.debug("mallopt is not available: %s", error)


def give_back_memory(drawings: bool = False) -> None:
    """After a window closed or an export: collect the cycles that still hold its Python objects
    (signal closures refer back to their widgets), then hand glibc's freed pages back.

    ``drawings``: also empty Qt's pixmap cache, where the style keeps what it drew for the closed
    window (radio buttons, frames, combo boxes: a few hundred kB the tray's menu never uses); whatever
    is still shown draws its own again when next painted. For a window closed in the tray app."""
    gc.collect()
    if drawings:
        from PySide6.QtGui import QGuiApplication, QPixmapCache

        if QGuiApplication.instance() is not None:
            QPixmapCache.clear()
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError) as error:  # not glibc (e.g. musl): nothing to trim
        log.debug("malloc_trim is not available: %s", error)
