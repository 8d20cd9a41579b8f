"""One provider as an HTML page for the providers tab: AI features, clauses in force and
their history, documents and contacts; every statement with its source link and checked
date, and what was not checked against its source marked "unverified". Search words are
highlighted. Colours are passed in (derived from the palette by the caller)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from guard.presentation.i18n import _, colon, current_language, format_date, format_number, ngettext, words_for
from guard.presentation.wording import (
    ACTOR_NAMES,
    DOCUMENT_TYPES,
    KIND_NAMES,
    NO_TERMS_TRACKED,
    OPTION_NAMES,
    TRAINS_SHORT,
    feature_description,
    no_clauses_in_force,
    participant_notice,
    quoted,
    topic_label,
)
from guard.services import AiFeature, Clause, Provider, Source, clause_history, unverified_count
from ui.settings.common import esc

# Kept for callers that name a catalog value in words (the overview tab); translate with words_for.
ACTORS, OPTIONS, TRAINS = ACTOR_NAMES, OPTION_NAMES, TRAINS_SHORT


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
        return (f' <span style="background:{self.colours.badge}" title="{esc(_("not checked against its source"))}">'
                f"&nbsp;{esc(_('unverified'))}&nbsp;</span>")

    @staticmethod
    def link(url: object, label: object | None = None) -> str:
        return f'<a href="{esc(url)}">{esc(label if label is not None else url)}</a>'

    def checked(self, day: date) -> str:
        return esc(_("(checked {date})").format(date=format_date(day)))

    def source(self, source: Source) -> str:
        return f"{self.link(source.url, source.title or source.url)} {self.checked(source.checked)}"

    # -- sections ----------------------------------------------------------------------------
    def feature(self, feature: AiFeature, provider_id: str = "") -> str:
        rows = [
            (_("What it does"), self.text(feature_description(feature, provider_id))),
            (_("Switched on by"), self.text(", ".join(words_for(ACTOR_NAMES, a) for a in feature.enabled_by))),
            (_("Participants are shown"), self.text(participant_notice(feature, provider_id))),
            (_("Participants can"),
             self.text(", ".join(words_for(OPTION_NAMES, o) for o in feature.participant_options))),
            (_("Content may train AI models"), self.text(words_for(TRAINS_SHORT, feature.trains_models))),
        ]
        if feature.note:
            rows.append((_("Note") if current_language() == "en" else _("Note (in English)"), self.text(feature.note)))
        rows.append((_("Sources"), "<br>".join(self.source(s) for s in feature.sources)))
        body = "".join(f'<tr><td valign="top" style="padding-right:10px"><i>{esc(label)}</i></td><td>{value}</td></tr>'
                       for label, value in rows)
        return f"<h4>{self.text(feature.name)}{self.badge(feature.verified)}</h4><table>{body}</table>"

    def clause(self, clause: Clause, provider: Provider) -> str:
        document = provider.document(clause.document)
        title = document.title if document else clause.document
        where = _("{document}, section {section}").format(document=title, section=clause.section) \
            if clause.section else title
        start = format_date(clause.effective_from)
        when = (_("from {start} to {end}").format(start=start, end=format_date(clause.effective_to))
                if clause.effective_to else _("from {start} (no end known)").format(start=start))
        now = f" · <b>{esc(_('in force today'))}</b>" if clause.in_force_on(self.today) else ""
        parts = [f"<p><b>{self.text(where)}</b> · {self.text(topic_label(str(clause.topic)))} · {esc(when)}"
                 f"{now}{self.badge(clause.verified)}<br>",
                 self.text(quoted(clause.quote))]
        if clause.summary:
            parts.append(f"<br><i>{esc(_('In plain words:'))}</i> {self.text(clause.summary)}")
        if clause.note:
            label = _("Note:") if current_language() == "en" else _("Note (in English):")
            parts.append(f"<br><i>{esc(label)}</i> {self.text(clause.note)}")
        parts.append(f"<br><i>{esc(_('Source:'))}</i> {self.link(clause.source)} {self.checked(clause.checked)}</p>")
        return "".join(parts)

    def render(self, provider: Provider) -> str:
        unverified = unverified_count(provider)
        out = [f"<h2>{self.text(provider.name)}</h2>",
               f"<p>{self.text(provider.vendor)} · {self.text(words_for(KIND_NAMES, provider.kind))} · "
               f"{self.link(provider.homepage)}</p>"]
        if provider.note:
            out.append(f"<p><i>{self.text(provider.note)}</i></p>")
        if unverified:
            count = ngettext("{count} unverified item", "{count} unverified items", unverified).format(
                count=format_number(unverified))
            out.append(f'<p><span style="background:{self.colours.badge}">&nbsp;{esc(count)}&nbsp;</span> '
                       f"{esc(_('Statements marked unverified were not checked against their source.'))}</p>")
        out.append(f"<h3>{esc(_('AI features'))}</h3>")
        out += [self.feature(f, provider.id) for f in provider.ai_features] or [f"<p>{esc(_('None known.'))}</p>"]
        in_force = provider.clauses_in_force(self.today)
        out.append(f"<h3>{esc(_('Clauses in force today ({date})').format(date=format_date(self.today)))}</h3>")
        out += [self.clause(c, provider) for c in in_force] or [f"<p>{esc(no_clauses_in_force(provider))}.</p>"]
        threads = [t for t in clause_history(provider) if len(t.clauses) > 1 or not t.in_force(self.today)]
        if threads:
            out.append(f"<h3>{esc(_('Clause history'))}</h3>")
            for thread in threads:
                document = provider.document(thread.document)
                title = document.title if document else thread.document
                label = (_("{document}, section {section}").format(document=title, section=thread.section)
                         if thread.section else f"{title}, {topic_label(str(thread.topic))}")
                out.append(f"<h4>{self.text(label)}</h4>")
                out += [self.clause(c, provider) for c in thread.clauses]
        out.append(f"<h3>{esc(_('Documents watched'))}</h3><ul>")
        for document in provider.documents:
            out.append(f"<li>{self.text(document.title)} ({self.text(words_for(DOCUMENT_TYPES, document.type))})"
                       f"{esc(colon())}"
                       f"{self.link(document.url)} {self.checked(document.checked)}</li>")
        out.append("</ul>" if provider.tracks_terms else
                   f"<li>{esc(_('None: {reason}.').format(reason=_(NO_TERMS_TRACKED)))}</li></ul>")
        out.append(self.detection(provider))
        out.append(self.contacts(provider))
        return "".join(out)

    def detection(self, provider: Provider) -> str:
        detect = provider.detect
        names = sorted({n for os_name in ("linux", "windows", "macos") for n in
                        (*detect.for_os(os_name).processes, *detect.for_os(os_name).meeting_processes)})  # type: ignore[arg-type]
        heading = esc(_("How it is detected"))
        out = [f"<h3>{heading}{self.badge(detect.verified or not (names or detect.sources))}</h3>"]
        if names:
            out.append(f"<p>{esc(_('Process names:'))} {self.text(', '.join(names))}</p>")
        if detect.web.url_patterns:
            out.append(f"<p>{esc(_('Also detected in a browser, from the meeting page’s address.'))}</p>")
        if detect.note:
            out.append(f"<p><i>{self.text(detect.note)}</i></p>")
        if detect.sources:
            out.append(f"<p>{esc(_('Sources:'))}<br>" + "<br>".join(self.source(s) for s in detect.sources) + "</p>")
        return "".join(out)

    def contacts(self, provider: Provider) -> str:
        contacts = provider.contacts
        lines = []
        if contacts.controller:
            lines.append(esc(_("Data controller:")) + " " + self.text(contacts.controller))
        if contacts.privacy_email:
            lines.append(esc(_("Privacy email:")) + " " +
                         self.link("mailto:" + quote(contacts.privacy_email, safe="@"), contacts.privacy_email))
        if contacts.privacy_form:
            lines.append(esc(_("Privacy request form:")) + " " + self.link(contacts.privacy_form))
        if contacts.postal_address:
            lines.append(esc(_("Postal address:")) + " " + self.text(contacts.postal_address))
        if not lines:
            return ""
        sources = "".join(f"<br>{esc(_('Source:'))} {self.source(s)}" for s in contacts.sources)
        return f"<h3>{esc(_('Privacy contacts'))}</h3><p>" + "<br>".join(lines) + sources + "</p>"
