"""The CI desktop session is real: a tray host, a notification daemon and a keyring answer."""

import keyring
import pytest

pytestmark = pytest.mark.desktop


def test_system_tray_is_available_under_xvfb_and_trayer(qapp):
    from PySide6.QtWidgets import QSystemTrayIcon

    assert qapp.platformName() == "xcb"
    assert QSystemTrayIcon.isSystemTrayAvailable()


def test_secret_service_keyring_stores_and_returns_a_secret(desktop):
    backend = keyring.get_keyring()
    assert "SecretService" in type(backend).__module__ + type(backend).__name__
    keyring.set_password("mpg-desktop-test", "user", "secret value")
    assert keyring.get_password("mpg-desktop-test", "user") == "secret value"
    keyring.delete_password("mpg-desktop-test", "user")


def test_a_killed_keyring_is_restarted_unlocked_so_later_tests_are_not_poisoned(desktop, monkeypatch):
    """After gnome-keyring dies, the next Secret Service call makes D-Bus start another one,
    locked, whose every call fails or waits on a prompt nobody can see; the session replaces
    it with an unlocked daemon (tests/conftest.py does this after every test)."""
    import os
    import signal
    import time

    from guard.keyring_call import DEADLINE_ENV, ask, wait_idle
    from tests.support.desktop import _bus_name_owned

    os.kill(desktop.keyring_pid, signal.SIGKILL)
    gone = time.monotonic() + 10
    while _bus_name_owned(desktop.child_env(), "org.freedesktop.secrets") and time.monotonic() < gone:
        time.sleep(0.05)  # the dead daemon's name is released by the bus
    monkeypatch.setenv(DEADLINE_ENV, "2")
    # D-Bus activates a new daemon with the collection locked: the call fails (locked, a D-Bus error,
    # or no answer while it waits on a prompt nobody can see), whichever way, but never returns a value
    with pytest.raises(Exception):  # noqa: B017, PT011
        ask("probe the activated keyring", lambda: keyring.get_password("mpg-desktop-test", "user"), retry=False)
    assert desktop.ensure_keyring() == "restarted"
    assert wait_idle(10)  # the call left waiting on the activated daemon ended with it
    keyring.set_password("mpg-desktop-test", "user", "after restart")
    assert keyring.get_password("mpg-desktop-test", "user") == "after restart"
    keyring.delete_password("mpg-desktop-test", "user")
    assert desktop.ensure_keyring() is None  # healthy: nothing to do


def test_a_locked_keyring_activated_during_the_restart_does_not_keep_the_name(desktop, monkeypatch):
    """A keyring call left from a test makes D-Bus activate a locked daemon just as the session starts
    its own (it failed once under load): the session's unlocked daemon ends up answering, not the locked one."""
    import os
    import signal
    import subprocess
    import time

    from tests.support import desktop as session
    from tests.support.desktop import _bus_name_owned, _name_owner_pid

    env = desktop.child_env()
    os.kill(desktop.keyring_pid, signal.SIGKILL)
    gone = time.monotonic() + 10
    while _bus_name_owned(env, "org.freedesktop.secrets") and time.monotonic() < gone:
        time.sleep(0.05)  # the dead daemon's name is released by the bus
    start = session.DesktopSession._start_keyring
    raced = []

    def activated_first(self, env):
        if not raced:  # the left-over call reaches the bus first, once
            raced.append(subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                 "org.freedesktop.DBus.StartServiceByName", "string:org.freedesktop.secrets", "uint32:0"],
                env=env, check=True, capture_output=True))
        start(self, env)

    monkeypatch.setattr(session.DesktopSession, "_start_keyring", activated_first)
    assert desktop.ensure_keyring() == "restarted"
    assert raced
    assert _name_owner_pid(env, "org.freedesktop.secrets") == desktop.keyring_pid
    keyring.set_password("mpg-desktop-test", "user", "unlocked")
    assert keyring.get_password("mpg-desktop-test", "user") == "unlocked"
    keyring.delete_password("mpg-desktop-test", "user")


def test_desktop_status_sees_the_x11_system_tray_trayer_runs(desktop, cli):
    """A clean start under Xvfb with trayer: the icon sat in trayer while `desktop status` said "[  ?] Tray icon"."""
    from guard.desktop.session import look_around

    assert look_around(desktop.child_env()).services.xembed_tray is True
    result = cli("desktop", "status", env=desktop.child_env())
    assert result.returncode == 0, result.stderr
    assert "[yes] Tray icon: in the X11 system tray, which runs here" in result.stdout
