"""Every distinct version of every watched document, kept locally.

Texts are content-addressed files (``objects/ab/<sha256>.md``, written atomically) and an
SQLite index (``terms.sqlite3``) records when each version was seen, from which URL, with
which HTTP metadata, plus the fetch log and the watcher's last check time. A text file that
is missing or no longer matches its hash is reported on its version and skipped, never fatal;
an unreadable index is set aside (``terms.sqlite3.broken-<time>``) and a new one started.
Shipped baselines (:mod:`guard.terms.baseline`) appear as the oldest version of a document.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from guard.fsutil import atomic_write_text
from guard.paths import AppPaths
from guard.terms.baseline import Baseline, load_baselines, sha256_text
from guard.terms.errors import TermsStoreError
from guard.terms.models import FetchRecord, FetchResult, HttpMeta, Version

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FETCH_LOG_KEEP = 5000
_SCHEMA = """
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


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class TermsStore:
    """The local store. Opens a short-lived SQLite connection per call, so any thread may use it."""

    def __init__(self, root: Path, baselines: dict[tuple[str, str], Baseline] | None = None,
                 baseline_problems: list[str] | None = None) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.index_path = self.root / "terms.sqlite3"
        self.problems: list[str] = list(baseline_problems or [])
        if baselines is None:
            baselines, found = load_baselines()
            self.problems.extend(found)
        self.baselines = baselines
        self._ready = False
        self._checked: dict[str, tuple[int, int, str | None]] = {}  # sha -> (mtime_ns, size, problem)

    @classmethod
    def open(cls, paths: AppPaths) -> TermsStore:
        """The store under the app's data folder (``<data_dir>/terms``) with the shipped baselines."""
        return cls(paths.data_dir / "terms")

    # -- connection ------------------------------------------------------------------------

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self._prepare()
        try:
            connection = sqlite3.connect(self.index_path, timeout=10)
        except sqlite3.Error as error:
            raise TermsStoreError(f"The terms store {self.index_path} cannot be opened ({error}).") from None
        try:
            with connection:
                yield connection
        except sqlite3.DatabaseError as error:
            raise TermsStoreError(f"The terms store {self.index_path} failed ({error}); "
                                  "restart the app to set it aside and start a new one.") from None
        finally:
            connection.close()

    def _prepare(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise TermsStoreError(f"Cannot create the terms store folder {self.root} ({error.strerror}).") from None
        try:
            self._create()
        except sqlite3.DatabaseError as error:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            broken = self.index_path.with_name(f"{self.index_path.name}.broken-{stamp}")
            self.index_path.replace(broken)
            problem = (f"The terms store index {self.index_path} was unreadable ({error}); it was kept as "
                       f"{broken.name} and a new one started. Stored texts are kept in {self.objects}.")
            log.warning("%s", problem)
            self.problems.append(problem)
            self._create()
        self._ready = True

    def _create(self) -> None:
        connection = sqlite3.connect(self.index_path, timeout=10)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            connection.commit()
        finally:
            connection.close()
        self.index_path.chmod(0o600)

    # -- texts -----------------------------------------------------------------------------

    def object_path(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / f"{sha256}.md"

    def put_text(self, markdown: str) -> str:
        """Store ``markdown`` (once) and return its SHA-256."""
        sha = sha256_text(markdown)
        path = self.object_path(sha)
        if not (path.exists() and self._intact(path, sha)):
            try:
                atomic_write_text(path, markdown)
            except OSError as error:
                raise TermsStoreError(f"Cannot write a terms version to {path} ({error.strerror}); "
                                      "check the free disk space.") from None
        return sha

    def get_text(self, sha256: str) -> str:
        """The text with this hash (a stored version or a baseline); checks the hash."""
        for baseline in self.baselines.values():
            if baseline.sha256 == sha256:
                return baseline.text
        path = self.object_path(sha256)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TermsStoreError(f"The stored text {path} is missing; that version cannot be shown.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise TermsStoreError(f"The stored text {path} cannot be read ({error}).") from None
        if sha256_text(text) != sha256:
            raise TermsStoreError(f"The stored text {path} is damaged (its content no longer matches its "
                                  "SHA-256); that version is skipped.")
        return text

    def _intact(self, path: Path, sha: str) -> bool:
        try:
            return sha256_text(path.read_text(encoding="utf-8")) == sha
        except (OSError, UnicodeDecodeError):
            return False

    def text_problem(self, sha256: str) -> str | None:
        """Why the text of this version cannot be used, or None (re-hashed only when the file changed)."""
        if any(b.sha256 == sha256 for b in self.baselines.values()):
            return None
        path = self.object_path(sha256)
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = (0, -1)
        cached = self._checked.get(sha256)
        if cached and cached[:2] == stamp:
            return cached[2]
        try:
            self.get_text(sha256)
            problem = None
        except TermsStoreError as error:
            problem = str(error)
        self._checked[sha256] = (*stamp, problem)
        return problem

    # -- versions --------------------------------------------------------------------------

    def record_version(self, provider_id: str, document_id: str, markdown: str, url: str,
                       http: HttpMeta, at: datetime | None = None) -> tuple[Version, bool]:
        """Store a fetched text. Returns (its version, True if it differs from the latest one)."""
        at = at or _now()
        sha = self.put_text(markdown)
        with self._db() as db:
            row = db.execute("SELECT id, sha256 FROM versions WHERE provider_id=? AND document_id=? "
                             "ORDER BY id DESC LIMIT 1", (provider_id, document_id)).fetchone()
            if row and row[1] == sha:
                db.execute("UPDATE versions SET last_seen=?, status=?, etag=?, last_modified=?, content_type=?, "
                           "final_url=?, url=? WHERE id=?",
                           (_iso(at), http.status, http.etag, http.last_modified, http.content_type,
                            http.final_url, url, row[0]))
                is_new = False
            else:
                db.execute("INSERT INTO versions (provider_id, document_id, sha256, url, first_seen, last_seen, "
                           "status, etag, last_modified, content_type, final_url) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           (provider_id, document_id, sha, url, _iso(at), _iso(at), http.status, http.etag,
                            http.last_modified, http.content_type, http.final_url))
                is_new = True
        version = self.latest_fetched(provider_id, document_id)
        assert version is not None
        return version, is_new

    def touch(self, provider_id: str, document_id: str, at: datetime | None = None) -> None:
        """The latest version was confirmed unchanged (e.g. HTTP 304) at ``at``."""
        with self._db() as db:
            db.execute("UPDATE versions SET last_seen=? WHERE id=(SELECT MAX(id) FROM versions WHERE "
                       "provider_id=? AND document_id=?)", (_iso(at or _now()), provider_id, document_id))

    def fetched_versions(self, provider_id: str, document_id: str) -> list[Version]:
        with self._db() as db:
            rows = db.execute("SELECT sha256, url, first_seen, last_seen, status, etag, last_modified, content_type, "
                              "final_url FROM versions WHERE provider_id=? AND document_id=? ORDER BY id",
                              (provider_id, document_id)).fetchall()
        versions = []
        for sha, url, first, last, status, etag, modified, ctype, final in rows:
            versions.append(Version(provider_id, document_id, sha, "fetched", url, _parse(first), _parse(last),
                                    HttpMeta(status, etag, modified, ctype, final), problem=self.text_problem(sha)))
        return versions

    def baseline_version(self, provider_id: str, document_id: str) -> Version | None:
        baseline = self.baselines.get((provider_id, document_id))
        if baseline is None:
            return None
        return Version(provider_id, document_id, baseline.sha256, "baseline", baseline.url,
                       version_date=baseline.version_date, obtained_from=baseline.obtained_from)

    def versions(self, provider_id: str, document_id: str) -> list[Version]:
        """Oldest first: the shipped baseline (if any), then every fetched version."""
        baseline = self.baseline_version(provider_id, document_id)
        return ([baseline] if baseline else []) + self.fetched_versions(provider_id, document_id)

    def latest_fetched(self, provider_id: str, document_id: str) -> Version | None:
        fetched = self.fetched_versions(provider_id, document_id)
        return fetched[-1] if fetched else None

    def current(self, provider_id: str, document_id: str) -> Version | None:
        """The version in force as far as this app knows: the newest readable fetched version,
        else the shipped baseline. Damaged versions are skipped (see :attr:`Version.problem`)."""
        for version in reversed(self.versions(provider_id, document_id)):
            if version.problem is None:
                return version
        return None

    def resolve(self, provider_id: str, document_id: str, ref: str) -> Version:
        """``baseline``, ``latest``/``current``, ``previous``, or a SHA-256 prefix (4+ characters)."""
        versions = self.versions(provider_id, document_id)
        label = f"{provider_id}/{document_id}"
        if not versions:
            raise TermsStoreError(f"No versions of {label} are stored or shipped; run 'meeting-guard terms check'.")
        ref = ref.strip().lower()
        if ref == "baseline":
            found = [v for v in versions if v.is_baseline]
            if not found:
                raise TermsStoreError(f"{label} has no shipped baseline.")
            return found[0]
        readable = [v for v in versions if v.problem is None]
        if ref in ("latest", "current"):
            if not readable:
                raise TermsStoreError(f"No readable version of {label} is stored.")
            return readable[-1]
        if ref == "previous":
            if len(readable) < 2:
                raise TermsStoreError(f"{label} has only one readable version.")
            return readable[-2]
        if len(ref) < 4 or any(ch not in "0123456789abcdef" for ch in ref):
            raise TermsStoreError(f"'{ref}' is not a version: use baseline, latest, previous or a SHA-256 prefix "
                                  "of at least 4 characters (see 'meeting-guard terms log').")
        matches = {v.sha256: v for v in versions if v.sha256.startswith(ref)}
        if not matches:
            raise TermsStoreError(f"No version of {label} starts with {ref}; see 'meeting-guard terms log'.")
        if len(matches) > 1:
            raise TermsStoreError(f"{ref} matches several versions of {label}; give more characters.")
        return next(iter(matches.values()))

    def documents(self) -> list[tuple[str, str]]:
        """Every (provider, document) with a stored or shipped version."""
        with self._db() as db:
            rows = db.execute("SELECT DISTINCT provider_id, document_id FROM versions").fetchall()
        return sorted({*map(tuple, rows), *self.baselines.keys()})  # type: ignore[arg-type]

    def http_state(self, provider_id: str, document_id: str, url: str) -> HttpMeta | None:
        """What to send for a conditional request: the latest intact version fetched from ``url``."""
        latest = self.latest_fetched(provider_id, document_id)
        if latest is None or latest.url != url or latest.problem is not None:
            return None
        return latest.http

    # -- fetch log and schedule ------------------------------------------------------------

    def log_fetch(self, record: FetchRecord) -> None:
        with self._db() as db:
            db.execute("INSERT INTO fetches (at, provider_id, document_id, url, final_url, status, bytes, result, "
                       "error_kind, message, attempts, sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                       (_iso(record.at), record.provider_id, record.document_id, record.url, record.final_url,
                        record.status, record.bytes, str(record.result), record.error_kind, record.message,
                        record.attempts, record.sha256))
            db.execute("DELETE FROM fetches WHERE id <= (SELECT MAX(id) FROM fetches) - ?", (FETCH_LOG_KEEP,))

    def fetch_log(self, provider_id: str | None = None, limit: int = 100) -> list[FetchRecord]:
        """Newest first."""
        query = ("SELECT at, provider_id, document_id, url, result, status, bytes, final_url, error_kind, message, "
                 "attempts, sha256 FROM fetches")
        params: tuple[object, ...] = ()
        if provider_id:
            query += " WHERE provider_id=?"
            params = (provider_id,)
        query += " ORDER BY id DESC LIMIT ?"
        with self._db() as db:
            rows = db.execute(query, (*params, limit)).fetchall()
        return [FetchRecord(datetime.fromisoformat(at), pid, did, url, FetchResult(result), status, size, final,
                            kind, message, attempts, sha)
                for at, pid, did, url, result, status, size, final, kind, message, attempts, sha in rows]

    def last_check(self) -> datetime | None:
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key='last_check'").fetchone()
        return _parse(row[0]) if row else None

    def set_last_check(self, at: datetime) -> None:
        with self._db() as db:
            db.execute("INSERT INTO meta (key, value) VALUES ('last_check', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (_iso(at),))
