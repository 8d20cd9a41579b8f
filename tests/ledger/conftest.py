"""Ledger test fixtures: a ledger in the test's own data folder, with its key either in the
session's real Secret Service (gnome-keyring) or, through keyring's ``fail`` backend, in the
key file fallback."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

from guard.ledger import Ledger, ledger_path
from guard.ledger.keys import backend_name
from guard.paths import app_paths


@pytest.fixture
def path(app_home: Path) -> Path:
    """Where this test's ledger lives (``<data folder>/ledger.sqlite3``)."""
    return ledger_path(app_paths())


def _use_backend(backend: keyring.backend.KeyringBackend) -> Iterator[keyring.backend.KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[keyring.backend.KeyringBackend]:
    """No keyring at all (keyring's own ``fail`` backend): the key file must be used."""
    yield from _use_backend(fail.Keyring())


@pytest.fixture
def secret_service(desktop) -> keyring.backend.KeyringBackend:
    """The test desktop's real gnome-keyring, reached through the Secret Service API: the session's
    unlocked daemon, replaced first if it died since the last test (a locked one D-Bus activated
    in its place made a test fail once for the harness's reasons, not the app's)."""
    desktop.ensure_keyring(answering=True)
    backend = keyring.get_keyring()
    if backend_name(backend) != "Secret Service":
        pytest.fail(f"the test session should use the Secret Service keyring, got {backend!r}")
    return backend


@pytest.fixture
def ledger(path: Path, no_keyring) -> Iterator[Ledger]:
    """An open ledger keyed from the key file (fast; keyring behaviour has its own tests)."""
    with Ledger.open(path) as opened:
        yield opened


def tamper(path: Path, *statements: str, params: tuple = ()) -> None:
    """Change the ledger behind the app's back, as someone with the file would: with plain
    SQLite, after dropping the append-only triggers."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER IF EXISTS records_append_only_update")
        conn.execute("DROP TRIGGER IF EXISTS records_append_only_delete")
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
    finally:
        conn.close()
