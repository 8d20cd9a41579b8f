"""Tell the door which thread is the GUI's, so a blocking call made on it is caught
(:mod:`guard.services.threads`). Called once the app's data is open (importing the door
earlier would slow the tray icon down) and by windows created on their own in tests."""

from __future__ import annotations

import threading


def guard_gui_thread() -> None:
    """From now on, blocking door calls on this thread are bugs (logged; raised in tests)."""
    from guard.services import forbid_thread

    forbid_thread(threading.get_ident())
