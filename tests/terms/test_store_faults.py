"""Issue 16 item 15 for the terms store: a full disk, a read-only folder and a lock are told
apart from damage, with their own words; nothing is set aside for them and nothing stored is
lost; only an index that fails SQLite's integrity check is set aside, and a set-aside file is
never overwritten. Real file systems: a 2 MB tmpfs and a read-only bind mount."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.storage_errors import StorageFault
from guard.terms.errors import TermsStoreError
from guard.terms.models import HttpMeta
from guard.terms.store import TermsStore
from tests.support.disks import fill, mounted_tmpfs, needs_root

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
META = HttpMeta(status=200)
URL = "https://example.com/terms"


def store_at(root: Path) -> TermsStore:
    return TermsStore(root, {}, [])


@pytest.fixture
def small_disk() -> Iterator[Path]:
    with mounted_tmpfs("mpg-terms-full-") as mount_point:
        yield mount_point


@needs_root
def test_a_full_disk_is_said_plainly_and_nothing_is_set_aside(small_disk: Path) -> None:
    store = store_at(small_disk / "terms")
    store.record_version("acme", "terms", "1. First terms.\n", URL, META, T0)
    fill(small_disk / "filler")
    with pytest.raises(TermsStoreError) as caught:
        store.record_version("acme", "terms", "2. Second terms. " * 4000 + "\n", URL, META, T0)
    assert caught.value.fault == StorageFault.DISK_FULL and "is full" in str(caught.value)
    assert "Free some space" in str(caught.value)
    assert not list((small_disk / "terms").glob("*.broken-*"))
    fresh = store_at(small_disk / "terms")  # what was stored is still there
    assert [v.sha256 for v in fresh.versions("acme", "terms")] == [store.versions("acme", "terms")[0].sha256]


@needs_root
def test_a_read_only_folder_can_be_read_and_refuses_writes_in_plain_words(tmp_path: Path) -> None:
    root = tmp_path / "terms"
    store_at(root).record_version("acme", "terms", "1. First terms.\n", URL, META, T0)
    subprocess.run(["mount", "--bind", str(root), str(root)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(root)], check=True)
        store = store_at(root)
        assert len(store.versions("acme", "terms")) == 1
        with pytest.raises(TermsStoreError) as caught:
            store.record_version("acme", "terms", "2. New terms.\n", URL, META, T0)
        assert caught.value.fault == StorageFault.READ_ONLY and "read-only" in str(caught.value)
        assert not list(root.glob("*.broken-*"))
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def test_a_lock_held_by_another_program_is_a_lock_not_damage(tmp_path: Path) -> None:
    root = tmp_path / "terms"
    store = store_at(root)
    store.record_version("acme", "terms", "1. First terms.\n", URL, META, T0)
    store.busy_timeout = 0.2
    other = sqlite3.connect(root / "terms.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(TermsStoreError) as caught:
            store.record_version("acme", "terms", "2. New terms.\n", URL, META, T0)
        assert caught.value.fault == StorageFault.LOCKED and "locked" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not list(root.glob("*.broken-*"))
    store.record_version("acme", "terms", "2. New terms.\n", URL, META, T0)
    assert len(store.versions("acme", "terms")) == 2


def test_only_a_damaged_index_is_set_aside_and_never_over_an_earlier_one(tmp_path: Path) -> None:
    root = tmp_path / "terms"
    root.mkdir()
    index = root / "terms.sqlite3"
    for round_ in range(2):  # damaged twice within the same second: two set-aside copies
        index.write_bytes(b"this is not a database" * 100)
        store = store_at(root)
        store.record_version("acme", "terms", f"{round_}. Terms.\n", URL, META, T0)
        assert any("failed its integrity check" in problem for problem in store.problems)
    kept = sorted(root.glob("terms.sqlite3.broken-*"))
    assert len(kept) == 2 and all(path.read_bytes().startswith(b"this is not a database") for path in kept)


def test_a_healthy_index_is_never_set_aside(tmp_path: Path) -> None:
    root = tmp_path / "terms"
    store_at(root).record_version("acme", "terms", "1. First terms.\n", URL, META, T0)
    again = store_at(root)
    assert again.problems == [] and len(again.versions("acme", "terms")) == 1
    assert not list(root.glob("*.broken-*"))


def test_an_older_index_is_brought_up_to_date_keeping_its_versions(tmp_path: Path) -> None:
    root = tmp_path / "terms"
    root.mkdir()
    old = sqlite3.connect(root / "terms.sqlite3")
    old.executescript("""
        CREATE TABLE versions (id INTEGER PRIMARY KEY, provider_id TEXT NOT NULL, document_id TEXT NOT NULL,
            sha256 TEXT NOT NULL, url TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
            status INTEGER, etag TEXT, last_modified TEXT, content_type TEXT, final_url TEXT);
        CREATE TABLE fetches (id INTEGER PRIMARY KEY, at TEXT NOT NULL, provider_id TEXT NOT NULL,
            document_id TEXT NOT NULL, url TEXT NOT NULL, final_url TEXT, status INTEGER,
            bytes INTEGER NOT NULL DEFAULT 0, result TEXT NOT NULL, error_kind TEXT, message TEXT,
            attempts INTEGER NOT NULL DEFAULT 1, sha256 TEXT);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        PRAGMA user_version=1;""")
    old.execute("INSERT INTO versions (provider_id, document_id, sha256, url, first_seen, last_seen) VALUES "
                "('acme','terms','" + "a" * 64 + "','https://example.com/terms','2024-01-01T00:00:00+00:00',"
                "'2024-01-01T00:00:00+00:00')")
    old.commit()
    old.close()
    store = store_at(root)
    (version,) = store.stored_versions("acme", "terms")
    assert version.origin == "fetched" and version.sha256 == "a" * 64 and store.fetch_log() == []
    assert not list(root.glob("*.broken-*"))


def test_two_programs_opening_an_older_index_at_once_both_succeed(tmp_path: Path) -> None:
    import threading

    root = tmp_path / "terms"
    root.mkdir()
    old = sqlite3.connect(root / "terms.sqlite3")
    old.executescript("CREATE TABLE versions (id INTEGER PRIMARY KEY, provider_id TEXT NOT NULL, document_id TEXT "
                      "NOT NULL, sha256 TEXT NOT NULL, url TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT "
                      "NOT NULL, status INTEGER, etag TEXT, last_modified TEXT, content_type TEXT, final_url TEXT);"
                      "PRAGMA user_version=1;")
    old.close()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_store() -> None:
        start.wait()
        try:
            store_at(root).fetch_log()
        except BaseException as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
