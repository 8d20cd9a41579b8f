"""Window titles on X11 through EWMH: _NET_CLIENT_LIST, _NET_WM_NAME (or WM_NAME), _NET_WM_PID.

Uses python-xlib (pure Python): a lost X connection or a window that vanished mid-query is a
Python exception here, where libX11 through ctypes would call the process-exiting default
I/O error handler. Without a live EWMH window manager (no valid _NET_SUPPORTING_WM_CHECK) the root window's
mapped children (and, for reparenting managers, their children) are read instead.
Under Wayland, other apps' windows cannot be read through X11, so the probe says so and stands
aside; with ``xwayland=True`` (see :mod:`.wayland`) it reads the X11 apps' windows on the
session's Xwayland display, which X11 clients may read as on any X server.

Bounded work per call, whatever the windows hold: a window's title is read when it is new or
when the X server says it changed (``PropertyNotify``, selected on every listed window), at
most :data:`READS_PER_CALL` titles per call (the rest wait for the next call, oldest first),
and at most :data:`TITLE_BYTES` of each (its start and end, in two requests). Owners are read
once per window. A call on an unchanged desktop costs one request and an event drain.

Robust against other clients, which own what is read: a window that vanishes mid-list (BadWindow),
a property of the wrong type or format (a _NET_WM_PID that is text, a client list of bytes) or a
reply python-xlib cannot parse skips that one window, with a debug log; it never ends the call.
One lister is used by one thread at a time (a lock): python-xlib's Display is not thread-safe
unless ``Xlib.threaded`` is imported, and two threads reading one connection's replies mix them up
(a TypeError deep in its parser). A failure outside any one window drops the connection, so the
next call starts from a fresh one.
"""

from __future__ import annotations

import logging
import os
import struct
import threading
from collections.abc import Mapping
from typing import Any

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo
from guard.patterns import ELISION

log = logging.getLogger(__name__)

_OPENING = threading.Lock()

READS_PER_CALL = 256  # window titles read from the X server per call
TITLE_BYTES = 4096  # of one title: the first and the last half
WINDOWS_LISTED = 10_000  # windows of the client list looked at (a client list is one request)
PID_MAX = 1 << 22  # Linux's largest pid (pid_max's ceiling); anything else in _NET_WM_PID is not a pid
# What reading one window may raise besides Xlib's X errors: a reply of an unexpected shape.
_BAD_REPLY = (TypeError, ValueError, IndexError, KeyError, AttributeError, struct.error, UnicodeError)


def unavailable_reason(env: Mapping[str, str], xwayland: bool = False) -> str | None:
    """Why X11 window titles cannot be read in this session, or None when they can (``xwayland``:
    only Xwayland's X11 windows are wanted, so a Wayland session is no reason)."""
    if not xwayland and (env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or env.get("WAYLAND_DISPLAY")):
        return ("this is a Wayland session: Wayland does not let one app read other apps' window "
                "titles; detection goes on with processes, command lines, microphone and camera")
    if not env.get("DISPLAY"):
        if xwayland:
            return "no Xwayland display (DISPLAY is not set), so no X11 app's window is read"
        return "no X display (DISPLAY is not set); detection goes on without window titles"
    return None


class X11WindowLister:
    name = "x11-ewmh"

    def __init__(self, env: Mapping[str, str] | None = None, *, xwayland: bool = False) -> None:
        self._env = env if env is not None else os.environ
        self._xwayland = xwayland
        if xwayland:
            self.name = "x11-xwayland"
        self._display: Any = None
        self._lock = threading.RLock()  # one thread at a time on the connection and the caches
        self._atoms: dict[str, int] = {}
        self.last_source = ""  # "ewmh" (_NET_CLIENT_LIST) or "tree" (no EWMH window manager)
        self.reads = 0  # titles read from the server (for tests and benchmarks)
        self._reset()

    def _reset(self) -> None:
        self._pids: dict[int, int | None] = {}  # a window's owner never changes: read it once
        self._titles: dict[int, str] = {}  # a window's title as last read
        self._dirty: dict[int, None] = {}  # windows whose title is to be read, oldest first
        self._tops: dict[int, tuple[int, ...]] = {}  # tree mode: root child → the client windows it holds
        self._root_watched = False

    def windows(self) -> list[WindowInfo]:
        reason = unavailable_reason(self._env, self._xwayland)
        if reason:
            raise ProbeUnavailable(reason)
        from Xlib import error as xerror

        with self._lock:
            display = self._connect()
            try:
                return self._list(display)
            except (xerror.ConnectionClosedError, OSError) as error:
                self.close()
                raise ProbeUnavailable(f"lost the X display {self._env.get('DISPLAY')}: {error}") from None
            except (xerror.XError, *_BAD_REPLY) as error:
                log.debug("Reading the X windows failed; reconnecting next time", exc_info=True)
                self.close()
                raise ProbeUnavailable(f"the X display {self._env.get('DISPLAY')} gave a reply that could not be "
                                       f"read ({type(error).__name__}: {error}); trying again with a new "
                                       "connection") from None

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._display is not None:
            try:
                self._display.close()
            except Exception as error:  # noqa: BLE001 - closing a broken connection may fail in any way
                log.debug("Closing the X display failed: %s", error)
            self._display = None

    def _connect(self) -> Any:
        if self._display is not None:
            return self._display
        try:
            import Xlib  # noqa: F401 - only to say so when it is missing
        except ImportError as error:
            raise ProbeUnavailable(f"python-xlib is not installed ({error})") from None
        name = self._env.get("DISPLAY")
        try:
            self._display = open_display(name)
        except Exception as error:  # noqa: BLE001 - Xlib raises many kinds on connect
            raise ProbeUnavailable(f"cannot open the X display {name}: {error}") from None
        self._atoms = {}
        self._reset()
        return self._display

    def _atom(self, name: str) -> int:
        atom = self._atoms.get(name)
        if atom is None:
            atom = self._atoms[name] = int(self._display.intern_atom(name))
        return atom

    def _list(self, display: Any) -> list[WindowInfo]:
        root = display.screen().root
        self._drain_events(display)
        client_list = None
        if self._window_manager_alive(display, root):
            client_list = root.get_full_property(self._atom("_NET_CLIENT_LIST"), 0)  # 0: AnyPropertyType
        if client_list is not None and client_list.format == 32:
            ids = [int(wid) for wid in client_list.value[:WINDOWS_LISTED]]
            self.last_source = "ewmh"
        else:
            ids = self._unmanaged_top_levels(display, root)
            self.last_source = "tree"
        listed = set(ids)
        for known in (self._titles, self._pids, self._dirty):
            for wid in [wid for wid in known if wid not in listed]:
                del known[wid]
        for wid in ids:
            if wid not in self._titles and wid not in self._dirty:
                self._watch(display, wid)
        for wid in list(self._dirty)[:READS_PER_CALL]:
            del self._dirty[wid]
            self._describe(display, wid)
        active = self._active_window(root) if client_list is not None else 0
        return [WindowInfo(title=self._titles[wid], pid=self._pids.get(wid), window_id=wid, active=wid == active)
                for wid in ids if self._titles.get(wid)]

    def _active_window(self, root: Any) -> int:
        """The window manager's focused window (EWMH ``_NET_ACTIVE_WINDOW``), 0 when it names none."""
        prop = root.get_full_property(self._atom("_NET_ACTIVE_WINDOW"), 0)
        if prop is None or prop.format != 32 or not len(prop.value):
            return 0
        return int(prop.value[0])

    def _watch(self, display: Any, wid: int) -> None:
        """Ask the server to say when the window's title changes or the window is destroyed, and read it soon.
        Destroyed matters: a client started again gets the freed id range, so its first window may have a
        closed window's id, while the lister was idle (no client ran) and kept that window's owner and title."""
        from Xlib import X

        self._dirty[wid] = None
        window = display.create_resource_object("window", wid)
        window.change_attributes(event_mask=X.PropertyChangeMask | X.StructureNotifyMask, onerror=_ignore)

    def _drain_events(self, display: Any) -> None:
        """Note what changed since the last call: titles (PropertyNotify on watched windows), watched windows
        destroyed and, without a window manager, top-level windows mapped, unmapped or reparented. Other
        events are dropped."""
        from Xlib import X

        names = (self._atom("_NET_WM_NAME"), self._atom("WM_NAME"))
        structure = (X.MapNotify, X.UnmapNotify, X.ReparentNotify, X.DestroyNotify)
        for _ in range(100_000):  # bounded: a flood of events cannot hold the tick
            if not display.pending_events():
                return
            event = display.next_event()
            window = getattr(event, "window", None)
            if window is None:
                continue
            if event.type == X.PropertyNotify and event.atom in names:
                wid = int(window.id)
                if wid in self._titles:
                    self._dirty[wid] = None
            elif event.type in structure:
                self._tops.pop(int(window.id), None)
                if event.type == X.DestroyNotify:  # its id may come back as another client's window
                    for known in (self._titles, self._pids, self._dirty):
                        known.pop(int(window.id), None)

    def _window_manager_alive(self, display: Any, root: Any) -> bool:
        """EWMH: _NET_SUPPORTING_WM_CHECK names a live window that names itself. A window manager
        that exited leaves _NET_CLIENT_LIST behind, stale; this tells the two apart."""
        from Xlib import error as xerror

        atom = self._atom("_NET_SUPPORTING_WM_CHECK")
        check = root.get_full_property(atom, 0)
        if check is None or check.format != 32 or not len(check.value):
            return False
        wid = int(check.value[0])
        try:
            own = display.create_resource_object("window", wid).get_full_property(atom, 0)
        except (xerror.XError, *_BAD_REPLY) as error:
            log.debug("The window manager's check window 0x%x cannot be read: %s", wid, error)
            return False
        return own is not None and own.format == 32 and len(own.value) > 0 and int(own.value[0]) == wid

    def _unmanaged_top_levels(self, display: Any, root: Any) -> list[int]:
        """Top-level client windows when no EWMH window manager keeps a client list.

        Each child of the root is looked at once (at most :data:`READS_PER_CALL` new ones per call)
        and again only when the server says it was mapped, unmapped or reparented."""
        from Xlib import X

        if not self._root_watched:
            root.change_attributes(event_mask=X.SubstructureNotifyMask, onerror=_ignore)
            self._root_watched = True
        children = [int(child.id) for child in root.query_tree().children][:WINDOWS_LISTED]
        present = set(children)
        self._tops = {wid: held for wid, held in self._tops.items() if wid in present}
        result: list[int] = []
        looked = 0
        for wid in children:
            held = self._tops.get(wid)
            if held is None:
                if looked >= READS_PER_CALL:
                    continue
                looked += 1
                held = self._tops[wid] = self._clients_in(display.create_resource_object("window", wid))
            result += held
        return result

    def _clients_in(self, child: Any) -> tuple[int, ...]:
        """The client windows a mapped top-level holds: itself, or (reparented) its children with WM_STATE."""
        from Xlib import X
        from Xlib import error as xerror

        wm_state = self._atom("WM_STATE")
        try:
            attributes = child.get_attributes()
            if attributes.override_redirect or attributes.map_state != X.IsViewable:
                return ()
            if child.get_property(wm_state, 0, 0, 1) is not None or self._has_title(child):
                return (int(child.id),)
            return tuple(int(grandchild.id) for grandchild in child.query_tree().children[:64]
                         if grandchild.get_property(wm_state, 0, 0, 1) is not None)
        except (xerror.XError, *_BAD_REPLY) as error:  # closed meanwhile, or a reply of an odd shape
            log.debug("Skipping top-level window 0x%x: %s: %s", int(child.id), type(error).__name__, error)
            return ()

    def _has_title(self, window: Any) -> bool:
        for name in ("_NET_WM_NAME", "WM_NAME"):
            reply = window.get_property(self._atom(name), 0, 0, 1)
            if reply is not None and (reply.value or reply.bytes_after):
                return True
        return False

    def _describe(self, display: Any, wid: int) -> None:
        """Read one window's title (and owner, once); a window that cannot be read is skipped."""
        from Xlib import error as xerror

        window = display.create_resource_object("window", wid)
        try:
            self._titles[wid] = self._title(window)
            if wid not in self._pids:
                self._pids[wid] = self._owner(window)
        except (xerror.XError, *_BAD_REPLY) as error:  # closed between listing and reading, or hostile
            log.debug("Skipping window 0x%x: %s: %s", wid, type(error).__name__, error)
            self._titles.pop(wid, None)

    def _owner(self, window: Any) -> int | None:
        """_NET_WM_PID when it is what EWMH says (one 32-bit CARDINAL that can be a pid), else None."""
        reply = window.get_property(self._atom("_NET_WM_PID"), self._atom("CARDINAL"), 0, 1)
        if reply is None or reply.format != 32 or not len(reply.value):
            return None
        pid = int(reply.value[0])
        return pid if 0 < pid <= PID_MAX else None

    def _title(self, window: Any) -> str:
        self.reads += 1
        title = self._bounded_property(window, self._atom("_NET_WM_NAME"), self._atom("UTF8_STRING"), "utf-8")
        return title or self._bounded_property(window, self._atom("WM_NAME"), 0, "latin-1")

    def _bounded_property(self, window: Any, atom: int, kind: int, encoding: str) -> str:
        """A text property's first and last ``TITLE_BYTES // 2`` bytes (two requests at most)."""
        half = TITLE_BYTES // 2
        head = window.get_property(atom, kind, 0, half // 4)
        if head is None or not head.value or head.format != 8:
            return ""
        if not head.bytes_after:
            return _text(head.value, encoding, "replace")
        total = len(head.value) + int(head.bytes_after)
        tail = window.get_property(atom, kind, max(len(head.value), total - half) // 4, half // 4 + 1)
        ending = _text(tail.value, encoding, "ignore") if tail is not None and tail.value else ""
        return (_text(head.value, encoding, "ignore") + ELISION + ending).strip()


def _text(value: Any, encoding: str, errors: str) -> str:
    return value.decode(encoding, errors) if isinstance(value, bytes) else str(value)


def _ignore(*_args: object) -> None:
    """Error handler for requests on windows that may close meanwhile (BadWindow is expected)."""


def open_display(name: str | None) -> Any:
    """An Xlib connection to ``name`` with tables of its own.

    python-xlib (0.33) keeps the extension event, error and opcode tables on the class, shared
    by every connection of the process. Two X servers whose extensions number their events
    differently (Xwayland's and another's) then break each other, and the next connection fails
    with "'type' object does not support item assignment" (the same report:
    https://github.com/asweigart/pyautogui/issues/202, checked 2026-12-01). So each connection
    starts from the core tables and keeps what its own server's extensions added."""
    from Xlib import display as xdisplay
    from Xlib import error as xerror
    from Xlib.protocol import display as protocol
    from Xlib.protocol import event as xevent

    with _OPENING:
        base = protocol.Display
        base.event_classes = xevent.event_class.copy()
        base.error_classes = xerror.xerror_class.copy()
        base.extension_major_opcodes = {}
        opened = xdisplay.Display(name)
        own = opened.display
        own.event_classes, own.error_classes = base.event_classes, base.error_classes
        own.extension_major_opcodes = base.extension_major_opcodes
        return opened
