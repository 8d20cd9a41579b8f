"""What the desktop session offers the app, asked once over the session bus (a few calls, each
under a one-second deadline): a StatusNotifierItem host for the tray icon, a notification
server, and on GNOME the Guard's extension.

Tray icons on Linux: Qt shows a StatusNotifierItem when a host has registered with
``org.kde.StatusNotifierWatcher`` (KDE Plasma, waybar, GNOME with the AppIndicator extension),
and the older XEmbed tray icon on X11 otherwise; on Wayland there is no XEmbed, so without a
host the app shows its no-tray window.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guard.desktop.gnome_extension import ExtensionState, state
from guard.detect.desktop import Compositor, DesktopFacts, SessionType, desktop_facts

log = logging.getLogger(__name__)

WATCHER = ("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher")
BUS = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
NOTIFICATIONS = "org.freedesktop.Notifications"
TIMEOUT = 1.0


@dataclass(frozen=True)
class DesktopServices:
    """What the session bus offers; None where it could not be asked (no session bus)."""

    session_bus: bool
    tray_host: bool | None = None
    notifications: bool | None = None
    gnome_extension: ExtensionState | None = None  # only looked for on GNOME
    xembed_tray: bool | None = None  # X11: whether a system tray (XEmbed) owns the screen's tray selection


@dataclass(frozen=True)
class DesktopReport:
    """The desktop (from the environment) and what its session offers."""

    facts: DesktopFacts
    services: DesktopServices

    @property
    def on_gnome(self) -> bool:
        """GNOME Shell, where window titles need the Guard's extension (on Wayland)."""
        return self.facts.compositor == Compositor.GNOME


def look_around(env: Mapping[str, str] | None = None, os_name: str | None = None) -> DesktopReport:
    """This session's desktop and services (blocks for at most a few seconds on a stuck bus)."""
    from guard.detect.platform import current_os
    from guard.detect.windows.session_bus import open_session_bus

    env = os.environ if env is None else env
    facts = desktop_facts(env, os_name or current_os())
    if facts.os != "linux":
        return DesktopReport(facts, DesktopServices(session_bus=False))
    gnome = facts.compositor == Compositor.GNOME
    xembed = _xembed_tray(env) if facts.session == SessionType.X11 else None
    try:
        conn = open_session_bus(env)
    except Exception as error:  # noqa: BLE001 - no bus at all: every answer is "unknown"
        log.debug("No session bus to look around on: %s", error)
        return DesktopReport(facts, DesktopServices(False, xembed_tray=xembed,
                                                    gnome_extension=state(env) if gnome else None))
    try:
        services = DesktopServices(
            session_bus=True, tray_host=_property(conn, "IsStatusNotifierHostRegistered"), xembed_tray=xembed,
            notifications=_has_owner(conn, NOTIFICATIONS) or _activatable(conn, NOTIFICATIONS),
            gnome_extension=state(env, conn) if gnome else None)
    finally:
        conn.close()
    return DesktopReport(facts, services)


def _xembed_tray(env: Mapping[str, str]) -> bool | None:
    """Whether an X11 system tray runs: something owns ``_NET_SYSTEM_TRAY_S<screen>`` (the freedesktop
    System Tray Protocol), where Qt's XEmbed tray icon goes when no status notifier host runs.
    None when the X server cannot be asked."""
    from guard.detect.windows.linux_x11 import open_display

    try:
        display = open_display(env.get("DISPLAY"))
    except Exception as error:  # noqa: BLE001 - Xlib raises many kinds on connect: "not known"
        log.debug("No X display to look for a system tray on: %s", error)
        return None
    try:
        screen = display.get_default_screen()
        owner = display.get_selection_owner(display.intern_atom(f"_NET_SYSTEM_TRAY_S{screen}"))
        return bool(owner) and int(getattr(owner, "id", owner)) != 0
    except Exception as error:  # noqa: BLE001 - a server that answers oddly: "not known", never a failure
        log.debug("The X server did not say whether a system tray runs: %s", error)
        return None
    finally:
        display.close()


def status_notifier_registered(pid: int, env: Mapping[str, str] | None = None) -> bool:
    """Whether a StatusNotifierItem of process ``pid`` is registered with the watcher (its tray
    icon is shown by a host such as waybar or Plasma's panel). Blocks for a few bus calls."""
    from guard.detect.observation import ProbeUnavailable
    from guard.detect.windows.session_bus import BusError, call, open_session_bus

    try:
        conn = open_session_bus(os.environ if env is None else env)
    except ProbeUnavailable:
        return False
    try:
        try:
            (items,) = call(conn, WATCHER[0], WATCHER[1], "org.freedesktop.DBus.Properties", "Get", "ss",
                            (WATCHER[2], "RegisteredStatusNotifierItems"), timeout=TIMEOUT)
        except (BusError, OSError, TimeoutError):
            return False
        names = {str(item).split("/", 1)[0] for item in (items[1] if isinstance(items, tuple) else [])}
        for name in sorted(names)[:64]:
            try:
                (owner_pid,) = call(conn, *BUS, "GetConnectionUnixProcessID", "s", (name,), timeout=TIMEOUT)
            except (BusError, OSError, TimeoutError):
                continue
            if owner_pid == pid:
                return True
        return False
    finally:
        conn.close()


def _property(conn: Any, name: str) -> bool | None:
    from guard.detect.windows.session_bus import BusError, call

    try:
        (value,) = call(conn, WATCHER[0], WATCHER[1], "org.freedesktop.DBus.Properties", "Get", "ss",
                        (WATCHER[2], name), timeout=TIMEOUT)
    except BusError:
        return False  # no watcher: no host
    except (OSError, TimeoutError):
        return None
    return bool(value[1]) if isinstance(value, tuple) and len(value) == 2 else None


def _has_owner(conn: Any, name: str) -> bool | None:
    from guard.detect.windows.session_bus import BusError, call

    try:
        (owned,) = call(conn, *BUS, "NameHasOwner", "s", (name,), timeout=TIMEOUT)
    except (BusError, OSError, TimeoutError):
        return None
    return bool(owned)


def _activatable(conn: Any, name: str) -> bool | None:
    """Whether the bus would start ``name``'s service on demand (mako, dunst and others are started so)."""
    from guard.detect.windows.session_bus import BusError, call

    try:
        (names,) = call(conn, *BUS, "ListActivatableNames", timeout=TIMEOUT)
    except (BusError, OSError, TimeoutError):
        return None
    return name in names
