"""The line protocol between the tray app and the settings window's own process.

The settings window runs in a process of its own (:mod:`ui.settings_process`): its widgets,
the ledger's crypto and keyring, the terms store and the HTML differ cost the tray app about
40 MB that it never gave back (issue 18). The two talk over a local socket that the tray app
listens on (user-only): one JSON object per line, ``{"op": ..., ...}``.

Tray → window: ``show`` (tab), ``terms-change`` (provider, document), ``snapshot`` (the
monitor's latest, as JSON: :mod:`guard.services`' ``snapshot_to_json``), ``ledger-updated``,
``terms-updated``, ``close``, ``tray-shown`` (a tray host shows the app's icon: the window's Overview
says so instead of "not known", since only the tray app can see its icon).
Window → tray: ``ready`` (the window is shown, on which tab), ``settings-saved`` (the saved settings' values),
``check-terms`` (provider, "" for all), ``closed``.

A line is capped at :data:`MAX_LINE` bytes and must be a JSON object with a known ``op``;
anything else is logged and dropped. Nothing is unpickled: a snapshot is plain JSON, read back
by ``snapshot_from_json`` (a pydantic ``TypeAdapter`` over the snapshot's dataclasses), which
checks every key, type, size and nesting and refuses the rest, so even a hostile peer on the
socket could not make the window run code.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guard.services import Snapshot

log = logging.getLogger(__name__)

# The frozen app's launcher (packaging/meeting_guard.py) runs the window's process when started as
# ``<app> --settings-window SERVER DIRS... --tab T``: a bundle has no ``python -m``. Not a command
# of the command line (``meeting-guard --settings-window`` is bad usage).
WINDOW_FLAG = "--settings-window"
MAX_LINE = 4 * 2**20  # a snapshot with many meetings and their evidence is well under 1 MB
TO_WINDOW = frozenset({"show", "terms-change", "snapshot", "ledger-updated", "terms-updated", "close",
                       "tray-shown"})
TO_TRAY = frozenset({"ready", "settings-saved", "check-terms", "closed"})


class LinkError(ValueError):
    """A line that is not a message of this protocol."""


def encode(op: str, **fields: Any) -> bytes:
    """One message as a line of JSON."""
    return json.dumps({"op": op, **fields}, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def decode(line: bytes, allowed: frozenset[str]) -> dict[str, Any]:
    """The message in ``line``; :class:`LinkError` when it is too long, not JSON or not one of ``allowed``."""
    if len(line) > MAX_LINE:
        raise LinkError(f"message of {len(line)} bytes is longer than {MAX_LINE}")
    try:
        message = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LinkError(f"not JSON: {error}") from None
    except RecursionError:  # [[[[...]]]]: the parser gives up before the line's cap is reached
        raise LinkError("not JSON: nested too deeply") from None
    if not isinstance(message, dict) or message.get("op") not in allowed:
        raise LinkError(f"unknown message {str(message)[:80]!r}")
    return message


def pack(snapshot: Snapshot) -> dict[str, Any]:
    """The monitor's snapshot as JSON data for a message."""
    from guard.services import snapshot_to_json

    return snapshot_to_json(snapshot)


def unpack(data: object) -> Snapshot:
    """The snapshot :func:`pack` made; :class:`LinkError` for anything else (nothing of it runs)."""
    from guard.services import SnapshotFormatError, snapshot_from_json

    try:
        return snapshot_from_json(data)
    except SnapshotFormatError as error:
        raise LinkError(f"not a snapshot: {error}") from None
