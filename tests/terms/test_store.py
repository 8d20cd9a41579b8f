"""The versions store on disk: content addressing, baselines, damage, references, the fetch log."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from guard.paths import app_paths
from guard.terms.baseline import load_baselines, sha256_text
from guard.terms.errors import TermsStoreError
from guard.terms.models import FetchRecord, FetchResult, HttpMeta
from guard.terms.store import TermsStore

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
META = HttpMeta(status=200, etag='"a"', last_modified="Mon, 01 Jan 2024 08:00:00 GMT",
                content_type="text/html", final_url="https://example.com/terms")


def make_baseline(folder: Path, provider: str, doc: str, text: str, **meta: object) -> None:
    (folder / provider).mkdir(parents=True, exist_ok=True)
    (folder / provider / f"{doc}.md").write_text(text, encoding="utf-8")
    data = {"url": "https://example.com/terms", "version_date": "2023-08-11", "obtained_from": "test",
            "sha256": sha256_text(text), **meta}
    (folder / provider / f"{doc}.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def store(tmp_path: Path) -> TermsStore:
    baselines_dir = tmp_path / "baselines"
    make_baseline(baselines_dir, "acme", "terms", "1. Old terms.\n")
    baselines, problems = load_baselines(baselines_dir)
    return TermsStore(tmp_path / "store", baselines, problems)


def test_versions_are_content_addressed_and_deduplicated(store: TermsStore) -> None:
    first, new = store.record_version("acme", "terms", "1. New terms.\n", "https://example.com/terms", META, T0)
    again, new_again = store.record_version("acme", "terms", "1. New terms.\n", "https://example.com/terms", META,
                                            T0 + timedelta(days=1))
    assert new and not new_again
    assert first.sha256 == again.sha256 == sha256_text("1. New terms.\n")
    assert store.object_path(first.sha256).read_text(encoding="utf-8") == "1. New terms.\n"
    assert again.first_seen == T0 and again.last_seen == T0 + timedelta(days=1)
    assert again.http.etag == '"a"' and again.http.content_type == "text/html"


def test_baseline_is_the_oldest_version_and_current_until_a_fetch(store: TermsStore) -> None:
    assert store.current("acme", "terms").is_baseline
    store.record_version("acme", "terms", "1. New terms.\n", "https://example.com/terms", META, T0)
    versions = store.versions("acme", "terms")
    assert [v.origin for v in versions] == ["baseline", "fetched"]
    assert versions[0].version_date.isoformat() == "2023-08-11"
    assert store.current("acme", "terms").origin == "fetched"
    assert store.get_text(versions[0].sha256) == "1. Old terms.\n"


def test_a_truncated_version_is_reported_and_skipped(store: TermsStore) -> None:
    good, _ = store.record_version("acme", "terms", "1. Good.\n", "https://example.com/terms", META, T0)
    bad, _ = store.record_version("acme", "terms", "1. Later, then damaged.\n", "https://example.com/terms", META,
                                  T0 + timedelta(days=1))
    path = store.object_path(bad.sha256)
    path.write_bytes(path.read_bytes()[:5])
    assert store.current("acme", "terms").sha256 == good.sha256
    damaged = store.versions("acme", "terms")[-1]
    assert damaged.problem is not None and "damaged" in damaged.problem and str(path) in damaged.problem
    with pytest.raises(TermsStoreError, match="damaged"):
        store.get_text(bad.sha256)
    path.unlink()
    assert "missing" in store.versions("acme", "terms")[-1].problem


def test_an_unreadable_index_is_set_aside_and_a_new_one_started(tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    (root / "terms.sqlite3").write_bytes(b"this is not a database" * 100)
    store = TermsStore(root, {}, [])
    store.record_version("acme", "terms", "x\n", "https://example.com/terms", META, T0)
    assert len(store.versions("acme", "terms")) == 1
    assert any("set aside" in p or "kept as" in p for p in store.problems)
    assert list(root.glob("terms.sqlite3.broken-*"))
    sqlite3.connect(root / "terms.sqlite3").execute("SELECT 1 FROM versions").fetchall()


def test_a_baseline_that_does_not_match_its_hash_is_skipped(tmp_path: Path) -> None:
    make_baseline(tmp_path, "acme", "terms", "1. Terms.\n", sha256="0" * 64)
    make_baseline(tmp_path, "acme", "privacy", "Privacy.\n")
    (tmp_path / "acme" / "ai.md").write_text("no metadata", encoding="utf-8")
    baselines, problems = load_baselines(tmp_path)
    assert list(baselines) == [("acme", "privacy")]
    assert any("terms.md" in p and "SHA-256" in p for p in problems)
    assert any("ai.md" in p for p in problems)


def test_versions_can_be_named_by_prefix_or_word(store: TermsStore) -> None:
    one, _ = store.record_version("acme", "terms", "1. One.\n", "https://example.com/terms", META, T0)
    two, _ = store.record_version("acme", "terms", "1. Two.\n", "https://example.com/terms", META, T0)
    assert store.resolve("acme", "terms", "latest").sha256 == two.sha256
    assert store.resolve("acme", "terms", "previous").sha256 == one.sha256
    assert store.resolve("acme", "terms", "baseline").is_baseline
    assert store.resolve("acme", "terms", one.sha256[:8]).sha256 == one.sha256
    for bad in ("zz", "nothing", "ffffffff"):
        with pytest.raises(TermsStoreError):
            store.resolve("acme", "terms", bad)


def test_fetch_log_lists_newest_first_with_failures(store: TermsStore) -> None:
    store.log_fetch(FetchRecord(T0, "acme", "terms", "https://example.com/terms", FetchResult.NEW_VERSION, 200, 1234))
    store.log_fetch(FetchRecord(T0 + timedelta(hours=1), "acme", "terms", "https://example.com/terms",
                                FetchResult.FAILED, 500, 0, error_kind="http-5xx", message="server error"))
    store.log_fetch(FetchRecord(T0, "other", "terms", "https://other.example/terms", FetchResult.UNCHANGED, 200, 9))
    log = store.fetch_log("acme")
    assert [(r.result, r.status) for r in log] == [(FetchResult.FAILED, 500), (FetchResult.NEW_VERSION, 200)]
    assert log[0].message == "server error" and log[1].bytes == 1234
    assert len(store.fetch_log()) == 3


def test_last_check_time_survives_a_restart(store: TermsStore) -> None:
    assert store.last_check() is None
    store.set_last_check(T0)
    assert TermsStore(store.root, {}, []).last_check() == T0


def test_store_opens_under_the_app_data_folder(app_home: Path) -> None:
    store = TermsStore.open(app_paths())
    assert store.root == app_home / "data" / "terms"
    assert store.current("zoom", "terms").is_baseline  # the shipped baseline, with no network at all
