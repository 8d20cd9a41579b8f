"""CLI tests run without a keyring (fast, and no secret left in the desktop session's keyring)."""

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
