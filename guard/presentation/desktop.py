"""What each detection signal (and the tray icon and notifications) can do on this desktop,
and what would make it work, in words: shown on the Overview and by ``scan``/``desktop status``.

Pure: the desktop report (environment facts and what the session bus offers) and the probes'
last statuses in, plain values out. A probe that ran says what actually happened, so its
status wins over what the desktop promises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guard.desktop.gnome_extension import ExtensionState
from guard.desktop.session import DesktopReport
from guard.detect.desktop import Compositor, DesktopFacts, SessionType
from guard.detect.observation import ProbeState, ProbeStatus
from guard.paths import resources_dir
from guard.presentation.browser_words import BrowserState, said_state
from guard.presentation.i18n import N_, _, labelled, listed, say

INSTALL_EXTENSION = N_("install the app's GNOME Shell extension (Preferences → Desktop, or "
                       "meeting-guard desktop install-gnome-extension), then log out and back in")


@dataclass(frozen=True)
class Capability:
    """One signal here: ``works`` (None: not known until it runs), how or why not, and what would enable it.
    ``mark`` names the state in a word where the bare "not here" would mislead (not set up, switched off)."""

    signal: str
    label: str
    works: bool | None
    detail: str
    enable: str = ""
    mark: str = ""

    def line(self) -> str:
        """"Window titles: unavailable on GNOME Wayland without … (install …)"."""
        text = labelled(self.label, self.detail)
        return f"{text} ({self.enable})" if self.enable else text


def desktop_capabilities(report: DesktopReport, probes: Sequence[ProbeStatus] = (),
                         tray_shown: bool | None = None,
                         browsers: Sequence[BrowserState] | None = None) -> tuple[Capability, ...]:
    """Every signal's capability on ``report``'s desktop, most telling first. ``tray_shown`` is
    what the running app saw of its own icon: True once a tray host shows it, False when the
    desktop has no tray at all, None where nobody looked (the command line). ``browsers``: each
    browser's extension state, as the browser-extension settings say it (None: not read)."""
    by_name = {probe.name: probe for probe in probes}
    facts = report.facts
    return (
        _from_probe(_window_titles(report), by_name.get("windows")),
        _from_probe(Capability("processes", _("Processes and command lines"), True,
                               _("read from the process table (names, executables, meeting links)")),
                    by_name.get("processes")),
        _device("microphone", _("Microphone in use"), by_name.get("microphone"), facts),
        _device("camera", _("Camera in use"), by_name.get("camera"), facts),
        _device("sockets", _("Media sockets"), by_name.get("sockets"), facts),
        _browser_tabs(browsers),
        _tray(report, tray_shown),
        _notifications(report),
    )


def _browser_tabs(browsers: Sequence[BrowserState] | None) -> Capability:
    """Read by the extension: it works where one browser's extension is connected, and each
    browser's state is said in the words of the browser-extension settings ("Chromium: not set up")."""
    label = _("Browser tabs")
    if browsers is None:
        return Capability("browser-tabs", label, None,
                          _("read by the app's browser extension where it is installed, the same on X11 and Wayland"))
    if not browsers:
        return Capability("browser-tabs", label, False, _("no supported browser was found on this computer"))
    works = _BROWSER_WORKS
    said = [works.get(browser.state, False) for browser in browsers]
    state = True if True in said else None if None in said else False
    detail = listed(labelled(browser.browser, said_state(browser)) for browser in browsers)
    states = {browser.state for browser in browsers}
    if state is None and any(browser.last_seen is not None for browser in browsers):  # added, the browser closed
        return Capability("browser-tabs", label, None, detail, "", _("waiting for the extension"))
    if state is None:  # a host is registered and the extension has not connected: the next step is the extension
        enable = _("add the extension to the browser from the folder {folder} (the README's “Browser integration” "
                   "says how)").format(folder=resources_dir() / "extension")
        return Capability("browser-tabs", label, None, detail, enable, _("waiting for the extension"))
    enable = _("set up the extension: Preferences, Browser extension, or “meeting-guard browser install”")
    mark = "" if state else (_("✗ broken") if "host registration broken" in states else
                             _("✗ not set up") if "host not registered" in states else "")
    return Capability("browser-tabs", label, state, detail, "" if state else enable, mark)


# What a browser's state means for reading its tabs: connected, set up and waiting for the
# extension (not known until it connects), or not (not set up, broken, sandboxed, not installed).
_BROWSER_WORKS: dict[str, bool | None] = {"extension connected": True, "host registered": None}


def desktop_summary(facts: DesktopFacts) -> str:
    """"sway (Wayland; X11 apps through Xwayland)", "GNOME X11", "Windows"."""
    if facts.session == SessionType.WAYLAND:
        if facts.xwayland:
            return _("{desktop} (Wayland; X11 apps through Xwayland)").format(desktop=say(facts.said))
        return _("{desktop} (Wayland)").format(desktop=say(facts.said))
    return say(facts.said)


def _window_titles(report: DesktopReport) -> Capability:
    facts = report.facts
    label = _("Window titles")
    if facts.session == SessionType.NATIVE:
        return Capability("windows", label, True, _("read from the system's window list"))
    if facts.session == SessionType.NONE:
        return Capability("windows", label, False, _("unavailable: there is no graphical session here"))
    if facts.session == SessionType.X11:
        return Capability("windows", label, True, _("read from the X server (EWMH)"))
    xwayland = _("; X11 apps running through Xwayland are still read") if facts.xwayland else ""
    if facts.compositor == Compositor.SWAY:
        return Capability("windows", label, True, _("read through sway's IPC socket (Wayland and X11 apps)"))
    if facts.compositor == Compositor.KDE:
        return Capability("windows", label, True, _("read by a KWin script over D-Bus (Wayland and X11 apps)"))
    if facts.compositor == Compositor.GNOME:
        extension = report.services.gnome_extension
        if extension == ExtensionState.ACTIVE:
            return Capability("windows", label, True,
                              _("read through the app's GNOME Shell extension (experimental; Wayland and X11 apps)"))
        if extension == ExtensionState.INSTALLED:
            return Capability("windows", label, False,
                              _("the app's GNOME Shell extension is installed but GNOME Shell has not loaded it")
                              + xwayland,
                              _("log out and back in, then turn it on in the Extensions app"))
        return Capability("windows", label, False,
                          _("unavailable on GNOME Wayland without the app's GNOME Shell extension") + xwayland,
                          _(INSTALL_EXTENSION))
    return Capability("windows", label, False,
                      _("unavailable on {desktop}: it gives apps no way to read other apps' window titles").format(
                          desktop=say(facts.said)) + xwayland,
                      _("a sway, KDE Plasma or GNOME session can; web meetings are still seen by the browser "
                        "extension"))


def _from_probe(capability: Capability, probe: ProbeStatus | None) -> Capability:
    """What the probe saw, where it looked: switched off, or unavailable for a reason of its own."""
    if probe is None:
        return capability
    if probe.state == ProbeState.OFF:
        return Capability(capability.signal, capability.label, False, _("switched off in Preferences"),
                          _("turn on “{signal}” in Preferences").format(signal=capability.label), _("✗ switched off"))
    if probe.state == ProbeState.UNAVAILABLE and capability.works is not False:
        return Capability(capability.signal, capability.label, False,
                          _("unavailable: {reason}").format(reason=say(probe.said) if probe.said else probe.reason),
                          capability.enable)
    if probe.state == ProbeState.OK and capability.works is None:
        return Capability(capability.signal, capability.label, True, capability.detail)
    return capability


_DEVICE_HOW = {
    "microphone": N_("which app holds the microphone (PulseAudio or PipeWire's Pulse server)"),
    "camera": N_("which app holds a camera device"),
    "sockets": N_("media connections (UDP), as supporting evidence only"),
}


def _device(signal: str, label: str, probe: ProbeStatus | None, facts: DesktopFacts) -> Capability:
    how = _(_DEVICE_HOW[signal])
    if facts.os != "linux":
        how = {"microphone": _("which app holds the microphone"),
               "camera": _("which app holds the camera")}.get(signal, how)
    if probe is None or probe.state == ProbeState.IDLE:
        return Capability(signal, label, None, _("{how}; looked at while a meeting client runs").format(how=how))
    return _from_probe(Capability(signal, label, None, how), probe)


def _tray(report: DesktopReport, shown: bool | None = None) -> Capability:
    facts, host = report.facts, report.services.tray_host
    label = _("Tray icon")
    if shown:  # seen, not guessed: the tray host gave the icon a place or registered it
        return Capability("tray", label, True, _("shown: the tray host shows the app's icon"))
    if shown is False and facts.session == SessionType.X11:
        return Capability("tray", label, False,
                          _("no tray host on this desktop: the app shows a status window instead"),
                          _("run a panel with a system tray (your desktop's panel, or trayer)"))
    if facts.session == SessionType.NATIVE:
        return Capability("tray", label, True, _("in the system's notification area or menu bar"))
    if host:
        return Capability("tray", label, True, _("a status notifier item, shown by the desktop's tray host"))
    if facts.session == SessionType.X11:
        xembed = report.services.xembed_tray
        if xembed:  # the X server says a system tray runs: asked, not guessed
            return Capability("tray", label, True, _("in the X11 system tray, which runs here"))
        if xembed is False and host is False:
            return Capability("tray", label, False,
                              _("no tray host on this desktop: the app shows a status window instead"),
                              _("run a panel with a system tray (your desktop's panel, or trayer)"))
        return Capability("tray", label, None, _("in an X11 system tray, or a status notifier host where one runs"))
    hint = {Compositor.GNOME: _("turn on an AppIndicator (status notifier) extension for GNOME Shell"),
            Compositor.SWAY: _("add a tray to your bar: waybar's “tray” module, or swaybar's tray"),
            Compositor.KDE: _("add the System Tray widget to a panel")}.get(
        facts.compositor, _("run a panel with a status notifier (SNI) tray"))
    if host is False or shown is False:
        return Capability("tray", label, False,
                          _("no tray host on this desktop: the app shows a status window instead"), hint)
    return Capability("tray", label, None, _("a status notifier item, where a tray host runs"), hint)


def _notifications(report: DesktopReport) -> Capability:
    label = _("Notifications")
    if report.facts.session == SessionType.NATIVE:
        return Capability("notifications", label, True, _("the system's notifications"))
    server = report.services.notifications
    if server:
        return Capability("notifications", label, True, _("desktop notifications with answer buttons"))
    if server is False:
        return Capability("notifications", label, False,
                          _("no notification server: notices are shown in the app's own window"),
                          _("run a notification daemon (mako or dunst on sway)"))
    return Capability("notifications", label, None, _("desktop notifications, where a notification server runs"))
