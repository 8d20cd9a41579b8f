"""One export in progress: the formats' shared inputs (records, catalog facts, the ledger's
verification, who and when) and what they report back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from guard import APP_NAME, __version__
from guard.export.facts import CatalogFacts
from guard.export.progress import Progress
from guard.export.selection import Entry, ExportFilter, StatusIndex, iter_entries
from guard.ledger import Ledger, Order, VerifyReport
from guard.ledger.background import BackgroundVerify
from guard.ledger.timeutil import format_utc


class ExportFormat(StrEnum):
    JSON = "json"  # DPV / ISO/IEC TS 27560 consent records, with the ledger's verification
    CSV = "csv"  # one row per record (RFC 4180)
    HTML = "html"  # one printable page: summary and timeline
    PDF = "pdf"  # the same for print and mail
    RECEIPTS = "receipts"  # one Kantara Consent Receipt v1.1 per decision (folder or .zip)

    @property
    def verifies(self) -> bool:
        """Whether the file carries the ledger's verification result."""
        return self in (ExportFormat.JSON, ExportFormat.HTML, ExportFormat.PDF)

    @property
    def label(self) -> str:
        """How the settings window offers it."""
        return _LABELS[self]

    @property
    def suffix(self) -> str:
        """The file name suffix a save dialog proposes."""
        return ".zip" if self is ExportFormat.RECEIPTS else f".{self.value}"


_LABELS = {
    ExportFormat.JSON: "JSON (consent records, ISO/IEC TS 27560 / DPV)",
    ExportFormat.CSV: "CSV (spreadsheet)",
    ExportFormat.HTML: "HTML (printable page)",
    ExportFormat.PDF: "PDF (print and mail)",
    ExportFormat.RECEIPTS: "Consent receipts (Kantara v1.1, zip)",
}


@dataclass
class ExportJob:
    ledger: Ledger
    facts: CatalogFacts
    filter: ExportFilter
    statuses: StatusIndex
    progress: Progress
    generated_at: datetime
    verification: BackgroundVerify | None = None  # the ledger check, running alongside the export
    subject_name: str | None = None
    jurisdiction: str | None = None
    excel: bool = False
    warnings: list[str] = field(default_factory=list)
    memo: dict[tuple, Any] = field(default_factory=dict)  # lookups a format repeats per record

    @property
    def verify(self) -> VerifyReport | None:
        """The ledger's check (waits for it; formats ask as late as they can)."""
        return self.verification.result() if self.verification is not None else None

    @property
    def app(self) -> str:
        return f"{APP_NAME} {__version__}"

    @property
    def generated_text(self) -> str:
        return format_utc(self.generated_at)

    def entries(self, order: Order = Order.OLDEST, *, report: bool = True) -> Iterator[Entry]:
        """The selected records; ``report`` counts them towards the progress callback."""
        return iter_entries(self.ledger, self.filter, self.statuses, order, self.progress if report else None)


@dataclass(frozen=True)
class Written:
    """What a format wrote: records exported and files made (receipts make one per record)."""

    records: int
    files: int = 1
