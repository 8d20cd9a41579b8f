"""The door's heavy work, as it runs in a helper process (:mod:`guard.services.helper`):
module-level functions of plain, picklable inputs, so a spawned process can run them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guard.ledger.key_status import KeyStatus
    from guard.paths import AppPaths
    from guard.services.values import ExportOutcome, ExportRequest
    from guard.settings import Settings
    from guard.terms.fetch import FetchPolicy
    from guard.terms.models import WatchedDocument
    from guard.terms.report import CheckReport

Report = Callable[[int, int], bool]


class ExportCancelledByUser(Exception):
    """The user pressed Cancel; the exporter wrote nothing."""


@dataclass(frozen=True)
class TermsCheckPlan:
    """What a terms check needs: where the store is, the settings and catalog in use, which
    provider (None: all), and, when given, the documents to watch and how to fetch them
    (tests and benchmarks point these at a local server)."""

    paths: AppPaths
    settings: Settings
    user_catalog: Path | None
    provider_id: str | None = None
    documents: tuple[WatchedDocument, ...] | None = None
    policy: FetchPolicy | None = None


def check_terms(plan: TermsCheckPlan, _report: Report) -> CheckReport:
    """Fetch, store and compare the watched terms pages (network on only)."""
    from guard.terms.store import TermsStore
    from guard.terms.watcher import TermsWatcher

    if plan.documents is None:
        from guard.catalog.loader import load_catalog

        watcher = TermsWatcher.from_app(plan.paths, plan.settings, load_catalog(user=plan.user_catalog))
    else:
        watcher = TermsWatcher.from_settings(TermsStore.open(plan.paths), list(plan.documents), plan.settings.terms,
                                             policy=plan.policy)
    return watcher.check(plan.provider_id)


def export_records(paths: AppPaths, user_catalog: Path | None, request: ExportRequest, jurisdiction: str | None,
                   language: str, report: Report) -> ExportOutcome:
    """Export the records ``request`` selects; ``report`` returning False cancels (nothing is left).
    The catalog (names, privacy contacts) is read here, not sent: pickling it would hold the app's
    interpreter lock for longer than a frame."""
    from guard.catalog.loader import load_catalog
    from guard.export import ExportCancelled, ExportFilter, export_history
    from guard.ledger import open_ledger
    from guard.services.values import ExportOutcome
    from guard.terms.store import TermsStore

    catalog = load_catalog(user=user_catalog)

    export_filter = ExportFilter(occurred_from=request.occurred_from, occurred_to=request.occurred_to,
                                 provider_id=request.provider_id, decision=request.decision, text=request.text)
    try:
        with open_ledger(paths) as ledger:
            result = export_history(ledger, catalog, request.format, request.dest, export_filter, progress=report,
                                    jurisdiction=jurisdiction, terms_store=TermsStore.open(paths), language=language)
    except ExportCancelled as error:
        raise ExportCancelledByUser(str(error)) from None
    return ExportOutcome(dest=result.path, records=result.records, files=result.files, warnings=result.warnings)


def read_key_status(paths: AppPaths, _report: Report) -> KeyStatus:
    """Where the ledger's signing key lives and whether it can be used (opens the ledger, asks
    the keyring): in the tray app's helper, so the keyring library and cryptography stay out of it."""
    from guard.ledger import open_ledger

    with open_ledger(paths) as ledger:
        return ledger.key_status()
