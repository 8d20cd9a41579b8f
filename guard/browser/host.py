"""``meeting-guard browser-host``: the native messaging host a browser starts for the extension.

The browser starts it with the caller on the command line (Chromium: the extension's origin,
``chrome-extension://<id>/``; Firefox: the host manifest's path and the add-on's id) and talks
over stdin/stdout (guard/browser/protocol.py). The host:

* refuses any caller but the pinned extension IDs (guard/browser/ids.py);
* reads messages on a thread, so a slow disk never stalls the browser's pipe, and checks each one
  against the schemas (guard/browser/messages.py): over 64 KB, malformed, unknown or over the
  rate limit is dropped with a log line, never a crash;
* keeps the browser's meeting tabs (guard/browser/state.py) and saves them to its state file a
  moment after they change (changes in a burst are written once), then tells the app to look
  (guard/browser/app_link.py); after dropping messages it asks the extension for a full list;
* answers ``hello`` with the install's link key (guard/link_key.py), so the extension pseudonymises a name
  in a link as the app does;
* records when it last heard from the browser (for ``meeting-guard browser status``);
* removes its state file and exits when the browser closes the pipe.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import psutil

from guard import __version__
from guard.browser import app_link, browsers, ids, limits
from guard.browser.messages import Hello, MessageRefused, parse
from guard.browser.protocol import Oversized, ProtocolError, read_frame, write_frame
from guard.browser.state import BrowserState, remove, save
from guard.errors import GuardError
from guard.fsutil import atomic_write_text, read_small_json
from guard.link_key import link_key

log = logging.getLogger(__name__)

FLUSH_AFTER_SECONDS = 0.05  # a burst of changes is written once, this long after its first change
RESYNC_AFTER_SECONDS = 1.0  # quiet time after dropped messages before asking for a full list
SEEN_EVERY_SECONDS = 300.0
LOG_EVERY_SECONDS = 10.0


class CallerRefused(GuardError):
    """The host was started by something other than the pinned extension; the message says what."""


@dataclass(frozen=True)
class Caller:
    family: browsers.Family
    extension: str  # the origin (Chromium) or add-on id (Firefox)


def identify_caller(args: Sequence[str]) -> Caller:
    """Who started the host, from its arguments; :class:`CallerRefused` unless it is our extension."""
    origins = [arg for arg in args if arg.startswith("chrome-extension://")]
    if origins:
        allowed = set(ids.chromium_origins())
        if all(origin in allowed for origin in origins):
            return Caller("chromium", origins[0])
        raise CallerRefused(f"the extension {origins[0][:80]!r} is not Meeting Privacy Guard's; refusing it")
    if args and args[-1] in ids.GECKO_IDS:
        return Caller("firefox", args[-1])
    if args:
        raise CallerRefused(f"the add-on {args[-1][:80]!r} is not Meeting Privacy Guard's; refusing it")
    raise CallerRefused("this command is started by a web browser for the Meeting Privacy Guard extension; "
                        "run `meeting-guard browser install` to register it, not by hand")


def browser_identity(caller: Caller) -> tuple[str, int | None]:
    """The browser that started the host (its id in guard/browser/browsers.py) and its process id."""
    try:
        parent = psutil.Process(os.getppid())
        for process in (parent, *parent.parents()[:3]):
            found = browsers.for_process(process.name(), caller.family)
            if found is not None:
                return found.id, process.pid
    except (psutil.Error, OSError):
        pass
    return caller.family, None


class RateLimit:
    """A token bucket: ``burst`` messages at once, then ``per_second`` on average."""

    def __init__(self, per_second: float = limits.MESSAGES_PER_SECOND, burst: int = limits.BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def allow(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.per_second)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


@dataclass
class HostPaths:
    state_folder: Path  # the runtime folder for state files
    config_dir: Path  # names the app's single-instance socket
    seen_file: Path  # when each browser's extension was last connected


def utc_now() -> datetime:
    return datetime.now(UTC)


def record_seen(path: Path, browser: str, at: datetime) -> None:
    """Remember that ``browser``'s extension was connected at ``at`` (a small JSON map, 0600)."""
    loaded = read_small_json(path, 64 * 1024, own=True)  # opened once, never through a link
    seen: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    seen = {key: value for key, value in seen.items() if isinstance(key, str) and isinstance(value, str)}
    seen[browser] = at.isoformat()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_text(path, json.dumps(dict(sorted(seen.items())), indent=1) + "\n")


class Host:
    """One connection from one browser, from the first message to the closed pipe."""

    def __init__(self, stdin: BinaryIO, stdout: BinaryIO, paths: HostPaths, caller: Caller,
                 browser: str, browser_pid: int | None, clock: Callable[[], datetime] = utc_now,
                 rate: RateLimit | None = None, notify: Callable[[Path], bool] = app_link.notify) -> None:
        self._stdin = stdin
        self._stdout = stdout
        self._paths = paths
        self._caller = caller
        self._clock = clock
        self._rate = rate or RateLimit()
        self._notify = notify
        now = clock()
        self.state = BrowserState(browser=browser, browser_pid=browser_pid, host_pid=os.getpid(),
                                  host_started=psutil.Process().create_time(), connected_at=now, updated_at=now)
        self.refused = 0
        self.dropped = 0
        self._logged_at = 0.0
        self._dropped_at: float | None = None
        self._frames: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1000)

    # -- reading -----------------------------------------------------------------------------
    def _reader(self) -> None:
        while True:
            try:
                body = read_frame(self._stdin)
            except Oversized as error:
                self._frames.put(("refused", str(error)))
                continue
            except (ProtocolError, OSError) as error:
                self._frames.put(("end", str(error)))
                return
            if body is None:
                self._frames.put(("end", ""))
                return
            self._frames.put(("message", body))

    # -- the loop ----------------------------------------------------------------------------
    def run(self) -> int:
        log.info("Browser host started for %s (%s)", self.state.browser, self._caller.extension)
        threading.Thread(target=self._reader, name="browser-host-reader", daemon=True).start()
        self._save()
        record_seen(self._paths.seen_file, self.state.browser, self.state.connected_at)
        seen_at = time.monotonic()
        dirty_since: float | None = None
        while True:
            timeout = None
            if dirty_since is not None:
                timeout = max(0.0, dirty_since + FLUSH_AFTER_SECONDS - time.monotonic())
            elif self._dropped_at is not None:
                timeout = max(0.0, self._dropped_at + RESYNC_AFTER_SECONDS - time.monotonic())
            else:
                timeout = SEEN_EVERY_SECONDS
            try:
                kind, value = self._frames.get(timeout=timeout)
            except queue.Empty:
                kind, value = "idle", None
            if kind == "end":
                if value:
                    log.warning("Browser host: %s; closing", value)
                break
            if kind == "message" and self._handle(value):
                dirty_since = dirty_since or time.monotonic()
            elif kind == "refused":
                self._refuse(value)
            if dirty_since is not None and time.monotonic() - dirty_since >= FLUSH_AFTER_SECONDS:
                self._save()
                dirty_since = None
            if self._dropped_at is not None and time.monotonic() - self._dropped_at >= RESYNC_AFTER_SECONDS:
                self._dropped_at = None
                self._reply({"type": "resync"})
            if time.monotonic() - seen_at >= SEEN_EVERY_SECONDS:
                seen_at = time.monotonic()
                record_seen(self._paths.seen_file, self.state.browser, self._clock())
        if dirty_since is not None:
            self._save()
        remove(self._paths.state_folder, self.state)
        record_seen(self._paths.seen_file, self.state.browser, self._clock())
        self._notify(self._paths.config_dir)
        log.info("Browser host for %s stopped (%d messages refused, %d dropped by the rate limit)",
                 self.state.browser, self.refused, self.dropped)
        return 0

    def _handle(self, body: bytes) -> bool:
        if not self._rate.allow():
            self.dropped += 1
            self._dropped_at = time.monotonic()
            self._log_limited("Browser host: over the rate limit; dropping messages (%d so far)", self.dropped)
            return False
        try:
            message = parse(body)
        except MessageRefused as error:
            self._refuse(error.reason)
            return False
        if isinstance(message, Hello):  # with the link key, so the extension's pseudonyms are the app's
            key = link_key()
            self._reply({"type": "hello", "host": __version__, **({"linkKey": key.hex()} if key else {})})
        changed = self.state.apply(message, self._clock())
        if changed:
            self.state.updated_at = self._clock()
        return changed

    def _refuse(self, reason: str) -> None:
        self.refused += 1
        self._log_limited("Browser host: refused a message (%s)", reason)

    def _log_limited(self, text: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            log.warning(text, *args)

    def _reply(self, message: dict[str, Any]) -> None:
        try:
            write_frame(self._stdout, message)
        except (OSError, ValueError):
            pass  # the browser went away; the reader sees the end next

    def _save(self) -> None:
        try:
            save(self._paths.state_folder, self.state)
        except OSError as error:
            self._log_limited("Browser host: cannot write %s: %s", self._paths.state_folder, error)
            return
        self._notify(self._paths.config_dir)
