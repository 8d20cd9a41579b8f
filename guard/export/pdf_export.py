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
from guard.export.public import public_summary
from guard.export.selection import Entry
from guard.export.summary import Summary, records_text, when_text
from guard.ledger import Order

BODY = 8.0
HEAD = 8.5
LEADING = 10.5  # one leading for every timeline line: no positioning between them
PER_RECORD_TAGS = 10_000  # up to this many records each is its own paragraph element; beyond, one per page


def _record_lines(entry: Entry, job: ExportJob,
                  pdf: PdfLayout) -> tuple[list[str], list[str], list[tuple[int, int, int, str]]]:
    facts = job.facts.provider(entry.provider_id)
    subject = facts.name
    if entry.feature_id:
        subject += " / " + (facts.feature_name(entry.feature_id) or entry.feature_id)
    label = entry.standing.label
    status = entry.decision if label == entry.decision else f"{entry.decision} (now: {label})"
    head = f"#{entry.seq} | {when_text(entry.occurred_at)} | {status} | {subject}"
    parts = []
    meeting = entry.meeting
    shown = [part for part in (meeting["title"], meeting["organiser"], meeting["id_or_link"]) if part]
    if shown:
        parts.append("Meeting: " + ", ".join(shown))
    if entry.purposes:
        parts.append("For: " + "; ".join(entry.purposes))
    if entry.requested_by:
        parts.append(f"asked by {entry.requested_by}")
    urls = []
    for ref in entry.terms:
        parts.append("Terms in force: " + job.terms_names.label(ref) + (f" {ref['url']}" if ref["url"] else ""))
        if ref["url"]:
            urls.append(ref["url"])  # links only for the terms' addresses, never for text a host chose
    if entry.refers_to:
        parts.append(f"changes record {entry.refers_to}")
    parts.append(f"id {entry.id}")
    body, links = pdf.wrap_links(" | ".join(parts), BODY, urls=urls)
    if entry.note:
        body += pdf.wrap("Note: " + entry.note, BODY)
    return pdf.wrap(head, HEAD, bold=True), body, links


def _first_page(pdf: PdfLayout, job: ExportJob, summary: Summary) -> None:
    who = f" of {job.subject_name}" if job.subject_name else ""
    pdf.heading(f"Consent history{who}", 18, role="H1")
    pdf.paragraph(f"Exported {when_text(job.generated_text)} by {job.app}. Times are UTC. "
                  f"Covers: {job.filter.describe()}.", 9, after=6)
    report = job.verify
    if report is not None:
        pdf.heading("Ledger check", 12)
        pdf.paragraph(public_summary(report), 9, bold=True, after=2)
        pdf.paragraph(f"Records in the ledger: {report.count}. Chain head: seq {report.head_seq}, "
                      f"hash {report.head_hash or 'none'}.", 9, after=2)
        prints = [f"{key.key_id} {key.fingerprint}" for key in job.ledger.proof().keys if key.fingerprint]
        if prints:
            pdf.paragraph("Signing keys (Ed25519, SHA-256 fingerprints): " + "; ".join(prints), 8, after=4)
    pdf.heading("Summary", 12)
    period = f"{when_text(summary.first)} to {when_text(summary.last)}" if summary.first else "no records"
    pdf.paragraph(f"{records_text(summary.records)}; decisions dated {period}.", 9, after=4)
    pdf.table(["Decision", "Recorded", "In force now"],
              [[decision, str(recorded), str(now)] for decision, recorded, now in summary.decisions()], [0, 140, 220])
    pdf.table(["Provider", "Records"],
              [[f"{job.facts.provider(provider).name} ({provider})", str(count)]
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
    title = f"Consent history of {job.subject_name}" if job.subject_name else "Consent history"
    pdf = PdfLayout(raw, title=title, author=job.subject_name, subject=job.filter.describe(),
                    footer=f"Consent history, exported {when_text(job.generated_text)} by {job.app}")
    _first_page(pdf, job, summary)
    pdf.heading("Timeline", 12)
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
    out.write(finish(raw.getvalue(), pdf.root, title=pdf.title, language="en", pdfa=pdf.fonts.embedded,
                     created=job.generated_at, author=job.subject_name, subject=job.filter.describe()))
    if pdf.missing_glyphs:
        job.warnings.append(NO_UNICODE_FONT if not pdf.fonts.unicode else MISSING_GLYPHS)
    if not pdf.fonts.embedded:
        job.warnings.append("The PDF is tagged but not PDF/A: no Unicode TrueType font was found to embed.")
    return Written(count)
