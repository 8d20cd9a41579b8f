"""The consent history's export formats: one list, with what the UI shows for each.

A module of its own, outside ``guard.export``: naming a format (the settings window's format
list, the command line's choices) must not load the exporters (issue 18: the tray's memory).
"""

from __future__ import annotations

from enum import StrEnum


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
