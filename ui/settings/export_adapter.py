"""The one place the settings window meets ``guard.export`` (exports and letters): it maps
the window's requests onto ``export_history`` / ``make_letter`` and their results onto the
small values below. Runs on a worker thread; nothing here touches widgets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from guard.export import ExportCancelled, ExportError, ExportFilter, export_history, make_letter
from guard.export.output import write_text_file
from guard.i18n import choose_language
from guard.ledger import Record
from guard.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFormat:
    id: str  # as guard.export names it
    label: str
    suffix: str  # file name suffix offered in the save dialog


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("json", "JSON (consent records, ISO/IEC TS 27560 / DPV)", ".json"),
    ExportFormat("csv", "CSV (spreadsheet)", ".csv"),
    ExportFormat("html", "HTML (printable page)", ".html"),
    ExportFormat("pdf", "PDF (print and mail)", ".pdf"),
    ExportFormat("receipts", "Consent receipts (Kantara v1.1, zip)", ".zip"),
)


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    dest: Path
    provider_id: str | None = None
    occurred_from: datetime | None = None  # inclusive
    occurred_to: datetime | None = None  # exclusive


@dataclass(frozen=True)
class ExportOutcome:
    dest: Path
    records: int
    files: int
    warnings: tuple[str, ...] = ()


class ExportCancelledByUser(Exception):
    """The user pressed Cancel; the exporter wrote nothing."""


@dataclass(frozen=True)
class LetterText:
    title: str
    text: str
    suggested_name: str
    mailto: str = ""


ProgressFn = Callable[[int, int], bool]  # (done, total) -> keep going?


def run_export(services: Services, request: ExportRequest, progress: ProgressFn) -> ExportOutcome:
    """Export on the calling (worker) thread. ``progress`` returning False cancels."""
    export_filter = ExportFilter(occurred_from=request.occurred_from, occurred_to=request.occurred_to,
                                 provider_id=request.provider_id)
    try:
        with services.reader() as ledger:  # its own connection: the window's reads never wait for the export
            result = export_history(ledger, services.catalog, request.fmt, request.dest, export_filter,
                                    progress=progress, jurisdiction=services.settings.general.jurisdiction or None)
    except ExportCancelled as error:
        raise ExportCancelledByUser(str(error)) from error
    return ExportOutcome(dest=result.path, records=result.records, files=result.files, warnings=result.warnings)


def save_letter(path: Path, text: str) -> str | None:
    """Save a letter the user chose to keep: atomically, readable by the user only (0600).
    Returns what went wrong (naming the file and what to do), or None when it was saved."""
    try:
        write_text_file(path, text)
    except ExportError as error:
        return str(error)
    return None


def withdrawal_letter(services: Services, withdrawal: Record, original: Record) -> LetterText:
    """The withdrawal letter (GDPR Art. 7(3)) for ``original``, just withdrawn by ``withdrawal``."""
    language = choose_language(None, services.settings.general.language)
    letter = make_letter("withdrawal", services.ledger(), services.catalog, record_id=original.id,
                         terms_store=services.terms, language=language)
    return LetterText(title=letter.subject, text=letter.text, mailto=letter.mailto,
                      suggested_name=f"withdrawal-{original.provider_id}-{original.seq}.txt")
