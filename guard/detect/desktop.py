"""Which desktop this is, worked out from the session's environment alone (no I/O).

Window titles are read a different way on each desktop: EWMH on X11, the compositor's IPC on
sway, a KWin script on KDE Plasma, a Shell extension on GNOME. :func:`desktop_facts` says which
one applies; :mod:`guard.detect.platform` picks the backend from it, and
:mod:`guard.presentation.desktop` explains to the user what works here.

The variables read are the ones the session itself sets: ``XDG_SESSION_TYPE`` (logind/the
display manager), ``XDG_CURRENT_DESKTOP`` (the session's .desktop file, a colon-separated
list such as ``ubuntu:GNOME``), ``WAYLAND_DISPLAY``/``DISPLAY`` (the compositor, Xwayland),
``SWAYSOCK``/``I3SOCK`` (sway and i3 for their children), ``KDE_FULL_SESSION`` (Plasma).
Values are outside text: cut and kept as plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from guard.i18n import N_, Text

ENV_VALUE_LIMIT = 200  # characters kept of one environment value
NOT_GNOME_SHELL = frozenset({"budgie", "gnome-flashback", "unity", "pantheon"})


class SessionType(StrEnum):
    X11 = "x11"
    WAYLAND = "wayland"
    NONE = "none"  # no graphical session (a console, ssh, a service)
    NATIVE = "native"  # Windows, macOS: one window system


class Compositor(StrEnum):
    """The desktop whose own interface lists windows (on Wayland) or whose quirks matter."""

    SWAY = "sway"  # sway, and compositors speaking its IPC (SWAYSOCK)
    KDE = "kde"  # KDE Plasma (KWin)
    GNOME = "gnome"  # GNOME Shell (Mutter)
    OTHER = "other"  # a desktop none of the above: see DesktopFacts.desktop
    NONE = "none"


@dataclass(frozen=True)
class DesktopFacts:
    """What the session's environment says about the desktop.

    ``desktop``: the desktop's own names (``XDG_CURRENT_DESKTOP``), for messages;
    ``xwayland``: a Wayland session with an X display for X11 apps (``DISPLAY``);
    ``sway_socket``: the IPC socket sway announced to its children, when it did.
    """

    os: str
    session: SessionType
    compositor: Compositor
    desktop: str = ""
    xwayland: bool = False
    sway_socket: str = ""

    @property
    def wayland(self) -> bool:
        return self.session == SessionType.WAYLAND

    @property
    def label(self) -> str:
        """How logs and probe reasons name this desktop, in English: "GNOME Wayland", "sway", "an X11 desktop"."""
        return str(self.said)

    @property
    def said(self) -> Text:
        """:attr:`label` as a sentence the UI translates ("an X11 desktop" → "ein X11-Desktop"); a
        desktop's own name ("GNOME Wayland", "sway", "Hyprland Wayland") is a name and stays as it is."""
        if self.session == SessionType.NATIVE:
            return Text("{name}", (("name", {"windows": "Windows", "macos": "macOS"}.get(self.os, self.os)),))
        if self.session == SessionType.NONE:
            return Text.of(N_("no graphical session"))
        names = {Compositor.SWAY: "sway", Compositor.KDE: "KDE Plasma", Compositor.GNOME: "GNOME"}
        name = names.get(self.compositor) or self.desktop or ""
        if not name:
            return Text.of(N_("a Wayland desktop") if self.wayland else N_("an X11 desktop"))
        kind = "Wayland" if self.wayland else "X11"
        return Text("{name}", (("name", name if self.compositor == Compositor.SWAY else f"{name} {kind}"),))


def _value(env: Mapping[str, str], name: str) -> str:
    value = env.get(name) or ""
    return "".join(ch for ch in value[:ENV_VALUE_LIMIT] if ch.isprintable())


def desktop_facts(env: Mapping[str, str], os_name: str = "linux") -> DesktopFacts:
    """The desktop ``env`` describes (``os_name`` as :func:`guard.detect.platform.current_os` says)."""
    if os_name != "linux":
        return DesktopFacts(os_name, SessionType.NATIVE, Compositor.NONE)
    declared = _value(env, "XDG_SESSION_TYPE").lower()
    wayland_display = _value(env, "WAYLAND_DISPLAY")
    display = _value(env, "DISPLAY")
    if declared == "wayland" or (declared not in ("x11", "tty") and wayland_display):
        session = SessionType.WAYLAND
    elif display:
        session = SessionType.X11
    else:
        session = SessionType.NONE
    desktop = _value(env, "XDG_CURRENT_DESKTOP") or _value(env, "XDG_SESSION_DESKTOP") \
        or _value(env, "DESKTOP_SESSION")
    sway_socket = _value(env, "SWAYSOCK")
    return DesktopFacts(os_name, session, _compositor(env, desktop, sway_socket), desktop,
                        xwayland=session == SessionType.WAYLAND and bool(display), sway_socket=sway_socket)


def _compositor(env: Mapping[str, str], desktop: str, sway_socket: str) -> Compositor:
    names = {part.strip().lower() for part in desktop.split(":") if part.strip()}
    if sway_socket or "sway" in names:
        return Compositor.SWAY
    if "kde" in names or _value(env, "KDE_FULL_SESSION").lower() == "true":
        return Compositor.KDE
    # Ubuntu says "ubuntu:GNOME", Pop!_OS "pop:GNOME", GNOME Classic "GNOME-Classic:GNOME"; Budgie
    # ("Budgie:GNOME") and GNOME Flashback name GNOME too but run their own window manager.
    if "gnome" in names and not names & NOT_GNOME_SHELL:
        return Compositor.GNOME
    if names:
        return Compositor.OTHER
    return Compositor.NONE
