"""``meeting-guard`` with no command: start the tray app, or say plainly why it cannot start.

Without a display Qt aborts the process (exit 134, "could not connect to display", advice to
reinstall). The check here runs before Qt is imported and names what is missing instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from guard.cli.env import Environment
from guard.cli.status import ExitStatus

# Qt platform plugins that draw on a display server; any other (offscreen, vnc, eglfs, ...) needs none.
_X11 = {"xcb"}
_WAYLAND_PREFIX = "wayland"
# The module that runs the Qt app, found by name: the core never imports the UI statically.
LAUNCHER = "ui.app"

HEADLESS_HINT = ("Commands that need no display still work, e.g. 'meeting-guard scan', "
                 "'meeting-guard consent list', 'meeting-guard providers' (see 'meeting-guard --help').")


def missing_display(environ: Mapping[str, str], platform: str) -> str | None:
    """Why Qt would find no display to show the tray icon on, or None when it should find one."""
    if not (platform.startswith("linux") or "bsd" in platform):
        return None  # Windows and macOS always have their own window system
    wanted = [name.strip() for name in environ.get("QT_QPA_PLATFORM", "").split(";") if name.strip()]
    if any(name.split(":")[0] not in _X11 and not name.startswith(_WAYLAND_PREFIX) for name in wanted):
        return None  # the user chose a platform that needs no display server
    x11 = environ.get("DISPLAY", "")
    wayland = environ.get("WAYLAND_DISPLAY", "")
    if wanted and all(name.startswith(_WAYLAND_PREFIX) for name in wanted):
        return None if wayland else f"QT_QPA_PLATFORM={environ['QT_QPA_PLATFORM']} but WAYLAND_DISPLAY is not set"
    if wanted and all(name.split(":")[0] in _X11 for name in wanted):
        return None if x11 else f"QT_QPA_PLATFORM={environ['QT_QPA_PLATFORM']} but DISPLAY is not set"
    if x11 or wayland:
        return None
    return "no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)"


def start_tray(env: Environment, verbose: bool) -> int:
    """Run the tray app until it quits; exit 2 with one line when there is no display."""
    problem = missing_display(env.environ, env.platform)
    if problem:
        env.stderr.write(f"meeting-guard: cannot start the tray app: {problem}. {HEADLESS_HINT}\n")
        return ExitStatus.USAGE
    from guard.logs import setup_logging

    paths = env.app_paths()
    setup_logging(paths.log_file, verbose=verbose, stream=env.stderr)
    run_app = importlib.import_module(LAUNCHER).run_app

    def tell(text: str) -> None:
        env.stderr.write(f"meeting-guard: {text}\n")
        env.stderr.flush()

    return int(run_app(paths, tell))
