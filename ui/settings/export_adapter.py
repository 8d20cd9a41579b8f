"""The one place the settings window meets ``guard.export`` (exports and letters).

ALIGN AFTER MERGE: guard.export is being built on another branch. Its announced API is
``export_history(ledger, catalog, fmt, dest, filter, progress=None) -> ExportResult`` and
``make_letter(kind, ...) -> Letter``. This module maps the window's requests onto it and
its results back onto the small values below; when guard.export (or one of the two
functions) is absent, :func:`export_available` / :func:`letter_available` say so and the
window shows :data:`NOT_AVAILABLE`. Nothing else in ui/ imports guard.export.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from guard.ledger import Record
from guard.services import Services

log = logging.getLogger(__name__)

NOT_AVAILABLE = "Export is not available in this build."
LETTER_NOT_AVAILABLE = "Letters are not available in this build."


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


ProgressFn = Callable[[int, int], bool]  # (done, total) -> keep going?


def _module() -> ModuleType | None:
    try:
        return importlib.import_module("guard.export")
    except ImportError:
        return None


def export_available() -> bool:
    module = _module()
    return module is not None and callable(getattr(module, "export_history", None))


def letter_available() -> bool:
    module = _module()
    return module is not None and callable(getattr(module, "make_letter", None))


def run_export(services: Services, request: ExportRequest, progress: ProgressFn) -> ExportOutcome:
    """Export on the calling (worker) thread. ``progress`` returning False cancels."""
    module = _module()
    if module is None or not callable(getattr(module, "export_history", None)):
        raise RuntimeError(NOT_AVAILABLE)
    filter_type: Any = getattr(module, "ExportFilter", None)
    export_filter = (filter_type(occurred_from=request.occurred_from, occurred_to=request.occurred_to,
                                 provider_id=request.provider_id) if filter_type is not None else None)
    cancelled: type[BaseException] = getattr(module, "ExportCancelled", ExportCancelledByUser)
    try:
        with services.reader() as ledger:  # its own connection: the window's reads never wait for the export
            result = module.export_history(ledger, services.catalog, request.fmt, request.dest, export_filter,
                                           progress=progress)
    except cancelled as error:
        raise ExportCancelledByUser(str(error)) from error
    return ExportOutcome(
        dest=Path(getattr(result, "dest", None) or getattr(result, "path", None) or request.dest),
        records=int(getattr(result, "records", 0) or 0),
        files=int(getattr(result, "files", 1) or 1),
        warnings=tuple(getattr(result, "warnings", ()) or ()),
    )


def withdrawal_letter(services: Services, withdrawal: Record, original: Record) -> LetterText:
    """A withdrawal letter for ``original`` (just withdrawn by ``withdrawal``)."""
    module = _module()
    if module is None or not callable(getattr(module, "make_letter", None)):
        raise RuntimeError(LETTER_NOT_AVAILABLE)
    provider = services.catalog.get(original.provider_id)
    letter = module.make_letter("withdrawal", record=original, withdrawal=withdrawal, provider=provider,
                                ledger=services.ledger(), catalog=services.catalog)
    text = getattr(letter, "text", None) or getattr(letter, "body", None) or str(letter)
    title = getattr(letter, "subject", None) or f"Withdrawal of consent ({original.provider_id})"
    return LetterText(title=str(title), text=str(text),
                      suggested_name=f"withdrawal-{original.provider_id}-{original.seq}.txt")
