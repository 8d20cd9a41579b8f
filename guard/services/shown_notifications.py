"""Which desktop notifications this app has on screen, kept in a small file so the next start
can close them: a notification outlives the app that showed it, and its buttons ("I consent")
would then answer nobody (the server sends the press to the connection that is gone) or, on a
server that tells everyone, a later app that never showed it.

A notification id means something only on the bus and to the server that gave it: the bus's own
id (org.freedesktop.DBus.GetId, new each time a bus starts) and the server's unique name are kept
with the ids, so ids given by another bus or a restarted server are never closed."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from guard.fsutil import atomic_write_text, read_small_json

log = logging.getLogger(__name__)

MAX_IDS = 200  # notifications remembered (an app shows a few a meeting); the oldest are let go
_LIMIT = 16 * 1024


@dataclass(frozen=True)
class ShownNotifications:
    bus_id: str
    server: str
    ids: tuple[int, ...]


def read_shown(path: Path) -> ShownNotifications | None:
    """What the file says, or None when there is nothing usable (missing, a link, another user's,
    too big, not this shape): then nothing is closed."""
    value = read_small_json(path, _LIMIT, own=True)
    if not isinstance(value, dict):
        return None
    bus_id, server, ids = value.get("bus_id"), value.get("server"), value.get("ids")
    if not (isinstance(bus_id, str) and isinstance(server, str) and isinstance(ids, list)):
        return None
    kept = tuple(n for n in ids if isinstance(n, int) and not isinstance(n, bool) and 0 < n < 2**32)
    return ShownNotifications(bus_id[:64], server[:256], kept[-MAX_IDS:])


def write_shown(path: Path, shown: ShownNotifications) -> None:
    """Replace the file (atomically, 0600); a failure is logged, never raised (the next start then
    closes fewer notifications, nothing worse)."""
    text = json.dumps({"bus_id": shown.bus_id, "server": shown.server, "ids": list(shown.ids[-MAX_IDS:])})
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, text)
    except OSError as error:
        log.warning("Could not note the notifications shown in %s: %s", path, error)
