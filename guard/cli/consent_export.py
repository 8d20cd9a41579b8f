"""``meeting-guard consent export``: the consent history as JSON (DPV), CSV, HTML, PDF or
Kantara consent receipts. Registered by guard.cli.consent (its ACTIONS list)."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from guard.cli.context import CliContext
from guard.cli.output import plural
from guard.cli.status import ExitStatus
from guard.ledger.models import Decision

log = logging.getLogger(__name__)

FORMATS = ("json", "csv", "html", "pdf", "receipts")


def register_export(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = actions.add_parser(
        "export", help="export your records (json, csv, html, pdf, receipts), filtered as 'list' filters them",
        description="Export the consent history. json: ISO/IEC TS 27560 consent records in the W3C Data Privacy "
                    "Vocabulary, with the ledger's check and chain head; csv: one row per record; html: one printable "
                    "page; pdf: the same for print; receipts: one Kantara Consent Receipt v1.1 per decision, into a "
                    "new folder, or a .zip when -o ends in .zip. The ledger's secret key is never exported. Exit 1 "
                    "when the ledger check (json, html, pdf) did not pass; the file is written all the same.",
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="what to write")
    parser.add_argument("-o", "--output", required=True, metavar="PATH",
                        help="the file to write (receipts: a new folder, or a .zip file)")
    parser.add_argument("--from", dest="date_from", metavar="DATE",
                        help="decisions on or after (a date, e.g. 2026-05-01, or a date and time)")
    parser.add_argument("--to", dest="date_to", metavar="DATE",
                        help="decisions before (a date includes that whole day)")
    parser.add_argument("--provider", metavar="ID", help="only this provider's records")
    parser.add_argument("--decision", choices=[str(d) for d in Decision], help="only records of this decision")
    parser.add_argument("--search", metavar="TEXT", help="only records with TEXT in the meeting title or the note")
    parser.add_argument("--excel", action="store_true",
                        help="csv only: UTF-8 with BOM, every cell quoted, formulas defused, for Excel")
    parser.add_argument("--name", metavar="NAME", help="your name, to head the export (optional)")
    parser.add_argument("--jurisdiction", metavar="CODE",
                        help="where the GDPR's or another law's rights apply, e.g. EU or DE: json states it in DPV, "
                             "receipts need it (default: general.jurisdiction in the settings, else the region of "
                             "your system's locale)")
    parser.add_argument("--lang", metavar="LANG",
                        help="html and pdf: the language of their headings, labels and dates: en, de, fr, es, it or nl "
                             "(default: general.language in the settings, else your system's language, else English); "
                             "json, csv and receipts are for programs and stay as they are")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run_export)


def _progress(ctx: CliContext) -> Callable[[int, int], None] | None:
    if not ctx.env.stderr_isatty:
        return None

    def show(done: int, total: int) -> None:
        ctx.err.write(f"\rExporting {done} of {total} records")
        ctx.err.flush()
    return show


def run_export(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.cli.consent import catalog_warnings, open_for
    from guard.cli.dates import parse_moment
    from guard.export import ExportFilter, export_history
    from guard.i18n import choose_language
    from guard.terms.store import TermsStore

    export_filter = ExportFilter(
        occurred_from=parse_moment(args.date_from, "--from") if args.date_from else None,
        occurred_to=parse_moment(args.date_to, "--to", end_of_day=True) if args.date_to else None,
        provider_id=args.provider, decision=args.decision, text=args.search or None,
    )
    catalog = ctx.catalog_or_none()
    if args.provider:
        for warning in catalog_warnings(catalog, args.provider, None):
            ctx.error(f"warning: {warning}")
    progress = _progress(ctx)
    with open_for(ctx) as ledger:
        result = export_history(ledger, catalog, args.format, args.output, export_filter, progress,
                                excel=args.excel, subject_name=args.name,
                                jurisdiction=args.jurisdiction or ctx.settings.general.jurisdiction or None,
                                terms_store=TermsStore.open(ctx.paths),
                                language=choose_language(args.lang, ctx.settings.general.language))
    if progress is not None:
        ctx.err.write("\n")
    for warning in result.warnings:
        ctx.error(f"warning: {warning}")
    if args.json:
        ctx.print_json(result.to_dict())
    else:
        if args.format == "receipts":
            what = f"as {plural(result.files, 'receipt file')} in {result.path}"
        else:
            what = f"as {args.format} to {result.path}" + (f" ({plural(result.bytes, 'byte')})" if result.bytes else "")
        ctx.print(f"Exported {plural(result.records, 'record')} ({export_filter.describe()}) {what}")
        if result.verify is not None:
            ctx.print(f"Ledger check: {result.verify.summary()}")
    return ExitStatus.CHECK_FAILED if result.verify is not None and not result.verify.ok else ExitStatus.OK
