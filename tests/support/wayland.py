"""A private Wayland session for the tests: a headless compositor (sway, or KWin), its own
D-Bus session bus, and on sway waybar (the StatusNotifierItem host) and mako (notifications),
all real programs started here and stopped by :meth:`WaylandSession.stop`.

sway refuses to run as root: when the tests run as root, sway runs as an unprivileged system
user created here (:data:`SWAY_USER`), in a runtime folder it owns; the test's own clients (the
app, foot, Chromium, waybar, mako) run as the test's user and reach the compositor through that
folder, as root may. The bus is a new one, apart from the X11 test desktop's, so waybar's
StatusNotifierWatcher never turns the X11 tests' tray icon into a status notifier item.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SWAY_USER = "mpg-wayland"
SWAY_PROGRAMS = ("sway", "swaymsg", "waybar", "mako", "makoctl", "dbus-daemon", "foot", "wtype", "grim", "xhost")
KWIN_PROGRAMS = ("kwin_wayland", "dbus-daemon")
# What the X11 test desktop put in the environment, which the Wayland session replaces.
_X11_SESSION_KEYS = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE",
                     "XDG_CURRENT_DESKTOP", "SWAYSOCK", "I3SOCK", "QT_QPA_PLATFORM", "GNOME_KEYRING_CONTROL",
                     "SSH_AUTH_SOCK", "KDE_FULL_SESSION")

WAYBAR_CONFIG = {
    "layer": "top", "position": "top", "height": 28, "spacing": 6,
    "modules-left": ["sway/workspaces", "sway/window"], "modules-right": ["tray", "clock"],
    "tray": {"icon-size": 20, "spacing": 6}, "clock": {"format": "{:%H:%M}"},
}


class WaylandUnavailable(RuntimeError):
    """A program the Wayland session needs is missing or would not start."""


@dataclass
class WaylandSession:
    root: Path
    compositor: str
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # sway's one mouse (a virtual pointer), made before any client starts: see _start_pointer.
    pointer: Any = None

    @staticmethod
    def missing_programs(compositor: str = "sway") -> list[str]:
        names = SWAY_PROGRAMS if compositor == "sway" else KWIN_PROGRAMS
        return [name for name in names if shutil.which(name) is None]

    @classmethod
    def start(cls, compositor: str = "sway", *, tray: bool = True) -> WaylandSession:
        missing = cls.missing_programs(compositor)
        if missing:
            raise WaylandUnavailable(f"missing programs: {', '.join(missing)} (run .ci/install --test)")
        root = Path(tempfile.mkdtemp(prefix=f"mpg-{compositor}-"))
        root.chmod(0o755)
        session = cls(root, compositor)
        try:
            session._start_bus()
            session._start_keyring()
            if compositor == "sway":
                session._start_sway()
                session._start_pointer()
                session._start_mako()
                if tray:
                    session.start_waybar()
            else:
                session._start_kwin()
        except BaseException:
            session.stop()
            raise
        return session

    # -- the session's parts ----------------------------------------------------------------
    @property
    def runtime(self) -> Path:
        return self.root / "runtime"

    def child_env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for programs that live in this session (the X11 desktop's variables removed)."""
        env = dict(base if base is not None else os.environ)
        for key in _X11_SESSION_KEYS:
            env.pop(key, None)
        env.update(self.env)
        return env

    def _start_bus(self) -> None:
        self.runtime.mkdir(mode=0o700)
        home = self.root / "home"
        home.mkdir(mode=0o700)
        self.env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"),
                        XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, text=True, env=dict(os.environ, XDG_RUNTIME_DIR=str(self.root)))
        self.processes["dbus"] = bus
        address = bus.stdout.readline().strip() if bus.stdout else ""
        if not address:
            raise WaylandUnavailable("dbus-daemon printed no bus address")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    def _start_keyring(self) -> None:
        """An unlocked Secret Service keyring, as a logged-in desktop has (else the bus would start a
        locked one on first use, whose unlock prompt would take the focus from the windows tested)."""
        if shutil.which("gnome-keyring-daemon") is None:
            return
        result = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                                input="mpg-test-keyring", capture_output=True, text=True,
                                env=dict(self.child_env(), XDG_RUNTIME_DIR=str(self.root)), timeout=20)
        for line in result.stdout.splitlines():
            key, _, value = line.partition("=")
            if key and value:
                self.env[key] = value

    def _start_sway(self) -> None:
        user = _sway_user()
        if user is not None:
            os.chown(self.runtime, user[0], user[1])
        env_file = self.runtime / "sway-env"
        config = self.root / "sway.config"
        # Xwayland admits only sway's user; the test's clients run as root then, so sway lets root in first.
        # (Retried: Xwayland may still be starting when sway runs this.)
        admit = ("i=0; until xhost +si:localuser:root >/dev/null 2>&1; do i=$((i+1)); [ $i -ge 200 ] && break; "
                 "sleep 0.1; done; " if user is not None else "")
        config.write_text(
            "output HEADLESS-1 resolution 1280x800 position 0 0\n"
            "default_border normal 2\n"
            "xwayland force\n"  # started at once and kept: no lazy start or idle exit mid-test

            f"exec sh -c '{admit}env > {env_file}.tmp && mv {env_file}.tmp {env_file}'\n", encoding="utf-8")
        config.chmod(0o644)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.runtime),
               "XDG_RUNTIME_DIR": str(self.runtime), "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
               "WLR_RENDERER": "pixman", "XDG_CURRENT_DESKTOP": "sway", "XDG_SESSION_TYPE": "wayland",
               "LANG": "C.UTF-8"}
        log = open(self.root / "sway.log", "wb")  # noqa: SIM115 - kept open for sway's lifetime
        self.processes["sway"] = subprocess.Popen(
            ["sway", "-c", str(config)], env=env, cwd="/", stdout=log, stderr=subprocess.STDOUT,
            user=user[0] if user else None, group=user[1] if user else None,
            extra_groups=[] if user else None, start_new_session=True)
        self._wait_for(env_file.exists, "sway's environment", 20, "sway")
        values = env_file.read_text(errors="replace")
        sway_env = dict(line.split("=", 1) for line in values.splitlines() if "=" in line)
        for key in ("WAYLAND_DISPLAY", "SWAYSOCK", "DISPLAY"):
            if not sway_env.get(key):
                raise WaylandUnavailable(f"sway gave its children no {key}")
            self.env[key] = sway_env[key]
        self.env.update(XDG_RUNTIME_DIR=str(self.runtime), XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="sway",
                        QT_QPA_PLATFORM="wayland", I3SOCK=sway_env["SWAYSOCK"])

    def _start_kwin(self) -> None:
        program = shutil.which("kwin_wayland") or "kwin_wayland"
        env = self.child_env()
        env.update(XDG_RUNTIME_DIR=str(self.runtime), KWIN_COMPOSE="Q", QT_QPA_PLATFORM="offscreen")
        socket = "wayland-kwin"
        argv = ["--virtual", "--no-lockscreen", "--no-global-shortcuts", "--socket", socket,
                "--width", "1280", "--height", "800"]
        log = open(self.root / "kwin.log", "wb")  # noqa: SIM115 - kept open for KWin's lifetime
        try:
            process = subprocess.Popen([program, *argv], env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        except PermissionError as error:
            if error.errno != errno.EPERM:
                raise
            # Debian gives kwin_wayland the file capability CAP_SYS_RESOURCE (to raise its limits); where
            # the container's bounding set lacks it, exec is refused. A copy has no capabilities.
            copy = self.root / "kwin_wayland"
            shutil.copy(program, copy)
            process = subprocess.Popen([str(copy), *argv], env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes["kwin"] = process
        self.env.update(WAYLAND_DISPLAY=socket, XDG_RUNTIME_DIR=str(self.runtime), XDG_SESSION_TYPE="wayland",
                        XDG_CURRENT_DESKTOP="KDE", KDE_FULL_SESSION="true", QT_QPA_PLATFORM="wayland")
        deadline = time.monotonic() + 60
        # KWin takes its bus name before it exports its scripting object: wait for both.
        while not (bus_name_owned(self.env, "org.kde.KWin") and _kwin_scripting_ready(self.env)):
            if process.poll() is not None or time.monotonic() > deadline:
                raise WaylandUnavailable(f"KWin did not start: {self.log('kwin')[-2000:]}")
            time.sleep(0.2)

    def _start_pointer(self) -> None:
        """The seat's mouse, there from the start as on a real desktop: clients (mako, waybar, the app)
        bind a seat's pointer when it appears, at their own pace, so a pointer made just for a click
        raced them (the click was lost when mako had not bound it yet, on a loaded machine)."""
        from tests.wayland.pointer import VirtualPointer

        self.pointer = VirtualPointer(self.child_env(), 1280, 800)

    def _start_mako(self) -> None:
        """mako: a Wayland notification daemon with actions, which hands the app an xdg-activation
        token when an action is invoked (org.freedesktop.Notifications ActivationToken)."""
        config = self.root / "mako.config"
        config.write_text("font=DejaVu Sans 10\ndefault-timeout=0\nmax-visible=3\nanchor=top-right\n"
                          "margin=36,10,10,10\n", encoding="utf-8")
        self._spawn("mako", ["mako", "--config", str(config)])
        self._wait_for(lambda: bus_name_owned(self.env, "org.freedesktop.Notifications"),
                       "mako's notification service", 20, "mako")

    def start_waybar(self) -> None:
        """waybar with its tray: the StatusNotifierWatcher and host, as on a sway desktop."""
        folder = self.root / "waybar"
        folder.mkdir(exist_ok=True)
        (folder / "config").write_text(json.dumps(WAYBAR_CONFIG), encoding="utf-8")
        (folder / "style.css").write_text(
            "* { font-family: 'DejaVu Sans'; font-size: 13px; }\n"
            "window#waybar { background: #1e1e2e; color: #e0e0e0; }\n"
            "#workspaces button { padding: 0 6px; color: #e0e0e0; }\n"
            "#tray, #clock, #window { padding: 0 8px; }\n", encoding="utf-8")
        self._spawn("waybar", ["waybar", "-c", str(folder / "config"), "-s", str(folder / "style.css")])
        self._wait_for(lambda: _watcher_has_host(self.env), "waybar's tray", 30, "waybar")

    def stop_waybar(self) -> None:
        process = self.processes.pop("waybar", None)
        if process is not None:
            _terminate(process)
            self._wait_for(lambda: not bus_name_owned(self.env, "org.kde.StatusNotifierWatcher"), "waybar to stop", 10)

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the program's lifetime
        process = subprocess.Popen(argv, env=self.child_env(), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        try:
            return (self.root / f"{name}.log").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _wait_for(self, predicate: Callable[[], bool], what: str, timeout: float, program: str = "") -> None:
        """Wait for ``predicate``; fail early, with its log, when ``program`` (a started one) exits."""
        deadline = time.monotonic() + timeout
        while not predicate():
            process = self.processes.get(program)
            if process is not None and process.poll() is not None:
                raise WaylandUnavailable(f"{what}: {program} exited ({process.returncode}): "
                                         f"{self.log(program)[-2000:]}")
            if time.monotonic() > deadline:
                logs = " | ".join(f"{name}: {self.log(name)[-800:]}" for name in self.processes)
                raise WaylandUnavailable(f"{what} did not come up in {timeout:g} s; {logs}")
            time.sleep(0.1)

    # -- what tests use ------------------------------------------------------------------------
    def swaymsg(self, *args: str) -> object:
        """``swaymsg -r ARGS`` parsed: an oracle independent of the app's own IPC client."""
        result = subprocess.run(["swaymsg", "-r", *args], env=self.child_env(), capture_output=True, text=True,
                                timeout=10, check=True)
        return json.loads(result.stdout)

    def focused_title(self) -> str | None:
        """The title of the window sway has focused now."""
        stack = [self.swaymsg("-t", "get_tree")]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if node.get("focused") and "shell" in node:
                    return node.get("name")
                stack += node.get("nodes", []) + node.get("floating_nodes", [])
        return None

    def type_keys(self, *args: str) -> None:
        """Keyboard input to the focused window through a virtual keyboard (``wtype ARGS``). wtype
        first waits a moment: the keyboard it adds to the seat must reach the window before the keys."""
        subprocess.run(["wtype", "-s", "800", *args], env=self.child_env(), check=True, timeout=20,
                       capture_output=True)

    def screenshot(self, path: Path) -> Path:
        subprocess.run(["grim", str(path)], env=self.child_env(), check=True, timeout=30, capture_output=True)
        return path

    def notifications(self) -> list[dict]:
        """The notifications mako shows now: ``id``, ``summary``, ``body``, ``actions`` (id → label)."""
        result = subprocess.run(["makoctl", "list"], env=self.child_env(), capture_output=True, text=True, timeout=10,
                                check=True)
        shown = []
        for group in json.loads(result.stdout).get("data", []):
            for item in group:
                shown.append({key: value.get("data") for key, value in item.items() if isinstance(value, dict)})
        return shown

    def dismiss_notifications(self, keep: int | None = None) -> None:
        """Close the notifications shown (all but ``keep``, an id)."""
        if keep is None:
            subprocess.run(["makoctl", "dismiss", "--all"], env=self.child_env(), timeout=10, capture_output=True)
            return
        for shown in self.notifications():
            if shown["id"] != keep:
                subprocess.run(["makoctl", "dismiss", "-n", str(shown["id"])], env=self.child_env(), timeout=10,
                               capture_output=True)

    def click(self, x: int, y: int) -> None:
        """A left click at (x, y), through the session's virtual pointer (tests/wayland/pointer.py)."""
        if self.pointer is None:
            raise WaylandUnavailable(f"no pointer on {self.compositor}: clicks are made on sway only")
        self.pointer.click(x, y, settle=0)

    def invoke(self, notification_id: int, action: str) -> None:
        """Press the notification's button ``action`` (an action id), as a click on it would."""
        subprocess.run(["makoctl", "invoke", "-n", str(notification_id), action], env=self.child_env(), check=True,
                       timeout=10, capture_output=True)

    def stop(self) -> None:
        if self.pointer is not None:
            with contextlib.suppress(OSError):
                self.pointer.close()
            self.pointer = None
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(list(self.processes.values())):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.processes.clear()
        _stop_keyring(self.env.get("HOME", ""))
        shutil.rmtree(self.root, ignore_errors=True)


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _stop_keyring(home: str) -> None:
    """The keyring daemon started for this session (it forks: found by its HOME)."""
    if not home:
        return
    import psutil

    for proc in psutil.process_iter(["name", "environ"]):
        try:
            if proc.info["name"] == "gnome-keyring-daemon" and (proc.info["environ"] or {}).get("HOME") == home:
                proc.terminate()
        except (psutil.Error, TypeError):
            continue


def _sway_user() -> tuple[int, int] | None:
    """(uid, gid) of the unprivileged user sway runs as when the tests run as root; None otherwise."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(SWAY_USER)
    except KeyError:
        result = subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                                 "--shell", "/usr/sbin/nologin", SWAY_USER], capture_output=True, text=True)
        if result.returncode not in (0, 9):  # 9: made meanwhile by a parallel test run
            raise WaylandUnavailable(f"cannot create the user {SWAY_USER} for sway: {result.stderr.strip()}") from None
        entry = pwd.getpwnam(SWAY_USER)
    return entry.pw_uid, entry.pw_gid


def bus_name_owned(env: dict[str, str], name: str) -> bool:
    result = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
        env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=env["DBUS_SESSION_BUS_ADDRESS"]), capture_output=True,
        text=True, timeout=10)
    return "boolean true" in result.stdout


def _kwin_scripting_ready(env: dict[str, str]) -> bool:
    result = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.kde.KWin", "/Scripting",
         "org.freedesktop.DBus.Introspectable.Introspect"],
        env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=env["DBUS_SESSION_BUS_ADDRESS"]), capture_output=True,
        text=True, timeout=10)
    return result.returncode == 0 and "org.kde.kwin.Scripting" in result.stdout


def _watcher_has_host(env: dict[str, str]) -> bool:
    result = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
         "org.freedesktop.DBus.Properties.Get", "string:org.kde.StatusNotifierWatcher",
         "string:IsStatusNotifierHostRegistered"],
        env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=env["DBUS_SESSION_BUS_ADDRESS"]), capture_output=True,
        text=True, timeout=10)
    return "boolean true" in result.stdout
