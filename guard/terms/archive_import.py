"""Import a document's version history from a public archive into the terms store.

The archive records a new commit whenever the page's extracted text changed in any way; many
of those commits differ only in what the app's own text form drops (tracking parameters in link
addresses, markup), and some are re-extractions of an already recorded page ("technical
upgrades", skipped). So the importer does not read every commit: it reads the newest and the
oldest, and where the app's texts at the two ends of a run of commits are equal, takes the run
as unchanged; where they differ, it reads the middle commit and looks at both halves, largest
runs first, until every change is pinned to the commit that first recorded it or the budget of
reads is spent (then the history is marked partial and a change is dated by the first commit
read after it). A text that changes and then changes back within one unread run is not seen;
``read_all`` reads every commit instead.

Each distinct text is stored with the commit and the time the archive recorded it, so versions
from before the app's first fetch show in the right place, each saying where it came from.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from guard.catalog.models import DocumentArchive
from guard.terms.archive_source import ArchiveCommit, ArchiveSource
from guard.terms.archive_text import archive_markdown_to_text
from guard.terms.errors import TermsError, TermsFetchError
from guard.terms.extract import ExtractError
from guard.terms.models import ArchiveState
from guard.terms.store import TermsStore

log = logging.getLogger(__name__)

# A record dated later than this after now is not believed: stored, it would be the version in force
# for good, and every later import (which asks only for records since the newest) would miss the real ones.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass
class ImportResult:
    """What one import of one document did (the CLI and the watcher report it)."""

    provider_id: str
    document_id: str
    repository: str
    path: str
    listed: int = 0  # commits the archive listed (new ones only, after a first import)
    technical: int = 0  # of those, re-extractions skipped
    read: int = 0  # commits whose text was read
    stored: list[tuple[ArchiveCommit, str]] = field(default_factory=list)  # (commit, SHA-256), oldest first
    partial: bool = False
    listed_all: bool = True  # False: the archive lists more records than are read, the oldest are missing
    not_modified: bool = False
    error: TermsError | None = None
    future: list[ArchiveCommit] = field(default_factory=list)  # records dated in the future: skipped

    def future_note(self) -> str | None:
        """What was skipped as dated in the future, in words (None: nothing)."""
        if not self.future:
            return None
        first = self.future[0]
        return (f"{len(self.future)} record(s) dated in the future skipped (first: commit {first.commit[:12]} "
                f"dated {first.recorded:%Y-%m-%d}); the archive's dates are wrong, so they were not imported")

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, object]:
        return {"provider_id": self.provider_id, "document_id": self.document_id, "repository": self.repository,
                "path": self.path, "commits_listed": self.listed, "technical_skipped": self.technical,
                "commits_read": self.read, "partial": self.partial, "commits_listed_all": self.listed_all,
                "not_modified": self.not_modified,
                "versions_stored": [{"commit": c.commit, "recorded": c.recorded.isoformat(), "sha256": sha}
                                    for c, sha in self.stored],
                "future_skipped": [{"commit": c.commit, "recorded": c.recorded.isoformat()} for c in self.future],
                "error": str(self.error) if self.error else None,
                "error_kind": str(getattr(self.error, "kind", "")) or None if self.error else None}


class ArchiveImporter:
    """Reads new versions of documents from one archive source into a store."""

    def __init__(self, store: TermsStore, source: ArchiveSource, *, max_reads: int = 200, read_all: bool = False,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.source = source
        self.max_reads = max(2, max_reads)
        self.read_all = read_all
        self._now = clock

    def run(self, provider_id: str, document_id: str, url: str, archive: DocumentArchive) -> ImportResult:
        """Import what is new since the last import (everything the first time). Never raises:
        a failure is the result's ``error``, and nothing is stored from a failed run."""
        result = ImportResult(provider_id, document_id, archive.repository, archive.path)
        try:
            self._run(result, url, archive)
        except TermsError as error:
            result.error = error
            result.stored = []
            log.warning("Importing %s/%s from %s failed: %s", provider_id, document_id, archive.repository, error)
        return result

    def _run(self, result: ImportResult, url: str, archive: DocumentArchive) -> None:
        pid, did = result.provider_id, result.document_id
        state = self.store.archive_state(pid, did)
        same = state is not None and (state.repository, state.path) == (archive.repository, archive.path)
        since = state.last_recorded if same and state and state.last_commit else None
        listing = self.source.commits(archive.path, since=since, etag=state.etag if since and state else None)
        now = self._now()
        if listing.not_modified:
            result.not_modified = True
            assert state is not None
            self.store.set_archive_state(pid, did, ArchiveState(archive.repository, archive.path, state.last_commit,
                                                                state.last_recorded, state.etag, now))
            return
        if not listing.complete:  # the history's start is not in what was listed: said, never passed off as whole
            result.partial, result.listed_all = True, False
            log.warning("Importing %s/%s from %s: the archive lists more records than are read; the oldest are "
                        "missing", pid, did, archive.repository)
        commits = [c for c in listing.commits if c.recorded <= now + FUTURE_TOLERANCE]
        result.future = [c for c in listing.commits if c.recorded > now + FUTURE_TOLERANCE]
        if result.future:
            log.warning("Importing %s/%s from %s: %s", pid, did, archive.repository, result.future_note())
        left_text: str | None = None
        if since is not None and state is not None:
            known = [i for i, c in enumerate(commits) if c.commit == state.last_commit]
            commits = commits[known[-1] + 1:] if known else [c for c in commits if c.recorded > since]
            left_text = self._stored_text(pid, did, state.last_commit)
        result.listed = len(commits)
        changes = [c for c in commits if not c.technical]
        result.technical = len(commits) - len(changes)
        if changes:
            for commit, text in self._distinct(changes, left_text, result):
                sha = self.store.record_archive_version(pid, did, text, url, archive.repository, commit.commit,
                                                        commit.recorded)
                result.stored.append((commit, sha))
        newest = commits[-1] if commits else None
        self.store.set_archive_state(pid, did, ArchiveState(
            archive.repository, archive.path, newest.commit if newest else state.last_commit if state else None,
            newest.recorded if newest else state.last_recorded if state else None, listing.etag, now))

    def _stored_text(self, provider_id: str, document_id: str, commit: str | None) -> str | None:
        sha = self._sha_of(provider_id, document_id, commit) if commit else None
        if sha is None:
            return None
        try:
            return self.store.get_text(sha)
        except TermsError:
            return None

    def _sha_of(self, provider_id: str, document_id: str, commit: str) -> str | None:
        return self.store.archive_sha(provider_id, document_id, commit)

    def _text(self, commit: ArchiveCommit, path: str, result: ImportResult) -> str:
        result.read += 1
        raw = self.source.read(path, commit.commit)
        try:
            return archive_markdown_to_text(raw, self.source.file_url(path, commit.commit))
        except ExtractError:
            return ""  # an empty record reads as no text; the next record with text is a change

    def _distinct(self, commits: list[ArchiveCommit], left: str | None,
                  result: ImportResult) -> list[tuple[ArchiveCommit, str]]:
        """The commits that first recorded each distinct text (see the module docstring)."""
        path = result.path
        texts: dict[int, str] = {}
        if left is not None:
            texts[-1] = left
        last = len(commits) - 1
        if self.read_all:
            for index, commit in enumerate(commits):
                texts[index] = self._text(commit, path, result)
        else:
            texts[last] = self._text(commits[last], path, result)
            start = -1 if left is not None else 0
            if start == 0 and last > 0:
                texts[0] = self._text(commits[0], path, result)
            ranges = [(-(last - start), start, last)]
            while ranges:
                _, low, high = heapq.heappop(ranges)
                if texts[low] == texts[high] or high - low <= 1:
                    continue
                if result.read >= self.max_reads:
                    result.partial = True
                    continue
                middle = (low + high) // 2
                texts[middle] = self._text(commits[middle], path, result)
                heapq.heappush(ranges, (-(middle - low), low, middle))
                heapq.heappush(ranges, (-(high - middle), middle, high))
        found: list[tuple[ArchiveCommit, str]] = []
        previous = texts.get(-1)
        for index in sorted(i for i in texts if i >= 0):
            if texts[index] and texts[index] != previous:
                found.append((commits[index], texts[index]))
            previous = texts[index] or previous
        return found


def is_offline(error: TermsError | None) -> bool:
    return isinstance(error, TermsFetchError) and str(error.kind) == "offline"
