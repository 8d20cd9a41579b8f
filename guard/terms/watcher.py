"""The terms watcher: fetch each watched document, keep its new versions, and tell the user
when a clause about AI training or data use changed (as :class:`TermsChanged` events).

Where a public archive keeps a document (the catalog's ``documents[].archive``), its new
versions are read there first (:mod:`guard.terms.archive_import`), so a million installs do not
each scrape every provider; the provider's page is fetched only when the archive cannot be read.
With the network switched off nothing is fetched and every document is *skipped*; when the
computer is offline (no name server, no route) the first two hosts tried say so and the rest are
not tried ("offline: N documents not checked"), without retries. One host alone failing so is
*unreachable*, that host's documents fail and the others are checked (an archived document is read on
the provider's page when the archive alone cannot be reached): a site's own name server (SERVFAIL), or a
route to it cut, answers as an offline computer does, and must not stop the check. Two such hosts in a row
after a page was read are taken for two sites' failures while the name server still answers for that page's
host (asked once more), not for an offline computer.
A host the name server says does not exist (a site gone, or blocked by this network's filter)
fails alone and the check goes on; only when the first ``UNFOUND_HOSTS_OFFLINE`` hosts tried are
all unknown, with no page reached (an offline Mac answers every name so), is the computer taken
to be offline.

No threads here: the UI calls :meth:`TermsWatcher.check_due` from its worker thread on a
timer (it returns at once unless a check is due), and :meth:`check_now` when the user asks.
Nothing that goes wrong with one document stops the others; every fetch and every failure
lands in the store's fetch log. Documents that share a URL (Teams and Skype both point at the
Microsoft Services Agreement) are fetched once per check and the answer applied to each.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from guard.catalog.loader import Catalog
from guard.events import TermsChanged
from guard.paths import AppPaths
from guard.settings import Settings, TermsSettings
from guard.terms.archive_import import ArchiveImporter
from guard.terms.archive_source import ArchiveSource, GitHubArchive
from guard.terms.errors import FetchFailure, TermsError, TermsFetchError
from guard.terms.extract import ExtractError, extract
from guard.terms.fetch import Fetcher, FetchOutcome, FetchPolicy
from guard.terms.models import FetchRecord, FetchResult, Version, WatchedDocument
from guard.terms.report import (NAME_NOT_FOUND, NOT_CHECKED_NETWORK_OFF, NOT_CHECKED_OFFLINE, STORE_FAILURE,
                                UNREACHABLE, CheckReport, DocumentCheck)
from guard.terms.rules import Rules, load_rules
from guard.terms.store import TermsStore
from guard.terms.stored_changes import material_change
from guard.terms.watchlist import build_watch_list

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


# Hosts in a row, with no page reached before them, that the name server says do not exist before the
# computer is taken to be offline: a filtered network blocks a site or two, an offline Mac answers so for all.
UNFOUND_HOSTS_OFFLINE = 3
ARCHIVE_READS_PER_CHECK = 40  # texts read in the archive per document and check (the first import is bigger)


class ArchiveSources:
    """The archive repositories the watcher reads, each through the watcher's own fetcher."""

    def __init__(self, fetcher: Fetcher, api: str, raw: str) -> None:
        self.fetcher = fetcher
        self.api = api
        self.raw = raw
        self._made: dict[str, ArchiveSource] = {}

    def source(self, repository: str) -> ArchiveSource:
        if repository not in self._made:
            self._made[repository] = GitHubArchive(repository, self.fetcher, self.api, self.raw)
        return self._made[repository]


class _Unreached:
    """The hosts of one check that could not be reached (``FetchFailure.OFFLINE``: no name server answer, no
    route), with no page reached since: the first is *unreachable* (that host alone), a second makes the
    computer offline, unless the name server still answers for a host a page was read from in this check
    (``resolves``): then those sites' own name servers fail (two sites a network filters, two providers' name
    servers down), and the check goes on. A host found unreachable is not asked again in the check."""

    def __init__(self, resolves: Callable[[str], bool] | None = None) -> None:
        self.hosts: list[str] = []  # in a row, no page reached since
        self.known: set[str] = set()  # every host found unreachable in this check
        self.answered: str | None = None  # the host of the last page read in this check
        self._resolves = resolves

    def kind(self, kind: str, host: str) -> str:
        """The kind to record for a failure of ``kind`` at ``host``."""
        if kind != NOT_CHECKED_OFFLINE:
            return kind
        if not any(seen != host for seen in self.hosts):
            return UNREACHABLE
        if self.answered is not None and self._resolves is not None and self._resolves(self.answered):
            self.hosts = [seen for seen in self.hosts if seen == host]  # online: a new run starts with this host
            return UNREACHABLE
        return NOT_CHECKED_OFFLINE

    def failed(self, host: str) -> None:
        """Note ``host`` unreachable."""
        self.known.add(host)
        if host not in self.hosts:
            self.hosts.append(host)

    @property
    def offline(self) -> bool:
        """Two hosts in a row could not be reached: the computer is taken to be offline."""
        return len(self.hosts) >= 2

    def reached(self, host: str | None = None) -> None:
        self.hosts.clear()
        if host is not None:
            self.answered = host


@dataclass(frozen=True)
class _Fetched:
    """One URL's answer within a check: the outcome, or the error every document at it gets."""

    outcome: FetchOutcome | None = None
    error: Exception | None = None


class TermsWatcher:
    """Checks documents against the store. See the module docstring for how the app drives it."""

    def __init__(self, store: TermsStore, documents: Sequence[WatchedDocument], *, network_enabled: bool,
                 check_interval_hours: float = 24.0, fetcher: Fetcher | None = None,
                 policy: FetchPolicy | None = None, rules: Rules | None = None,
                 problems: Iterable[str] = (), archive: ArchiveSources | None = None,
                 archive_reads: int = ARCHIVE_READS_PER_CHECK) -> None:
        self.store = store
        self.archive = archive  # None: never read the archive
        self.archive_reads = archive_reads
        self.documents = list(documents)
        self.network_enabled = network_enabled
        self.check_interval = timedelta(hours=check_interval_hours)
        self.fetcher = fetcher or Fetcher(policy, network_enabled=network_enabled)
        self.rules = rules if rules is not None else load_rules()
        self.problems = [*store.problems, *problems]
        self.last_report: CheckReport | None = None

    @classmethod
    def from_settings(cls, store: TermsStore, documents: Sequence[WatchedDocument], settings: TermsSettings,
                      **kwargs: Any) -> TermsWatcher:
        policy = kwargs.pop("policy", None) or FetchPolicy(allow_insecure_localhost=settings.allow_insecure_localhost)
        fetcher = kwargs.pop("fetcher", None) or Fetcher(policy, network_enabled=settings.network_enabled)
        if settings.archive_enabled and "archive" not in kwargs:
            kwargs["archive"] = ArchiveSources(fetcher, settings.archive_api_url, settings.archive_raw_url)
        return cls(store, documents, network_enabled=settings.network_enabled,
                   check_interval_hours=settings.check_interval_hours, policy=policy, fetcher=fetcher, **kwargs)

    @classmethod
    def from_app(cls, paths: AppPaths, settings: Settings, catalog: Catalog | None = None,
                 declaration_files: Iterable[Path] = ()) -> TermsWatcher:
        """The watcher the app uses: store in the data folder, catalog + user declarations."""
        documents, problems = build_watch_list(paths, catalog, declaration_files)
        return cls.from_settings(TermsStore.open(paths), documents, settings.terms, problems=problems)

    # -- scheduling ------------------------------------------------------------------------

    def next_due(self) -> datetime | None:
        """When the next scheduled check is due (None: now)."""
        last = self.store.last_check()
        return None if last is None else last + self.check_interval

    def is_due(self, now: datetime | None = None) -> bool:
        if not self.network_enabled:
            return False
        due = self.next_due()
        return due is None or (now or _utcnow()) >= due

    def check_due(self, now: datetime | None = None) -> list[TermsChanged]:
        """Check every document if the interval has passed (and the network is allowed); else nothing."""
        now = now or _utcnow()
        if not self.is_due(now):
            return []
        return self.check(now=now).events

    def check_now(self, provider_id: str | None = None) -> list[TermsChanged]:
        """Check now (all documents, or one provider's), whatever the schedule says."""
        return self.check(provider_id).events

    def check(self, provider_id: str | None = None, now: datetime | None = None,
              progress: Callable[[int, int, DocumentCheck], None] | None = None) -> CheckReport:
        """Check and return the full report (also kept as :attr:`last_report`). ``progress``
        hears of each document as it is done: (how many done, how many in all, its result)."""
        now = now or _utcnow()
        report = CheckReport(now, problems=list(self.problems))
        selected = [d for d in self.documents if not provider_id or d.provider_id == provider_id]
        sharing: dict[str, list[WatchedDocument]] = defaultdict(list)
        for document in selected:
            sharing[document.url].append(document)
        fetched: dict[str, _Fetched] = {}  # one request per URL in this check
        unfound: set[str] = set()  # hosts the name server did not know, while no page was reached yet
        unreached = _Unreached(getattr(self.fetcher, "resolves", None))
        reached = False
        for document in selected:
            if not self.network_enabled:
                check = self._skipped(document, NOT_CHECKED_NETWORK_OFF,
                                      "Not checked: network access is switched off ([terms] network_enabled = false).")
            elif report.offline:
                check = self._skipped(document, NOT_CHECKED_OFFLINE,
                                      "Not checked: this computer is offline (an earlier document could not be "
                                      "reached); the next check will try again.")
            else:
                known = set(unreached.known)
                check = self._check_one(document, sharing[document.url], fetched, unreached)
                if check.error_kind in (NOT_CHECKED_OFFLINE, UNREACHABLE):
                    host = self._host(document, archive=check.source == "archive")
                    if host not in known:  # not a document of a host already found unreachable
                        unreached.failed(host)
                    report.offline = unreached.offline
                elif check.error_kind == NAME_NOT_FOUND and not reached:
                    unfound.add(urlsplit(document.url).hostname or document.url)
                    report.offline = len(unfound) >= UNFOUND_HOSTS_OFFLINE
                elif check.result is not FetchResult.FAILED:
                    reached = True
                    unreached.reached(self._host(document, archive=check.source == "archive"))
            report.checks.append(check)
            if progress is not None:
                progress(len(report.checks), len(selected), check)
        skipped = [FetchRecord(c.at, c.document.provider_id, c.document.document_id, c.document.url,
                               FetchResult.SKIPPED, error_kind=c.error_kind, message=c.message, attempts=0)
                   for c in report.checks if c.result is FetchResult.SKIPPED]
        if skipped:  # one write for all: an offline check of every document still answers at once
            try:
                self.store.log_fetches(skipped)
            except TermsError as error:
                report.problems.append(str(error))
                report.store_fault = True
        if provider_id is None:
            try:
                self.store.set_last_check(now)
            except TermsError as error:
                report.problems.append(str(error))
                report.store_fault = True
        report.store_fault = report.store_fault or any(
            check.error_kind == STORE_FAILURE for check in report.checks)
        # what the store found while opening (an index set aside and rebuilt) is told with this check
        report.problems.extend(problem for problem in self.store.problems if problem not in report.problems)
        self.last_report = report
        return report

    # -- one document ----------------------------------------------------------------------

    def _fetch_shared(self, url: str, sharing: Sequence[WatchedDocument], fetched: dict[str, _Fetched]) -> FetchOutcome:
        """The page at ``url``, fetched at most once per check for all documents that share it.

        The request is conditional only when every sharing document last saw the same ETag /
        Last-Modified; otherwise a 304 would leave one of them without the page's text."""
        if url not in fetched:
            states = {self.store.http_state(d.provider_id, d.document_id, url) for d in sharing}
            state = states.pop() if len(states) == 1 else None
            try:
                fetched[url] = _Fetched(outcome=self.fetcher.fetch(
                    url, etag=state.etag if state else None, last_modified=state.last_modified if state else None))
            except Exception as error:  # noqa: BLE001 - every sharing document records the same failure
                fetched[url] = _Fetched(error=error)
        hit = fetched[url]
        if hit.error is not None:
            raise hit.error
        assert hit.outcome is not None
        return hit.outcome

    def _skipped(self, document: WatchedDocument, why: str, message: str) -> DocumentCheck:
        """Not checked (nothing was asked of the network); logged, as skipped, at the check's end."""
        return DocumentCheck(document, _utcnow(), FetchResult.SKIPPED, error_kind=why, message=message)

    def _host(self, document: WatchedDocument, *, archive: bool) -> str:
        """The host a document's request goes to first: the archive's (``archive``), else its page's."""
        url = self.archive.api if archive and self.archive is not None else document.url
        return (urlsplit(url).hostname or url).lower()

    def _check_one(self, document: WatchedDocument, sharing: Sequence[WatchedDocument],
                   fetched: dict[str, _Fetched], unreached: _Unreached) -> DocumentCheck:
        if document.archive is not None and self.archive is not None \
                and self._host(document, archive=True) not in unreached.known:
            checked = self._check_archive(document, unreached)
            if checked is not None:
                return checked
        return self._check_page(document, sharing, fetched, unreached)

    def _check_archive(self, document: WatchedDocument, unreached: _Unreached) -> DocumentCheck | None:
        """Read the document's new versions in the archive; None when the page must be fetched."""
        assert document.archive is not None and self.archive is not None
        provider, doc_id = document.key
        at = _utcnow()
        try:
            previous = self.store.current(provider, doc_id)
        except TermsError as error:
            return self._failed(document, at, STORE_FAILURE, str(error), None, 0)
        source = self.archive.source(document.archive.repository)
        result = ArchiveImporter(self.store, source, max_reads=self.archive_reads).run(
            provider, doc_id, document.url, document.archive)
        where = f"{document.archive.repository}: {document.archive.path}"
        if result.error is not None:
            host = self._host(document, archive=True)
            kind = unreached.kind(str(getattr(result.error, "kind", "archive")), host)
            status = getattr(result.error, "status", None)
            self._log(FetchRecord(at, provider, doc_id, where, FetchResult.FAILED, status, error_kind=kind,
                                  message=str(result.error), source="archive"))
            if kind in (NOT_CHECKED_OFFLINE, UNREACHABLE):
                unreached.failed(host)
            if kind == NOT_CHECKED_OFFLINE:
                return DocumentCheck(document, at, FetchResult.FAILED, previous, error_kind=kind,
                                     message=str(result.error), source="archive")
            return None  # fall back to the provider's page (the archive alone unreachable, too)
        try:
            version = self.store.current(provider, doc_id)
        except TermsError as error:
            return self._failed(document, at, STORE_FAILURE, str(error), None, 0)
        newest = result.stored[-1][0].commit if result.stored else None
        outcome = (FetchResult.NOT_MODIFIED if result.not_modified else FetchResult.NEW_VERSION
                   if version and (previous is None or version.sha256 != previous.sha256) else FetchResult.UNCHANGED)
        cut = "" if result.listed_all else ": the archive lists more records than are read, the oldest are missing"
        note = (f"{len(result.stored)} version(s) read in the archive ({result.read} of {result.listed} new records "
                f"read{', history partial' if result.partial else ''}{cut})")
        if result.future:
            note += f"; {result.future_note()}"
        self._log(FetchRecord(at, provider, doc_id, where, outcome, 200, 0, newest, message=note,
                              sha256=version.sha256 if version else None, source="archive"))
        if outcome is not FetchResult.NEW_VERSION or version is None or previous is None:
            return DocumentCheck(document, at, outcome, version, previous, message=note, source="archive")
        return replace(self._compare(document, at, previous, version), source="archive", message=note)

    def _check_page(self, document: WatchedDocument, sharing: Sequence[WatchedDocument],
                    fetched: dict[str, _Fetched], unreached: _Unreached) -> DocumentCheck:
        provider, doc_id = document.key
        at = _utcnow()
        host = self._host(document, archive=False)
        if host in unreached.known:
            return self._failed(document, at, UNREACHABLE, f"Not fetched {document.url}: {host} could not be reached "
                                "earlier in this check; the next check will try again.", None, 0)
        try:
            previous = self.store.current(provider, doc_id)
            outcome = self._fetch_shared(document.url, sharing, fetched)
        except TermsFetchError as error:
            return self._failed(document, at, unreached.kind(error.kind, self._host(document, archive=False)),
                                str(error), error.status, error.attempts)
        except TermsError as error:
            return self._failed(document, at, STORE_FAILURE, str(error), None, 0)
        except Exception as error:  # e.g. a URL the HTTP library cannot even parse: recorded, never fatal
            log.exception("Unexpected failure while fetching %s", document.url)
            return self._failed(document, at, "unexpected", f"Could not fetch {document.url} ({error!r}).", None, 1)
        record = FetchRecord(at, provider, doc_id, document.url, FetchResult.NOT_MODIFIED, outcome.meta.status,
                             outcome.bytes, outcome.meta.final_url, attempts=outcome.attempts)
        try:
            if outcome.html is None:
                self.store.touch(provider, doc_id, at)
                self._log(replace(record, sha256=previous.sha256 if previous else None))
                return DocumentCheck(document, at, FetchResult.NOT_MODIFIED, previous, previous)
            extracted = extract(outcome.html, document.select, document.remove, document.select_mode, document.url)
            version, is_new = self.store.record_version(provider, doc_id, extracted.markdown, document.url,
                                                        outcome.meta, at)
        except ExtractError as error:
            return self._failed(document, at, FetchFailure.EMPTY, str(error), outcome.meta.status, outcome.attempts,
                                outcome.bytes)
        except TermsError as error:
            return self._failed(document, at, STORE_FAILURE, str(error), outcome.meta.status, outcome.attempts,
                                outcome.bytes)
        except Exception as error:  # a page that breaks the parser must not stop the other checks
            log.exception("Unexpected failure while reading %s", document.url)
            return self._failed(document, at, "extract", f"{document.url} could not be read ({error!r}).",
                                outcome.meta.status, outcome.attempts, outcome.bytes)
        changed = previous is None or previous.sha256 != version.sha256
        result = FetchResult.NEW_VERSION if changed else FetchResult.UNCHANGED
        self._log(FetchRecord(at, provider, doc_id, document.url, result, outcome.meta.status, outcome.bytes,
                              outcome.meta.final_url, attempts=outcome.attempts, sha256=version.sha256))
        if not changed or previous is None:
            return DocumentCheck(document, at, result, version, previous)
        return self._compare(document, at, previous, version)

    def _compare(self, document: WatchedDocument, at: datetime, previous: Version, version: Version) -> DocumentCheck:
        try:
            event, count = material_change(self.store, document, at, previous.sha256, version.sha256, self.rules)
        except TermsError as error:
            return DocumentCheck(document, at, FetchResult.NEW_VERSION, version, previous, message=str(error))
        return DocumentCheck(document, at, FetchResult.NEW_VERSION, version, previous, event, count)

    def _failed(self, document: WatchedDocument, at: datetime, kind: str, message: str, status: int | None,
                attempts: int, size: int = 0) -> DocumentCheck:
        log.warning("%s", message)
        self._log(FetchRecord(at, document.provider_id, document.document_id, document.url, FetchResult.FAILED,
                              status, size, error_kind=str(kind), message=message, attempts=attempts))
        return DocumentCheck(document, at, FetchResult.FAILED, self._current_or_none(document),
                             error_kind=str(kind), message=message)

    def _current_or_none(self, document: WatchedDocument) -> Version | None:
        try:
            return self.store.current(*document.key)
        except TermsError:
            return None

    def _log(self, record: FetchRecord) -> None:
        try:
            self.store.log_fetch(record)
        except TermsError as error:
            log.error("Could not write the fetch log: %s", error)
