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
from guard.export.shown_values import MAX_NOTE, shown, shown_link
from guard.export.summary import DECISIONS, Summary
from guard.i18n import N_
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
            text = esc(shown(facts.name))
            if feature_id:
                text += " / " + esc(shown(facts.feature_name(feature_id) or feature_id))
            self.subjects[key] = text
        return text

    def term(self, ref: dict[str, str | None]) -> str:
        key = (ref["provider_id"], ref["document_id"], ref["sha256"], ref["url"])
        text = self.terms.get(key)
        if text is None:
            label = self.job.words(N_("Terms in force: {terms}"), terms=self.job.terms_names.label(ref, self.job.words))
            text = self.terms[key] = esc(label) + " " + _link(ref["url"])
        return text

    def row(self, entry: Entry) -> str:
        """One timeline row. Every value is escaped, the ones the ledger validates (ids, enums,
        timestamps) too: a ledger edited outside the app may hold markup anywhere."""
        c = entry.content
        words = self.job.words
        meeting = c["meeting"]
        meeting_parts = [esc(shown(part)) for part in (meeting["title"], meeting["organiser"],
                                                       shown_link(meeting["id_or_link"])) if part]
        details = []
        if c["purposes"]:
            details.append(esc(words(N_("For: {purposes}"), purposes=shown(words.listed(c["purposes"])))))
        if c["requested_by"]:
            details.append(esc(words(N_("Asked by: {requester}"), requester=shown(words.requester(c["requested_by"])))))
        for ref in c["terms"]:
            details.append(self.term(ref))
        if c["note"]:
            details.append(esc(words(N_("Note: {note}"), note=shown(c["note"], MAX_NOTE))))
        if (kept := words.kept(c)) is not None:
            details.append(esc(kept))
        if c["refers_to"]:
            details.append(_say(self.job, N_("Changes record {id}"), id=f'<code>{esc(shown(c["refers_to"]))}</code>'))
        decision = c["decision"]
        standing = entry.standing
        now = (f'<br><span class="small">{esc(words(N_("now: {status}"), status=words.standing(decision, standing)))}'
               '</span>' if standing.label != decision else "")
        css = decision if decision in DECISIONS else "unknown"
        return (f'<tr><td class="n">{entry.seq}</td><td>{esc(words.when(c["occurred_at"]))}</td>'
                f'<td class="d-{css}">{esc(words.decision(decision))}{now}</td>'
                f'<td>{self.subject(c["provider_id"], c["feature_id"])}</td>'
                f'<td>{"<br>".join(meeting_parts)}</td><td>{"<br>".join(details)}</td>'
                f'<td><code>{esc(shown(c["id"]))}</code></td></tr>\n')


def _say(job: ExportJob, template: str, **html: object) -> str:
    """``template`` in the export's language, escaped, with ``html`` (already escaped markup) filled in."""
    return esc(job.words(template)).format_map(html)


def _summary(job: ExportJob, summary: Summary) -> str:
    words = job.words
    report = job.verify
    parts = []
    if report is not None:
        state = "ok" if report.ok else "bad"
        head = (_say(job, N_("Records in the ledger: {count}; chain head: record {seq}, hash {hash}"),
                     count=esc(words.number(report.count)), seq=esc(report.head_seq),
                     hash=f'<span class="hash">{esc(report.head_hash or words(N_("none")))}</span>'))
        outcome = _say(job, N_("Ledger check: {outcome}"), outcome=esc(words.check(report)))
        parts.append(f'<div class="verify {state}"><strong>{outcome}</strong><br>{head}</div>')
    period = (_say(job, N_("decisions dated {first} to {last}"), first=esc(words.when(summary.first)),
                   last=esc(words.when(summary.last))) if summary.first else esc(words(N_("no records"))))
    parts.append("<p>" + _say(job, N_("{records} exported ({covers}); {period}."),
                              records=esc(words.records(summary.records)), covers=esc(words.covers(job.filter)),
                              period=period) + "</p>")
    rows = "".join(f'<tr><td class="d-{d}">{esc(words.decision(d))}</td><td class="n">{esc(words.number(n))}</td>'
                   f'<td class="n">{esc(words.number(now))}</td></tr>'
                   for d, n, now in summary.decisions())
    providers = "".join(
        f'<tr><td>{esc(job.facts.provider(p).name)} <span class="small">({esc(p)})</span></td>'
        f'<td class="n">{esc(words.number(n))}</td></tr>'
        for p, n in sorted(summary.by_provider.items(), key=lambda item: (-item[1], item[0])))
    parts.append(f'<div class="counts"><table><thead><tr><th>{_say(job, N_("Decision"))}</th>'
                 f'<th>{_say(job, N_("Recorded"))}</th><th>{_say(job, N_("In force now"))}</th>'
                 f'</tr></thead><tbody>{rows}</tbody></table>'
                 f'<table><thead><tr><th>{_say(job, N_("Provider"))}</th><th>{_say(job, N_("Records"))}</th></tr>'
                 f'</thead><tbody>{providers}</tbody></table></div>')
    return "\n".join(parts)


def write_html(job: ExportJob, out: BinaryIO) -> Written:
    summary = Summary()
    timeline = _Rows(job)
    rows = []
    for entry in job.entries(Order.OCCURRED_OLDEST):
        summary.add(entry)
        rows.append(timeline.row(entry))
    heading = esc(job.words.title(job.subject_name))
    exported = _say(job, N_("Exported {moment} by {app}. Times are UTC."),
                    moment=esc(job.words.when(job.generated_text)), app=esc(job.app))
    columns = "".join(f"<th>{_say(job, name)}</th>" for name in TIMELINE_COLUMNS)
    head = (
        f'<!DOCTYPE html>\n<html lang="{job.words.language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>\n{_css()}</style>\n</head>\n<body>\n"
        f"<h1>{heading}</h1>\n"
        f'<p class="meta">{exported}</p>\n'
        f"<h2>{_say(job, N_('Summary'))}</h2>\n{_summary(job, summary)}\n<h2>{_say(job, N_('Timeline'))}</h2>\n"
        f'<table class="timeline"><thead><tr>{columns}</tr></thead>\n<tbody>\n'
    )
    out.write(head.encode("utf-8"))
    for start in range(0, len(rows), 5000):
        out.write("".join(rows[start:start + 5000]).encode("utf-8"))
    out.write(b"</tbody></table>\n</body>\n</html>\n")
    return Written(summary.records)


TIMELINE_COLUMNS = (N_("#"), N_("When"), N_("Decision"), N_("Provider / feature"), N_("Meeting"), N_("Details"),
                    N_("Record id"))
