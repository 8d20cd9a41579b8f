"""Every distinct version of every watched document, kept locally.

Texts are content-addressed files (``objects/ab/<sha256>.md``, written atomically) and an
SQLite index (``terms.sqlite3``, :mod:`guard.terms.store_schema`) records when each version was
seen and where it came from (the provider's page, or a public archive at a commit), plus the
fetch log and the watcher's last check time. Versions are in time order: a version read in an
archive takes its place at the time the archive recorded it, so history imported today shows
before the first fetch. A text file that is missing or no longer matches its hash is reported on
its version and skipped, never fatal. A full disk, a read-only folder, a missing permission or
a lock is reported as what it is (:mod:`guard.storage_errors`) and nothing is set aside; only an
index that fails SQLite's integrity check is set aside (under a new name, never overwriting) and
a new one started. Shipped baselines (:mod:`guard.terms.baseline`) appear as the oldest version.
"""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from guard.fsutil import NotRegularFile, atomic_write_text, read_regular
from guard.paths import AppPaths
from guard.storage_errors import advice, classify_os
from guard.terms.baseline import Baseline, load_baselines, sha256_text
from guard.terms.errors import TermsStorageFault, TermsStoreError
from guard.terms.models import ArchiveState, FetchRecord, FetchResult, HttpMeta, Version
from guard.terms.store_index import StoreIndex, what_to_check

log = logging.getLogger(__name__)

FETCH_LOG_KEEP = 5000
_VERSION_COLUMNS = ("sha256, url, first_seen, last_seen, status, etag, last_modified, content_type, final_url, origin, "
                    "archive_repository, archive_commit")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class TermsStore(StoreIndex):
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

    # -- texts -----------------------------------------------------------------------------

    def object_path(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / f"{sha256}.md"

    def put_text(self, markdown: str) -> str:
        """Store ``markdown`` (once) and return its SHA-256."""
        sha = sha256_text(markdown)
        if not self._ready:
            self._prepare()  # its folders checked (another user's are refused) before a text is written there
        path = self.object_path(sha)
        if not (path.exists() and self._intact(path, sha)):
            try:
                atomic_write_text(path, markdown)
            except OSError as error:
                fault = classify_os(error)
                failure = TermsStorageFault(f"Cannot write a terms version to {path} ({error.strerror}): "
                                            f"{advice(fault, path, 'The new version was not stored')} "
                                            f"{what_to_check(fault, path.parent, 'a folder')}".strip())
                failure.fault = fault
                raise failure from None
        return sha

    def get_text(self, sha256: str) -> str:
        """The text with this hash (a stored version or a baseline); checks the hash."""
        for baseline in self.baselines.values():
            if baseline.sha256 == sha256:
                return baseline.text
        path = self.object_path(sha256)
        try:
            text = _read_object(path)
        except FileNotFoundError:
            raise TermsStorageFault(f"The stored text {path} is missing; that version cannot be shown.") from None
        except (OSError, UnicodeDecodeError, NotRegularFile) as error:
            raise TermsStorageFault(f"The stored text {path} cannot be read ({error}).") from None
        if sha256_text(text) != sha256:
            raise TermsStorageFault(f"The stored text {path} is damaged (its content no longer matches its "
                                  "SHA-256); that version is skipped.")
        return text

    def _intact(self, path: Path, sha: str) -> bool:
        try:
            return sha256_text(_read_object(path)) == sha
        except (OSError, UnicodeDecodeError, NotRegularFile):
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
        """Store a text fetched from the provider's page. Returns (its version, True if it
        differs from the newest version known, from any source)."""
        at = at or _now()
        sha = self.put_text(markdown)
        with self._db() as db:
            newest = db.execute("SELECT sha256 FROM versions WHERE provider_id=? AND document_id=? "
                                "ORDER BY first_seen DESC, id DESC LIMIT 1", (provider_id, document_id)).fetchone()
            row = db.execute("SELECT id, sha256 FROM versions WHERE provider_id=? AND document_id=? AND "
                             "origin='fetched' ORDER BY first_seen DESC, id DESC LIMIT 1",
                             (provider_id, document_id)).fetchone()
            is_new = newest is None or newest[0] != sha
            if row and row[1] == sha and not is_new:
                db.execute("UPDATE versions SET last_seen=?, status=?, etag=?, last_modified=?, content_type=?, "
                           "final_url=?, url=? WHERE id=?",
                           (_iso(at), http.status, http.etag, http.last_modified, http.content_type,
                            http.final_url, url, row[0]))
            else:
                db.execute("INSERT INTO versions (provider_id, document_id, sha256, url, first_seen, last_seen, "
                           "status, etag, last_modified, content_type, final_url, origin) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,'fetched')",
                           (provider_id, document_id, sha, url, _iso(at), _iso(at), http.status, http.etag,
                            http.last_modified, http.content_type, http.final_url))
        version = self.latest_fetched(provider_id, document_id)
        assert version is not None
        return version, is_new

    def record_archive_version(self, provider_id: str, document_id: str, markdown: str, url: str,
                               repository: str, commit: str, recorded: datetime) -> str:
        """Store a text read in a public archive at ``commit`` (recorded by the archive at
        ``recorded``; a commit stored already is left as it is). Returns the text's SHA-256."""
        sha = self.put_text(markdown)
        with self._db() as db:
            db.execute(
                "INSERT OR IGNORE INTO versions (provider_id, document_id, sha256, url, first_seen, last_seen, origin, "
                "archive_repository, archive_commit) VALUES (?,?,?,?,?,?,'archive',?,?)",
                (provider_id, document_id, sha, url, _iso(recorded), _iso(recorded), repository, commit))
        return sha

    def touch(self, provider_id: str, document_id: str, at: datetime | None = None) -> None:
        """The latest fetched version was confirmed unchanged (e.g. HTTP 304) at ``at``."""
        with self._db() as db:
            db.execute("UPDATE versions SET last_seen=? WHERE id=(SELECT id FROM versions WHERE provider_id=? AND "
                       "document_id=? AND origin='fetched' ORDER BY first_seen DESC, id DESC LIMIT 1)",
                       (_iso(at or _now()), provider_id, document_id))

    def stored_versions(self, provider_id: str, document_id: str) -> list[Version]:
        """Every stored version in time order, one per run of the same text (see :meth:`versions`)."""
        with self._db() as db:
            rows = db.execute(f"SELECT {_VERSION_COLUMNS} FROM versions WHERE provider_id=? AND document_id=? "
                              "ORDER BY first_seen, id", (provider_id, document_id)).fetchall()
        merged: list[Version] = []
        for sha, url, first, last, status, etag, modified, ctype, final, origin, repo, commit in rows:
            version = Version(provider_id, document_id, sha, origin, url, _parse(first), _parse(last),
                              HttpMeta(status, etag, modified, ctype, final), problem=self.text_problem(sha),
                              archive_repository=repo, archive_commit=commit,
                              obtained_from=_obtained_from(origin, url, repo, commit, _parse(first)))
            if merged and merged[-1].sha256 == sha:  # the same text again (from another source, or re-read)
                earlier = merged[-1]
                last_seen = max(filter(None, (earlier.last_seen, version.last_seen)), default=None)
                also = version.obtained_from if version.origin != earlier.origin else None
                merged[-1] = replace(earlier, last_seen=last_seen, http=version.http if version.origin == "fetched"
                                     else earlier.http, also_seen=tuple(dict.fromkeys(
                                         (*earlier.also_seen, *((also,) if also else ())))))
                continue
            merged.append(version)
        return merged

    def fetched_versions(self, provider_id: str, document_id: str) -> list[Version]:
        """Versions fetched from the provider's page (not those read in an archive)."""
        return [v for v in self.stored_versions(provider_id, document_id) if v.origin == "fetched"]

    def baseline_version(self, provider_id: str, document_id: str) -> Version | None:
        baseline = self.baselines.get((provider_id, document_id))
        if baseline is None:
            return None
        return Version(provider_id, document_id, baseline.sha256, "baseline", baseline.url,
                       version_date=baseline.version_date, obtained_from=baseline.obtained_from)

    def versions(self, provider_id: str, document_id: str) -> list[Version]:
        """Oldest first: the shipped baseline (unless the same text is stored from an archive),
        then every stored version in time order, one per run of the same text."""
        stored = self.stored_versions(provider_id, document_id)
        baseline = self.baseline_version(provider_id, document_id)
        if baseline is None or any(v.sha256 == baseline.sha256 and v.origin == "archive" for v in stored):
            return stored
        return [baseline, *stored]

    def latest_fetched(self, provider_id: str, document_id: str) -> Version | None:
        with self._db() as db:
            row = db.execute(f"SELECT {_VERSION_COLUMNS} FROM versions WHERE provider_id=? AND document_id=? AND "
                             "origin='fetched' ORDER BY first_seen DESC, id DESC LIMIT 1",
                             (provider_id, document_id)).fetchone()
        if row is None:
            return None
        sha, url, first, last, status, etag, modified, ctype, final, origin, repo, commit = row
        return Version(provider_id, document_id, sha, origin, url, _parse(first), _parse(last),
                       HttpMeta(status, etag, modified, ctype, final), problem=self.text_problem(sha),
                       obtained_from=_obtained_from(origin, url, repo, commit, _parse(first)))

    def current(self, provider_id: str, document_id: str) -> Version | None:
        """The version in force as far as this app knows: the newest readable stored version,
        else the shipped baseline. Damaged versions are skipped (see :attr:`Version.problem`)."""
        for version in reversed(self.versions(provider_id, document_id)):
            if version.problem is None:
                return version
        return None

    # -- what was last read in an archive ----------------------------------------------------

    def archive_sha(self, provider_id: str, document_id: str, commit: str) -> str | None:
        """The SHA-256 of the text stored from the archive at ``commit``, if any."""
        with self._db() as db:
            row = db.execute("SELECT sha256 FROM versions WHERE provider_id=? AND document_id=? AND archive_commit=?",
                             (provider_id, document_id, commit)).fetchone()
        return str(row[0]) if row else None

    def archive_state(self, provider_id: str, document_id: str) -> ArchiveState | None:
        with self._db() as db:
            row = db.execute("SELECT repository, path, last_commit, last_recorded, etag, checked_at FROM "
                             "archive_state WHERE provider_id=? AND document_id=?",
                             (provider_id, document_id)).fetchone()
        if row is None:
            return None
        repository, path, commit, recorded, etag, checked = row
        return ArchiveState(repository, path, commit, _parse(recorded), etag, _parse(checked))

    def set_archive_state(self, provider_id: str, document_id: str, state: ArchiveState) -> None:
        with self._db() as db:
            db.execute("INSERT INTO archive_state (provider_id, document_id, repository, path, last_commit, "
                       "last_recorded, etag, checked_at) VALUES (?,?,?,?,?,?,?,?) "
                       "ON CONFLICT(provider_id, document_id) DO UPDATE SET repository=excluded.repository, "
                       "path=excluded.path, last_commit=excluded.last_commit, last_recorded=excluded.last_recorded, "
                       "etag=excluded.etag, checked_at=excluded.checked_at",
                       (provider_id, document_id, state.repository, state.path, state.last_commit,
                        _iso(state.last_recorded) if state.last_recorded else None, state.etag,
                        _iso(state.checked_at) if state.checked_at else None))

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
        return sorted({*((str(p), str(d)) for p, d in rows), *self.baselines.keys()})

    def http_state(self, provider_id: str, document_id: str, url: str) -> HttpMeta | None:
        """What to send for a conditional request: the latest intact version fetched from ``url``."""
        latest = self.latest_fetched(provider_id, document_id)
        if latest is None or latest.url != url or latest.problem is not None:
            return None
        return latest.http

    # -- fetch log and schedule ------------------------------------------------------------

    def log_fetch(self, record: FetchRecord) -> None:
        self.log_fetches([record])

    def log_fetches(self, records: list[FetchRecord]) -> None:
        """Add to the fetch log (in one write); the oldest entries beyond the last 5,000 go."""
        with self._db() as db:
            db.executemany("INSERT INTO fetches (at, provider_id, document_id, url, final_url, status, bytes, result, "
                           "error_kind, message, attempts, sha256, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           [(_iso(r.at), r.provider_id, r.document_id, r.url, r.final_url, r.status, r.bytes,
                             str(r.result), r.error_kind, r.message, r.attempts, r.sha256, r.source) for r in records])
            db.execute("DELETE FROM fetches WHERE id <= (SELECT MAX(id) FROM fetches) - ?", (FETCH_LOG_KEEP,))

    def fetch_log(self, provider_id: str | None = None, limit: int = 100) -> list[FetchRecord]:
        """Newest first."""
        query = ("SELECT at, provider_id, document_id, url, result, status, bytes, final_url, error_kind, message, "
                 "attempts, sha256, source FROM fetches")
        params: tuple[object, ...] = ()
        if provider_id:
            query += " WHERE provider_id=?"
            params = (provider_id,)
        query += " ORDER BY id DESC LIMIT ?"
        with self._db() as db:
            rows = db.execute(query, (*params, limit)).fetchall()
        return [FetchRecord(datetime.fromisoformat(at), pid, did, url, FetchResult(result), status, size, final,
                            kind, message, attempts, sha, source)
                for at, pid, did, url, result, status, size, final, kind, message, attempts, sha, source in rows]

    def last_check(self) -> datetime | None:
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key='last_check'").fetchone()
        return _parse(row[0]) if row else None

    def set_last_check(self, at: datetime) -> None:
        with self._db() as db:
            db.execute("INSERT INTO meta (key, value) VALUES ('last_check', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (_iso(at),))


def _obtained_from(origin: str, url: str, repository: str | None, commit: str | None,
                   first_seen: datetime | None) -> str:
    """Where a stored version came from, in words ("the provider's page https://...", or the
    archive's repository and commit and the day it recorded the text)."""
    day = f"{first_seen:%Y-%m-%d}" if first_seen else "an unknown day"
    if origin == "archive" and repository and commit:
        return f"archive {repository} at commit {commit[:12]}, recorded there on {day}"
    return f"the provider's page {url}, fetched on {day}"


MAX_OBJECT = 64 * 1024 * 1024  # bytes of one stored text (a fetched page is capped at 5 MB)


def _read_object(path: Path) -> str:
    """A stored text, read only as a regular file and up to :data:`MAX_OBJECT` bytes: a named pipe
    in its place would make the Terms tab and every check wait for ever, a link to /dev/zero read for ever."""
    data, _info = read_regular(path, MAX_OBJECT)
    if len(data) > MAX_OBJECT:
        raise OSError(f"larger than {MAX_OBJECT} bytes")
    return io.StringIO(data.decode("utf-8"), newline=None).read()  # newlines as read_text() read them
