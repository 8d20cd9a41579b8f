"""A Secret Service of a test's own: a private D-Bus session bus and gnome-keyring, whose unlock
prompts (gcr-prompter, started by D-Bus) show on the test desktop's X display. The bus starts
only the prompt, not a keyring: while the test's keyring is down nothing takes its place.

For tests that lock, kill and restart the keyring: the shared desktop's keyring (tests/support/
desktop.py) is left alone, and everything started here (found by its private HOME) is ended.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.support.desktop import KEYRING_PASSWORD, _name_owner_pid, _pids_of

SECRETS = "org.freedesktop.secrets"
WAIT_S = 20.0
PROMPTER = Path("/usr/share/dbus-1/services/org.gnome.keyring.SystemPrompter.service")
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={root}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceFailed(RuntimeError):
    """The private bus or keyring did not start."""


class PrivateSecretService:
    def __init__(self, root: Path, display: str) -> None:
        self.root = root
        self.home = root / "home"
        runtime = root / "runtime"
        for folder in (self.home, runtime):
            folder.mkdir(mode=0o700, parents=True)
        # NO_AT_BRIDGE: the prompt's GTK does not start an accessibility bus of its own
        self.base = dict(os.environ, HOME=str(self.home), XDG_RUNTIME_DIR=str(runtime), DISPLAY=display,
                         XDG_DATA_HOME=str(self.home / ".local/share"), XDG_CONFIG_HOME=str(self.home / ".config"),
                         NO_AT_BRIDGE="1")
        self.base.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.bus: subprocess.Popen[str] | None = None
        self.address = ""

    def start(self) -> None:
        """The bus, then an unlocked gnome-keyring owning the Secret Service name on it."""
        if not PROMPTER.is_file():
            raise SecretServiceFailed(f"gnome-keyring's prompt is not installed ({PROMPTER} is missing)")
        services = self.root / "services"
        services.mkdir(mode=0o700)
        (services / PROMPTER.name).write_text(PROMPTER.read_text())
        config = self.root / "bus.conf"
        config.write_text(BUS_CONFIG.format(root=self.root, services=services))
        self.bus = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.base, text=True)
        self.address = self.bus.stdout.readline().strip() if self.bus.stdout else ""
        if not self.address:
            raise SecretServiceFailed("dbus-daemon printed no bus address")
        self.start_keyring()

    @property
    def env(self) -> dict[str, str]:
        """What a program (or this test process) needs to use this keyring."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.address}

    def start_keyring(self) -> None:
        """gnome-keyring with its login collection unlocked (made on the first start, the same one after)."""
        subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"], input=KEYRING_PASSWORD,
                       capture_output=True, text=True, env=dict(self.base, **self.env), timeout=WAIT_S, check=True)
        if not self._until(lambda: self.daemon_pid() is not None):
            raise SecretServiceFailed("gnome-keyring did not take the Secret Service name")

    def daemon_pid(self) -> int | None:
        return _name_owner_pid(dict(self.base, **self.env), SECRETS)

    def lock(self) -> None:
        """Lock the login collection, as the desktop does on screen lock: the next read asks for the password."""
        subprocess.run(["dbus-send", "--session", "--print-reply", f"--dest={SECRETS}", "/org/freedesktop/secrets",
                        "org.freedesktop.Secret.Service.Lock",
                        "array:objpath:/org/freedesktop/secrets/collection/login"],
                       env=dict(self.base, **self.env), check=True, capture_output=True, timeout=WAIT_S)

    def prompt_shown(self) -> bool:
        """gnome-keyring's unlock prompt (gcr-prompter) runs on the desktop's display."""
        return bool(_pids_of("gcr-prompter", str(self.home)))

    def kill_keyring(self) -> None:
        """SIGKILL the daemon (a crash): the bus frees its name; its open prompt never answers."""
        pid = self.daemon_pid()
        if pid is None:
            raise SecretServiceFailed("no gnome-keyring owns the Secret Service name")
        os.kill(pid, signal.SIGKILL)
        if not self._until(lambda: self.daemon_pid() is None):
            raise SecretServiceFailed("the killed gnome-keyring's name was not freed")

    def stop(self) -> None:
        """End the bus and every program started under this keyring's HOME (daemon, prompt)."""
        if self.bus is not None and self.bus.poll() is None:
            self.bus.terminate()
            try:
                self.bus.wait(5)
            except subprocess.TimeoutExpired:
                self.bus.kill()
                self.bus.wait(5)
        for name in ("gnome-keyring-daemon", "gcr-prompter"):
            for pid in _pids_of(name, str(self.home)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    @staticmethod
    def _until(done, seconds: float = WAIT_S) -> bool:  # type: ignore[no-untyped-def]
        end = time.monotonic() + seconds
        while not done():
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True
