"""A private desktop session for the tests: D-Bus, Xvfb, a tray host, a notification daemon
and an unlocked Secret Service keyring, all real programs started here and stopped at exit.

Nothing leaks into the developer's own session: the bus, display and keyring are new.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = ("dbus-daemon", "Xvfb", "trayer", "dunst", "gnome-keyring-daemon")
KEYRING_PASSWORD = "mpg-test-keyring"


class DesktopUnavailable(RuntimeError):
    """A program the desktop session needs is missing or would not start."""


@dataclass
class DesktopSession:
    root: Path
    env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def missing_programs(cls) -> list[str]:
        return [name for name in REQUIRED if shutil.which(name) is None]

    @classmethod
    def start(cls) -> DesktopSession:
        missing = cls.missing_programs()
        if missing:
            raise DesktopUnavailable(f"missing programs: {', '.join(missing)} (run .ci/install --test)")
        session = cls(Path(tempfile.mkdtemp(prefix="mpg-desktop-")))
        try:
            session._start_all()
        except Exception:
            session.stop()
            raise
        return session

    def _start_all(self) -> None:
        home = self.root / "home"
        runtime = self.root / "runtime"
        for folder in (home, runtime):
            folder.mkdir(mode=0o700)
        base = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(runtime),
                    XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"),
                    XDG_CACHE_HOME=str(home / ".cache"))
        base.pop("WAYLAND_DISPLAY", None)

        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, env=base, text=True,
        )
        self.processes.append(bus)
        address = bus.stdout.readline().strip() if bus.stdout else ""
        if not address:
            raise DesktopUnavailable("dbus-daemon printed no bus address")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), env=base, stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        self.processes.append(xvfb)
        with os.fdopen(read_fd) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise DesktopUnavailable("Xvfb did not report a display number")
        self.env["DISPLAY"] = f":{display}"

        env = self.child_env(base)
        self.processes.append(subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
             "--height", "24", "--transparent", "false", "--SetDockType", "true"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        self.processes.append(subprocess.Popen(
            ["dunst", "-config", str(self._dunst_config())], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ))
        self._start_keyring(env)
        self.env.update({k: env[k] for k in ("HOME", "XDG_RUNTIME_DIR", "XDG_DATA_HOME",
                                              "XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
        self._wait_for_tray(env)

    def _start_keyring(self, env: dict[str, str]) -> None:
        """gnome-keyring's Secret Service, its login collection unlocked with the session's password."""
        keyring = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
            input=KEYRING_PASSWORD, capture_output=True, text=True, env=env, timeout=20,
        )
        for line in keyring.stdout.splitlines():
            key, _, value = line.partition("=")
            if key and value:
                self.env[key] = value
        self.keyring_pid = _pid_of("gnome-keyring-daemon", env["HOME"])

    def ensure_keyring(self, *, answering: bool = False) -> str | None:
        """Keep the keyring answering for the tests that follow one that stopped or killed it:
        a stopped (SIGSTOP) daemon is continued; a dead one, or one that D-Bus activated in its
        place (locked, so every call would fail), is replaced by a new unlocked daemon. Says
        what it did, or None when the keyring was fine (one /proc read). ``answering``: also make
        sure ours owns the Secret Service name (one D-Bus call), as a test that needs the keyring
        asks before it starts: a daemon that died after the last test ended (and a locked one
        activated by whatever called next) would otherwise fail it for the harness's reasons."""
        pid = getattr(self, "keyring_pid", None)
        state = _process_state(pid, "gnome-keyring-daemon") if pid else None
        if state == "stopped" and pid:
            os.kill(pid, signal.SIGCONT)
            return "continued"
        env = self.child_env()
        if state == "running" and (not answering or _name_owner_pid(env, "org.freedesktop.secrets") == pid):
            return None
        # A keyring call left from the test (its worker thread, or the library's next D-Bus call in
        # the same operation) can make D-Bus activate a locked daemon while ours starts; that one may
        # take the Secret Service name, and ours would be started for nothing. So ours counts as
        # restarted only once it owns the name; until then every daemon of this session is replaced.
        deadline = time.monotonic() + 20
        for _ in range(5):
            for pid in _pids_of("gnome-keyring-daemon", env["HOME"]):  # dead, locked or ours: none answers
                _end(pid)
            self._start_keyring(env)
            owner = _name_owner_pid(env, "org.freedesktop.secrets")
            while owner is None and time.monotonic() < deadline:
                time.sleep(0.1)
                owner = _name_owner_pid(env, "org.freedesktop.secrets")
            if owner is None:
                raise DesktopUnavailable("the restarted gnome-keyring did not register org.freedesktop.secrets")
            if "--unlock" in _cmdline(owner):
                self.keyring_pid = owner
                return "restarted"
            if time.monotonic() > deadline:
                break
        raise DesktopUnavailable("a locked gnome-keyring D-Bus activated kept the Secret Service name from ours")

    def _dunst_config(self) -> Path:
        """dunst with its defaults, except that its context menu ("dmenu") is a script that picks
        the line naming :meth:`press_notification_button`'s label, as a user would in the menu."""
        picker = self.root / "dunst-pick"
        # It also writes what it picked (an empty line when the label was not listed) for the press to read.
        picker.write_text(f"#!/bin/sh\nline=$(grep -F -- \"$(cat '{self.root / 'dunst-choice'}')\" | head -n 1)\n"
                          f"printf '%s\\n' \"$line\"\nprintf '%s\\n' \"$line\" > '{self.root / 'dunst-picked'}.new'\n"
                          f"mv '{self.root / 'dunst-picked'}.new' '{self.root / 'dunst-picked'}'\n")
        picker.chmod(0o700)
        config = self.root / "dunstrc"
        config.write_text(f"[global]\ndmenu = {picker}\n")
        return config

    def press_notification_button(self, label: str) -> None:
        """Press the button named ``label`` on the notification shown (through dunst's own
        context menu, which lists every action of the notifications on screen).

        A notification the app has sent may not be on screen yet (a busy dunst), and then its menu
        does not list it: the menu is opened again, as a user would once it appears."""
        (self.root / "dunst-choice").write_text(label)
        picked = self.root / "dunst-picked"
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            picked.unlink(missing_ok=True)
            subprocess.run(["dunstctl", "context"], env=self.child_env(), check=True, timeout=10)
            opened = time.monotonic()  # the menu runs after dunstctl returns (none when nothing offers an action)
            while not picked.exists() and time.monotonic() - opened < 15:  # a late menu must not overlap the next
                time.sleep(0.05)
            if picked.exists() and picked.read_text().strip():
                return
            time.sleep(0.1)
        raise AssertionError(f"no notification on screen offers {label!r}")

    def child_env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for programs that should live in this session."""
        return dict(base if base is not None else os.environ, **self.env)

    def _wait_for_tray(self, env: dict[str, str], timeout: float = 10.0) -> None:
        """Wait until trayer owns the system-tray selection, dunst the notification name and our
        unlocked gnome-keyring the Secret Service name. (A Secret Service call made before then
        makes D-Bus start a second, locked keyring daemon, whose unlock prompt cannot be shown:
        every keyring call after that fails with "Failed to unlock the collection".)"""
        deadline = time.monotonic() + timeout
        tray_ok = notify_ok = secrets_ok = False
        while time.monotonic() < deadline and not (tray_ok and notify_ok and secrets_ok):
            if not tray_ok:
                tray_ok = _selection_owned(env, "_NET_SYSTEM_TRAY_S0")
            if not notify_ok:
                notify_ok = _bus_name_owned(env, "org.freedesktop.Notifications")
            if not secrets_ok:
                secrets_ok = _bus_name_owned(env, "org.freedesktop.secrets")
            time.sleep(0.1)
        if not secrets_ok:
            raise DesktopUnavailable("gnome-keyring did not register org.freedesktop.secrets")
        if not tray_ok:
            raise DesktopUnavailable("trayer did not take the system tray selection")
        if not notify_ok:
            raise DesktopUnavailable("dunst did not register org.freedesktop.Notifications")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        if getattr(self, "keyring_pid", None):
            try:
                os.kill(self.keyring_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def _selection_owned(env: dict[str, str], selection: str) -> bool:
    """True when an X client owns ``selection`` (asked through libX11 in a child process)."""
    script = (
        "import ctypes, sys\n"
        "x = ctypes.cdll.LoadLibrary('libX11.so.6')\n"
        "x.XOpenDisplay.restype = ctypes.c_void_p\n"
        "d = x.XOpenDisplay(None)\n"
        "x.XInternAtom.restype = ctypes.c_ulong\n"
        "x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]\n"
        "x.XGetSelectionOwner.restype = ctypes.c_ulong\n"
        "x.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]\n"
        f"a = x.XInternAtom(d, b'{selection}', 0)\n"
        "sys.exit(0 if d and x.XGetSelectionOwner(d, a) else 1)\n"
    )
    import sys

    return subprocess.run([sys.executable, "-c", script], env=env).returncode == 0


def _bus_name_owned(env: dict[str, str], name: str) -> bool:
    result = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
        env=env, capture_output=True, text=True,
    )
    return "boolean true" in result.stdout


def _name_owner_pid(env: dict[str, str], name: str) -> int | None:
    """The pid of the process owning bus ``name``, or None when nobody owns it."""
    result = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
         "org.freedesktop.DBus.GetConnectionUnixProcessID", f"string:{name}"],
        env=env, capture_output=True, text=True,
    )
    words = result.stdout.split()
    return int(words[-1]) if result.returncode == 0 and "uint32" in words else None


def _cmdline(pid: int) -> list[str]:
    import psutil

    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:
        return []


def _process_state(pid: int, name: str) -> str:
    """"running", "stopped" or "gone" (ended, a zombie, or the pid now names another program)."""
    import psutil

    try:
        process = psutil.Process(pid)
        if process.name() != name:
            return "gone"
        status = process.status()
    except psutil.Error:
        return "gone"
    if status in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD):
        return "gone"
    return "stopped" if status in (psutil.STATUS_STOPPED, psutil.STATUS_TRACING_STOP) else "running"


def _end(pid: int) -> None:
    """Kill ``pid`` and wait until it is gone (a zombie nobody reaps counts as gone)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _process_state(pid, "gnome-keyring-daemon") != "gone":
        if time.monotonic() > deadline:
            raise DesktopUnavailable(f"gnome-keyring-daemon {pid} did not end when killed")
        time.sleep(0.05)


def _pid_of(name: str, home: str) -> int | None:
    """The pid of the daemon we started (it forks, so Popen does not hold it)."""
    return next(iter(_pids_of(name, home)), None)


def _pids_of(name: str, home: str) -> list[int]:
    """Every process called ``name`` running with ``HOME=home`` (this session's)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["name", "environ"]):
        try:
            if proc.info["name"] == name and (proc.info["environ"] or {}).get("HOME") == home:
                found.append(proc.pid)
        except (psutil.Error, TypeError):
            continue
    return found
