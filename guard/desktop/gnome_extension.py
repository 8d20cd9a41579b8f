"""Installing the Guard's GNOME Shell extension (experimental) into the user's extension folder.

GNOME Shell loads a user's extensions from ``$XDG_DATA_HOME/gnome-shell/extensions/<uuid>/``
(https://gjs.guide/extensions/overview/anatomy.html, checked 2026-12-01). A newly installed
extension is seen by the Shell only after it restarts, which on Wayland means logging out and
back in; it is then turned on in the Extensions app or with ``gnome-extensions enable <uuid>``
(both ddterm's install notes,
https://github.com/ddterm/gnome-shell-extension-ddterm/blob/master/docs/INSTALL.md, checked
2026-12-01, and the gjs.guide). When the running Shell already knows the extension (an update, or
a second install), it is turned on at once over D-Bus (``org.gnome.Shell.Extensions.EnableExtension``).

The extension is not on extensions.gnome.org: extensions published there are reviewed by hand
for malicious code and security risks (https://gjs.guide/extensions/review-guidelines/review-guidelines.html,
checked 2026-12-01); this one is installed from the app's own files instead, which the user
can read in ``resources/desktop/gnome_shell/``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from guard.detect.windows.gnome_shell import EXTENSION_UUID, INTERFACE, PATH, SHELL
from guard.errors import GuardError

log = logging.getLogger(__name__)

FILES = ("metadata.json", "extension.js", "windowTitles.js")
EXTENSIONS_BUS = ("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell.Extensions")
RELOGIN = ("log out and back in (GNOME Shell finds new extensions when it starts), then turn on "
           "“Meeting Privacy Guard: window titles” in the Extensions app, or run: "
           f"gnome-extensions enable {EXTENSION_UUID}")


class ExtensionError(GuardError):
    """The extension could not be installed or removed; the message says where and why."""


class ExtensionState(StrEnum):
    NOT_INSTALLED = "not-installed"
    INSTALLED = "installed"  # its files are in place; the Shell has not loaded it (yet)
    ACTIVE = "active"  # the Shell runs it: it answers on the session bus


@dataclass(frozen=True)
class ExtensionInstall:
    """Where the extension went, whether the running Shell turned it on, and what the user does next."""

    path: Path
    enabled: bool
    next_step: str


def source_dir() -> Path:
    from guard.paths import resources_dir

    return resources_dir() / "desktop" / "gnome_shell"


def target_dir(env: Mapping[str, str]) -> Path:
    """The user's folder for this extension (``$XDG_DATA_HOME``, else ``~/.local/share``)."""
    data_home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(data_home) / "gnome-shell" / "extensions" / EXTENSION_UUID


def install(env: Mapping[str, str] | None = None) -> ExtensionInstall:
    """Copy the extension's files into the user's extension folder (replacing an older copy
    whole), then ask a running GNOME Shell to turn it on."""
    import shutil  # here, not at the top: ``scan`` imports this module for the state only (issue 18)
    import tempfile

    env = os.environ if env is None else env
    target = target_dir(env)
    source = source_dir()
    staging: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".meeting-guard-", dir=target.parent))
        for name in FILES:
            shutil.copyfile(source / name, staging / name)
        staging.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except OSError as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise ExtensionError(f"cannot install the GNOME Shell extension into {target}: "
                             f"{error.strerror or error}") from None
    log.info("GNOME Shell extension installed in %s", target)
    enabled = _shell_call(env, "EnableExtension") is True
    step = "it is on now" if enabled else RELOGIN
    return ExtensionInstall(target, enabled, step)


def uninstall(env: Mapping[str, str] | None = None) -> Path | None:
    """Turn the extension off (when the Shell runs it) and remove its folder; the folder removed, or None."""
    import shutil

    env = os.environ if env is None else env
    target = target_dir(env)
    _shell_call(env, "DisableExtension")
    if not target.exists():
        return None
    try:
        shutil.rmtree(target)
    except OSError as error:
        raise ExtensionError(f"cannot remove {target}: {error.strerror or error}") from None
    return target


def state(env: Mapping[str, str], conn: Any = None) -> ExtensionState:
    """Whether the extension runs (it answers on the bus), is only installed, or is not there."""
    if conn is not None and _answers(conn):
        return ExtensionState.ACTIVE
    return ExtensionState.INSTALLED if (target_dir(env) / "metadata.json").is_file() else ExtensionState.NOT_INSTALLED


def _answers(conn: Any) -> bool:
    from guard.detect.windows.session_bus import BusError, call

    try:
        (xml,) = call(conn, SHELL, PATH, "org.freedesktop.DBus.Introspectable", "Introspect", timeout=1.0)
    except (BusError, OSError, TimeoutError):
        return False
    return isinstance(xml, str) and INTERFACE in xml


def _shell_call(env: Mapping[str, str], method: str) -> bool | None:
    """Ask GNOME Shell to turn the extension on or off; None when no Shell answers."""
    from guard.detect.observation import ProbeUnavailable
    from guard.detect.windows.session_bus import BusError, call, close_quietly, open_session_bus

    try:
        conn = open_session_bus(env)
    except ProbeUnavailable:
        return None
    try:
        (done,) = call(conn, *EXTENSIONS_BUS, method, "s", (EXTENSION_UUID,), timeout=2.0)
        return bool(done)
    except (BusError, OSError, TimeoutError) as error:
        log.debug("GNOME Shell's %s(%s) did not work: %s", method, EXTENSION_UUID, error)
        return None
    finally:
        close_quietly(conn)
