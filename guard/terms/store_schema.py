"""The terms store's SQLite index: its tables, and the steps from each earlier layout to today's.

Version 1 kept versions fetched from providers' pages. Version 2 adds where each version came
from (``origin``: ``fetched`` from the provider's page, or ``archive`` when read in a public
archive, with the archive's repository and commit) and what was last read in the archive for
each document (``archive_state``), so the next check asks only for what is new.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 2

_TABLES = """
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,
    provider_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    url TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT,
    final_url TEXT
);
CREATE INDEX IF NOT EXISTS versions_doc ON versions (provider_id, document_id, id);
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    provider_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    bytes INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL,
    error_kind TEXT,
    message TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    sha256 TEXT
);
CREATE INDEX IF NOT EXISTS fetches_doc ON fetches (provider_id, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_VERSION_2 = (
    "ALTER TABLE versions ADD COLUMN origin TEXT NOT NULL DEFAULT 'fetched'",
    "ALTER TABLE versions ADD COLUMN archive_repository TEXT",
    "ALTER TABLE versions ADD COLUMN archive_commit TEXT",
    "CREATE INDEX IF NOT EXISTS versions_time ON versions (provider_id, document_id, first_seen, id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS versions_commit ON versions (provider_id, document_id, archive_commit) "
    "WHERE archive_commit IS NOT NULL",
    "ALTER TABLE fetches ADD COLUMN source TEXT NOT NULL DEFAULT 'provider'",
    """CREATE TABLE IF NOT EXISTS archive_state (
        provider_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        repository TEXT NOT NULL,
        path TEXT NOT NULL,
        last_commit TEXT,
        last_recorded TEXT,
        etag TEXT,
        checked_at TEXT,
        PRIMARY KEY (provider_id, document_id)
    )""",
)


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> None:
    """Bring the index to ``target`` (today's :data:`SCHEMA_VERSION` unless replaying an older
    layout to see what it holds; creating it when new); raises sqlite3 errors.

    Done in one write transaction taken before anything is read, so two programs opening the
    store at once (the tray's worker and the settings window) never both alter it."""
    if connection.execute("PRAGMA user_version").fetchone()[0] >= target:
        return
    previous = connection.isolation_level
    connection.isolation_level = None
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in (part.strip() for part in _TABLES.split(";")):
                if statement:
                    connection.execute(statement)
            found = connection.execute("PRAGMA user_version").fetchone()[0]
            if found < 2 <= target:
                versions = {row[1] for row in connection.execute("PRAGMA table_info(versions)")}
                fetches = {row[1] for row in connection.execute("PRAGMA table_info(fetches)")}
                for statement in _VERSION_2:
                    column = statement.split("COLUMN ")[1].split()[0] if " ADD COLUMN " in statement else None
                    if column and column in (versions if "TABLE versions" in statement else fetches):
                        continue
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version={int(target)}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.isolation_level = previous
