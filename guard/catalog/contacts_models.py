"""Where a provider's privacy letters go (``[contacts]`` in its catalog file): the controller
and its addresses as the privacy policy gives them, or, for software no company runs, who holds
the user's data instead. Used by the letters (guard.export) and checked by tests/catalog."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field, HttpUrl, field_validator, model_validator

from guard.catalog.model_base import MAX_NOTE, MODEL, FieldError, Source


class ContactKind(StrEnum):
    """Who a privacy letter about this provider goes to."""

    CONTROLLER = "controller"  # a company holds the user's data: its privacy contact
    NO_CONTROLLER = "no-controller"  # software run by its users (self-hosted, local, peer to peer): no provider
    DISCONTINUED = "discontinued"  # the service ended; controller fields name whoever a source says answers now
    NOT_FOUND = "not-found"  # looked for and not found in any source: the sources say where it was looked for


class WriteTo(StrEnum):
    """For software no company runs: who holds the user's meeting data instead."""

    SERVER_OPERATOR = "server-operator"  # whoever runs the server the user connected to
    ACCOUNT_PROVIDER = "account-provider"  # the SIP or XMPP service (or organisation) the user's account is with
    MEETING_HOST = "meeting-host"  # the organisation or person that hosted the meeting
    PARTICIPANT = "participant"  # the participant who recorded or transcribed it on their own device


class ProcessorFor(StrEnum):
    """Whom a provider says it processes meeting content for (GDPR Art. 28): that party, not the
    provider, is then the controller a participant's letter may need to reach."""

    MEETING_HOST = "meeting-host"  # the organisation that hosted or recorded the meeting (its business customer)


class RoleSource(Source):
    """A source for the provider's processor role, with the words that say so (``quote``, one
    line as read) and whether they were read in the provider's own text (``verified``)."""

    quote: str = Field(min_length=3, max_length=600)
    verified: bool = False

    @field_validator("quote")
    @classmethod
    def _one_line(cls, text: str) -> str:
        if text != text.strip() or any(ch in text for ch in "\n\r\t"):
            raise ValueError("the quote must be one line without leading or trailing spaces")
        return text


CONTACT_FIELDS = ("controller", "privacy_email", "privacy_form", "postal_address", "eu_controller",
                   "eu_postal_address", "dpo", "dpo_email", "dpo_form", "eu_representative", "eu_representative_email")


class Contacts(BaseModel):
    """Where privacy requests and letters go, as the provider's privacy policy gives them.

    ``controller``/``postal_address`` are the data controller the policy names; where users in
    the EEA have another controller (an Irish or Dutch affiliate), ``eu_controller`` and
    ``eu_postal_address`` name it. ``eu_representative`` is the Article 27 GDPR representative
    of a controller with no EU establishment. ``kind`` says whether there is a controller at
    all: software that its users run themselves has none, and a letter to "the provider" would
    go nowhere, so ``write_to`` says who holds the data instead (see :class:`ContactKind`).

    ``processor_for`` records that the provider's own terms say it processes meeting content on
    behalf of someone else (business accounts, a note-taker a host invited), quoted in
    ``processor_sources``; letters then also offer to write to that controller. Unset means the
    catalog makes no claim either way.
    """

    model_config = MODEL
    kind: ContactKind = ContactKind.CONTROLLER
    write_to: tuple[WriteTo, ...] = ()  # no-controller: who to write to instead, most likely first
    controller: str | None = None  # the legal entity responsible (data controller)
    privacy_email: str | None = None
    privacy_form: HttpUrl | None = None
    postal_address: str | None = None
    eu_controller: str | None = None
    eu_postal_address: str | None = None
    dpo: str | None = None  # the data protection officer (name or office), where one is named
    dpo_email: str | None = None
    dpo_form: HttpUrl | None = None
    eu_representative: str | None = None  # Art. 27 GDPR representative: name and address
    eu_representative_email: str | None = None
    processor_for: ProcessorFor | None = None
    processor_sources: tuple[RoleSource, ...] = ()
    sources: tuple[Source, ...] = ()
    verified: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("privacy_email", "dpo_email", "eu_representative_email")
    @classmethod
    def _plain_email(cls, value: str | None) -> str | None:
        # Only what plain addresses use: it becomes a "mailto:" link, where '?', '&', '#', '%' or
        # ',' would add fields (attach, cc, body: RFC 6068) or recipients the user never sees.
        if value is not None and (value.count("@") != 1 or len(value) > 254 or not all(
                ch.isalnum() or ch in "._+-@" for ch in value) or value.startswith(("mailto:", "@"))
                or value.endswith("@")):
            raise ValueError(f"{value[:80]!r} is not a plain e-mail address (letters, digits and . _ + - around "
                             "one @)")
        return value

    @model_validator(mode="after")
    def _sourced(self) -> Contacts:
        stated = [name for name in CONTACT_FIELDS if getattr(self, name)]
        if stated and not self.sources:
            raise FieldError(("sources",), f"contacts ({', '.join(stated)}) need at least one source")
        if self.kind != ContactKind.CONTROLLER and not self.sources:
            raise FieldError(("sources",), f"contacts of kind '{self.kind}' need a source saying so")
        if self.kind == ContactKind.NO_CONTROLLER:
            if stated:
                raise FieldError((stated[0],), "a 'no-controller' entry names no controller or address: "
                                 "letters go to whoever 'write_to' says")
            if not self.write_to:
                raise FieldError(("write_to",), "a 'no-controller' entry says who to write to instead "
                                 f"({', '.join(w.value for w in WriteTo)})")
        elif self.write_to:
            raise FieldError(("write_to",), "only a 'no-controller' entry has 'write_to'")
        if self.kind == ContactKind.NOT_FOUND and (stated or not self.note):
            raise FieldError(("note",), "a 'not-found' entry names no contact and its note says what was searched")
        return self._processor_role_sourced()

    def _processor_role_sourced(self) -> Contacts:
        if self.processor_for is not None and not self.processor_sources:
            raise FieldError(("processor_sources",), f"processor_for = '{self.processor_for}' needs at least one "
                             "[[contacts.processor_sources]] (url, checked, the quote saying so, verified)")
        if self.processor_for is None and self.processor_sources:
            raise FieldError(("processor_for",), "processor_sources are given but processor_for is not: say whom "
                             f"the provider processes for ({', '.join(p.value for p in ProcessorFor)})")
        if self.processor_for is not None and self.kind == ContactKind.NO_CONTROLLER:
            raise FieldError(("processor_for",), "a 'no-controller' entry has no provider acting as anyone's "
                             "processor: letters already go to whoever 'write_to' says")
        return self

    @property
    def processor_verified(self) -> bool:
        """Whether any source for the processor role was read in the provider's own text."""
        return any(source.verified for source in self.processor_sources)

    @property
    def known(self) -> bool:
        """Whether a letter can be addressed from the catalog: an e-mail, form or postal address."""
        return any((self.privacy_email, self.privacy_form, self.postal_address, self.eu_postal_address,
                    self.dpo_email, self.dpo_form))
