"""A terms index changed outside the app carries its own SQL (a trigger on a write, a view in
place of a table). None of it may run: the index is a rebuildable cache, so it is set aside
(never over an earlier copy), a new one built from the rows of its own tables, and the user told
which file it was and what to do; no stored version is lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guard.terms.models import HttpMeta
from guard.terms.store import TermsStore
from guard.terms.watcher import TermsWatcher

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
META = HttpMeta(status=200)
URL = "https://example.com/terms"
PLANTED = datetime(1999, 1, 1, tzinfo=UTC)


def _plant(index: Path, *statements: str) -> None:
    conn = sqlite3.connect(index)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _attacker_rows(root: Path) -> list[str]:
    """What the planted trigger wrote, in the index and in every copy set aside."""
    found: list[str] = []
    for path in [root / "terms.sqlite3", *root.glob("terms.sqlite3.broken-*")]:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            table = "meta_real" if conn.execute("SELECT 1 FROM sqlite_schema WHERE name='meta_real'").fetchone() \
                else "meta"
            found += [row[0] for row in conn.execute(f"SELECT key FROM {table} WHERE key LIKE 'attacker%'")]
        finally:
            conn.close()
    return found


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A store holding one version of one document, and the time of its last check."""
    root = tmp_path / "terms"
    store = TermsStore(root, {}, [])
    store.record_version("acme", "terms", "1. First terms.\n", URL, META, T0)
    store.set_last_check(T0)
    return root


TRIGGER = ("CREATE TRIGGER evil AFTER INSERT ON versions "
           "BEGIN INSERT INTO meta VALUES ('attacker ran on a check', new.sha256); END")


def test_a_planted_trigger_never_runs_and_the_index_is_rebuilt_keeping_its_versions(stored: Path) -> None:
    _plant(stored / "terms.sqlite3", TRIGGER)
    store = TermsStore(stored, {}, [])
    store.record_version("acme", "terms", "2. New terms.\n", URL, META, T0.replace(hour=10))

    assert _attacker_rows(stored) == []
    assert [version.sha256 for version in store.stored_versions("acme", "terms")] \
        and len(store.stored_versions("acme", "terms")) == 2  # the first version was taken over
    assert store.last_check() == T0
    [problem] = store.problems
    assert str(stored / "terms.sqlite3") in problem and "did not write" in problem and "trigger 'evil'" in problem
    [kept] = stored.glob("terms.sqlite3.broken-*")
    assert kept.name in problem and "check what else on this computer can write" in problem
    with sqlite3.connect(stored / "terms.sqlite3") as conn:  # the new index holds only the app's own SQL
        assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE type IN ('trigger', 'view')").fetchone() == (0,)


def test_a_view_in_place_of_a_table_is_never_read(stored: Path) -> None:
    _plant(stored / "terms.sqlite3",
           "CREATE TABLE meta_real AS SELECT * FROM meta", "DROP TABLE meta",
           "CREATE VIEW meta AS SELECT key, value FROM meta_real WHERE key != 'last_check' "
           f"UNION ALL SELECT 'last_check', '{PLANTED.isoformat()}'")
    store = TermsStore(stored, {}, [])

    assert store.last_check() != PLANTED  # the view's query never ran
    assert len(store.versions("acme", "terms")) == 1  # versions is still the app's own table: kept
    assert any("view 'meta'" in problem for problem in store.problems)


def test_sql_planted_while_the_app_runs_never_runs_and_earlier_copies_are_never_overwritten(stored: Path) -> None:
    store = TermsStore(stored, {}, [])
    assert store.versions("acme", "terms")
    for round_ in range(2):  # planted twice within the same second: two set-aside copies
        _plant(stored / "terms.sqlite3", TRIGGER)
        store.record_version("acme", "terms", f"{round_ + 2}. Terms.\n", URL, META, T0.replace(hour=10 + round_))
    assert _attacker_rows(stored) == []
    assert len(list(stored.glob("terms.sqlite3.broken-*"))) == 2
    assert len(store.stored_versions("acme", "terms")) == 3
    assert len(store.problems) == 2


def test_a_healthy_index_is_left_alone(stored: Path) -> None:
    store = TermsStore(stored, {}, [])
    store.record_version("acme", "terms", "2. New terms.\n", URL, META, T0.replace(hour=10))
    assert store.problems == [] and not list(stored.glob("*.broken-*"))


def test_the_next_check_tells_the_user_which_file_was_set_aside(stored: Path) -> None:
    _plant(stored / "terms.sqlite3", TRIGGER)
    report = TermsWatcher(TermsStore(stored, {}, []), [], network_enabled=False).check(now=T0.replace(hour=11))
    [problem] = report.problems
    assert str(stored / "terms.sqlite3") in problem and "possible tampering" in problem
