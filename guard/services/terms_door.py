"""The door's terms calls: the versions in force, the documents kept, the fetch log, comparing two
versions, and terms checks (in a helper process). A part of :class:`guard.services.Services`
(it mixes this in). Checks keep the terms watcher's state: one thread at a time (the runner's
terms lane)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from guard.services.heavy import TermsCheckPlan, check_terms
from guard.services.helper import run_in_helper
from guard.services.threads import blocking
from guard.services.values import TermsLog, TermsOverview

if TYPE_CHECKING:  # loaded on first use: the app's data opens without the HTTP client or parser
    from guard.catalog.loader import Catalog
    from guard.events import TermsChanged
    from guard.ledger import TermsRef
    from guard.paths import AppPaths
    from guard.presentation.overview import DocumentVersions
    from guard.settings import Settings
    from guard.terms.analysis import AnalysedChange
    from guard.terms.fetch import FetchPolicy
    from guard.terms.models import WatchedDocument
    from guard.terms.report import CheckReport
    from guard.terms.store import TermsStore
    from guard.terms.stored_changes import StoreMark


class TermsDoor:
    """Terms versions, comparisons and checks; what :class:`~guard.services.Services` opens in
    its ``__init__`` is declared here."""

    paths: AppPaths
    base_paths: AppPaths
    catalog: Catalog
    _settings: Settings
    _terms: TermsStore
    watched_documents: tuple[WatchedDocument, ...] | None
    fetch_policy: FetchPolicy | None

    @blocking
    def terms_in_force(self, provider_id: str) -> tuple[TermsRef, ...]:
        """Blocks: the terms versions in force for the provider (reads the terms store)."""
        from guard.terms_in_force import terms_in_force

        return terms_in_force(self.catalog, self._terms, provider_id)

    @blocking
    def terms_version_dates(self, provider_id: str) -> dict[str, date]:
        """Blocks: the date of each of the provider's versions in force, by SHA-256 (reads the terms store)."""
        from guard.terms_in_force import version_dates

        return version_dates(self.catalog, self._terms, provider_id)

    @blocking
    def terms_shipped_only(self, provider_id: str) -> frozenset[str]:
        """Blocks: the SHA-256s of the provider's versions in force known only as shipped with the
        app (never confirmed by a check; a newer version may be in force)."""
        from guard.terms_in_force import shipped_only

        return shipped_only(self.catalog, self._terms, provider_id)

    @blocking
    def terms_documents(self) -> list[DocumentVersions]:
        """Blocks: every watched document with the versions kept (reads the terms store)."""
        from guard.presentation.overview import watched_documents

        return watched_documents(self.catalog, self._terms)

    @blocking
    def terms_store_stamp(self) -> tuple[int, ...]:
        """Blocks (briefly: two stats, nothing read): a value that changes when the terms index or
        its write-ahead log is written, by this process or another (``meeting-guard terms check``),
        so a window showing terms knows to read them again."""
        from guard.terms.stored_changes import store_stamp

        return store_stamp(self._terms)

    @blocking
    def terms_stored_since(self, mark: StoreMark | None) -> tuple[StoreMark, list[TermsChanged]]:
        """Blocks (two stats while nothing was written; comparing versions when one was): the
        terms store as it is now, and the changes to AI or data use in the versions another
        program stored since ``mark`` (``meeting-guard terms check`` in a terminal), told as a
        check of the app's own tells them. ``mark`` None: the first look, which tells nothing."""
        from guard.terms.stored_changes import changes_since
        from guard.terms.watchlist import build_watch_list

        def watched() -> tuple[WatchedDocument, ...]:
            documents = self.watched_documents
            return tuple(documents) if documents is not None else tuple(build_watch_list(self.paths, self.catalog)[0])

        return changes_since(self._terms, watched, mark, datetime.now(UTC))

    @blocking
    def terms_log(self, limit: int = 200) -> TermsLog:
        """Blocks: when the terms were last checked, and the latest fetches."""
        return TermsLog(self._terms.last_check(), tuple(self._terms.fetch_log(limit=limit)))

    @blocking
    def compare_terms(self, old_sha256: str, new_sha256: str) -> list[AnalysedChange]:
        """Blocks: reads two versions and aligns and classifies their clauses (big documents: a second);
        a section added or removed whole is one change holding its clauses (guard.terms.sections)."""
        from guard.terms.analysis import analyse
        from guard.terms.sections import readable_changes

        return readable_changes(analyse(self._terms.get_text(old_sha256), self._terms.get_text(new_sha256)))

    @blocking
    def latest_terms_changes(self) -> TermsOverview:
        """Blocks: the documents changed most recently and how many changes touch AI or data use."""
        from guard.errors import GuardError
        from guard.presentation.overview import latest_changes

        changes = latest_changes(self.terms_documents())
        relevant: dict[tuple[str, str], int | str] = {}
        for doc in changes:
            assert doc.previous is not None
            try:
                found = self.compare_terms(doc.previous.sha256, doc.latest.sha256)
                relevant[(doc.provider_id, doc.document_id)] = sum(1 for change in found if change.relevant)
            except GuardError as error:
                relevant[(doc.provider_id, doc.document_id)] = str(error)
        return TermsOverview(tuple(changes), relevant)

    def _terms_plan(self, provider_id: str | None) -> TermsCheckPlan:
        return TermsCheckPlan(self.paths, self._settings, self.base_paths.user_catalog_dir, provider_id,
                              self.watched_documents, self.fetch_policy)

    @blocking
    def check_terms(self, provider_id: str | None = None) -> CheckReport:
        """Blocks: fetches the watched terms pages (one provider's, or all) when the network is on,
        in a helper process (seconds; minutes at worst: per-host pacing, deadlines). Run it on
        the runner's terms lane."""
        return run_in_helper(check_terms, self._terms_plan(provider_id))

    @blocking
    def check_terms_if_due(self) -> CheckReport | None:
        """Blocks: :meth:`check_terms` for every document when a check is due, else None (no
        helper process is started just to find out)."""
        terms = self._settings.terms
        if not terms.network_enabled:
            return None
        last = self._terms.last_check()
        if last is not None and datetime.now(UTC) < last + timedelta(hours=terms.check_interval_hours):
            return None
        return self.check_terms(None)

