"""The PDF export: the HTML export's content for print, mail and archives, written with
reportlab (a pure-Python PDF library; guard never imports Qt) and finished by
:mod:`guard.export.pdf_tags` as a tagged PDF/A-2b file. First page: who, when, the ledger's
verification result and head hash, the signing keys' fingerprints, and tables of counts per
decision and provider. Then the timeline, oldest first: a section with one paragraph per record. Text
is real text in embedded, subset TrueType fonts with ToUnicode maps (see
:mod:`guard.export.pdf_fonts`), so ``pdftotext`` and screen readers find every record.

The summary comes first, so the records are read twice: once to count (fast), once to write
(reported to the progress callback).
"""

from __future__ import annotations

import contextlib
import io
from typing import BinaryIO

from guard.export.job import ExportJob, Written
from guard.export.pdf_fonts import MISSING_GLYPHS, NO_UNICODE_FONT
from guard.export.pdf_layout import PdfLayout
from guard.export.pdf_tags import finish
from guard.export.selection import Entry
from guard.export.shown_values import MAX_NOTE, shown, shown_link
from guard.export.summary import Summary
from guard.i18n import N_
from guard.ledger import Order

BODY = 8.0
HEAD = 8.5
LEADING = 10.5  # one leading for every timeline line: no positioning between them
PER_RECORD_TAGS = 10_000  # up to this many records each is its own paragraph element; beyond, one per page


def _record_lines(entry: Entry, job: ExportJob,
                  pdf: PdfLayout) -> tuple[list[str], list[str], list[tuple[int, int, int, str]]]:
    words = job.words
    facts = job.facts.provider(entry.provider_id)
    subject = shown(facts.name)
    if entry.feature_id:
        subject += " / " + shown(facts.feature_name(entry.feature_id) or entry.feature_id)
    standing = entry.standing
    status = words.decision(entry.decision)
    if standing.label != entry.decision:
        status = words(N_("{decision} (now: {status})"), decision=status,
                       status=words.standing(entry.decision, standing))
    head = f"#{entry.seq} | {words.when(entry.occurred_at)} | {status} | {subject}"
    parts = []
    meeting = entry.meeting
    parts_of_meeting = [shown(part) for part in (meeting["title"], meeting["organiser"],
                                                 shown_link(meeting["id_or_link"])) if part]
    if parts_of_meeting:
        parts.append(words(N_("Meeting: {meeting}"), meeting=", ".join(parts_of_meeting)))
    if entry.purposes:
        parts.append(words(N_("For: {purposes}"), purposes=shown(words.listed(entry.purposes))))
    if entry.requested_by:
        parts.append(words(N_("Asked by: {requester}"), requester=shown(words.requester(entry.requested_by))))
    urls = []
    for ref in entry.terms:
        parts.append(words(N_("Terms in force: {terms}"), terms=job.terms_names.label(ref, words))
                     + (f" {ref['url']}" if ref["url"] else ""))
        if ref["url"]:
            urls.append(ref["url"])  # links only for the terms' addresses, never for text a host chose
    if (kept := words.kept(entry.content)) is not None:
        parts.append(kept)
    if entry.refers_to:
        parts.append(words(N_("Changes record {id}"), id=shown(entry.refers_to)))
    parts.append(words(N_("id {id}"), id=entry.id))
    body, links = pdf.wrap_links(" | ".join(parts), BODY, urls=urls)
    if entry.note:
        body += pdf.wrap(words(N_("Note: {note}"), note=shown(entry.note, MAX_NOTE)), BODY)
    return pdf.wrap(head, HEAD, bold=True), body, links


def _first_page(pdf: PdfLayout, job: ExportJob, summary: Summary) -> None:
    words = job.words
    pdf.heading(words.title(job.subject_name), 18, role="H1")
    pdf.paragraph(words(N_("Exported {moment} by {app}. Times are UTC. Covers: {covers}."),
                        moment=words.when(job.generated_text), app=job.app, covers=words.covers(job.filter)),
                  9, after=6)
    report = job.verify
    if report is not None:
        pdf.heading(words(N_("Ledger check")), 12)
        pdf.paragraph(words.check(report), 9, bold=True, after=2)
        pdf.paragraph(words(N_("Records in the ledger: {count}; chain head: record {seq}, hash {hash}"),
                            count=words.number(report.count), seq=report.head_seq,
                            hash=report.head_hash or words(N_("none"))) + ".", 9, after=2)
        prints = [f"{key.key_id} {key.fingerprint}" for key in job.ledger.proof().keys if key.fingerprint]
        if prints:
            pdf.paragraph(words(N_("Signing keys (Ed25519, SHA-256 fingerprints): {keys}"), keys=words.listed(prints)),
                          8, after=4)
    pdf.heading(words(N_("Summary")), 12)
    period = (words(N_("decisions dated {first} to {last}"), first=words.when(summary.first),
                    last=words.when(summary.last)) if summary.first else words(N_("no records")))
    pdf.paragraph(words(N_("{records}; {period}."), records=words.records(summary.records), period=period), 9, after=4)
    pdf.table([words(N_("Decision")), words(N_("Recorded")), words(N_("In force now"))],
              [[words.decision(decision), words.number(recorded), words.number(now)]
               for decision, recorded, now in summary.decisions()], [0, 140, 220])
    pdf.table([words(N_("Provider")), words(N_("Records"))],
              [[f"{job.facts.provider(provider).name} ({provider})", words.number(count)]
               for provider, count in sorted(summary.by_provider.items(), key=lambda item: (-item[1], item[0]))],
              [0, 300])
    if not pdf.fonts.unicode:
        pdf.space(6)
        pdf.paragraph(NO_UNICODE_FONT, 8)


def write_pdf(job: ExportJob, out: BinaryIO) -> Written:
    summary = Summary()
    for entry in job.entries(Order.OCCURRED_OLDEST, report=False):
        summary.add(entry)
    job.progress.total = summary.records
    raw = io.BytesIO()
    words = job.words
    covers = words.covers(job.filter)
    pdf = PdfLayout(raw, title=words.title(job.subject_name), author=job.subject_name, subject=covers,
                    language=words.language,
                    footer=words(N_("Consent history, exported {moment} by {app}"),
                                 moment=words.when(job.generated_text), app=job.app),
                    page_label=words(N_("page {page}")))
    _first_page(pdf, job, summary)
    pdf.heading(words(N_("Timeline")), 12)
    count = 0
    # Each record is a paragraph of the timeline's section. Past PER_RECORD_TAGS records the
    # timeline is one paragraph element whose text is marked page by page (same reading order,
    # a tenth of the structure): 100,000 elements cost the archive step more than the writing.
    per_record = summary.records <= PER_RECORD_TAGS
    with pdf.group("Sect"), (contextlib.nullcontext() if per_record else pdf.block("P")):
        for entry in job.entries(Order.OCCURRED_OLDEST):
            head, body, links = _record_lines(entry, job, pdf)
            pdf.ensure((len(head) + len(body)) * LEADING)
            if per_record:
                pdf.record(head, body, links, HEAD, BODY, LEADING)
            else:
                pdf.lines(head, HEAD, bold=True, leading=LEADING)
                pdf.lines(body, BODY, leading=LEADING, links=links)
            count += 1
    pdf.save()
    out.write(finish(raw.getvalue(), pdf.root, title=pdf.title, language=words.language, pdfa=pdf.fonts.embedded,
                     created=job.generated_at, author=job.subject_name, subject=covers))
    if pdf.missing_glyphs:
        job.warnings.append(NO_UNICODE_FONT if not pdf.fonts.unicode else MISSING_GLYPHS)
    if not pdf.fonts.embedded:
        job.warnings.append("The PDF is tagged but not PDF/A: no Unicode TrueType font was found to embed.")
    return Written(count)
