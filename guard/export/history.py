"""``export_history``: the one call the command line and the settings window make to export
the consent history in any format. Safe to run on a worker thread with a progress callback.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from guard.catalog.loader import Catalog
from guard.export.csv_export import write_csv
from guard.export.errors import ExportError
from guard.export.facts import CatalogFacts
from guard.export.html_export import write_html
from guard.export.job import ExportJob, Written
from guard.export.json_dpv import write_json
from guard.export.output import atomic_file, check_file_destination, check_set_destination, file_set
from guard.export.progress import Progress, ProgressCallback
from guard.export.receipts import write_receipts
from guard.export.selection import ExportFilter, StatusIndex, bulk_allocation
from guard.export_format import ExportFormat
from guard.i18n import check_language
from guard.ledger import Ledger, VerifyReport
from guard.ledger.background import BackgroundVerify
from guard.ledger.timeutil import format_utc

log = logging.getLogger(__name__)

_WRITERS = {ExportFormat.JSON: write_json, ExportFormat.CSV: write_csv, ExportFormat.HTML: write_html}


@dataclass(frozen=True)
class ExportResult:
    format: ExportFormat
    path: Path
    records: int
    files: int  # 1, or one per receipt
    bytes: int  # size of the file (or the .zip); 0 for a folder of receipts
    filter: ExportFilter
    generated_at: datetime
    verify: VerifyReport | None  # the ledger's check at export time (JSON, HTML, PDF)
    warnings: tuple[str, ...] = field(default=())
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"format": str(self.format), "path": str(self.path), "records": self.records, "files": self.files,
                "bytes": self.bytes, "filter": self.filter.to_dict(), "generated_at": format_utc(self.generated_at),
                "verify": self.verify.to_dict() if self.verify else None, "warnings": list(self.warnings),
                "seconds": round(self.seconds, 3)}


def parse_format(fmt: ExportFormat | str) -> ExportFormat:
    try:
        return ExportFormat(fmt)
    except ValueError:
        allowed = ", ".join(str(f) for f in ExportFormat)
        raise ExportError(f"Unknown export format {fmt!r}; use one of: {allowed}.") from None


def export_history(ledger: Ledger, catalog: Catalog | None, fmt: ExportFormat | str, dest: Path | str,
                   filter: ExportFilter | None = None, progress: ProgressCallback | None = None, *,
                   excel: bool = False, subject_name: str | None = None, jurisdiction: str | None = None,
                   now: datetime | None = None, terms_store: Any = None, language: str = "en") -> ExportResult:
    """Export the records ``filter`` selects from ``ledger`` to ``dest`` in ``fmt``.

    ``dest`` is a file, except for receipts: a new (or empty) folder, or a ``.zip``.
    ``progress(done, total)`` is called every 1,000 records and at the end; returning
    ``False`` cancels (ExportCancelled, nothing left at ``dest``). ``catalog`` names the
    providers and their privacy contacts (None: all unknown). ``excel`` (CSV only) writes a
    file Excel opens correctly. ``subject_name`` names the user; ``jurisdiction`` goes into
    receipts. ``terms_store`` (a TermsStore) dates the terms versions in force. ``language``
    (guard.i18n.LANGUAGES) is what the HTML and PDF are written in; JSON, CSV and receipts are
    for programs and stay as they are. Raises ExportError (a GuardError) for bad options or an
    unwritable ``dest``, LanguageError for a language with no translation.
    """
    started = time.perf_counter()
    fmt = parse_format(fmt)
    if excel and fmt != ExportFormat.CSV:
        raise ExportError("The Excel option applies to the CSV format only (--format csv --excel).")
    dest = Path(dest)
    dest = check_set_destination(dest) if fmt == ExportFormat.RECEIPTS else check_file_destination(dest)
    export_filter = filter or ExportFilter()
    if (export_filter.occurred_from and export_filter.occurred_to
            and export_filter.occurred_from >= export_filter.occurred_to):
        raise ExportError(f"The period is empty: from {format_utc(export_filter.occurred_from)} is not before "
                          f"{format_utc(export_filter.occurred_to)} (--from must come before --to).")
    job = ExportJob(
        ledger=ledger, facts=CatalogFacts(catalog), filter=export_filter, statuses=StatusIndex.load(ledger),
        progress=Progress(progress, ledger.count(export_filter.record_filter())),
        generated_at=now or datetime.now(UTC), subject_name=subject_name, jurisdiction=jurisdiction,
        excel=excel, terms_store=terms_store, language=check_language(language),
    )
    if fmt.verifies:
        job.verification = BackgroundVerify(ledger)  # checks on another core while records are written
    job.progress.start()
    with bulk_allocation():
        written = _write(fmt, job, dest)
    if job.verify is not None and not job.verify.ok:
        job.warnings.append(f"The ledger check did not pass: {job.verify.summary()}")
    size = dest.stat().st_size if dest.is_file() else 0
    result = ExportResult(fmt, dest, written.records, written.files, size, export_filter, job.generated_at,
                          job.verify, tuple(job.warnings), time.perf_counter() - started)
    log.info("Exported %s records as %s to %s in %.2f s", result.records, fmt, dest, result.seconds)
    return result


def _write(fmt: ExportFormat, job: ExportJob, dest: Path) -> Written:
    """Write through the format's writer; the last progress call (which may cancel) comes
    before the file is put in place."""
    if fmt == ExportFormat.RECEIPTS:
        with file_set(dest) as files:
            written = write_receipts(job, files)
            job.progress.finish()
            return written
    if fmt == ExportFormat.PDF:
        from guard.export.pdf_export import write_pdf  # reportlab is loaded only for PDFs

        writer = write_pdf
    else:
        writer = _WRITERS[fmt]
    with atomic_file(dest) as out:
        written = writer(job, out)
        job.progress.finish()
        return written
