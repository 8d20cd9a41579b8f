"""Letters to a provider's privacy contact, from a recorded decision or a whole provider:

* ``withdrawal``: withdrawal of consent (GDPR Art. 7(3));
* ``objection``: objection to processing for AI training (Art. 21);
* ``access``: access request asking what of the user's data was used to train or tune
  models (Art. 15).

:func:`compose_letter` is pure (facts in, :class:`Letter` out); the letter bodies are the
wording of :mod:`guard.export.letter_words`, in English, German, French, Spanish, Italian or
Dutch (the GDPR cited as each language's official text names it). Whatever the catalog does
not know (the controller's address, the user's own details) is a clearly marked
``[FILL IN: ...]`` placeholder, never a guess. :mod:`guard.export.letter_source` gathers the facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from guard.export.export_words import separated
from guard.export.facts import ProviderFacts, RoleSourceFact, SourceFact
from guard.export.letter_words import Wording
from guard.export.output import atomic_file
from guard.text_controls import BIDI_CONTROLS, CONTROL_CHARACTERS, LINE_SEPARATORS, collapse_spaces

MAX_LISTED = 20  # records cited in one letter; older ones are counted, not listed
VALUE_LIMIT = 300  # characters of one value (a title, a name) a letter quotes

# Control characters (C0, DEL, C1), line and paragraph separators become spaces; the bidi
# controls (guard.text_controls: marks, embeddings, overrides, isolates) are dropped (they can
# make a line read as something else). Letters quote meeting titles a host or a web page chose.
_ONE_LINE: dict[int, str | None] = {code: " " for code in CONTROL_CHARACTERS | LINE_SEPARATORS}
_ONE_LINE.update({code: None for code in BIDI_CONTROLS})
_ONE_LINE_TABLE = str.maketrans(_ONE_LINE)


def one_line(value: str | None, limit: int = VALUE_LIMIT) -> str:
    """``value`` as one line of plain text: no control characters, no line breaks, runs of
    spaces made one, at most ``limit`` characters (cut with "…")."""
    if not value:
        return ""
    text = collapse_spaces(value.translate(_ONE_LINE_TABLE))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class LetterKind(StrEnum):
    WITHDRAWAL = "withdrawal"
    OBJECTION = "objection"
    ACCESS = "access"

    @property
    def article(self) -> str:
        return {"withdrawal": "Art. 7(3)", "objection": "Art. 21", "access": "Art. 15"}[self.value]


@dataclass(frozen=True)
class TermsInForce:
    """A terms version in force at a decision: recorded with it, or inferred from the
    versions this app had seen by then (``recorded`` False)."""

    document_id: str
    sha256: str
    url: str | None
    title: str | None = None
    recorded: bool = True
    seen: str | None = None  # for inferred versions: when the app first saw (or dated) it

    def describe(self, words: Wording | None = None) -> str:
        words = words or Wording("en")
        name = self.title or self.document_id  # the catalog's title; its id only when it has none
        text = words.word("terms_version", document=name, sha256=self.sha256)
        if self.url:
            text += f", {self.url}"
        if not self.recorded:
            text += " " + words.word("terms_inferred", seen=self.seen or "")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "sha256": self.sha256, "url": self.url, "title": self.title,
                "recorded": self.recorded, "seen": self.seen}


@dataclass(frozen=True)
class CitedRecord:
    """A recorded decision as a letter cites it."""

    id: str
    occurred_at: str  # UTC ISO text
    decision: str
    status_now: str
    feature: str | None  # display name
    meeting_title: str | None = None
    meeting_link: str | None = None
    organiser: str | None = None
    purposes: tuple[str, ...] = ()
    terms: tuple[TermsInForce, ...] = ()

    def lines(self, words: Wording | None = None) -> list[str]:
        """The record as the letter lists it; every value on one line (see :func:`one_line`)."""
        words = words or Wording("en")
        lines = [words.word("record_line", decision=words.decision(one_line(self.decision)),
                            when=one_line(words.moment(self.occurred_at)), id=one_line(self.id))]
        if self.status_now != self.decision:
            lines.append(words.word("status_now", status=words.status(one_line(self.status_now))))
        title = words.word("quoted", text=one_line(self.meeting_title)) if self.meeting_title else None
        meeting = [part for part in (title,
                                     words.word("organised_by", organiser=one_line(self.organiser))
                                     if self.organiser else None,
                                     one_line(self.meeting_link)) if part]
        if meeting:
            lines.append(words.word("meeting", meeting=", ".join(meeting)))
        if self.feature:
            lines.append(words.word("feature", feature=one_line(self.feature)))
        if self.purposes:
            lines.append(words.word("purposes", purposes=separated(words.t, (one_line(p) for p in self.purposes))))
        for terms in self.terms:
            lines.append(words.word("terms", terms=one_line(terms.describe(words), 2 * VALUE_LIMIT)))
        if not self.terms:
            lines.append(words.word("terms_none"))
        return lines


@dataclass(frozen=True)
class Recipient:
    controller: str | None
    email: str | None
    postal_address: str | None
    privacy_form: str | None
    sources: tuple[SourceFact, ...] = ()
    kind: str = "controller"  # guard.catalog.models.ContactKind; "no-controller": write to ``write_to`` instead
    write_to: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"controller": self.controller, "email": self.email, "postal_address": self.postal_address,
                "privacy_form": self.privacy_form, "sources": [s.to_dict() for s in self.sources],
                "kind": self.kind, "write_to": list(self.write_to)}


def fill_in(what: str, words: Wording | None = None) -> str:
    """A placeholder the user must replace before sending."""
    return (words or Wording("en")).word("fill_in", what=what)


class Blanks:
    """Fills a letter's blanks: a known value as one plain line, else a ``[FILL IN: ...]``
    placeholder, remembered in the order the letter shows them."""

    def __init__(self, words: Wording) -> None:
        self.words = words
        self._found: list[str] = []

    def __call__(self, value: str | None, what: str) -> str:
        if value and one_line(value):
            return one_line(value)
        text = fill_in(what, self.words)
        self._found.append(text)
        return text

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._found))


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    provider_id: str
    provider_name: str
    recipient: Recipient
    subject: str
    text: str
    records: tuple[CitedRecord, ...] = ()
    placeholders: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # about the letter, for the user, in its language (guard.export.letter_source)
    written_on: date = field(default_factory=date.today)
    language: str = "en"
    notice: str = ""  # what the user must know about the recipient before sending (no controller, service ended)
    addressee: str = "provider"  # or "meeting-host": the organisation that hosted or recorded the meeting
    processor_for: str | None = None  # the catalog's ProcessorFor for the provider, where its terms say so
    processor_sources: tuple[RoleSourceFact, ...] = ()

    @property
    def offers_host_letter(self) -> bool:
        """Whether a second letter to the organisation that hosted or recorded the meeting (the
        controller, where the provider is its processor) is worth offering next to this one."""
        return self.addressee == "provider" and self.processor_for is not None

    @property
    def article(self) -> str:
        return f"GDPR {self.kind.article}"

    @property
    def mailto(self) -> str:
        """A ``mailto:`` URI (RFC 6068): the privacy e-mail (if known), subject and body,
        percent-encoded as UTF-8, line breaks as ``%0D%0A``."""
        to = quote(self.recipient.email, safe="@") if self.recipient.email else ""
        body = self.text.replace("\r\n", "\n").replace("\n", "\r\n")
        return f"mailto:{to}?subject={quote(self.subject, safe='')}&body={quote(body, safe='')}"

    def to_pdf(self, path: Path | str) -> Path:
        """Write the letter as a tagged PDF/A-2b (text extractable, URLs as links); returns the path."""
        import io
        from datetime import UTC, datetime

        from guard.export.pdf_layout import PdfLayout  # reportlab is loaded only when needed
        from guard.export.pdf_tags import finish

        path = Path(path)
        urls = [u for u in (self.recipient.privacy_form, *(t.url for r in self.records for t in r.terms)) if u]
        raw = io.BytesIO()
        pdf = PdfLayout(raw, title=self.subject, subject=self.article, footer=self.subject, language=self.language)
        for line in self.text.split("\n"):
            if line.strip():
                subject = line.endswith(self.subject) and line != self.subject
                pdf.paragraph(line, 10.5, bold=subject, indent=12 if line.startswith("  ") else 0, urls=urls,
                              role="H1" if subject else "P")
            else:
                pdf.space(7)
        pdf.save()
        data = finish(raw.getvalue(), pdf.root, title=pdf.title, language=self.language, pdfa=pdf.fonts.embedded,
                      created=datetime.combine(self.written_on, datetime.min.time(), UTC), subject=self.article)
        with atomic_file(path) as out:
            out.write(data)
        return path.expanduser().absolute()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "article": self.article, "provider_id": self.provider_id,
                "provider_name": self.provider_name, "to": self.recipient.to_dict(), "subject": self.subject,
                "text": self.text, "mailto": self.mailto, "records": [r.id for r in self.records],
                "terms": [t.to_dict() for r in self.records for t in r.terms],
                "placeholders": list(self.placeholders), "warnings": list(self.warnings),
                "date": self.written_on.isoformat(), "language": self.language,
                "notice": self.notice, "addressee": self.addressee, "processor_for": self.processor_for,
                "processor_sources": [source.to_dict() for source in self.processor_sources]}


def compose_letter(kind: LetterKind | str, provider: ProviderFacts, records: list[CitedRecord], *,
                   name: str | None = None, service: str | None = None, today: date | None = None,
                   older: int = 0, warnings: tuple[str, ...] = (), language: str = "en") -> Letter:
    """The letter of ``kind`` to ``provider`` citing ``records`` (newest first), in ``language``.
    ``older`` counts records left out of the list; ``service`` names what is concerned (default:
    the provider, or the one feature all records share)."""
    kind = LetterKind(kind)
    words = Wording(language)
    today = today or date.today()
    known = Blanks(words)
    name = one_line(name) or None
    provider_name = one_line(provider.name)
    features = {r.feature for r in records}
    service = one_line(service or (words.word("service_feature", label=provider.name, value=str(next(iter(features))))
                                   if len(features) == 1 and None not in features else provider.name))
    where = provider.policy_document()
    look_up = words.word("look_up_at", url=where.url) if where else words.word("look_up")
    controller, postal = gdpr_controller(provider)
    recipient = Recipient(controller, provider.privacy_email, postal, provider.privacy_form,
                          provider.contact_sources, provider.contact_kind, provider.write_to)
    notice: list[str] = []
    if provider.contact_kind == "no-controller":
        who = words.word("who_or").join(words.word(f"who_{w}", provider=provider_name) for w in provider.write_to)
        notice.append(words.word("no_controller", provider=provider_name, who=who))
        to_lines = [known(None, words.word("fill_who", who=who)),
                    words.word("email", email=known(None, words.word("fill_who_email")))]
    else:
        to_lines = _controller_lines(provider, words, known, look_up)
    if provider.ended_on and provider.ended_on <= today.isoformat():
        ended = words.date(date.fromisoformat(provider.ended_on))
        notice.append(words.word("ended", provider=provider_name, date=ended))
        if provider.successor:
            notice.append(words.word("ended_successor", successor=one_line(provider.successor)))
        controller = provider.eu_controller or provider.controller
        notice.append(words.word("ended_contact", controller=one_line(controller)) if controller
                      else words.word("ended_unknown"))
    if provider.contact_kind != "no-controller" and not provider.contact_verified and any(
            (provider.controller, provider.privacy_email, provider.postal_address, provider.privacy_form,
             provider.eu_controller, provider.eu_postal_address)):
        notice.append(words.word("unconfirmed", provider=provider_name))  # never sent on an unchecked address unawares
    body = words.body(str(kind), service, cited_text(records, older, words, provider_name)).rstrip("\n")
    if provider.processor_for:  # its terms say it processes for the organisation that hosted or recorded
        notice.append(words.word("processor_notice", provider=provider_name))
        if not provider.processor_verified:
            notice.append(words.word("processor_unconfirmed", provider=provider_name))
        body += "\n\n" + words.word("processor_forward")
    subject = words.subject(str(kind), service)
    text = assemble(words, today, sender_lines(words, known, name, provider_name), to_lines, subject, kind, body,
                    known(name, words.word("fill_signature")))
    return Letter(kind=kind, provider_id=provider.id, provider_name=provider.name, recipient=recipient,
                  subject=subject, text=text, records=tuple(records), placeholders=known.placeholders,
                  warnings=warnings, written_on=today, language=words.language, notice=" ".join(notice),
                  processor_for=provider.processor_for, processor_sources=provider.processor_sources)


def sender_lines(words: Wording, known: Callable[[str | None, str], str], name: str | None,
                 provider_name: str) -> list[str]:
    """The sender block: the user's name, address and the account they use with the provider."""
    return [known(name, words.word("fill_name")), known(None, words.word("fill_address")),
            words.word("account", provider=provider_name,
                       account=known(None, words.word("fill_account", provider=provider_name)))]


def cited_text(records: list[CitedRecord], older: int, words: Wording, provider_name: str) -> str:
    """The cited records as the letter lists them (or a line saying none is recorded)."""
    cited = [line for record in records for line in record.lines(words)]
    if older:
        cited.append(words.older(older, provider_name))
    return "\n".join(cited or [words.word("none", provider=provider_name)])


def assemble(words: Wording, today: date, sender: list[str], to_lines: list[str], subject: str, kind: LetterKind,
             body: str, signature: str) -> str:
    """The letter's text: sender, date, recipient, subject and legal basis, body, closing, signature."""
    return "\n".join([*sender, "", words.date(today), "", *to_lines, "", words.word("subject", subject=subject),
                      words.legal_basis(str(kind)), "", body, "", words.word("closing"), "", signature, ""])


def gdpr_controller(provider: ProviderFacts) -> tuple[str | None, str | None]:
    """Who a GDPR letter goes to, and where: the controller for the EEA where the catalog names
    one (Google Ireland, not Google LLC "outside the EEA"), else the controller the policy names."""
    if provider.eu_controller or provider.eu_postal_address:
        return provider.eu_controller or provider.controller, provider.eu_postal_address
    return provider.controller, provider.postal_address


def _controller_lines(provider: ProviderFacts, words: Wording, known: Callable[[str | None, str], str],
                      look_up: str) -> list[str]:
    """The recipient block for a provider with a controller: its name, postal address, e-mail,
    web form and DPO, each a placeholder where the catalog does not know it."""
    controller, postal = gdpr_controller(provider)
    to_lines = [known(controller, words.word("fill_controller", look_up=look_up)), words.word("contact"),
                known(postal, words.word("fill_postal", look_up=look_up)),
                words.word("email", email=known(provider.privacy_email, words.word("fill_email", look_up=look_up)))]
    if provider.privacy_form:
        to_lines.append(words.word("form", url=one_line(provider.privacy_form)))
    if provider.dpo or provider.dpo_email:
        to_lines.append(words.word("dpo", dpo=", ".join(one_line(v) for v in (provider.dpo, provider.dpo_email) if v)))
    return to_lines
