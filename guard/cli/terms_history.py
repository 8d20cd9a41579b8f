"""``meeting-guard terms log|import``: the versions kept (each with where it came from) and every
fetch made, and reading documents' history from the public archive (Open Terms Archive) into
the store. The parser and the other actions are in :mod:`guard.cli.terms_cmd`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from guard.cli.context import CliContext
from guard.cli.output import plural
from guard.cli.status import ExitStatus
from guard.errors import StorageFaultError
from guard.terms.errors import TermsError
from guard.terms.models import Version
from guard.terms.store import TermsStore

if TYPE_CHECKING:
    from guard.terms.archive_import import ImportResult


class TermsUsageError(TermsError):
    """The command line named something that does not exist."""


def not_tracked(ctx: CliContext, provider_id: str) -> str | None:
    """The plain answer for a provider the catalog lists for detection only (no terms page named),
    or None when the catalog does not know it or names its terms."""
    catalog = ctx.catalog_or_none()
    provider = catalog.get(provider_id) if catalog is not None else None
    if provider is None or provider.tracks_terms:
        return None
    return (f"No terms are tracked for {provider.name} ({provider.id}) yet: the catalog lists it for meeting "
            "detection only and names none of its terms or privacy pages, so there is nothing to check, compare "
            "or import. Meetings with it are still detected.")


# -- log ---------------------------------------------------------------------------------------

def run_log(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    store = TermsStore.open(ctx.paths)
    documents = [(pid, doc) for pid, doc in store.documents() if not args.provider or pid == args.provider]
    fetches = store.fetch_log(args.provider, limit=max(1, args.limit))
    if args.json:
        ctx.print_json({
            "documents": [{"provider_id": pid, "document_id": doc,
                           "versions": [v.to_dict() for v in store.versions(pid, doc)]} for pid, doc in documents],
            "fetches": [record.to_dict() for record in fetches],
            "problems": store.problems,
        })
        return ExitStatus.OK
    if not documents and not fetches and args.provider and (untracked := not_tracked(ctx, args.provider)):
        ctx.print(untracked)
    elif not documents and not fetches:
        ctx.print("No terms versions stored and no fetches made yet. Run 'meeting-guard terms check'.")
    for pid, doc in documents:
        ctx.print(f"{pid}/{doc}:")
        for version in store.versions(pid, doc):
            ctx.print(f"  {version.sha256[:12]}  {_version_line(version)}")
            for also in version.also_seen:
                ctx.print(f"      also: {also}")
            if version.problem:
                ctx.print(f"      PROBLEM: {version.problem}")
    if fetches:
        ctx.print("Fetch log (newest first):")
        for record in fetches:
            status = record.status if record.status is not None else "-"
            line = (f"  {record.at:%Y-%m-%d %H:%M:%S}  {record.provider_id}/{record.document_id}  {record.source}  "
                    f"{record.result}  HTTP {status}  {record.bytes} B  {record.url}")
            if record.message:
                line += f"\n      {record.message}"
            ctx.print(line)
    for problem in store.problems:
        ctx.print(f"Problem: {problem}")
    return ExitStatus.OK


def _version_line(version: Version) -> str:
    """When a version was seen and where it came from: the shipped baseline, the archive (at
    which commit, recorded when) or the provider's page."""
    if version.is_baseline:
        return f"shipped baseline, text of {version.version_date or 'unknown date'} ({version.obtained_from})"
    if version.from_archive:
        return f"from the {version.obtained_from}"
    seen = f"fetched {version.first_seen:%Y-%m-%d %H:%M}" if version.first_seen else "fetched"
    last = f", last seen {version.last_seen:%Y-%m-%d %H:%M}" if version.last_seen else ""
    return f"{seen}{last} from the provider's page {version.url}"


# -- import ------------------------------------------------------------------------------------

def run_import(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    """Read the version history of archived documents into the store (all, or one provider's)."""
    from guard.terms.archive_import import ArchiveImporter
    from guard.terms.archive_source import GitArchive, GitHubArchive
    from guard.terms.fetch import Fetcher, FetchPolicy
    from guard.terms.watchlist import build_watch_list

    settings = ctx.settings.terms
    documents, _problems = build_watch_list(ctx.paths)
    chosen = [d for d in documents if d.archive is not None and (not args.provider or d.provider_id == args.provider)
              and (not args.document or d.document_id == args.document)]
    if not chosen and args.provider and (untracked := not_tracked(ctx, args.provider)):
        if args.json:
            ctx.print_json({"provider_id": args.provider, "terms_tracked": False, "imports": [], "note": untracked})
        else:
            ctx.print(untracked)
        return ExitStatus.OK
    if not chosen:
        archived = sorted({d.provider_id for d in documents if d.archive is not None})
        raise TermsUsageError(f"No document of '{args.provider or 'any provider'}' is kept in a public archive. "
                              f"Providers whose documents are: {', '.join(archived) or 'none'}.")
    if args.git is None and not settings.network_enabled:
        ctx.print("skipped: network access is switched off ([terms] network_enabled = false); give --git FOLDER "
                  "to import from a local copy of the archive.")
        return ExitStatus.OK
    store = TermsStore.open(ctx.paths)
    fetcher = Fetcher(FetchPolicy(allow_insecure_localhost=settings.allow_insecure_localhost),
                      network_enabled=settings.network_enabled)
    results = []
    for document in chosen:
        assert document.archive is not None
        repository = document.archive.repository
        source = GitArchive(args.git, repository) if args.git else GitHubArchive(
            repository, fetcher, settings.archive_api_url, settings.archive_raw_url)
        importer = ArchiveImporter(store, source, max_reads=args.max_reads, read_all=args.all)
        result = importer.run(document.provider_id, document.document_id, document.url, document.archive)
        results.append(result)
        if not args.json:
            _print_import(ctx, result)
        if result.error is not None and str(getattr(result.error, "kind", "")) in ("offline", "rate-limited"):
            break  # the rest would fail the same way
    if args.json:
        ctx.print_json({"imports": [result.to_dict() for result in results]})
    if any(isinstance(result.error, StorageFaultError) for result in results):
        return ExitStatus.STORAGE
    return ExitStatus.OK if all(result.ok for result in results) else ExitStatus.CHECK_FAILED


def _print_import(ctx: CliContext, result: object) -> None:
    from guard.terms.archive_import import ImportResult

    assert isinstance(result, ImportResult)
    head = f"{result.provider_id}/{result.document_id} from {result.repository} ({result.path}):"
    if result.error is not None:
        ctx.print(f"{head} FAILED: {result.error}")
        return
    future = result.future_note()
    if future:
        ctx.print(f"{head} {future}.")
    if result.not_modified or not result.listed:
        ctx.print(f"{head} nothing new.")
        return
    ctx.print(f"{head} {plural(len(result.stored), 'version')} stored; {result.read} of {result.listed} records read"
              f"{f', {result.technical} re-extractions skipped' if result.technical else ''}"
              f"{_partial(result)}.")
    for commit, sha in result.stored:
        ctx.print(f"  {commit.recorded:%Y-%m-%d}  {commit.commit[:12]}  {sha[:12]}")


def _partial(result: ImportResult) -> str:
    """Why the history read is not the whole of it, in the import's summary line ("" when it is)."""
    if not result.listed_all:
        return " (history partial: the archive lists more records than are read; the oldest are missing)"
    return " (history partial: raise --max-reads, or --all)" if result.partial else ""
