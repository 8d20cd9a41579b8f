"""One defence for every SQLite file the app opens: never run SQL the file brought with it.

A SQLite file stores SQL (triggers, views, index expressions, CHECK clauses) that SQLite runs on
our own reads and writes. A file changed outside the app could carry a trigger that runs on the
next write, or a view in place of a table. Before using a file, its ``sqlite_schema`` rows are
compared (read as plain rows, so nothing of them runs) with the rows the app's own migrations
write, replayed in an in-memory database with this SQLite. ``trusted_schema=OFF`` is set on
every connection as defence in depth (no function with side effects runs from stored SQL).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

SchemaRow = tuple[str, str, str, str | None]  # type, name, table, SQL (whitespace normalised)

# SQLite's own statistics tables hold numbers for the query planner, never SQL.
_STATISTICS = frozenset({"sqlite_stat1", "sqlite_stat4"})
_SCHEMA_ROWS = "SELECT type, name, tbl_name, sql FROM sqlite_schema"
_VERSIONED_ROWS = ("SELECT (SELECT user_version FROM pragma_user_version), type, name, tbl_name, sql "
                   "FROM sqlite_schema")
_SPACES = re.compile(r"\s+")
_AROUND_PUNCTUATION = re.compile(r" ?([(),]) ?")


def _normal(sql: str | None) -> str | None:
    """The SQL with its layout ignored (runs of whitespace, and spaces around brackets and commas):
    how the statement was laid out never changes what it does."""
    return None if sql is None else _AROUND_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", sql)).strip()


def distrust_schema(conn: sqlite3.Connection) -> None:
    """Functions with side effects are never run from SQL stored in the file."""
    conn.execute("PRAGMA trusted_schema = OFF")


def schema_rows(conn: sqlite3.Connection) -> frozenset[SchemaRow]:
    """The objects of the open database, read from ``sqlite_schema`` (none of their SQL runs)."""
    return frozenset((kind, name, table, _normal(sql)) for kind, name, table, sql in conn.execute(_SCHEMA_ROWS))


def replayed_schema(build: Callable[[sqlite3.Connection], object]) -> frozenset[SchemaRow]:
    """The objects ``build`` writes into a new in-memory database (the app's migrations to
    some version): what a file of that version should hold, as this SQLite spells it."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        build(conn)
        return schema_rows(conn)
    finally:
        conn.close()


def foreign_objects(conn: sqlite3.Connection,
                    expected: frozenset[SchemaRow] | Callable[[int], frozenset[SchemaRow]]) -> list[str]:
    """Objects in the open file that are not in ``expected`` (an added trigger or view, a table
    turned into a view, a changed definition), as ``"trigger 'evil'"``. ``expected`` may be a
    function of the file's ``user_version``: the version and the objects are then read in one
    statement (one snapshot), so another program migrating the file at that moment is never
    mistaken for tampering. Missing objects are not reported: they are left to the caller's checks."""
    rows = conn.execute(_VERSIONED_ROWS).fetchall()
    if not isinstance(expected, frozenset):
        expected = expected(int(rows[0][0])) if rows else frozenset()
    found = frozenset((kind, name, table, _normal(sql)) for _, kind, name, table, sql in rows)
    return [f"{kind} {name!r}" for kind, name, table, sql in sorted(found, key=str)
            if name not in _STATISTICS and (kind, name, table, sql) not in expected]


def describe(foreign: list[str], limit: int = 5) -> str:
    """The first few foreign objects for a message, then how many more."""
    return ", ".join(foreign[:limit]) + (f" and {len(foreign) - limit} more" if len(foreign) > limit else "")
