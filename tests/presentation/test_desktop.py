"""What the Overview, ``scan`` and ``desktop status`` say each signal can do on a desktop: plain
desktop facts (from the environment the session sets) and probe statuses in, words out."""

from __future__ import annotations

import pytest

from guard.desktop import DesktopReport, DesktopServices, ExtensionState
from guard.detect.desktop import Compositor, SessionType, desktop_facts
from guard.detect.observation import ProbeState, ProbeStatus
from guard.presentation.desktop import desktop_capabilities, desktop_summary

SWAY = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":1",
        "SWAYSOCK": "/run/user/1000/sway-ipc.1000.42.sock", "XDG_CURRENT_DESKTOP": "sway"}
PLASMA = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "KDE",
          "KDE_FULL_SESSION": "true", "DISPLAY": ":0"}
GNOME = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME",
         "DISPLAY": ":0"}
HYPRLAND = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-1", "XDG_CURRENT_DESKTOP": "Hyprland"}
X11 = {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "XFCE"}


def capability(env: dict[str, str], signal: str, *, extension: ExtensionState | None = None, tray: bool | None = True,
               notifications: bool | None = True, probes: tuple[ProbeStatus, ...] = ()):
    facts = desktop_facts(env)
    report = DesktopReport(facts, DesktopServices(True, tray, notifications, extension))
    (found,) = [c for c in desktop_capabilities(report, probes) if c.signal == signal]
    return found


@pytest.mark.parametrize("env, session, compositor", [
    (SWAY, SessionType.WAYLAND, Compositor.SWAY), (PLASMA, SessionType.WAYLAND, Compositor.KDE),
    (GNOME, SessionType.WAYLAND, Compositor.GNOME), (HYPRLAND, SessionType.WAYLAND, Compositor.OTHER),
    (X11, SessionType.X11, Compositor.OTHER), ({}, SessionType.NONE, Compositor.NONE),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "w", "XDG_CURRENT_DESKTOP": "Budgie:GNOME"},
     SessionType.WAYLAND, Compositor.OTHER),
    ({"WAYLAND_DISPLAY": "wayland-0"}, SessionType.WAYLAND, Compositor.NONE),
])
def test_the_desktop_is_told_from_the_variables_the_session_sets(env, session, compositor):
    facts = desktop_facts(env)
    assert (facts.session, facts.compositor) == (session, compositor)


def test_window_titles_on_gnome_wayland_without_the_extension_say_how_to_enable_them():
    found = capability(GNOME, "windows", extension=ExtensionState.NOT_INSTALLED)
    assert found.works is False
    assert found.line().startswith("Window titles: unavailable on GNOME Wayland without the app's GNOME Shell "
                                   "extension; X11 apps running through Xwayland are still read (install the app's")
    assert "meeting-guard desktop install-gnome-extension" in found.enable


@pytest.mark.parametrize("env, extension, works, words", [
    (SWAY, None, True, "sway's IPC socket"),
    (PLASMA, None, True, "KWin script"),
    (GNOME, ExtensionState.ACTIVE, True, "GNOME Shell extension (experimental"),
    (GNOME, ExtensionState.INSTALLED, False, "has not loaded it"),
    (HYPRLAND, None, False, "unavailable on Hyprland Wayland: it gives apps no way"),
    (X11, None, True, "X server (EWMH)"),
    ({}, None, False, "no graphical session"),
])
def test_window_titles_per_desktop(env, extension, works, words):
    found = capability(env, "windows", extension=extension)
    assert found.works is works and words in found.detail


def test_a_probe_that_ran_says_what_really_happened():
    broken = ProbeStatus("windows", ProbeState.UNAVAILABLE, "cannot reach sway's IPC socket /x: refused", "sway-ipc")
    found = capability(SWAY, "windows", probes=(broken,))
    assert found.works is False and found.detail == "unavailable: cannot reach sway's IPC socket /x: refused"
    off = capability(SWAY, "windows", probes=(ProbeStatus("windows", ProbeState.OFF, "switched off", "sway-ipc"),))
    assert off.works is False and "Preferences" in off.enable
    mic = capability(SWAY, "microphone", probes=(ProbeStatus("microphone", ProbeState.OK, "", "pulse"),))
    assert mic.works is True
    assert capability(SWAY, "microphone").works is None


@pytest.mark.parametrize("env, hint", [
    (GNOME, "AppIndicator"), (SWAY, "waybar"), (PLASMA, "System Tray widget"), (HYPRLAND, "status notifier"),
])
def test_without_a_tray_host_the_tray_says_what_would_show_the_icon(env, hint):
    found = capability(env, "tray", tray=False)
    assert found.works is False and "status window" in found.detail and hint in found.enable
    assert capability(env, "tray", tray=True).works is True


def test_notifications_without_a_server_fall_back_to_the_window():
    found = capability(SWAY, "notifications", notifications=False)
    assert found.works is False and "mako or dunst" in found.enable


def test_outside_text_in_the_environment_is_cut_and_made_plain():
    facts = desktop_facts({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "w",
                           "XDG_CURRENT_DESKTOP": "Evil\x1b[2J" + "x" * 1000})
    assert "\x1b" not in facts.desktop and len(facts.desktop) <= 200
    assert desktop_summary(desktop_facts(SWAY)) == "sway (Wayland; X11 apps through Xwayland)"


BARE_X11 = {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}  # a window manager that names no desktop
BARE_WAYLAND = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-1"}


@pytest.mark.parametrize("language, x11, wayland, none", [
    ("de", "ein X11-Desktop", "ein Wayland-Desktop", "keine grafische Sitzung"),
    ("fr", "un bureau X11", "un bureau Wayland", "aucune session graphique"),
    ("es", "un escritorio X11", "un escritorio Wayland", "ninguna sesión gráfica"),
    ("it", "un desktop X11", "un desktop Wayland", "nessuna sessione grafica"),
    ("nl", "een X11-bureaublad", "een Wayland-bureaublad", "geen grafische sessie"),
])
def test_a_desktop_without_a_name_is_named_in_the_language_in_use(language, x11, wayland, none):
    """The Overview and ``desktop status`` say "an X11 desktop" in the user's language, not English;
    a desktop's own name stays a name, and logs keep the English label."""
    from guard.presentation import i18n

    try:
        i18n.use_language(language)
        assert desktop_summary(desktop_facts(BARE_X11)) == x11
        assert desktop_summary(desktop_facts(BARE_WAYLAND)).startswith(wayland + " (")
        assert desktop_summary(desktop_facts({})) == none
        assert wayland in capability(BARE_WAYLAND, "windows").detail
        assert desktop_summary(desktop_facts(X11)) == "XFCE X11"
    finally:
        i18n.use_language("en")
    assert desktop_facts(BARE_X11).label == desktop_summary(desktop_facts(BARE_X11)) == "an X11 desktop"


def test_the_tray_line_says_what_the_running_app_saw_of_its_own_icon():
    """On X11 the session bus cannot tell (XEmbed trays register nothing there): the Overview
    said "Tray icon (?)" while trayer showed the icon. What the app saw decides."""
    report = DesktopReport(desktop_facts(X11), DesktopServices(True, None, True))

    def tray(shown):
        (found,) = [c for c in desktop_capabilities(report, (), shown) if c.signal == "tray"]
        return found

    assert tray(True).works is True and tray(True).detail.startswith("shown")
    assert tray(False).works is False and "no tray host" in tray(False).detail and "trayer" in tray(False).enable
    assert tray(None).works is None
    sway = DesktopReport(desktop_facts(SWAY), DesktopServices(True, None, True))
    (no_host,) = [c for c in desktop_capabilities(sway, (), False) if c.signal == "tray"]
    assert no_host.works is False and "waybar" in no_host.enable


def test_on_x11_the_tray_line_says_what_the_x_server_says_of_its_system_tray():
    """`meeting-guard desktop status` said "[  ?] Tray icon" while trayer ran: the X server was not asked."""
    def tray(xembed, host=None):
        report = DesktopReport(desktop_facts(X11), DesktopServices(True, host, True, xembed_tray=xembed))
        (found,) = [c for c in desktop_capabilities(report) if c.signal == "tray"]
        return found

    assert tray(True).works is True and tray(True).detail == "in the X11 system tray, which runs here"
    assert tray(False, host=False).works is False and "trayer" in tray(False, host=False).enable
    assert tray(False).works is None and tray(None).works is None  # the bus could not say: not known


def test_an_unavailable_microphone_says_why_in_the_language_in_use():
    """"Mikrofon in Benutzung (✗ nicht hier): nicht verfügbar: no PulseAudio or PipeWire sound server answered"."""
    from guard.i18n import N_, Text
    from guard.presentation import i18n

    said = Text.of(N_("no PulseAudio or PipeWire sound server answered ({answer})"),
                   answer="pa_context_connect() failed: Connection refused")
    probe = ProbeStatus("microphone", ProbeState.UNAVAILABLE, str(said), "pulse", said)
    i18n.use_language("de")
    try:
        found = capability(X11, "microphone", probes=(probe,))
    finally:
        i18n.use_language("en")
    assert found.works is False
    assert found.detail == ("nicht verfügbar: kein PulseAudio- oder PipeWire-Soundserver hat geantwortet "
                            "(pa_context_connect() failed: Connection refused)")
