"""Give memory freed by a closed window back to the system.

The settings window holds thousands of widgets and a page cache; when it closes they are
freed, but glibc keeps freed memory in the process for reuse, so the tray app would stay at
its peak size for the rest of the session. ``malloc_trim`` hands it back (Linux; elsewhere
the C library returns memory by itself and this does nothing).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sys

log = logging.getLogger(__name__)


def give_back_memory() -> None:
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError) as error:  # not glibc (e.g. musl): nothing to trim
        log.debug("malloc_trim is not available: %s", error)
