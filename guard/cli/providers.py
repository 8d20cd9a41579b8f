"""``meeting-guard providers [ID]``: the catalog of meeting clients and AI note-takers.

Without an id: one line per provider. With an id: its AI features, the clauses in force on
a day (today by default) and every section's clause history, each with source and checked
date. Anything not checked against its source is marked "(unverified)".
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from guard.catalog.snapshot import CatalogSnapshot, load_snapshot, provider_summary
from guard.cli.context import CliContext
from guard.cli.dates import day
from guard.cli.known_ids import UnknownIdError, unknown_provider_message
from guard.cli.status import ExitStatus

if TYPE_CHECKING:  # the list comes from the catalog snapshot; one provider's report needs the models
    from guard.catalog.models import AiFeature, Clause, Document, Provider

UNVERIFIED = "(unverified)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", help="a provider id from the list (e.g. zoom)")
    parser.add_argument("--on", type=day, metavar="YYYY-MM-DD",
                        help="show the clauses in force on this day instead of today")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    user = ctx.base_paths.user_catalog_dir
    if args.id is None:
        snapshot, _ = load_snapshot(ctx.base_paths.cache_dir, user=user)
        for message in snapshot.problems:
            ctx.error(message)
        _print_list(snapshot, ctx, args.json)
        return ExitStatus.CHECK_FAILED if snapshot.problems else ExitStatus.OK
    from guard.catalog import load_catalog

    catalog = load_catalog(user=user)
    for problem in catalog.problems:
        ctx.error(problem.message())
    provider = catalog.get(args.id)
    if provider is None:
        raise UnknownIdError(unknown_provider_message(args.id, catalog))
    on = args.on or ctx.now().astimezone().date()
    user_file = catalog.user_files.get(provider.id)
    if args.json:
        report = provider_report(provider, on, [p.message() for p in catalog.problems])
        ctx.print_json({**report, "user_file": str(user_file) if user_file else None})
    else:
        if user_file is not None:
            ctx.print(f"From your own catalog file {user_file}: what it says is yours, not checked by Meeting "
                      "Privacy Guard.")
        _print_provider(provider, on, ctx)
    return ExitStatus.CHECK_FAILED if catalog.problems else ExitStatus.OK


# --- JSON -----------------------------------------------------------------------------------

def provider_report(provider: Provider, day: date, problems: list[str]) -> dict[str, Any]:
    """Everything ``providers ID --json`` prints, as plain JSON values."""
    from guard.catalog.history import clause_history

    return {
        "provider": {**provider_summary(provider), "homepage": str(provider.homepage)},
        "on": day.isoformat(),
        "features": [feature.model_dump(mode="json") for feature in provider.ai_features],
        "documents": [doc.model_dump(mode="json") for doc in provider.documents],
        "terms_tracked": provider.tracks_terms,
        "clauses_in_force": [_clause_json(c, day) for c in provider.clauses_in_force(day)],
        "clause_history": [
            {"document": t.document, "section": t.section, "topic": t.topic,
             "clauses": [_clause_json(c, day) for c in t.clauses]}
            for t in clause_history(provider)
        ],
        "detect": provider.detect.model_dump(mode="json"),
        "contacts": provider.contacts.model_dump(mode="json"),
        "problems": problems,
    }


def _clause_json(clause: Clause, day: date) -> dict[str, Any]:
    return {**clause.model_dump(mode="json"), "in_force": clause.in_force_on(day)}


# --- text -----------------------------------------------------------------------------------

def _print_list(snapshot: CatalogSnapshot, ctx: CliContext, as_json: bool) -> None:
    summaries = [entry.summary for entry in snapshot.providers]
    if as_json:
        ctx.print_json({"providers": summaries, "problems": list(snapshot.problems)})
        return
    rows = [("ID", "NAME", "KIND", "FEATURES", "UNVERIFIED")]
    rows += [(str(p["id"]), str(p["name"]), str(p["kind"]), str(p["features"]), str(p["unverified"]))
             for p in summaries]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        ctx.print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _mark(verified: bool) -> str:
    return "" if verified else f" {UNVERIFIED}"


def _print_provider(provider: Provider, day: date, ctx: CliContext) -> None:
    ctx.print(f"{provider.name} ({provider.id}) by {provider.vendor}: {provider.kind.value}, {provider.homepage}")
    ctx.print()
    ctx.print(f"AI features ({len(provider.ai_features)}):")
    for feature in provider.ai_features:
        _print_feature(feature, ctx)
    if not provider.ai_features:
        ctx.print("  none recorded")
    ctx.print()
    from guard.presentation.wording import NO_TERMS_TRACKED, no_clauses_in_force

    in_force = provider.clauses_in_force(day)
    ctx.print(f"Clauses in force on {day.isoformat()}" + (f" ({len(in_force)}):" if in_force else ":"))
    for clause in in_force:
        _print_clause(clause, provider.document(clause.document), ctx, indent="  ")
    if not in_force:  # why, never a count of zero that reads as checked
        ctx.print(f"  none: {no_clauses_in_force(provider)}")
    ctx.print()

    ctx.print(f"Terms documents ({len(provider.documents)}):")
    for document in provider.documents:
        ctx.print(f"  - {document.title} ({document.type.value}): {document.url}")
    if not provider.tracks_terms:
        ctx.print(f"  none: {NO_TERMS_TRACKED}")
    ctx.print()
    ctx.print("Clause history:")
    from guard.catalog.history import clause_history

    for thread in clause_history(provider):
        ctx.print(f"  {thread.label}:")
        for clause in thread.clauses:
            _print_clause(clause, provider.document(clause.document), ctx, indent="    ", brief=True)
    if not provider.clauses:
        ctx.print("  none recorded")
    ctx.print()
    detect = provider.detect
    ctx.print(f"Detection data{_mark(detect.verified)}:")
    if detect.note:
        ctx.print(f"  {detect.note}")
    if detect.participant_names:
        ctx.print(f"  bot names in a meeting's participant list: {', '.join(detect.participant_names)}")
    for source in detect.sources:
        ctx.print(f"  source: {source.url} (checked {source.checked.isoformat()})")
    if provider.note:
        ctx.print()
        ctx.print(f"Note: {provider.note}")
    contacts = provider.contacts
    if contacts.controller or contacts.privacy_email or contacts.privacy_form:
        parts = [x for x in (contacts.controller, contacts.privacy_email,
                             str(contacts.privacy_form) if contacts.privacy_form else None) if x]
        ctx.print("Privacy contact: " + "; ".join(parts) + _mark(contacts.verified))


def _print_feature(feature: AiFeature, ctx: CliContext) -> None:
    ctx.print(f"  - {feature.name} [{feature.id}]{_mark(feature.verified)}")
    ctx.print(f"    {feature.description}")
    ctx.print(f"    who can turn it on: {', '.join(a.value for a in feature.enabled_by)}")
    ctx.print(f"    participants see: {feature.participant_notice}")
    ctx.print(f"    participants can: {', '.join(o.value for o in feature.participant_options)}")
    ctx.print(f"    content may train models: {feature.trains_models.value}")
    for source in feature.sources:
        ctx.print(f"    source: {source.url} (checked {source.checked.isoformat()})")


def _print_clause(clause: Clause, document: Document | None, ctx: CliContext, indent: str,
                  brief: bool = False) -> None:
    until = clause.effective_to.isoformat() if clause.effective_to else "now"
    where = f"{document.title if document else clause.document}"
    if clause.section:
        where += f" § {clause.section}"
    ctx.print(f"{indent}{clause.effective_from.isoformat()} → {until}  {where} [{clause.topic.value}]"
              f"{_mark(clause.verified)}")
    ctx.print(f"{indent}  “{clause.quote}”")
    if clause.summary and not brief:
        ctx.print(f"{indent}  in plain words: {clause.summary}")
    if clause.note and not brief:
        ctx.print(f"{indent}  note: {clause.note}")
    ctx.print(f"{indent}  source: {clause.source} (checked {clause.checked.isoformat()})")
