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
