"""The HTML export: one self-contained, printable page (inline CSS, no scripts, no external
requests; a Content-Security-Policy says so to the browser) with a summary (counts per
decision and provider, the ledger's verification result and head hash) and a timeline of
the records, oldest first. Every value is escaped: titles, notes and names are user text.
"""

from __future__ import annotations

from html import escape
from typing import BinaryIO

from guard.export.job import ExportJob, Written
from guard.export.public import public_summary
from guard.export.selection import Entry
from guard.export.summary import DECISIONS, Summary, records_text, when_text
from guard.ledger import Order
from guard.paths import resources_dir
from guard.text_controls import shown_text

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"


def _css() -> str:
    return (resources_dir() / "export" / "history.css").read_text(encoding="utf-8")


def esc(text: object) -> str:
    """HTML-escape text, quotes included (as ``html.escape``; most text needs nothing, and
    five C-level searches tell so faster than any rewrite), with control characters and bidi
    overrides as spaces (``guard.text_controls``). Anything not text (a tampered record may hold
    a number or a list where text belongs) is escaped as its ``str``."""
    if not isinstance(text, str):
        text = str(text)
    text = shown_text(text)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text, quote=True)
    return text


def _link(url: str | None, text: str | None = None) -> str:
    """A link only for http(s) addresses; anything else is shown as text."""
    if not url:
        return ""
    label = esc(text or url)
    if url.startswith(("https://", "http://")):
        return f'<a href="{esc(url)}">{label}</a>'
    return label


class _Rows:
    """Timeline rows; the parts many records share (provider / feature, terms version) are
    escaped once."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.subjects: dict[tuple[str, str | None], str] = {}
        self.terms: dict[tuple[str | None, ...], str] = {}

    def subject(self, provider_id: str, feature_id: str | None) -> str:
        key = (provider_id, feature_id)
        text = self.subjects.get(key)
        if text is None:
            facts = self.job.facts.provider(provider_id)
            text = esc(facts.name)
            if feature_id:
                text += " / " + esc(facts.feature_name(feature_id) or feature_id)
            self.subjects[key] = text
        return text

    def term(self, ref: dict[str, str | None]) -> str:
        key = (ref["provider_id"], ref["document_id"], ref["sha256"], ref["url"])
        text = self.terms.get(key)
        if text is None:
            text = self.terms[key] = ("Terms in force: " + esc(self.job.terms_names.label(ref)) + " "
                                      + _link(ref["url"]))
        return text

    def row(self, entry: Entry) -> str:
        """One timeline row. Every value is escaped, the ones the ledger validates (ids, enums,
        timestamps) too: a ledger edited outside the app may hold markup anywhere."""
        c = entry.content
        meeting = c["meeting"]
        meeting_parts = [esc(part) for part in (meeting["title"], meeting["organiser"], meeting["id_or_link"]) if part]
        details = []
        if c["purposes"]:
            details.append("For: " + esc("; ".join(c["purposes"])))
        if c["requested_by"]:
            details.append("Asked by: " + esc(c["requested_by"]))
        for ref in c["terms"]:
            details.append(self.term(ref))
        if c["note"]:
            details.append("Note: " + esc(c["note"]))
        if c["refers_to"]:
            details.append(f'Changes record <code>{esc(c["refers_to"])}</code>')
        decision = c["decision"]
        label = entry.standing.label
        now = f'<br><span class="small">now: {esc(label)}</span>' if label != decision else ""
        css = decision if decision in DECISIONS else "unknown"
        return (f'<tr><td class="n">{entry.seq}</td><td>{esc(when_text(c["occurred_at"]))}</td>'
                f'<td class="d-{css}">{esc(decision)}{now}</td>'
                f'<td>{self.subject(c["provider_id"], c["feature_id"])}</td>'
                f'<td>{"<br>".join(meeting_parts)}</td><td>{"<br>".join(details)}</td>'
                f'<td><code>{esc(c["id"])}</code></td></tr>\n')


def _summary(job: ExportJob, summary: Summary) -> str:
    report = job.verify
    parts = []
    if report is not None:
        state = "ok" if report.ok else "bad"
        parts.append(f'<div class="verify {state}"><strong>Ledger check: {esc(public_summary(report))}</strong><br>'
                     f'Records in the ledger: {report.count}; chain head: seq {report.head_seq}, '
                     f'hash <span class="hash">{esc(report.head_hash or "none")}</span></div>')
    period = (esc(f"{when_text(summary.first)} to {when_text(summary.last)}") if summary.first else "no records")
    parts.append(f"<p>{esc(records_text(summary.records))} exported ({esc(job.filter.describe())}); "
                 f"decisions dated {period}.</p>")
    rows = "".join(f'<tr><td class="d-{d}">{d}</td><td class="n">{n}</td><td class="n">{now}</td></tr>'
                   for d, n, now in summary.decisions())
    providers = "".join(
        f'<tr><td>{esc(job.facts.provider(p).name)} <span class="small">({esc(p)})</span></td>'
        f'<td class="n">{n}</td></tr>'
        for p, n in sorted(summary.by_provider.items(), key=lambda item: (-item[1], item[0])))
    parts.append('<div class="counts"><table><thead><tr><th>Decision</th><th>Recorded</th><th>In force now</th>'
                 f'</tr></thead><tbody>{rows}</tbody></table>'
                 f'<table><thead><tr><th>Provider</th><th>Records</th></tr></thead><tbody>{providers}</tbody>'
                 '</table></div>')
    return "\n".join(parts)


def write_html(job: ExportJob, out: BinaryIO) -> Written:
    summary = Summary()
    timeline = _Rows(job)
    rows = []
    for entry in job.entries(Order.OCCURRED_OLDEST):
        summary.add(entry)
        rows.append(timeline.row(entry))
    who = f" of {esc(job.subject_name)}" if job.subject_name else ""
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Consent history{who}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n"
        f"<h1>Consent history{who}</h1>\n"
        f'<p class="meta">Exported {when_text(job.generated_text)} by {esc(job.app)}. '
        "Times are UTC.</p>\n<h2>Summary</h2>\n" + _summary(job, summary) + "\n<h2>Timeline</h2>\n"
        '<table class="timeline"><thead><tr><th>#</th><th>When</th><th>Decision</th><th>Provider / feature</th>'
        "<th>Meeting</th><th>Details</th><th>Record id</th></tr></thead>\n<tbody>\n"
    )
    out.write(head.encode("utf-8"))
    for start in range(0, len(rows), 5000):
        out.write("".join(rows[start:start + 5000]).encode("utf-8"))
    out.write(b"</tbody></table>\n</body>\n</html>\n")
    return Written(summary.records)
