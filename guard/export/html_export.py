"""The HTML export: one self-contained, printable page (inline CSS, no scripts, no external
requests; a Content-Security-Policy says so to the browser) with a summary (counts per
decision and provider, the ledger's verification result and head hash) and a timeline of
the records, oldest first. Every value is escaped: titles, notes and names are user text.
"""

from __future__ import annotations

from html import escape
from typing import BinaryIO

from guard.export.job import ExportJob, Written
from guard.export.selection import Entry
from guard.export.summary import Summary, when_text
from guard.ledger import Order
from guard.paths import resources_dir

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _css() -> str:
    return (resources_dir() / "export" / "history.css").read_text(encoding="utf-8")


def _link(url: str | None, text: str | None = None) -> str:
    """A link only for http(s) addresses; anything else is shown as text."""
    if not url:
        return ""
    label = escape(text or url)
    if url.startswith(("https://", "http://")):
        return f'<a href="{escape(url, quote=True)}">{label}</a>'
    return label


def _timeline_row(entry: Entry, job: ExportJob) -> str:
    facts = job.facts.provider(entry.provider_id)
    subject = escape(facts.name)
    if entry.feature_id:
        subject += " / " + escape(facts.feature_name(entry.feature_id) or entry.feature_id)
    meeting = entry.meeting
    meeting_parts = [escape(part) for part in (meeting["title"], meeting["organiser"], meeting["id_or_link"]) if part]
    details = []
    if entry.purposes:
        details.append("For: " + escape("; ".join(entry.purposes)))
    if entry.requested_by:
        details.append("Asked by: " + escape(entry.requested_by))
    for ref in entry.terms:
        details.append(f'Terms: {escape(ref["document_id"])} <code>{escape(ref["sha256"][:12])}</code> '
                       + _link(ref["url"]))
    if entry.note:
        details.append("Note: " + escape(entry.note))
    if entry.refers_to:
        details.append(f'Changes record <code>{escape(entry.refers_to)}</code>')
    decision = escape(entry.decision)
    label = entry.standing.label
    now = f'<br><span class="small">now: {escape(label)}</span>' if label != entry.decision else ""
    return (f'<tr><td class="n">{entry.seq}</td><td>{when_text(entry.occurred_at)}</td>'
            f'<td class="d-{decision}">{decision}{now}</td><td>{subject}</td>'
            f'<td>{"<br>".join(meeting_parts)}</td><td>{"<br>".join(details)}</td>'
            f'<td><code>{escape(entry.id)}</code></td></tr>\n')


def _summary(job: ExportJob, summary: Summary) -> str:
    report = job.verify
    parts = []
    if report is not None:
        state = "ok" if report.ok else "bad"
        parts.append(f'<div class="verify {state}"><strong>Ledger check: {escape(report.summary())}</strong><br>'
                     f'Records in the ledger: {report.count}; chain head: seq {report.head_seq}, '
                     f'hash <span class="hash">{escape(report.head_hash or "none")}</span></div>')
    period = (f"{when_text(summary.first)} to {when_text(summary.last)}" if summary.first else "no records")
    parts.append(f"<p>{summary.records} record(s) exported ({escape(job.filter.describe())}); "
                 f"decisions dated {period}.</p>")
    rows = "".join(f'<tr><td class="d-{d}">{d}</td><td class="n">{n}</td><td class="n">{now}</td></tr>'
                   for d, n, now in summary.decisions())
    providers = "".join(
        f'<tr><td>{escape(job.facts.provider(p).name)} <span class="small">({escape(p)})</span></td>'
        f'<td class="n">{n}</td></tr>'
        for p, n in sorted(summary.by_provider.items(), key=lambda item: (-item[1], item[0])))
    parts.append('<div class="counts"><table><thead><tr><th>Decision</th><th>Recorded</th><th>In force now</th>'
                 f'</tr></thead><tbody>{rows}</tbody></table>'
                 f'<table><thead><tr><th>Provider</th><th>Records</th></tr></thead><tbody>{providers}</tbody>'
                 '</table></div>')
    return "\n".join(parts)


def write_html(job: ExportJob, out: BinaryIO) -> Written:
    summary = Summary()
    rows = []
    for entry in job.entries(Order.OCCURRED_OLDEST):
        summary.add(entry)
        rows.append(_timeline_row(entry, job))
    who = f" of {escape(job.subject_name)}" if job.subject_name else ""
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Consent history{who}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n"
        f"<h1>Consent history{who}</h1>\n"
        f'<p class="meta">Exported {when_text(job.generated_text)} by {escape(job.app)}. '
        "Times are UTC.</p>\n<h2>Summary</h2>\n" + _summary(job, summary) + "\n<h2>Timeline</h2>\n"
        '<table class="timeline"><thead><tr><th>#</th><th>When</th><th>Decision</th><th>Provider / feature</th>'
        "<th>Meeting</th><th>Details</th><th>Record id</th></tr></thead>\n<tbody>\n"
    )
    out.write(head.encode("utf-8"))
    for start in range(0, len(rows), 5000):
        out.write("".join(rows[start:start + 5000]).encode("utf-8"))
    out.write(b"</tbody></table>\n</body>\n</html>\n")
    return Written(summary.records)
