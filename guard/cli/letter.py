"""``meeting-guard letter``: a withdrawal (GDPR Art. 7(3)), objection to AI training (Art. 21)
or access request (Art. 15) to a provider's privacy contact, from a recorded decision or
for a provider, as text or PDF, with a ``mailto:`` link."""

from __future__ import annotations

import argparse

from guard.cli.context import CliContext
from guard.cli.records import FORMS as RECORD_FORMS
from guard.cli.records import resolve_record
from guard.cli.status import ExitStatus

KINDS = ("withdrawal", "objection", "access")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Write a letter to a provider's privacy contact: withdrawal of consent (GDPR Art. 7(3)), "
                          "objection to processing for AI training (Art. 21), or an access request asking what of your "
                          "data was used to train or tune models (Art. 15). Addressed with the catalog's privacy "
                          "contact; what the catalog does not know is a [FILL IN: ...] placeholder. For software no "
                          "company runs (self-hosted, local or peer to peer) or a service that ended, it first says "
                          "who to send the letter to instead. Where the provider's terms say it processes meetings "
                          "for the organisation that hosted or recorded them, the letter asks it to forward the "
                          "letter and name that organisation, and --to-host writes the same letter to the "
                          "organisation itself (the controller). Prints the letter and a mailto: link, or writes it "
                          "with -o.")
    parser.add_argument("--kind", required=True, choices=KINDS, help="which letter")
    about = parser.add_mutually_exclusive_group(required=True)
    about.add_argument("--record", metavar="REF", help=f"the recorded decision the letter is about: {RECORD_FORMS}")
    about.add_argument("--provider", metavar="ID",
                       help="the provider (withdrawal: every consent in force; otherwise its latest records)")
    parser.add_argument("--name", metavar="NAME", help="your name, to sign the letter")
    parser.add_argument("--to-host", metavar="ORGANISATION",
                        help="write to the organisation that hosted or recorded the meeting (the controller where the "
                             "provider is only its processor) instead of the provider: its name")
    parser.add_argument("--host-address", metavar="ADDRESS",
                        help="with --to-host: the organisation's postal address (else a [FILL IN] placeholder)")
    parser.add_argument("--lang", metavar="LANG",
                        help="the letter's language: en, de, fr, es, it or nl (default: general.language in the "
                             "settings, else your system's language, else English)")
    parser.add_argument("--format", choices=("text", "pdf"), default="text", help="text (default) or pdf")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the letter to FILE (needed for pdf)")
    parser.add_argument("--json", action="store_true", help="print JSON (the letter, its subject and mailto: link)")
    parser.set_defaults(func=run_letter)


def run_letter(args: argparse.Namespace, ctx: CliContext) -> ExitStatus:
    from guard.cli.consent import open_for
    from guard.export import ExportError, make_letter
    from guard.export.letter_guide import LetterGuide
    from guard.export.output import atomic_file
    from guard.i18n import choose_language
    from guard.terms.store import TermsStore

    if args.format == "pdf" and not args.output:
        raise ExportError("A PDF letter needs a file: add -o FILE.pdf.")
    if args.host_address is not None and args.to_host is None:
        raise ExportError("--host-address is the address of the organisation named with --to-host: add --to-host.")
    language = choose_language(args.lang, ctx.settings.general.language)
    catalog = ctx.catalog_or_none()
    with open_for(ctx) as ledger:
        record_id = resolve_record(ledger, args.record, "--record") if args.record else None
        # `consent withdraw` takes only a consent in force: offer it for no other record (it would refuse).
        withdrawable = record_id is not None and ledger.effective_status(ledger.get(record_id)).decision == "given"
        letter = make_letter(args.kind, ledger, catalog, record_id=record_id, provider_id=args.provider,
                             name=args.name, terms_store=TermsStore.open(ctx.paths), language=language,
                             to_host=args.to_host, host_address=args.host_address)
    path = None
    if args.output:
        if args.format == "pdf":
            path = letter.to_pdf(args.output)
        else:
            with atomic_file(args.output) as out:
                out.write(letter.text.encode("utf-8"))
            path = args.output
    guide = LetterGuide(letter.language)  # the lines around the letter, and its warnings, speak its language
    for warning in letter.warnings:
        ctx.error(guide.warning(warning))
    if args.json:
        ctx.print_json({**letter.to_dict(), "path": str(path) if path else None})
        return ExitStatus.OK
    if letter.notice:  # who to write to when there is no provider to write to, or the service ended
        ctx.print(guide.before_sending(letter.notice))
    if path is None:
        ctx.print(letter.text)
        ctx.print("---")
    else:
        ctx.print(guide.wrote(letter.kind.value, str(path)))
    if letter.placeholders:
        ctx.print(guide.fill_in(len(letter.placeholders)))
    ctx.print(guide.send(letter.mailto))
    if letter.offers_host_letter:
        ctx.print(guide.to_host())
    if args.kind == "withdrawal" and withdrawable:
        ctx.print(guide.record_withdrawal(letter.records[0].id))
    return ExitStatus.OK
