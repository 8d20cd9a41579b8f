"""One provider as an HTML page for the providers tab: AI features, clauses in force and
their history, documents and contacts; every statement with its source link and checked
date, and what was not checked against its source marked "unverified". Search words are
highlighted. Colours are passed in (derived from the palette by the caller)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from guard.presentation.wording import NO_TERMS_TRACKED
from guard.services import AiFeature, Clause, Provider, Source, clause_history, unverified_count
from ui.settings.common import esc

ACTORS = {"host": "the host", "account-admin": "an account admin", "participant": "a participant",
          "any-participant": "any participant", "provider": "the provider"}
OPTIONS = {"consent": "consent", "leave": "leave the meeting", "request-stop": "ask the host to stop it",
           "opt-out": "opt out", "nothing": "nothing"}
TRAINS = {"yes": "yes", "no": "no", "opt-out": "yes, unless you opt out", "opt-in": "only if you opt in",
          "unknown": "not known"}


@dataclass(frozen=True)
class PageColours:
    mark: str  # search hits
    badge: str  # the "unverified" badge's background


class ProviderPage:
    def __init__(self, colours: PageColours, query: str = "", today: date | None = None) -> None:
        self.colours = colours
        words = [re.escape(w) for w in query.split() if w]
        self._hit = re.compile("|".join(words), re.IGNORECASE) if words else None
        self.today = today or date.today()

    # -- pieces ------------------------------------------------------------------------------
    def text(self, value: object) -> str:
        """Escaped text with search words highlighted."""
        raw = str(value)
        if self._hit is None:
            return esc(raw)
        out, last = [], 0
        for match in self._hit.finditer(raw):
            out.append(esc(raw[last:match.start()]))
            out.append(f'<span style="background:{self.colours.mark}">{esc(match.group())}</span>')
            last = match.end()
        out.append(esc(raw[last:]))
        return "".join(out)

    def badge(self, verified: bool) -> str:
        if verified:
            return ""
        return (f' <span style="background:{self.colours.badge}" title="not checked against its source">'
                "&nbsp;unverified&nbsp;</span>")

    @staticmethod
    def link(url: object, label: object | None = None) -> str:
        return f'<a href="{esc(url)}">{esc(label if label is not None else url)}</a>'

    def source(self, source: Source) -> str:
        return f"{self.link(source.url, source.title or source.url)} (checked {source.checked.isoformat()})"

    # -- sections ----------------------------------------------------------------------------
    def feature(self, feature: AiFeature) -> str:
        rows = [
            ("What it does", self.text(feature.description)),
            ("Switched on by", self.text(", ".join(ACTORS.get(str(a), str(a)) for a in feature.enabled_by))),
            ("Participants are shown", self.text(feature.participant_notice)),
            ("Participants can",
             self.text(", ".join(OPTIONS.get(str(o), str(o)) for o in feature.participant_options))),
            ("Content may train AI models",
             self.text(TRAINS.get(str(feature.trains_models), str(feature.trains_models)))),
        ]
        if feature.note:
            rows.append(("Note", self.text(feature.note)))
        rows.append(("Sources", "<br>".join(self.source(s) for s in feature.sources)))
        body = "".join(f'<tr><td valign="top" style="padding-right:10px"><i>{label}</i></td><td>{value}</td></tr>'
                       for label, value in rows)
        return f"<h4>{self.text(feature.name)}{self.badge(feature.verified)}</h4><table>{body}</table>"

    def clause(self, clause: Clause, provider: Provider) -> str:
        document = provider.document(clause.document)
        where = (document.title if document else clause.document) + (
            f", section {clause.section}" if clause.section else "")
        until = f" to {clause.effective_to.isoformat()}" if clause.effective_to else " (no end known)"
        now = " · <b>in force today</b>" if clause.in_force_on(self.today) else ""
        parts = [f"<p><b>{self.text(where)}</b> · {self.text(clause.topic)} · from "
                 f"{clause.effective_from.isoformat()}{until}{now}{self.badge(clause.verified)}<br>",
                 f"“{self.text(clause.quote)}”"]
        if clause.summary:
            parts.append(f"<br><i>In plain words:</i> {self.text(clause.summary)}")
        if clause.note:
            parts.append(f"<br><i>Note:</i> {self.text(clause.note)}")
        parts.append(f"<br><i>Source:</i> {self.link(clause.source)} (checked {clause.checked.isoformat()})</p>")
        return "".join(parts)

    def render(self, provider: Provider) -> str:
        unverified = unverified_count(provider)
        out = [f"<h2>{self.text(provider.name)}</h2>",
               f"<p>{self.text(provider.vendor)} · {self.text(provider.kind)} · {self.link(provider.homepage)}</p>"]
        if provider.note:
            out.append(f"<p><i>{self.text(provider.note)}</i></p>")
        if unverified:
            out.append(f'<p><span style="background:{self.colours.badge}">&nbsp;{unverified} unverified '
                       f"item{'s' if unverified != 1 else ''}&nbsp;</span> Statements marked unverified were not "
                       "checked against their source.</p>")
        out.append("<h3>AI features</h3>")
        out += [self.feature(f) for f in provider.ai_features] or ["<p>None known.</p>"]
        in_force = provider.clauses_in_force(self.today)
        out.append(f"<h3>Clauses in force today ({self.today.isoformat()})</h3>")
        out += [self.clause(c, provider) for c in in_force] or ["<p>None recorded in the catalog.</p>"]
        threads = [t for t in clause_history(provider) if len(t.clauses) > 1 or not t.in_force(self.today)]
        if threads:
            out.append("<h3>Clause history</h3>")
            for thread in threads:
                document = provider.document(thread.document)
                title = document.title if document else thread.document
                label = f"{title}, section {thread.section}" if thread.section else f"{title}, {thread.topic}"
                out.append(f"<h4>{self.text(label)}</h4>")
                out += [self.clause(c, provider) for c in thread.clauses]
        out.append("<h3>Documents watched</h3><ul>")
        for document in provider.documents:
            out.append(f"<li>{self.text(document.title)} ({self.text(document.type)}): {self.link(document.url)} "
                       f"(checked {document.checked.isoformat()})</li>")
        out.append("</ul>" if provider.tracks_terms else f"<li>None: {NO_TERMS_TRACKED}.</li></ul>")
        out.append(self.detection(provider))
        out.append(self.contacts(provider))
        return "".join(out)

    def detection(self, provider: Provider) -> str:
        detect = provider.detect
        names = sorted({n for os_name in ("linux", "windows", "macos") for n in
                        (*detect.for_os(os_name).processes, *detect.for_os(os_name).meeting_processes)})  # type: ignore[arg-type]
        out = [f"<h3>How it is detected{self.badge(detect.verified or not (names or detect.sources))}</h3>"]
        if names:
            out.append(f"<p>Process names: {self.text(', '.join(names))}</p>")
        if detect.web.url_patterns:
            out.append("<p>Also detected in a browser, from the meeting page's address.</p>")
        if detect.note:
            out.append(f"<p><i>{self.text(detect.note)}</i></p>")
        if detect.sources:
            out.append("<p>Sources:<br>" + "<br>".join(self.source(s) for s in detect.sources) + "</p>")
        return "".join(out)

    def contacts(self, provider: Provider) -> str:
        contacts = provider.contacts
        lines = []
        if contacts.controller:
            lines.append(f"Data controller: {self.text(contacts.controller)}")
        if contacts.privacy_email:
            lines.append(f"Privacy email: {self.link('mailto:' + contacts.privacy_email, contacts.privacy_email)}")
        if contacts.privacy_form:
            lines.append(f"Privacy request form: {self.link(contacts.privacy_form)}")
        if contacts.postal_address:
            lines.append(f"Postal address: {self.text(contacts.postal_address)}")
        if not lines:
            return ""
        sources = "".join(f"<br>Source: {self.source(s)}" for s in contacts.sources)
        return "<h3>Privacy contacts</h3><p>" + "<br>".join(lines) + sources + "</p>"
