"""``meeting-guard consent``: record, list, verify, withdraw, export and erase consent decisions.

Each action is one ``_register_<action>`` function listed in :data:`ACTIONS`; a new action
(e.g. ``export``) adds its own register function there and reuses :func:`open_for`.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from guard.cli.consent_export import register_export
from guard.cli.context import CliContext
from guard.cli.dates import not_in_future, parse_moment
from guard.cli.known_ids import check_ids
from guard.cli.output import one_line, plural, terminal_safe
from guard.cli.records import FORMS as RECORD_FORMS
from guard.cli.records import resolve_record
from guard.cli.status import ExitStatus
from guard.ledger import ledger_path
from guard.ledger.models import Decision, RequestedBy
from guard.ledger.query import Order
from guard.text_controls import quoted

if TYPE_CHECKING:  # the store, its keyring and the catalog load when an action runs, not for --help
    from guard.catalog.loader import Catalog
    from guard.ledger import Ledger, Record

log = logging.getLogger(__name__)

ERASE_CONFIRMATION = "ERASE"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Your personal, tamper-evident record of the consents you gave, refused or withdrew."
    actions = parser.add_subparsers(dest="consent_action", metavar="ACTION", required=True)
    for register_action in ACTIONS:
        register_action(actions)


def open_for(ctx: CliContext) -> Ledger:
    """The user's ledger (in the data folder of the settings in force)."""
    from guard.ledger import open_ledger

    return open_ledger(ctx.paths)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


# --- add -------------------------------------------------------------------------------------

def _register_add(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = actions.add_parser("add", help="record a decision (given, refused, withdrawn, left-meeting, notice-only)")
    parser.add_argument("--provider", required=True, metavar="ID",
                        help="provider id, e.g. zoom ('meeting-guard providers' lists them)")
    parser.add_argument("--feature", metavar="ID",
                        help="the AI feature's id, e.g. meeting-summary ('meeting-guard providers zoom' lists Zoom's)")
    parser.add_argument("--allow-unknown", action="store_true",
                        help="record a provider or feature id the catalog does not know (otherwise refused)")
    parser.add_argument("--decision", required=True, choices=[str(d) for d in Decision])
    parser.add_argument("--purpose", action="append", default=[], metavar="P",
                        help="what the consent was for (repeatable), e.g. 'meeting summary'")
    parser.add_argument("--requested-by", choices=[str(r) for r in RequestedBy])
    parser.add_argument("--meeting-title", metavar="T")
    parser.add_argument("--meeting-id", metavar="X", help="the meeting's id or link")
    parser.add_argument("--organiser", metavar="O")
    parser.add_argument("--occurred-at", metavar="ISO",
                        help="when it happened (ISO 8601; without a zone it is local time; not in the future); "
                             "default now")
    parser.add_argument("--note", metavar="N")
    parser.add_argument("--refers-to", metavar="REF", help=f"the earlier record this one corrects: {RECORD_FORMS}")
    parser.add_argument("--language", metavar="TAG",
                        help="the language (BCP 47, e.g. de or pt-BR) the consent was asked in; without it the "
                             "record says it was not recorded")
    _json_flag(parser)
    parser.set_defaults(func=run_add)


def run_add(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.errors import GuardError
    from guard.ledger import Meeting, RecordDraft
    from guard.terms.store import TermsStore
    from guard.terms_in_force import with_terms_in_force

    occurred = _occurred(args, ctx)
    catalog = ctx.catalog_or_none()
    warnings = check_ids(catalog, args.provider, args.feature, allow_unknown=args.allow_unknown)
    with open_for(ctx) as ledger:
        refers_to = resolve_record(ledger, args.refers_to, "--refers-to") if args.refers_to else None
        draft = RecordDraft(
            provider_id=args.provider, decision=args.decision, feature_id=args.feature, occurred_at=occurred,
            meeting=Meeting(args.meeting_title, args.meeting_id, args.organiser), purposes=tuple(args.purpose),
            requested_by=args.requested_by, note=args.note, refers_to=refers_to, language=args.language,
        )
        if catalog is not None:
            try:
                draft = with_terms_in_force(draft, catalog, TermsStore.open(ctx.paths))
            except GuardError as error:  # a damaged terms store must not stop a decision being recorded
                warnings.append(f"terms versions in force not recorded: {error}")
        for warning in warnings:
            ctx.warn(warning)
        record = ledger.correct(refers_to, draft) if refers_to else ledger.append(draft)
    if args.json:
        ctx.print_json({"record": record.to_dict(), "warnings": warnings})
    else:
        ctx.print(f"Recorded #{record.seq} {record.id}: {record.decision} for {_subject(record)}"
                  f" at {_when(record.occurred_at)}")
    return ExitStatus.OK


def _occurred(args: argparse.Namespace, ctx: CliContext) -> datetime | None:
    if not args.occurred_at:
        return None
    return not_in_future(parse_moment(args.occurred_at, "--occurred-at"), "--occurred-at", ctx.now())


def catalog_warnings(catalog: Catalog | None, provider_id: str, feature_id: str | None) -> list[str]:
    """Warnings (never errors) when the catalog loads and does not know the ids."""
    if catalog is None:
        return []
    if len(catalog) == 0:
        return []
    provider = catalog.get(provider_id)
    if provider is None:
        return [f"provider '{quoted(provider_id, 100)}' is not in the catalog; recorded anyway"]
    if feature_id and provider.feature(feature_id) is None:
        return [f"provider '{provider_id}' has no AI feature '{quoted(feature_id, 100)}' in the catalog; "
                "recorded anyway"]
    return []


# --- list ------------------------------------------------------------------------------------

def _register_list(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = actions.add_parser("list", help="list records, newest first, with filters")
    parser.add_argument("--provider", metavar="ID")
    parser.add_argument("--decision", choices=[str(d) for d in Decision])
    parser.add_argument("--from", dest="date_from", metavar="DATE",
                        help="occurred on or after (a date, e.g. 2026-05-01, or a date and time)")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="occurred before (a date includes that whole day)")
    parser.add_argument("--search", metavar="TEXT", help="text in the meeting title or the note")
    parser.add_argument("--limit", type=int, default=100, metavar="N", help="at most N records (default 100)")
    parser.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N records")
    parser.add_argument("--order", choices=[str(o) for o in Order], default=str(Order.OCCURRED_NEWEST))
    _json_flag(parser)
    parser.set_defaults(func=run_list)


def run_list(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.ledger import RecordFilter, open_reader

    record_filter = RecordFilter(
        provider_id=args.provider, decision=args.decision, text=args.search,
        occurred_from=parse_moment(args.date_from, "--from") if args.date_from else None,
        occurred_to=parse_moment(args.date_to, "--to", end_of_day=True) if args.date_to else None,
    )
    with open_reader(ctx.paths) as ledger:
        total = ledger.count(record_filter)
        records = ledger.page(record_filter, offset=args.offset, limit=args.limit, order=args.order)
        statuses = {r.id: ledger.effective_status(r) for r in records}
    if args.json:
        ctx.print_json({"total": total, "offset": args.offset, "records": [
            {**r.to_dict(), "status": statuses[r.id].to_dict()} for r in records]})
        return ExitStatus.OK
    for record in records:
        title = f"  \"{one_line(_cut(record.meeting.title))}\"" if record.meeting.title else ""
        kept = "  (kept unsigned on this computer before it was signed)" if record.kept is not None else ""
        ctx.print(f"#{record.seq:<6} {_when(record.occurred_at)}  {statuses[record.id].label:<28} "
                  f"{_subject(record)}{title}  {record.id}{kept}")
    ctx.print(f"{len(records):,} of {plural(total, 'record')}" if len(records) != total else plural(total, "record"))
    return ExitStatus.OK


# --- verify ----------------------------------------------------------------------------------

def _register_verify(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = actions.add_parser("verify", help="check the hash chain, signatures, keys and anchors; exit 1 naming "
                                               "the first problem")
    parser.add_argument("--each-signature", action="store_true",
                        help="also check every record's own signature (the signed head already vouches for them)")
    _json_flag(parser)
    parser.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.ledger import LedgerCorruptError

    try:
        with open_for(ctx) as ledger:
            report = ledger.verify(each_signature=args.each_signature)
    except LedgerCorruptError as error:
        if args.json:
            ctx.print_json({"ok": False, "chain_intact": False, "path": str(ledger_path(ctx.paths)),
                            "problem": {"kind": "corrupt", "seq": None, "message": str(error)}})
        else:
            ctx.print(f"NOT intact: {error}")
        return ExitStatus.CHECK_FAILED
    from guard.ledger.waiting import WaitingDecisions

    kept = WaitingDecisions(ledger_path(ctx.paths).parent)
    waiting = kept.count()  # kept while the key could not be read
    ignored = kept.ignored()  # named like kept decisions but never read
    if args.json:
        ctx.print_json({**report.to_dict(), "waiting": waiting})
    else:
        ctx.print(f"Ledger: {report.path}")
        ctx.print(f"Key: {report.key.message()}")
        if report.key.fingerprint and report.key.algorithm == "ed25519":
            # what a reader of an export or a receipt compares with (verify-export prints it)
            ctx.print(f"Key fingerprint (Ed25519, SHA-256 of the public key): {report.key.fingerprint}")
        ctx.print(f"Anchored in: {report.anchored}")
        if waiting:
            ctx.print(f"Waiting: {waiting} decision{'s' if waiting != 1 else ''} kept on this computer, not yet in "
                      "the ledger: the signing key could not be read when made. The app adds them, with the time "
                      "they were made, once it can be read.")
        for name, why in ignored[:20]:
            ctx.print(f"Not a waiting decision, never read: {kept.folder / name} ({why}). Remove it if you did "
                      "not put it there.")
        if report.ok and report.count == 0 and report.problem is None and report.key_problem is None:
            ctx.print("Intact: no records yet.")  # the key line above already says where the key will be
        else:
            ctx.print(report.summary())
        for note in report.notes:
            ctx.print(f"Note: {note}")
        if report.limits:
            ctx.print("Cannot detect:")
            for limit in report.limits:
                ctx.print(f"  - {limit}")
    return ExitStatus.OK if report.ok else ExitStatus.CHECK_FAILED


# --- withdraw --------------------------------------------------------------------------------

def _register_withdraw(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = actions.add_parser("withdraw", help="withdraw a consent you gave (adds a record pointing at it)")
    parser.add_argument("record_id", metavar="REF", help=f"the record that gave the consent: {RECORD_FORMS}")
    parser.add_argument("--note", metavar="N")
    parser.add_argument("--occurred-at", metavar="ISO", help="when you withdrew it (not in the future); default now")
    parser.add_argument("--language", metavar="TAG", help="the language (BCP 47) you withdrew it in; default: not "
                                                          "recorded")
    _json_flag(parser)
    parser.set_defaults(func=run_withdraw)


def run_withdraw(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    occurred = _occurred(args, ctx)
    with open_for(ctx) as ledger:
        record = ledger.withdraw(resolve_record(ledger, args.record_id), note=args.note, occurred_at=occurred,
                                 language=args.language)
    if args.json:
        ctx.print_json({"record": record.to_dict()})
    else:
        ctx.print(f"Recorded #{record.seq} {record.id}: withdrawn consent {record.refers_to} for {_subject(record)}")
    return ExitStatus.OK


# --- timestamp -------------------------------------------------------------------------------

def _register_timestamp(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = actions.add_parser(
        "timestamp", help="have a time-stamping authority you choose witness the newest record (uses the network: "
                     "needs [terms] network_enabled)",
        description="Send a hash of the newest record (nothing else) to an RFC 3161 time-stamping authority and keep "
                    "its signed answer in the ledger; 'consent verify' checks it from then on.")
    parser.add_argument("--tsa", required=True, metavar="URL", help="the authority's RFC 3161 address (http or https)")
    parser.add_argument("--timeout", type=_seconds, default=15.0, metavar="S",
                        help="give up after this many seconds in all, 1 to 300 (default: 15)")
    _json_flag(parser)
    parser.set_defaults(func=run_timestamp)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 1 <= value <= 300:
        raise argparse.ArgumentTypeError(f"{text!r}: give seconds between 1 and 300")
    return value


def run_timestamp(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    with open_for(ctx) as ledger:
        witness = ledger.timestamp(args.tsa, network_enabled=ctx.settings.terms.network_enabled,
                                   timeout_s=args.timeout, settings_file=str(ctx.base_paths.settings_file))
    if args.json:
        ctx.print_json({"seq": witness.seq, "hash": witness.hash, "tsa": witness.tsa_url, "time": witness.gen_time,
                        "tsa_subject": witness.tsa_subject, "tsa_certificate_sha256": witness.tsa_certificate_sha256})
    else:
        ctx.print(f"Record #{witness.seq} (and every record before it) time-stamped at {witness.gen_time} by "
                  f"{witness.tsa_url} ({witness.tsa_subject}).")
    return ExitStatus.OK


# --- rekey -----------------------------------------------------------------------------------

def _register_rekey(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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

def _register_erase(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        ctx.err.write(terminal_safe(f"This deletes every consent record in {path} and its signing key; "
                                    f"it cannot be undone.\nType {ERASE_CONFIRMATION} to confirm: "))
        ctx.err.flush()
        if ctx.env.stdin.readline().strip() != ERASE_CONFIRMATION:
            ctx.error("not confirmed; nothing was erased")
            return ExitStatus.USAGE
    from guard.ledger import erase_ledger

    report = erase_ledger(path)
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        records = "an unreadable number of records" if report.records is None else plural(report.records, "record")
        ctx.print(f"Erased the consent ledger {path}: {records}, {plural(len(report.removed_files), 'file')}, "
                  f"{plural(len(report.removed_secrets), 'keyring secret')}.")
        for problem in report.problems:
            ctx.print(f"Problem: {problem}")
    return ExitStatus.CHECK_FAILED if report.problems else ExitStatus.OK


ACTIONS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _register_add, _register_list, _register_verify, _register_withdraw, register_export, _register_timestamp,
    _register_rekey, _register_erase,
]


# --- shared ----------------------------------------------------------------------------------

LISTED_TITLE = 120  # characters of a title on a 'consent list' row; the ledger cuts at recording, an edited one may not


def _cut(text: str, limit: int = LISTED_TITLE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _subject(record: Record) -> str:
    return f"{record.provider_id}/{record.feature_id}" if record.feature_id else record.provider_id


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")

