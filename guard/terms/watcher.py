"""The terms watcher: fetch each watched document, keep its new versions, and tell the user
when a clause about AI training or data use changed (as :class:`TermsChanged` events).

No threads here: the UI calls :meth:`TermsWatcher.check_due` from its worker thread on a
timer (it returns at once unless a check is due), and :meth:`check_now` when the user asks.
Nothing that goes wrong with one document stops the others; every fetch and every failure
lands in the store's fetch log. Documents that share a URL (Teams and Skype both point at the
Microsoft Services Agreement) are fetched once per check and the answer applied to each.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from guard.catalog.loader import Catalog
from guard.events import TermsChanged, event_to_dict
from guard.paths import AppPaths
from guard.settings import Settings, TermsSettings
from guard.terms.analysis import analyse, relevant_changes
from guard.terms.errors import FetchFailure, TermsError, TermsFetchError
from guard.terms.extract import ExtractError, extract
from guard.terms.fetch import Fetcher, FetchOutcome, FetchPolicy
from guard.terms.models import FetchRecord, FetchResult, Version, WatchedDocument
from guard.terms.rules import Rules, load_rules
from guard.terms.store import TermsStore
from guard.terms.watchlist import build_watch_list

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentCheck:
    """What one check of one document came to."""

    document: WatchedDocument
    at: datetime
    result: FetchResult
    version: Version | None = None
    previous: Version | None = None
    event: TermsChanged | None = None
    changes: int = 0
    error_kind: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider_id": self.document.provider_id, "document_id": self.document.document_id,
            "url": self.document.url, "at": self.at.isoformat(), "result": str(self.result),
            "sha256": self.version.sha256 if self.version else None,
            "previous_sha256": self.previous.sha256 if self.previous else None,
            "clause_changes": self.changes, "error_kind": self.error_kind, "message": self.message,
            "notes": list(self.document.notes),
            "event": event_to_dict(self.event) if self.event else None,
        }


@dataclass
class CheckReport:
    at: datetime
    checks: list[DocumentCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def events(self) -> list[TermsChanged]:
        return [check.event for check in self.checks if check.event is not None]

    @property
    def failures(self) -> list[DocumentCheck]:
        return [check for check in self.checks if check.result is FetchResult.FAILED]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Fetched:
    """One URL's answer within a check: the outcome, or the error every document at it gets."""

    outcome: FetchOutcome | None = None
    error: Exception | None = None


class TermsWatcher:
    """Checks documents against the store. See the module docstring for how the app drives it."""

    def __init__(self, store: TermsStore, documents: Sequence[WatchedDocument], *, network_enabled: bool = True,
                 check_interval_hours: float = 24.0, fetcher: Fetcher | None = None,
                 policy: FetchPolicy | None = None, rules: Rules | None = None,
                 problems: Iterable[str] = ()) -> None:
        self.store = store
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
        return cls(store, documents, network_enabled=settings.network_enabled,
                   check_interval_hours=settings.check_interval_hours, policy=policy, **kwargs)

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

    def check(self, provider_id: str | None = None, now: datetime | None = None) -> CheckReport:
        """Check and return the full report (also kept as :attr:`last_report`)."""
        now = now or _utcnow()
        report = CheckReport(now, problems=list(self.problems))
        selected = [d for d in self.documents if not provider_id or d.provider_id == provider_id]
        sharing: dict[str, list[WatchedDocument]] = defaultdict(list)
        for document in selected:
            sharing[document.url].append(document)
        fetched: dict[str, _Fetched] = {}  # one request per URL in this check
        for document in selected:
            report.checks.append(self._check_one(document, sharing[document.url], fetched))
        if provider_id is None:
            try:
                self.store.set_last_check(now)
            except TermsError as error:
                report.problems.append(str(error))
        self.last_report = report
        return report

    # -- one document ----------------------------------------------------------------------

    def check_document(self, document: WatchedDocument) -> DocumentCheck:
        """Fetch, extract, store and compare one document. Never raises."""
        return self._check_one(document, [document], {})

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

    def _check_one(self, document: WatchedDocument, sharing: Sequence[WatchedDocument],
                   fetched: dict[str, _Fetched]) -> DocumentCheck:
        provider, doc_id = document.key
        at = _utcnow()
        try:
            previous = self.store.current(provider, doc_id)
            outcome = self._fetch_shared(document.url, sharing, fetched)
        except TermsFetchError as error:
            return self._failed(document, at, error.kind, str(error), error.status, error.attempts)
        except TermsError as error:
            return self._failed(document, at, "store", str(error), None, 0)
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
            return self._failed(document, at, "store", str(error), outcome.meta.status, outcome.attempts,
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
            old_text = self.store.get_text(previous.sha256)
            new_text = self.store.get_text(version.sha256)
        except TermsError as error:
            return DocumentCheck(document, at, FetchResult.NEW_VERSION, version, previous, message=str(error))
        changes = analyse(old_text, new_text, self.rules)
        relevant = relevant_changes(changes)
        event = None
        if any(change.material for change in changes):  # what the provider may do with data moved
            event = TermsChanged(provider_id=document.provider_id, at=at, document_id=document.document_id,
                                 url=document.url, old_sha256=previous.sha256, new_sha256=version.sha256,
                                 changes=relevant)
            log.info("Terms changed: %s/%s, %d clause(s) about AI or data use", document.provider_id,
                     document.document_id, len(relevant))
        return DocumentCheck(document, at, FetchResult.NEW_VERSION, version, previous, event, len(changes))

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
