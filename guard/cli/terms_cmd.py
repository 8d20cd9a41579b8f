"""``meeting-guard terms check|diff|import|log``: the terms watcher from the command line.

``check`` fetches now (exit 1 if any document could not be fetched or the computer is offline;
with the network switched off every document is *skipped* and the exit is 0), ``diff`` compares
two stored versions clause by clause, ``import`` reads documents' history from the public
archive, ``log`` lists the versions kept (each with where it came from) and every fetch made
(``log`` and ``import`` are in :mod:`guard.cli.terms_history`).

A fault of the terms store itself (full disk, read-only or foreign folder, lock, an index damaged
beyond setting aside: :class:`~guard.terms.errors.TermsStorageFault`) exits 3 (STORAGE) from every
action, as the ledger's do: ``check`` and ``import`` when a version could not be stored, the others
through :mod:`guard.cli.main`. A version or document the command line named that is not there
stays bad usage (2).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from guard.cli.context import CliContext
from guard.cli.output import plural
from guard.cli.status import ExitStatus
from guard.cli.terms_history import TermsUsageError, not_tracked, run_import, run_log
from guard.events import ClauseChange, event_to_dict
from guard.i18n import Translation, choose_language, translation
from guard.terms.align import MAX_PAIRED
from guard.terms.analysis import AnalysedChange, analyse
from guard.terms.diff import ChangeKind
from guard.terms.sections import readable_changes
from guard.jsonable import to_json_data
from guard.terms.classify import load_rules
from guard.terms.models import FetchResult, Version
from guard.terms.store import TermsStore
from guard.terms.report import CheckReport, DocumentCheck
from guard.terms.summary_words import say_summary
from guard.terms.watcher import TermsWatcher
from guard.terms.wording import unescaped

LANG_HELP = ("the language of the changes' plain-words summaries: en, de, fr, es, it or nl (default: general.language "
             "in the settings, else your system's language, else English; JSON keeps English and the summary's parts)")


def summary_translation(args: argparse.Namespace, ctx: CliContext) -> Translation:
    """The language the summaries are said in: ``--lang``, else the settings', else the system's (as ``letter``)."""
    return translation(choose_language(getattr(args, "lang", None), ctx.settings.general.language))


def said(change: AnalysedChange | ClauseChange, language: Translation) -> str | None:
    """The change's summary in ``language``; the provider's words stay as written."""
    return say_summary(change.said, language) if change.said is not None else change.summary


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="terms_action", metavar="ACTION", required=True)

    check = actions.add_parser("check", help="fetch the watched terms pages now and report changes")
    check.add_argument("provider", nargs="?", help="only this provider's documents")
    check.add_argument("--declaration", action="append", type=Path, default=[], metavar="FILE",
                       help="also watch the documents of this Open Terms Archive declaration (JSON); repeatable")
    check.add_argument("--lang", metavar="LANG", help=LANG_HELP)
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(func=run_check)

    diff = actions.add_parser("diff", help="compare two stored versions of a document, clause by clause")
    diff.add_argument("provider")
    diff.add_argument("document", nargs="?", help="document id (default: the provider's only document, or 'terms')")
    diff.add_argument("--from", dest="from_ref", metavar="V",
                      help="older version: SHA-256 prefix, 'baseline', 'previous' (default: the one before --to)")
    diff.add_argument("--to", dest="to_ref", default="latest", metavar="V",
                      help="newer version: SHA-256 prefix, 'baseline' or 'latest' (default)")
    diff.add_argument("--all", action="store_true", help="also show moved and wording-only changes")
    diff.add_argument("--lang", metavar="LANG", help=LANG_HELP)
    diff.add_argument("--json", action="store_true", help="print JSON")
    diff.set_defaults(func=run_diff)

    imports = actions.add_parser("import", help="read documents' version history from the public archive "
                                 "(Open Terms Archive) into the store")
    imports.add_argument("provider", nargs="?", help="only this provider's documents")
    imports.add_argument("document", nargs="?", help="only this document")
    imports.add_argument("--all", action="store_true", help="read every recorded version, not only where it changed")
    imports.add_argument("--max-reads", type=int, default=200, metavar="N",
                         help="versions to read per document at most (default 200)")
    imports.add_argument("--git", type=Path, metavar="FOLDER",
                         help="read a local clone of the archive's versions repository instead of GitHub")
    imports.add_argument("--json", action="store_true", help="print JSON")
    imports.set_defaults(func=run_import)

    log = actions.add_parser("log", help="versions kept and fetches made (failures included)")
    log.add_argument("provider", nargs="?")
    log.add_argument("--limit", type=int, default=50, help="fetch log entries to show (default 50)")
    log.add_argument("--json", action="store_true", help="print JSON")
    log.set_defaults(func=run_log)


# -- check -------------------------------------------------------------------------------------

def run_check(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    watcher = TermsWatcher.from_app(ctx.paths, ctx.settings, declaration_files=args.declaration)
    providers = sorted({doc.provider_id for doc in watcher.documents})
    if args.provider and args.provider not in providers and (untracked := not_tracked(ctx, args.provider)):
        if args.json:
            ctx.print_json({"provider_id": args.provider, "terms_tracked": False, "summary": untracked,
                            "checks": [], "events": [], "problems": []})
        else:
            ctx.print(untracked)
        return ExitStatus.OK  # nothing to check is not a failed check
    if args.provider and args.provider not in providers:
        known = ", ".join(providers) or "none (the catalog has no documents)"
        raise TermsUsageError(f"No watched documents for provider '{args.provider}'. Watched providers: {known}.")
    report = watcher.check(args.provider)
    if args.json:
        ctx.print_json({"checked_at": report.at.isoformat(), "summary": report.headline(), "offline": report.offline,
                        "not_checked": report.not_checked, "checks": [c.to_dict() for c in report.checks],
                        "events": [event_to_dict(e) for e in report.events], "problems": report.problems})
    else:
        _print_report(ctx, report, summary_translation(args, ctx))
    # switched off is what the user asked for (skipped, exit 0); offline or a failed page is a failed check;
    # a version the store could not keep is a storage fault, whatever else failed
    if report.store_fault:
        return ExitStatus.STORAGE
    return ExitStatus.CHECK_FAILED if report.failures or report.offline else ExitStatus.OK


def _print_report(ctx: CliContext, report: CheckReport, language: Translation) -> None:
    ctx.print(f"Terms check at {report.at:%Y-%m-%d %H:%M} UTC: {report.headline()}.")
    for check in report.checks:
        ctx.print(f"  {check.document.provider_id}/{check.document.document_id}: {_describe(check)}")
        if check.event:
            for change in check.event.changes:
                ctx.print(f"    - {said(change, language)}")
        for note in check.document.notes:
            ctx.print(f"    note: {note}")
    if report.events:
        ctx.print("Run 'meeting-guard terms diff PROVIDER DOCUMENT' to read the old and new wording side by side.")
    for problem in report.problems:
        ctx.print(f"Problem: {problem}")


def _describe(check: DocumentCheck) -> str:
    if check.result is FetchResult.SKIPPED:
        return f"skipped ({check.error_kind}): {check.message}"
    if check.result is FetchResult.FAILED:
        return f"FAILED ({check.error_kind}): {check.message}"
    if check.source == "archive":
        return f"{_describe_text(check)} [read in the archive: {check.message}]"
    return _describe_text(check)


def _describe_text(check: DocumentCheck) -> str:
    sha = _short(check.version)
    if check.result is FetchResult.NOT_MODIFIED:
        return f"not modified since the last check ({sha})"
    if check.result is FetchResult.UNCHANGED:
        return f"unchanged ({sha})"
    if check.previous is None:
        return f"first version stored ({sha})"
    baseline = " shipped baseline" if check.previous.is_baseline else ""
    text = f"new version {sha} (was {_short(check.previous)}{baseline}), {plural(check.changes, 'clause change')}"
    if check.event:
        text += f", {len(check.event.changes)} about AI or data use"
    return text


def _short(version: Version | None) -> str:
    return version.sha256[:12] if version else "none"


# -- diff --------------------------------------------------------------------------------------

def run_diff(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    store = TermsStore.open(ctx.paths)
    if not any(pid == args.provider for pid, _doc in store.documents()) and (
            untracked := not_tracked(ctx, args.provider)):
        if args.json:
            ctx.print_json({"provider_id": args.provider, "terms_tracked": False, "changes": [], "note": untracked})
        else:
            ctx.print(untracked)
        return ExitStatus.OK
    document = _pick_document(store, args.provider, args.document)
    newer = store.resolve(args.provider, document, args.to_ref)
    older = store.resolve(args.provider, document, args.from_ref) if args.from_ref else _before(store, newer)
    if older is None:
        note = _nothing_to_compare(newer, ctx)
        if args.json:
            ctx.print_json({"provider_id": args.provider, "document_id": document, "from": None,
                            "to": newer.to_dict(), "changes": [], "note": note})
        else:
            ctx.print(f"{args.provider}/{document}: {_label(newer)}")
            ctx.print(note)
        return ExitStatus.OK
    changes = analyse(store.get_text(older.sha256), store.get_text(newer.sha256), load_rules())
    unpaired = unpaired_note(changes)
    readable = readable_changes(changes)
    if args.json:  # "changes" clause by clause, as ever; "sections": those added or removed whole, told as one
        ctx.print_json({"provider_id": args.provider, "document_id": document, "from": older.to_dict(),
                        "to": newer.to_dict(), "changes": [change.to_dict() for change in changes],
                        "sections": [_section_dict(change) for change in readable if change.parts],
                        **({"note": unpaired} if unpaired else {})})
        return ExitStatus.OK
    ctx.print(f"{args.provider}/{document}: {_label(older)} → {_label(newer)}")
    relevant = [c for c in changes if c.relevant]
    quiet = [c for c in changes if c.diff.quiet]
    ctx.print(f"{plural(len(changes), 'clause change')}: {sum(1 for c in relevant if c.material)} material and "
              f"{sum(1 for c in relevant if not c.material)} minor about AI training or data use, "
              f"{len(quiet)} moved or wording only.")
    if unpaired:
        ctx.print(unpaired)
    language = summary_translation(args, ctx)
    for change in readable if args.all else [c for c in readable if not c.diff.quiet]:
        _print_change(ctx, change, language)
    if quiet and not args.all:
        ctx.print("")
        ctx.print(f"{len(quiet)} moved or wording-only change(s) not shown; --all shows them.")
    return ExitStatus.OK


def unpaired_note(changes: list[AnalysedChange]) -> str | None:
    """What to say when alignment left clauses unpaired because too many changed (None: it paired them)."""
    removed = sum(1 for c in changes if c.diff.unpaired and c.kind is ChangeKind.REMOVED)
    added = sum(1 for c in changes if c.diff.unpaired and c.kind is ChangeKind.ADDED)
    if not (removed or added):
        return None
    return (f"Too many clauses changed to pair old and new wordings ({removed:,} removed, {added:,} added; at most "
            f"{MAX_PAIRED:,} are paired): they are shown as removed and added, not side by side.")


def _section_dict(change: AnalysedChange) -> dict[str, object]:
    """A section added or removed whole: its heading, where, topics, severity, summary and its clauses' places."""
    return {"kind": str(change.kind), "section": change.diff.section,
            "heading": change.said.heading if change.said is not None else None,
            "clauses": len(change.parts), "relevant_clauses": sum(1 for part in change.parts if part.relevant),
            "topics": list(change.topics), "severity": str(change.severity), "summary": change.summary,
            "summary_parts": to_json_data(change.said)}


SHOWN_CHARS = 20_000  # of one wording in the text output (the JSON gives it whole)
KEPT_SHARE = 0.5  # a clause keeping less of its words than this reads as rewritten: both wordings whole
_WORD = re.compile(r"\w+")


def _shown(text: str) -> str:
    """A wording as printed: as the reader sees it (no Markdown escapes), whole up to
    :data:`SHOWN_CHARS`, then cut, saying how much more there is."""
    text = unescaped(text)
    if len(text) <= SHOWN_CHARS:
        return text
    return f"{text[:SHOWN_CHARS]}… [{len(text) - SHOWN_CHARS:,} more characters; --json gives the whole text]"


def _print_change(ctx: CliContext, change: AnalysedChange, language: Translation) -> None:
    """A change with both wordings; a reworded clause marks the words that changed, [-removed-]
    and {+added+}, unless it was rewritten (both wordings whole); a moved clause is shown once; a
    section added or removed whole is listed clause by clause."""
    clause = change.diff.new or change.diff.old
    where = (f"Section {change.diff.section}" if change.diff.section
             else f"“{clause.heading}”" if clause is not None and clause.heading else "Clause")
    if change.parts and change.said is not None and change.said.heading:
        where = f"“{change.said.heading}”"  # its own heading, not the number of the section before it
    ctx.print("")
    what = (f"section {change.kind}, {plural(len(change.parts), 'clause')}" if change.parts
            else str(change.diff.kind))
    weight = (f"{change.severity} [{', '.join(change.topics)}]" if change.relevant
              else "not about AI training or data use")
    ctx.print(f"{where}: {what}, {weight}")
    summary = said(change, language)
    if summary:
        ctx.print(f"  {summary}")
    old, new = change.diff.old_text, change.diff.new_text
    if change.parts:
        label = "after: " if change.kind is ChangeKind.ADDED else "before:"
        for number, part in enumerate(change.parts):
            text = (part.diff.new_text if change.kind is ChangeKind.ADDED else part.diff.old_text) or ""
            mark = f" [{', '.join(part.topics)}]" if part.relevant else ""
            ctx.print(f"  {label if number == 0 else ' ' * len(label)} {_shown(text)}{mark}")
        return
    if change.kind is ChangeKind.MOVED and old is not None and new is not None:
        was = change.diff.old.section if change.diff.old is not None else None
        moved = f" (was in Section {was})" if was and was != change.diff.section else ""
        ctx.print(f"  moved, unchanged{moved}: {_shown(new)}")
        return
    if old is not None and new is not None:
        segments = change.highlights()
        kept = sum(len(_WORD.findall(s.old)) for s in segments if s.op == "equal")
        if kept < KEPT_SHARE * min(len(_WORD.findall(old)), len(_WORD.findall(new))):
            ctx.print("  (rewritten: both wordings whole, not marked word by word)")
            ctx.print(f"  before: {_shown(old)}")
            ctx.print(f"  after:  {_shown(new)}")
            return
        ctx.print("  before: " + _shown("".join(s.old if s.op == "equal" else f"[-{s.old}-]" if s.old else ""
                                                for s in segments)))
        ctx.print("  after:  " + _shown("".join(s.new if s.op == "equal" else f"{{+{s.new}+}}" if s.new else ""
                                                for s in segments)))
        return
    if old:
        ctx.print(f"  before: {_shown(old)}")
    if new:
        ctx.print(f"  after:  {_shown(new)}")


def _pick_document(store: TermsStore, provider: str, document: str | None) -> str:
    documents = [doc for pid, doc in store.documents() if pid == provider]
    if not documents:
        raise TermsUsageError(f"No versions of '{provider}' are stored or shipped; run 'meeting-guard terms check'.")
    if document:
        if document not in documents:
            raise TermsUsageError(f"'{provider}' has no document '{document}'; it has: {', '.join(documents)}.")
        return document
    if len(documents) == 1:
        return documents[0]
    if "terms" in documents:
        return "terms"
    raise TermsUsageError(f"'{provider}' has several documents ({', '.join(documents)}); name one.")


def _before(store: TermsStore, newer: Version) -> Version | None:
    """The version kept before ``newer``, or None when ``newer`` is the first."""
    readable = [v for v in store.versions(newer.provider_id, newer.document_id) if v.problem is None]
    position = next((i for i, v in enumerate(readable) if v.sha256 == newer.sha256 and v.origin == newer.origin), 0)
    return readable[position - 1] if position else None


def _nothing_to_compare(version: Version, ctx: CliContext) -> str:
    """Why there is no diff yet, and what will make one."""
    how = ("'meeting-guard terms check' fetches the page now" if ctx.settings.terms.network_enabled else
           "terms checks are off ([terms] network_enabled = false); with them on, "
           "'meeting-guard terms check' fetches the page")
    return (f"Nothing to compare yet: {_label(version)} is the only version kept of this document. A second "
            f"version is kept when the provider's page changes: {how}, and the tray app checks it every "
            f"{ctx.settings.terms.check_interval_hours:g} hours while the network is allowed.")


def _label(version: Version) -> str:
    if version.is_baseline:
        return f"{version.sha256[:12]} (shipped baseline of {version.version_date or 'unknown date'})"
    seen = f"{version.first_seen:%Y-%m-%d}" if version.first_seen else "?"
    if version.from_archive:
        commit = f" at {version.archive_commit[:12]}" if version.archive_commit else ""
        return f"{version.sha256[:12]} (recorded {seen} by {version.archive_repository or 'the archive'}{commit})"
    return f"{version.sha256[:12]} (fetched {seen})"
