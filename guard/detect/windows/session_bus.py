"""The session bus for the desktop listers (KWin, GNOME Shell): one blocking jeepney connection
per lister, opened from the session's environment, with every call under a deadline.

jeepney is pure Python (and already required by keyring on Linux); no GLib or Qt here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guard.detect.observation import ProbeUnavailable

CALL_TIMEOUT = 2.0  # seconds for one call to the desktop


class BusError(Exception):
    """The desktop answered a call with a D-Bus error: ``name`` (e.g. ``org.freedesktop.DBus.Error.ServiceUnknown``)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}" if message else name)
        self.name = name


def open_session_bus(env: Mapping[str, str]) -> Any:
    """A jeepney blocking connection to ``env``'s session bus; ProbeUnavailable when there is none."""
    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if not address:
        raise ProbeUnavailable("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    try:
        from jeepney.io.blocking import open_dbus_connection
    except ImportError as error:
        raise ProbeUnavailable(f"jeepney is not installed ({error})") from None
    try:
        return open_dbus_connection(address, auth_timeout=CALL_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - a bad address, a refused socket, failed auth: all "unavailable"
        raise ProbeUnavailable(f"cannot connect to the session bus: {error}") from None


def call(conn: Any, bus_name: str, path: str, interface: str, method: str, signature: str | None = None,
         body: tuple[Any, ...] = (), timeout: float = CALL_TIMEOUT) -> tuple[Any, ...]:
    """Call ``method`` and return its reply's body; raises :class:`BusError` for an error reply,
    TimeoutError or OSError when the bus does not answer."""
    from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call

    message = new_method_call(DBusAddress(path, bus_name=bus_name, interface=interface), method, signature, body)
    reply = conn.send_and_get_reply(message, timeout=timeout)
    if reply.header.message_type == MessageType.error:
        name = str(reply.header.fields.get(HeaderFields.error_name, "error"))
        text = str(reply.body[0]) if reply.body and isinstance(reply.body[0], str) else ""
        raise BusError(name, text[:300])
    return tuple(reply.body)


def name_owner(conn: Any, name: str) -> str | None:
    """The unique name that owns ``name`` now, or None."""
    try:
        (owner,) = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                        "GetNameOwner", "s", (name,))
    except BusError:
        return None
    return str(owner)


def close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except OSError:
        pass
