"""Window titles on KDE Plasma (KWin, Wayland or X11) through KWin's scripting interface.

KWin lets a process of the user load a script over D-Bus (``org.kde.kwin.Scripting.loadScript``
on ``org.kde.KWin /Scripting``) and run it (``org.kde.kwin.Script.run`` on
``/Scripting/Script<id>`` in KWin 6, ``/<id>`` in KWin 5). The script
(``resources/desktop/kwin/list-windows.js``) walks KWin's window list and calls back this
process's own bus connection, once, with every normal window's caption, pid and internal id as
JSON; the script is then unloaded. The same way is used by kdotool
(https://github.com/jinliu/kdotool, src/main.rs, at commit 00278b02eee837f9038d6a1d1c10e674f6f45bc9).

Only KWin may answer: a callback whose sender is not the owner of ``org.kde.KWin`` is refused.
Bounded: one script run per call, an answer within :data:`ANSWER_TIMEOUT` seconds and of at most
:data:`MAX_ANSWER` bytes, at most 500 windows (the script's own cap), titles cut to
:data:`~guard.patterns.TEXT_LIMIT` characters.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo
from guard.detect.windows.session_bus import BusError, call, close_quietly, name_owner, open_session_bus
from guard.patterns import bounded

log = logging.getLogger(__name__)

KWIN = "org.kde.KWin"
SCRIPTING_PATH = "/Scripting"
SCRIPTING = "org.kde.kwin.Scripting"
SCRIPT = "org.kde.kwin.Script"
REPLY_PATH = "/io/github/meetingprivacyguard/KWinWindows"
REPLY_INTERFACE = "io.github.meetingprivacyguard.KWinWindows"
REPLY_METHOD = "Windows"
ANSWER_TIMEOUT = 3.0  # seconds from running the script to its answer
MAX_ANSWER = 4 * 1024 * 1024  # bytes of the JSON answer
_UNKNOWN_OBJECT = ("org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod")


def script_template() -> Path:
    from guard.paths import resources_dir

    return resources_dir() / "desktop" / "kwin" / "list-windows.js"


class KWinWindowLister:
    """Lists KWin's windows by running the listing script once per call."""

    name = "kwin-script"
    covers_xwayland = True  # KWin's list holds its X11 clients too, with their pids

    def __init__(self, env: Mapping[str, str] | None = None, template: Path | None = None) -> None:
        self._env = env if env is not None else os.environ
        self._template = template
        self._conn: Any = None
        self._folder: Path | None = None
        self._script: Path | None = None
        self._kwin_owner: str | None = None
        self._run_path: str | None = None  # "/Scripting/Script{id}" (KWin 6) or "/{id}" (KWin 5), once known
        self._counter = itertools.count(1)

    def windows(self) -> list[WindowInfo]:
        conn = self._connect()
        try:
            return self._list(conn)
        except (OSError, TimeoutError) as error:
            self.close()
            raise ProbeUnavailable(f"KWin did not answer on the session bus: {error or 'timed out'}") from None
        except BusError as error:
            self.close()
            if error.name in ("org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"):
                raise ProbeUnavailable("KWin is not on the session bus (org.kde.KWin), so its windows cannot be "
                                       "listed") from None
            if error.name in ("org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod"):
                raise ProbeUnavailable("KWin offers no scripting interface (/Scripting) on the session bus (yet: "
                                       "it exports it a moment after it starts), so its windows cannot be listed") \
                    from None
            raise ProbeUnavailable(f"KWin refused the window-listing script: {error}") from None

    def close(self) -> None:
        if self._conn is not None:
            close_quietly(self._conn)
            self._conn = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = self._script = None
        self._kwin_owner = None

    # -- one listing ---------------------------------------------------------------------------
    def _connect(self) -> Any:
        if self._conn is None:
            self._conn = open_session_bus(self._env)
            self._script = self._write_script(self._conn.unique_name)
        return self._conn

    def _write_script(self, unique_name: str) -> Path:
        """The listing script with this connection's reply address, in a folder only this user reads."""
        template = self._template or script_template()
        try:
            body = template.read_text(encoding="utf-8")
        except OSError as error:
            raise ProbeUnavailable(f"the KWin script {template} cannot be read: {error.strerror}") from None
        reply = {"service": unique_name, "path": REPLY_PATH, "iface": REPLY_INTERFACE, "method": REPLY_METHOD}
        runtime = self._env.get("XDG_RUNTIME_DIR")
        parent = runtime if runtime and os.path.isdir(runtime) else None
        self._folder = Path(tempfile.mkdtemp(prefix="meeting-guard-kwin-", dir=parent))
        script = self._folder / "list-windows.js"
        script.write_text(f"var REPLY = {json.dumps(reply)};\n{body}", encoding="utf-8")
        return script

    def _list(self, conn: Any) -> list[WindowInfo]:
        from jeepney import MatchRule

        if self._kwin_owner is None:
            self._kwin_owner = name_owner(conn, KWIN)
            if self._kwin_owner is None:
                raise BusError("org.freedesktop.DBus.Error.NameHasNoOwner", KWIN)
        plugin = f"meeting-guard-windows-{os.getpid()}-{next(self._counter)}"
        rule = MatchRule(type="method_call", path=REPLY_PATH, interface=REPLY_INTERFACE, member=REPLY_METHOD)
        with conn.filter(rule, queue=deque(maxlen=8)) as answers:
            (script_id,) = call(conn, KWIN, SCRIPTING_PATH, SCRIPTING, "loadScript", "ss", (str(self._script), plugin))
            try:
                if int(script_id) < 0:
                    raise BusError("loadScript", f"KWin refused to load {self._script}")
                self._run(conn, int(script_id))
                payload = self._answer(conn, answers)
            finally:
                try:
                    call(conn, KWIN, SCRIPTING_PATH, SCRIPTING, "unloadScript", "s", (plugin,))
                except (BusError, OSError, TimeoutError) as error:
                    log.debug("Unloading the KWin script %s failed: %s", plugin, error)
        return _windows(payload)

    def _run(self, conn: Any, script_id: int) -> None:
        paths = [self._run_path] if self._run_path else ["/Scripting/Script{}", "/{}"]
        for index, pattern in enumerate(paths):
            path = pattern.format(script_id)
            try:
                call(conn, KWIN, path, SCRIPT, "run")
            except BusError as error:
                if error.name in _UNKNOWN_OBJECT and index + 1 < len(paths):
                    continue
                raise
            self._run_path = pattern
            return

    def _answer(self, conn: Any, answers: deque[Any]) -> str:
        """Wait for the script's call, from KWin itself, and acknowledge it."""
        from jeepney import HeaderFields, new_error, new_method_return

        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:
            if not answers:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ProbeUnavailable("KWin ran the window-listing script but it did not answer in "
                                           f"{ANSWER_TIMEOUT:g} s")
                try:
                    conn.recv_until_filtered(answers, timeout=left)
                except TimeoutError:
                    continue
            message = answers.popleft()
            sender = message.header.fields.get(HeaderFields.sender)
            if sender != self._kwin_owner:
                log.warning("Ignored a window list sent by %s, which is not KWin", sender)
                conn.send(new_error(message, "org.freedesktop.DBus.Error.AccessDenied", "s", ("not KWin",)))
                continue
            conn.send(new_method_return(message))
            body = message.body[0] if message.body else ""
            if not isinstance(body, str):
                raise ProbeUnavailable("KWin's window-listing script sent something other than text")
            return body


def _windows(payload: str) -> list[WindowInfo]:
    if len(payload) > MAX_ANSWER:
        raise ProbeUnavailable(f"KWin's window list is {len(payload):,} characters, more than the {MAX_ANSWER:,} read")
    try:
        items = json.loads(payload)
    except ValueError as error:
        raise ProbeUnavailable(f"KWin's window list is not JSON: {error}") from None
    if not isinstance(items, list):
        raise ProbeUnavailable("KWin's window list is not a list")
    found: list[WindowInfo] = []
    for item in items[:500]:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"]:
            continue
        pid = item.get("pid")
        app = item.get("app")
        found.append(WindowInfo(title=bounded(item["title"]), pid=pid if isinstance(pid, int) and pid > 0 else None,
                                window_id=_window_number(str(item.get("id") or "")),
                                app_id=bounded(app, 200) if isinstance(app, str) else "",
                                active=item.get("active") is True))
    return found


def _window_number(internal_id: str) -> int:
    """KWin names a window by a UUID; the detector wants a number."""
    if not internal_id:
        return 0
    try:
        return uuid.UUID(internal_id).int >> 64
    except ValueError:
        return int.from_bytes(hashlib.blake2b(internal_id.encode(), digest_size=8).digest(), "big")
