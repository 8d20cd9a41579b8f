"""``meeting-guard browser install | uninstall | status``: registering the native messaging host per browser.

For each browser found (guard/browser/browsers.py), ``install`` writes a launcher that starts
``meeting-guard browser-host`` and a host manifest naming it, pinned to the extension's fixed IDs
(``allowed_origins`` for Chromium-based browsers, ``allowed_extensions`` for Firefox): a file in
the browser's per-user folder on Linux and macOS; on Windows a manifest file in the app's data
folder and a registry value pointing at it. ``uninstall`` removes every manifest and registry
value that names this host, then the launcher, so no manifest is left pointing at nothing.
``status`` says per browser: not installed, host registered (or why the registration is broken),
extension connected now, or when it was last connected.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import guard
from guard.browser import ids
from guard.browser.browsers import BROWSERS, Browser
from guard.browser.registry import Registry
from guard.browser.state import StateReader
from guard.catalog.models import OsName
from guard.fsutil import atomic_write_text, read_small_json

MANIFEST_MAX_BYTES = 64 * 1024
SEEN_MAX_BYTES = 64 * 1024  # seen.json: when each browser's extension last connected
DESCRIPTION = "Meeting Privacy Guard: meeting tabs, AI notices and note-taker bots from the browser extension"


@dataclass(frozen=True)
class Places:
    """The folders browsers' locations are relative to, for one user on one OS."""

    os_name: OsName
    home: Path
    config: Path  # $XDG_CONFIG_HOME (Linux)
    app_support: Path  # ~/Library/Application Support (macOS)
    local_app_data: Path  # %LOCALAPPDATA% (Windows)
    app_data: Path  # %APPDATA% (Windows)

    @classmethod
    def for_user(cls, os_name: OsName, environ: Mapping[str, str] | None = None) -> Places:
        env = os.environ if environ is None else environ
        home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
        return cls(
            os_name=os_name, home=home,
            config=Path(env.get("XDG_CONFIG_HOME") or home / ".config"),
            app_support=home / "Library" / "Application Support",
            local_app_data=Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local"),
            app_data=Path(env.get("APPDATA") or home / "AppData" / "Roaming"),
        )

    def resolve(self, location: str) -> Path:
        """``config:chromium/...`` → a path; a location without a prefix is under the OS's base."""
        prefix, sep, rest = location.partition(":")
        if not sep:
            prefix, rest = "", location
        bases = {"home": self.home, "config": self.config, "localappdata": self.local_app_data,
                 "appdata": self.app_data}
        base = bases.get(prefix) if prefix else (self.app_support if self.os_name == "macos" else self.home)
        if base is None:
            raise ValueError(f"unknown location base {prefix!r}")
        return base.joinpath(*rest.replace("\\", "/").split("/"))


@dataclass(frozen=True)
class BrowserStatus:
    """One browser's integration, as ``status`` reports it."""

    id: str
    name: str
    installed: bool
    supported: bool
    registered: bool
    where: str | None = None  # the manifest file, or the registry key
    problem: str | None = None
    connected: bool = False
    last_seen: datetime | None = None
    verified: bool = True
    source: str = ""
    # While its extension is connected: the servers the user added in its options page, (host, service id), and how
    # many entries of the list it sent were refused (bad names, over the cap)
    servers: tuple[tuple[str, str], ...] = ()
    servers_refused: int = 0

    @property
    def browser(self) -> str:
        """The browser's name (guard.services.BrowserIntegration)."""
        return self.name

    @property
    def state(self) -> str:
        if not self.supported:
            return "not supported"
        if self.connected:
            return "extension connected"
        if self.registered:
            return "host registered"
        if self.problem:
            return "host registration broken"
        return "not installed" if not self.installed else "host not registered"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "state": self.state, "installed": self.installed,
                "supported": self.supported, "registered": self.registered, "where": self.where,
                "problem": self.problem, "connected": self.connected,
                "last_seen": self.last_seen.isoformat() if self.last_seen else None,
                "location_verified": self.verified, "source": self.source,
                "servers": [{"host": host, "provider": provider} for host, provider in self.servers],
                "servers_refused": self.servers_refused}


def host_command() -> list[str]:
    """How to start ``meeting-guard browser-host`` from this installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "browser-host"]
    # -P: the browser's working folder (often the home folder) is not put first on the module path,
    # so a json.py lying there never runs in the host; the launcher's PYTHONPATH finds guard.
    return [sys.executable, "-P", "-m", "guard", "browser-host"]


def manifest_for(browser: Browser, launcher: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = {"name": ids.HOST_NAME, "description": DESCRIPTION, "path": str(launcher),
                                "type": "stdio"}
    if browser.family == "firefox":
        manifest["allowed_extensions"] = list(ids.GECKO_IDS)
    else:
        manifest["allowed_origins"] = ids.chromium_origins()
    return manifest


@dataclass
class Installer:
    """Install, remove and inspect host registrations for one user."""

    places: Places
    launcher_dir: Path  # the app's data folder for browser files (launcher; manifests on Windows)
    registry: Registry | None = None  # Windows only
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    command: list[str] = field(default_factory=host_command)

    @property
    def os_name(self) -> OsName:
        return self.places.os_name

    # -- what is where ----------------------------------------------------------------------
    def launcher_path(self) -> Path:
        name = "meeting-guard-browser-host"
        return self.launcher_dir / (f"{name}.bat" if self.os_name == "windows" else name)

    def manifest_path(self, browser: Browser) -> Path | None:
        """Where the manifest file goes (on Windows: in the app's folder, one per browser family)."""
        location = browser.location(self.os_name)
        if location is None:
            return None
        if self.os_name == "windows":
            return self.launcher_dir / f"{ids.HOST_NAME}.{browser.family}.json"
        return self.places.resolve(location) / f"{ids.HOST_NAME}.json"

    def registry_key(self, browser: Browser) -> str | None:
        if self.os_name != "windows" or browser.windows is None:
            return None
        return f"{browser.windows}\\{ids.HOST_NAME}"

    def installed(self, browser: Browser) -> bool:
        if any(self.places.resolve(marker).exists() for marker in browser.markers(self.os_name)):
            return True
        if self.os_name == "linux":
            path = self.environ.get("PATH", os.defpath)
            return any(shutil.which(program, path=path) for program in browser.programs)
        return False

    # -- install / uninstall ----------------------------------------------------------------
    def write_launcher(self) -> Path:
        launcher = self.launcher_path()
        self.launcher_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(launcher, self.launcher_text(), mode=0o700)
        return launcher

    def launcher_text(self) -> str:
        """The launcher this installation writes (``status`` compares the file with it)."""
        root = str(Path(guard.__file__).resolve().parent.parent)
        home = self.environ.get("MEETING_GUARD_HOME")
        if self.os_name == "windows":
            lines = ["@echo off", f'set "PYTHONPATH={root};%PYTHONPATH%"']
            if home:
                lines.append(f'set "MEETING_GUARD_HOME={home}"')
            lines.append(" ".join(f'"{part}"' for part in self.command) + " %*")
            text = "\r\n".join(lines) + "\r\n"
        else:
            lines = ["#!/bin/sh", "# Written by `meeting-guard browser install`: the browser starts this for the",
                     "# Meeting Privacy Guard extension. `meeting-guard browser uninstall` removes it.",
                     f'PYTHONPATH={shlex.quote(root)}${{PYTHONPATH:+:$PYTHONPATH}}', "export PYTHONPATH"]
            if home:
                lines += [f"MEETING_GUARD_HOME={shlex.quote(home)}", "export MEETING_GUARD_HOME"]
            lines.append("exec " + " ".join(shlex.quote(part) for part in self.command) + ' "$@"')
            text = "\n".join(lines) + "\n"
        return text

    def install(self, chosen: Iterable[str] = ()) -> list[Browser]:
        """Register the host for ``chosen`` browser ids (default: every supported browser found)."""
        wanted = set(chosen)
        targets = [b for b in BROWSERS if b.unsupported is None and b.location(self.os_name) is not None
                   and (b.id in wanted if wanted else self.installed(b))]
        if not targets:
            return []
        launcher = self.write_launcher()
        for browser in targets:
            path = self.manifest_path(browser)
            assert path is not None
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(manifest_for(browser, launcher), indent=2) + "\n", mode=0o644)
            key = self.registry_key(browser)
            if key is not None and self.registry is not None:
                self.registry.write_default(key, str(path))
        return targets

    def uninstall(self, chosen: Iterable[str] = ()) -> list[str]:
        """Remove the host's registration from ``chosen`` browser ids (default: every browser), and the
        launcher once no registration is left; what was removed, as paths and keys. Browsers that share a
        location (Opera reads Google Chrome's) lose it together."""
        wanted = set(chosen)
        removed: list[str] = []
        for browser in BROWSERS:
            if wanted and browser.id not in wanted:
                continue
            key = self.registry_key(browser)
            if key is not None and self.registry is not None and self.registry.read_default(key) is not None:
                self.registry.delete_key(key)
                removed.append(f"HKEY_CURRENT_USER\\{key}")
            path = self.manifest_path(browser)
            if path is not None and self._ours(path):
                path.unlink()
                removed.append(str(path))
        launcher = self.launcher_path()
        if launcher.exists() and not self._any_registered():
            launcher.unlink()
            removed.append(str(launcher))
        return list(dict.fromkeys(removed))

    def _any_registered(self) -> bool:
        for browser in BROWSERS:
            key = self.registry_key(browser)
            if key is not None and self.registry is not None and self.registry.read_default(key) is not None:
                return True
            path = self.manifest_path(browser)
            if key is None and path is not None and self._ours(path):
                return True
        return False

    def _launcher_is_ours(self, launcher: Path) -> bool:
        from guard.fsutil import NotRegularFile, read_regular

        try:
            data, _info = read_regular(launcher, MANIFEST_MAX_BYTES)
        except (OSError, NotRegularFile):
            return False
        return data[:MANIFEST_MAX_BYTES].decode("utf-8", "replace") == self.launcher_text()

    @staticmethod
    def _ours(path: Path) -> bool:
        return _read_manifest(path) is not None

    # -- status ------------------------------------------------------------------------------
    def status(self, state_folder: Path, seen_file: Path) -> list[BrowserStatus]:
        states = StateReader(state_folder).read()
        connected = {state.browser for state in states}
        servers: dict[str, dict[tuple[str, str], None]] = {}  # each browser's profiles' servers, in order, once
        refused: dict[str, int] = {}
        for state in states:
            servers.setdefault(state.browser, {}).update({(s.host, s.provider): None for s in state.servers})
            refused[state.browser] = refused.get(state.browser, 0) + state.servers_refused
        seen = _read_seen(seen_file)
        result = []
        for browser in BROWSERS:
            installed = self.installed(browser)
            if browser.unsupported is not None:
                if installed:
                    result.append(BrowserStatus(browser.id, browser.name, True, False, False,
                                                problem=browser.unsupported, verified=browser.verified,
                                                source=browser.source))
                continue
            if browser.location(self.os_name) is None:
                continue
            registered, where, problem = self._registration(browser)
            result.append(BrowserStatus(browser.id, browser.name, installed, True, registered, where, problem,
                                        browser.id in connected, seen.get(browser.id), browser.verified,
                                        browser.source, tuple(servers.get(browser.id, {})),
                                        refused.get(browser.id, 0)))
        return result

    def _registration(self, browser: Browser) -> tuple[bool, str | None, str | None]:
        path = self.manifest_path(browser)
        assert path is not None
        where = str(path)
        key = self.registry_key(browser)
        if key is not None:
            where = f"HKEY_CURRENT_USER\\{key}"
            pointed = self.registry.read_default(key) if self.registry is not None else None
            if pointed is None:
                return False, None, None
            path = Path(pointed)
        elif not path.exists():
            return False, None, None
        manifest = _read_manifest(path)
        if manifest is None:
            return False, where, f"{path} is not this app's host manifest; run `meeting-guard browser install`"
        program = Path(str(manifest.get("path", "")))
        if not program.is_file() or (self.os_name != "windows" and not os.access(program, os.X_OK)):
            return False, where, (f"the manifest points to {program}, which is missing; "
                                  "run `meeting-guard browser install` again")
        # Any program of the user's can write there: the browser would hand another host every meeting tab.
        launcher = self.launcher_path()
        if program != launcher:
            return False, where, (f"the manifest starts {program}, not this app's host ({launcher}); "
                                  "run `meeting-guard browser install`")
        if not self._launcher_is_ours(launcher):
            return False, where, (f"the launcher {launcher} was changed and may start another program; "
                                  "run `meeting-guard browser install`")
        pinned = manifest_for(browser, program)
        field_name = "allowed_extensions" if browser.family == "firefox" else "allowed_origins"
        if manifest.get(field_name) != pinned[field_name]:
            return False, where, ("the manifest allows other extensions than this app's; "
                                  "run `meeting-guard browser install`")
        return True, where, None


def _read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at ``path`` when it is a small JSON file naming this host, else None. Opened
    once, never through a link (``read_small_json``): checked and read are the same file."""
    data = read_small_json(path, MANIFEST_MAX_BYTES)
    return data if isinstance(data, dict) and data.get("name") == ids.HOST_NAME else None


def _read_seen(path: Path) -> dict[str, datetime]:
    data = read_small_json(path, SEEN_MAX_BYTES, own=True)
    seen: dict[str, datetime] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            try:
                seen[str(key)] = datetime.fromisoformat(str(value))
            except ValueError:
                continue
    return seen
