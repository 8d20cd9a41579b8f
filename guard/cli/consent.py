"""``meeting-guard consent``: record, list, verify, withdraw, export and erase consent decisions.

Each action is one ``_register_<action>`` function listed in :data:`ACTIONS`; a new action
(e.g. ``export``) adds its own register function there and reuses :func:`open_for`.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from guard.catalog.loader import Catalog
from guard.cli.consent_export import register_export
from guard.cli.context import CliContext
from guard.cli.status import ExitStatus
from guard.errors import GuardError
from guard.ledger import (
    Decision,
    Ledger,
    LedgerCorruptError,
    LedgerInputError,
    Meeting,
    Record,
    RecordDraft,
    RecordFilter,
    RequestedBy,
    erase_ledger,
    ledger_path,
    open_ledger,
)
from guard.ledger.query import Order
from guard.terms.store import TermsStore
from guard.terms_in_force import with_terms_in_force

log = logging.getLogger(__name__)

ERASE_CONFIRMATION = "ERASE"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Your personal, tamper-evident record of the consents you gave, refused or withdrew."
    actions = parser.add_subparsers(dest="consent_action", metavar="ACTION", required=True)
    for register_action in ACTIONS:
        register_action(actions)


def open_for(ctx: CliContext) -> Ledger:
    """The user's ledger (in the data folder of the settings in force)."""
    return open_ledger(ctx.paths)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


# --- add -------------------------------------------------------------------------------------

def _register_add(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("add", help="record a decision (given, refused, withdrawn, left-meeting, notice-only)")
    parser.add_argument("--provider", required=True, metavar="ID", help="provider id, e.g. zoom")
    parser.add_argument("--feature", metavar="ID", help="the AI feature's id, e.g. ai-companion")
    parser.add_argument("--decision", required=True, choices=[str(d) for d in Decision])
    parser.add_argument("--purpose", action="append", default=[], metavar="P",
                        help="what the consent was for (repeatable), e.g. 'meeting summary'")
    parser.add_argument("--requested-by", choices=[str(r) for r in RequestedBy])
    parser.add_argument("--meeting-title", metavar="T")
    parser.add_argument("--meeting-id", metavar="X", help="the meeting's id or link")
    parser.add_argument("--organiser", metavar="O")
    parser.add_argument("--occurred-at", metavar="ISO",
                        help="when it happened (ISO 8601; without a zone it is local time); default now")
    parser.add_argument("--note", metavar="N")
    parser.add_argument("--refers-to", metavar="ID", help="the earlier record this one corrects")
    _json_flag(parser)
    parser.set_defaults(func=run_add)


def run_add(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    draft = RecordDraft(
        provider_id=args.provider, decision=args.decision, feature_id=args.feature,
        occurred_at=parse_moment(args.occurred_at, "--occurred-at") if args.occurred_at else None,
        meeting=Meeting(args.meeting_title, args.meeting_id, args.organiser), purposes=tuple(args.purpose),
        requested_by=args.requested_by, note=args.note, refers_to=args.refers_to,
    )
    catalog = ctx.catalog_or_none()
    warnings = catalog_warnings(catalog, args.provider, args.feature)
    if catalog is not None:
        try:
            draft = with_terms_in_force(draft, catalog, TermsStore.open(ctx.paths))
        except GuardError as error:  # a damaged terms store must not stop a decision being recorded
            warnings.append(f"terms versions in force not recorded: {error}")
    for warning in warnings:
        ctx.error(f"warning: {warning}")
    with open_for(ctx) as ledger:
        record = ledger.correct(args.refers_to, draft) if args.refers_to else ledger.append(draft)
    if args.json:
        ctx.print_json({"record": record.to_dict(), "warnings": warnings})
    else:
        ctx.print(f"Recorded #{record.seq} {record.id}: {record.decision} for {_subject(record)}"
                  f" at {_when(record.occurred_at)}")
    return ExitStatus.OK


def catalog_warnings(catalog: Catalog | None, provider_id: str, feature_id: str | None) -> list[str]:
    """Warnings (never errors) when the catalog loads and does not know the ids."""
    if catalog is None:
        return []
    if len(catalog) == 0:
        return []
    provider = catalog.get(provider_id)
    if provider is None:
        return [f"provider '{provider_id}' is not in the catalog; recorded anyway"]
    if feature_id and provider.feature(feature_id) is None:
        return [f"provider '{provider_id}' has no AI feature '{feature_id}' in the catalog; recorded anyway"]
    return []


# --- list ------------------------------------------------------------------------------------

def _register_list(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("list", help="list records, newest first, with filters")
    parser.add_argument("--provider", metavar="ID")
    parser.add_argument("--decision", choices=[str(d) for d in Decision])
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="occurred on or after (ISO date or time)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="occurred before (a date includes that whole day)")
    parser.add_argument("--search", metavar="TEXT", help="text in the meeting title or the note")
    parser.add_argument("--limit", type=int, default=100, metavar="N", help="at most N records (default 100)")
    parser.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N records")
    parser.add_argument("--order", choices=[str(o) for o in Order], default=str(Order.OCCURRED_NEWEST))
    _json_flag(parser)
    parser.set_defaults(func=run_list)


def run_list(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    record_filter = RecordFilter(
        provider_id=args.provider, decision=args.decision, text=args.search,
        occurred_from=parse_moment(args.date_from, "--from") if args.date_from else None,
        occurred_to=parse_moment(args.date_to, "--to", end_of_day=True) if args.date_to else None,
    )
    with open_for(ctx) as ledger:
        total = ledger.count(record_filter)
        records = ledger.page(record_filter, offset=args.offset, limit=args.limit, order=args.order)
        statuses = {r.id: ledger.effective_status(r) for r in records}
    if args.json:
        ctx.print_json({"total": total, "offset": args.offset, "records": [
            {**r.to_dict(), "status": statuses[r.id].to_dict()} for r in records]})
        return ExitStatus.OK
    for record in records:
        title = f"  \"{record.meeting.title}\"" if record.meeting.title else ""
        ctx.print(f"#{record.seq:<6} {_when(record.occurred_at)}  {statuses[record.id].label:<28} "
                  f"{_subject(record)}{title}  {record.id}")
    ctx.print(f"{len(records)} of {total} record(s)")
    return ExitStatus.OK


# --- verify ----------------------------------------------------------------------------------

def _register_verify(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("verify", help="check the hash chain and signatures; exit 1 naming the first problem")
    _json_flag(parser)
    parser.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    try:
        with open_for(ctx) as ledger:
            report = ledger.verify()
    except LedgerCorruptError as error:
        if args.json:
            ctx.print_json({"ok": False, "chain_intact": False, "path": str(ledger_path(ctx.paths)),
                            "problem": {"kind": "corrupt", "seq": None, "message": str(error)}})
        else:
            ctx.print(f"NOT intact: {error}")
        return ExitStatus.CHECK_FAILED
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        ctx.print(f"Ledger: {report.path}")
        ctx.print(f"Key: {report.key.message()}")
        ctx.print(report.summary())
    return ExitStatus.OK if report.ok else ExitStatus.CHECK_FAILED


# --- withdraw --------------------------------------------------------------------------------

def _register_withdraw(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("withdraw", help="withdraw a consent you gave (adds a record pointing at it)")
    parser.add_argument("record_id", metavar="ID", help="the id of the record that gave the consent")
    parser.add_argument("--note", metavar="N")
    parser.add_argument("--occurred-at", metavar="ISO", help="when you withdrew it; default now")
    _json_flag(parser)
    parser.set_defaults(func=run_withdraw)


def run_withdraw(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    occurred = parse_moment(args.occurred_at, "--occurred-at") if args.occurred_at else None
    with open_for(ctx) as ledger:
        record = ledger.withdraw(args.record_id, note=args.note, occurred_at=occurred)
    if args.json:
        ctx.print_json({"record": record.to_dict()})
    else:
        ctx.print(f"Recorded #{record.seq} {record.id}: withdrawn consent {record.refers_to} for {_subject(record)}")
    return ExitStatus.OK


# --- rekey -----------------------------------------------------------------------------------

def _register_rekey(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser("rekey", help="sign new records with a new key (after the key was lost or replaced)")
    _json_flag(parser)
    parser.set_defaults(func=run_rekey)


def run_rekey(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    with open_for(ctx) as ledger:
        status = ledger.rekey()
    if args.json:
        ctx.print_json({"key": status.to_dict()})
    else:
        ctx.print(f"New records are now signed with a new key ({status.message()}).")
    return ExitStatus.OK


# --- erase -----------------------------------------------------------------------------------

def _register_erase(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "erase", help="delete the whole ledger and its key (asks for confirmation)",
        description="Delete every consent record, the ledger file and its signing key. This cannot be undone. "
                    f"Confirm with --yes-erase-all, or by typing {ERASE_CONFIRMATION} when asked.",
    )
    parser.add_argument("--yes-erase-all", action="store_true", help="confirm: erase everything, no question asked")
    _json_flag(parser)
    parser.set_defaults(func=run_erase)


def run_erase(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    path = ledger_path(ctx.paths)
    if not args.yes_erase_all:
        if not ctx.env.stdin_isatty:
            ctx.error("refusing to erase the consent ledger without confirmation: add --yes-erase-all")
            return ExitStatus.USAGE
        ctx.err.write(f"This deletes every consent record in {path} and its signing key; it cannot be undone.\n"
                      f"Type {ERASE_CONFIRMATION} to confirm: ")
        ctx.err.flush()
        if ctx.env.stdin.readline().strip() != ERASE_CONFIRMATION:
            ctx.error("not confirmed; nothing was erased")
            return ExitStatus.USAGE
    report = erase_ledger(path)
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        records = "an unreadable number of" if report.records is None else str(report.records)
        ctx.print(f"Erased the consent ledger {path}: {records} record(s), {len(report.removed_files)} file(s), "
                  f"{len(report.removed_secrets)} keyring secret(s).")
        for problem in report.problems:
            ctx.print(f"Problem: {problem}")
    return ExitStatus.CHECK_FAILED if report.problems else ExitStatus.OK


ACTIONS: list[Callable[[argparse._SubParsersAction], None]] = [
    _register_add, _register_list, _register_verify, _register_withdraw, register_export, _register_rekey,
    _register_erase,
]


# --- shared ----------------------------------------------------------------------------------

def parse_moment(text: str, option: str, *, end_of_day: bool = False) -> datetime:
    """An ISO 8601 date or date-time from the command line; no zone means local time.

    With ``end_of_day`` a bare date means the end of that day (for an inclusive ``--to``).
    """
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time())
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise LedgerInputError(f"{option}: '{text}' is not an ISO 8601 date or time (e.g. 2026-05-01 or "
                               "2026-05-01T14:30). ") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def _subject(record: Record) -> str:
    return f"{record.provider_id}/{record.feature_id}" if record.feature_id else record.provider_id


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")

