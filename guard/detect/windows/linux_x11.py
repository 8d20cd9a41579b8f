"""Window titles on X11 through EWMH: _NET_CLIENT_LIST, _NET_WM_NAME (or WM_NAME), _NET_WM_PID.

Uses python-xlib (pure Python): a lost X connection or a window that vanished mid-query is a
Python exception here, where libX11 through ctypes would call the process-exiting default
I/O error handler. Without a live EWMH window manager (no valid _NET_SUPPORTING_WM_CHECK) the root window's
mapped children (and, for reparenting managers, their children) are read instead.
Under Wayland, other apps' windows cannot be read, so the probe says so and stands aside.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo

log = logging.getLogger(__name__)


def unavailable_reason(env: Mapping[str, str]) -> str | None:
    """Why X11 window titles cannot be read in this session, or None when they can."""
    if env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or env.get("WAYLAND_DISPLAY"):
        return ("this is a Wayland session: Wayland does not let one app read other apps' window "
                "titles; detection goes on with processes, command lines, microphone and camera")
    if not env.get("DISPLAY"):
        return "no X display (DISPLAY is not set); detection goes on without window titles"
    return None


class X11WindowLister:
    name = "x11-ewmh"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env if env is not None else os.environ
        self._display = None
        self._atoms: dict[str, int] = {}
        self.last_source = ""  # "ewmh" (_NET_CLIENT_LIST) or "tree" (no EWMH window manager)
        self._pids: dict[int, int | None] = {}  # a window's owner never changes: read it once

    def windows(self) -> list[WindowInfo]:
        reason = unavailable_reason(self._env)
        if reason:
            raise ProbeUnavailable(reason)
        from Xlib import error as xerror

        display = self._connect()
        try:
            return self._list(display)
        except (xerror.ConnectionClosedError, OSError) as error:
            self.close()
            raise ProbeUnavailable(f"lost the X display {self._env.get('DISPLAY')}: {error}") from None

    def close(self) -> None:
        if self._display is not None:
            try:
                self._display.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail in any way
                pass
            self._display = None

    def _connect(self):  # noqa: ANN202 - Xlib has no type hints
        if self._display is not None:
            return self._display
        try:
            from Xlib import display as xdisplay
        except ImportError as error:
            raise ProbeUnavailable(f"python-xlib is not installed ({error})") from None
        name = self._env.get("DISPLAY")
        try:
            self._display = xdisplay.Display(name)
        except Exception as error:  # noqa: BLE001 - Xlib raises many kinds on connect
            raise ProbeUnavailable(f"cannot open the X display {name}: {error}") from None
        self._atoms = {}
        self._pids = {}
        return self._display

    def _atom(self, name: str) -> int:
        atom = self._atoms.get(name)
        if atom is None:
            atom = self._atoms[name] = self._display.intern_atom(name)
        return atom

    def _list(self, display) -> list[WindowInfo]:  # noqa: ANN001
        root = display.screen().root
        client_list = None
        if self._window_manager_alive(display, root):
            client_list = root.get_full_property(self._atom("_NET_CLIENT_LIST"), 0)  # 0: AnyPropertyType
        if client_list is not None:
            ids = list(client_list.value)
            windows = [display.create_resource_object("window", wid) for wid in ids]
            self.last_source = "ewmh"
        else:
            windows = self._unmanaged_top_levels(root)
            self.last_source = "tree"
        found: list[WindowInfo] = []
        for window in windows:
            info = self._describe(window)
            if info is not None:
                found.append(info)
        listed = {int(window.id) for window in windows}
        self._pids = {wid: pid for wid, pid in self._pids.items() if wid in listed}
        return found

    def _window_manager_alive(self, display, root) -> bool:  # noqa: ANN001
        """EWMH: _NET_SUPPORTING_WM_CHECK names a live window that names itself. A window manager
        that exited leaves _NET_CLIENT_LIST behind, stale; this tells the two apart."""
        from Xlib import error as xerror

        atom = self._atom("_NET_SUPPORTING_WM_CHECK")
        check = root.get_full_property(atom, 0)
        if check is None or not len(check.value):
            return False
        wid = int(check.value[0])
        try:
            own = display.create_resource_object("window", wid).get_full_property(atom, 0)
        except (xerror.BadWindow, xerror.BadDrawable):
            return False
        return own is not None and len(own.value) > 0 and int(own.value[0]) == wid

    def _unmanaged_top_levels(self, root) -> list:  # noqa: ANN001
        """Top-level client windows when no EWMH window manager keeps a client list."""
        from Xlib import X, error as xerror

        wm_state = self._atom("WM_STATE")
        result = []
        for child in root.query_tree().children:
            try:
                attributes = child.get_attributes()
                if attributes.override_redirect or attributes.map_state != X.IsViewable:
                    continue
                if child.get_full_property(wm_state, 0) is not None or self._title(child):
                    result.append(child)
                    continue
                result += [grandchild for grandchild in child.query_tree().children
                           if grandchild.get_full_property(wm_state, 0) is not None]
            except (xerror.BadWindow, xerror.BadDrawable):
                continue
        return result

    def _describe(self, window) -> WindowInfo | None:  # noqa: ANN001
        from Xlib import error as xerror

        wid = int(window.id)
        try:
            title = self._title(window)
            if not title:
                return None
            if wid not in self._pids:
                pid_prop = window.get_full_property(self._atom("_NET_WM_PID"), 0)
                self._pids[wid] = int(pid_prop.value[0]) if pid_prop is not None and len(pid_prop.value) else None
        except (xerror.BadWindow, xerror.BadDrawable, xerror.BadValue):
            return None  # closed between listing and reading
        return WindowInfo(title=title, pid=self._pids[wid], window_id=wid)

    def _title(self, window) -> str:  # noqa: ANN001
        prop = window.get_full_property(self._atom("_NET_WM_NAME"), self._atom("UTF8_STRING"))
        if prop is not None and prop.value:
            value = prop.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        prop = window.get_full_property(self._atom("WM_NAME"), 0)
        if prop is not None and prop.value:
            value = prop.value
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
        return ""
