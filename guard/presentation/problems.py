"""What a detection signal that cannot be read means for the user, and what they can do (pure).

A probe that is unavailable (no PulseAudio, Wayland hiding window titles, no permission for
``/dev/video*``) is reported once, in the settings window's Overview, with the advice below;
the tray menu stays about meetings."""

from __future__ import annotations

from guard.i18n import Text
from guard.presentation.i18n import N_, _, say, words_for

PROBE_NAMES = {
    "processes": N_("Process check"),
    "windows": N_("Window-title check"),
    "microphone": N_("Microphone check"),
    "camera": N_("Camera check"),
    "sockets": N_("Media-connection check"),
    "browser": N_("Browser-tab check"),
    "accessibility": N_("Accessibility check"),
}

PROBE_ADVICE = {
    "processes": N_("The app cannot list running programs, so it cannot detect meeting clients. Check that "
                    "/proc can be read (hidepid), then restart the app."),
    "windows": N_("Meetings are still found from programs, the microphone and the camera. Window titles can be "
                  "read on X11 desktops; under Wayland other programs' titles are hidden by design."),
    "microphone": N_("The microphone check needs PulseAudio, or PipeWire with pipewire-pulse, running in your "
                     "desktop session. Start it, or switch “Microphone in use” off in Preferences so the app "
                     "stops asking."),
    "camera": N_("The camera check reads which program holds /dev/video*. Make sure your user may read the "
                 "video devices (the “video” group), or switch “Camera in use” off in Preferences."),
    "sockets": N_("Media connections are only supporting evidence; detection works without them. Switch “Media "
                  "sockets” off in Preferences to stop the app asking."),
    "browser": N_("Meeting tabs in the background are not seen. Set up the browser integration (the welcome, "
                  "from the tray menu, says how)."),
    "accessibility": N_("Native clients' in-meeting notices are not read. The client must expose its accessibility "
                        "tree (docs/accessibility.md says how), or switch [detection] accessibility_probe off."),
}


def probe_name(name: str) -> str:
    return words_for(PROBE_NAMES, name, name.capitalize())


def probe_problem(name: str, reason: str, said: Text | None = None) -> str:
    """'Microphone check unavailable: no PulseAudio ... answered (pa_context_connect() failed: ...)'; the
    reason in the language in use where the probe said it as a sentence (``said``), else as written."""
    return _("{check} unavailable: {reason}").format(check=probe_name(name), reason=say(said) if said else reason)


def probe_advice(name: str) -> str:
    """What to do about an unavailable probe, in a sentence or two."""
    return words_for(PROBE_ADVICE, name, _("Detection goes on with the other signals."))
