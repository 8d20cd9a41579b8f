"""Export the personal consent history, and turn it into letters.

Formats (one module each): ``json`` (ISO/IEC TS 27560 consent records in W3C DPV 2.3 with
each record's signature, the ledger's public keys and signed head, checkable with the file
alone by :mod:`guard.export.verify_export`; schema in
``resources/export/consent-history.schema.json``), ``csv`` (RFC 4180, formulas neutralised;
``excel=True`` for Excel), ``html`` (one self-contained printable page), ``pdf`` (tagged,
PDF/A-2b) and ``receipts`` (Kantara Consent Receipt v1.1 for each consent given, signed as a
JWS; other decisions in ``not-consent.json``). Letters: withdrawal (GDPR Art. 7(3)),
objection to AI training (Art. 21), access request (Art. 15) in six languages, as text, PDF
and a ``mailto:`` link, to the provider or (where it is only a processor) to the organisation
that hosted or recorded the meeting. Exports never contain the ledger's secret key, local paths or the
keyring entry's name.

What the rest of the app calls (safe on a worker thread)::

    result = export_history(ledger, catalog, "pdf", path, ExportFilter(provider_id="zoom"),
                            progress=lambda done, total: ...)   # -> ExportResult
    letter = make_letter("withdrawal", ledger, catalog, record_id=rid, name="Ada Lovelace",
                         terms_store=TermsStore.open(paths))    # -> Letter
    letter.text, letter.subject, letter.mailto, letter.to_pdf(path)
    make_letter("access", ledger, catalog, record_id=rid, to_host="Acme Ltd",
                host_address="1 High St, London")  # to the controller
"""

from guard.export.errors import ExportCancelled, ExportError
from guard.export.history import ExportResult, export_history, parse_format
from guard.export_format import ExportFormat
from guard.export.letter_source import make_letter
from guard.export.letters import CitedRecord, Letter, LetterKind, Recipient, TermsInForce, compose_letter
from guard.export.letters_host import compose_host_letter
from guard.export.selection import ExportFilter

__all__ = [
    "CitedRecord", "ExportCancelled", "ExportError", "ExportFilter", "ExportFormat", "ExportResult", "Letter",
    "LetterKind", "Recipient", "TermsInForce", "compose_host_letter", "compose_letter", "export_history",
    "make_letter", "parse_format",
]
