"""Window titles on GNOME (Wayland) through the Guard's own GNOME Shell extension. Experimental.

GNOME Shell offers apps no way to read other windows' titles (its ``Eval`` method is closed to
apps since GNOME 41), so the Guard ships a small extension
(``resources/desktop/gnome_shell``, installed by ``meeting-guard desktop install-gnome-extension``)
that exports one method on the Shell's bus connection: ``List`` on :data:`PATH`, returning each
normal window's id, pid and title, and nothing else. It answers only a caller that holds, or
waits for, the Guard's reader name :data:`READER_NAME` on the session bus; this lister asks for
that name (queueing behind the tray app when it holds it) before it calls.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from guard import APP_RDNS_ID
from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo
from guard.detect.windows.session_bus import BusError, call, close_quietly, open_session_bus
from guard.patterns import bounded

log = logging.getLogger(__name__)

SHELL = "org.gnome.Shell"
PATH = "/io/github/meetingprivacyguard/WindowTitles"
INTERFACE = "io.github.meetingprivacyguard.WindowTitles1"
READER_NAME = f"{APP_RDNS_ID}.WindowReader"
EXTENSION_UUID = "meeting-guard-windows@meetingprivacyguard.github.io"
MAX_WINDOWS = 500
INSTALL_HINT = ("install the Guard's GNOME Shell extension (meeting-guard desktop install-gnome-extension, or "
                "Preferences), then log out and back in")
_NOT_THERE = ("org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod",
              "org.freedesktop.DBus.Error.UnknownInterface", "org.freedesktop.DBus.Error.ServiceUnknown")


class GnomeShellWindowLister:
    """Lists GNOME Shell's windows through the Guard's extension."""

    name = "gnome-shell-extension"
    covers_xwayland = True  # Mutter's window list holds its X11 windows too

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env if env is not None else os.environ
        self._conn: Any = None

    def windows(self) -> list[WindowInfo]:
        conn = self._connect()
        try:
            (items,) = call(conn, SHELL, PATH, INTERFACE, "List")
        except BusError as error:
            if error.name in _NOT_THERE:
                raise ProbeUnavailable(f"GNOME Shell does not list window titles to apps; {INSTALL_HINT}") from None
            if error.name == "org.freedesktop.DBus.Error.AccessDenied":
                raise ProbeUnavailable(f"the Guard's GNOME Shell extension refused to list windows ({error}); "
                                       f"another program may hold the name {READER_NAME}") from None
            raise ProbeUnavailable(f"the Guard's GNOME Shell extension failed: {error}") from None
        except (OSError, TimeoutError) as error:
            self.close()
            raise ProbeUnavailable(f"GNOME Shell did not answer on the session bus: {error or 'timed out'}") from None
        return _windows(items, self._focused(conn))

    def _focused(self, conn: Any) -> int:
        """The id of the window with the focus; 0 when none has it or the extension is older than Focused()."""
        try:
            (window,) = call(conn, SHELL, PATH, INTERFACE, "Focused")
        except BusError:
            return 0
        except (OSError, TimeoutError):
            self.close()
            return 0
        return window if isinstance(window, int) and window > 0 else 0

    def close(self) -> None:
        if self._conn is not None:
            close_quietly(self._conn)
            self._conn = None

    def _connect(self) -> Any:
        if self._conn is None:
            conn = open_session_bus(self._env)
            try:
                # Flags 0: queue behind the holder (the tray app) rather than fail; the extension
                # answers every connection in the name's queue.
                (result,) = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                 "RequestName", "su", (READER_NAME, 0))
            except (BusError, OSError, TimeoutError) as error:
                close_quietly(conn)
                raise ProbeUnavailable(f"cannot ask for the bus name {READER_NAME}: {error}") from None
            log.debug("Asked for %s: %s", READER_NAME, result)
            self._conn = conn
        return self._conn


def _windows(items: Any, focused: int = 0) -> list[WindowInfo]:
    found: list[WindowInfo] = []
    if not isinstance(items, list):
        raise ProbeUnavailable("the Guard's GNOME Shell extension sent something other than a window list")
    for item in items[:MAX_WINDOWS]:
        if not isinstance(item, tuple) or len(item) != 3:
            continue
        window_id, pid, title = item
        if not isinstance(title, str) or not title:
            continue
        number = window_id if isinstance(window_id, int) else 0
        found.append(WindowInfo(title=bounded(title), pid=pid if isinstance(pid, int) and pid > 0 else None,
                                window_id=number, active=bool(focused) and number == focused))
    return found
