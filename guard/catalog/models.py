"""The provider catalog's schema: one TOML file per provider in resources/catalog/.

Every statement about a provider carries where it comes from (a URL) and when it was
checked; ``verified`` is true only when the wording was compared with that source.
"""

from __future__ import annotations

import re

from datetime import date
from enum import StrEnum
from typing import Literal
from urllib.parse import quote

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

from guard.patterns import PatternError, compile_pattern, normalize_text

_MODEL = ConfigDict(extra="forbid", frozen=True)
Slug = str  # lowercase id: letters, digits, '-' (checked by the validators below)


class FieldError(ValueError):
    """A model-level check that knows which field is at fault (``loc`` relative to the model)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


_SLUG = re.compile(r"[a-z0-9.-]+")  # ASCII only: str.islower() also takes Cyrillic 'о' in a look-alike 'zооm'


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        shown = value.encode("ascii", "backslashreplace").decode("ascii")
        raise ValueError(f"'{shown}' must be lowercase ASCII letters (a-z), digits, '-' or '.'")
    return value


class ProviderKind(StrEnum):
    MEETING_CLIENT = "meeting-client"
    BROWSER_MEETING = "browser-meeting"
    NOTETAKER = "notetaker"
    CHAT_WITH_CALLS = "chat-with-calls"


class Actor(StrEnum):
    """Who can switch a feature on."""

    HOST = "host"
    ACCOUNT_ADMIN = "account-admin"
    PARTICIPANT = "participant"
    ANY_PARTICIPANT = "any-participant"
    PROVIDER = "provider"


class ParticipantOption(StrEnum):
    """What a participant can do when a feature is turned on by someone else."""

    CONSENT = "consent"
    LEAVE = "leave"
    REQUEST_STOP = "request-stop"
    OPT_OUT = "opt-out"
    NOTHING = "nothing"


class TrainsModels(StrEnum):
    """Whether content handled by a feature may train AI models, per the provider's own words."""

    YES = "yes"
    NO = "no"
    OPT_OUT = "opt-out"
    OPT_IN = "opt-in"
    UNKNOWN = "unknown"


class DocumentType(StrEnum):
    TERMS = "terms-of-service"
    PRIVACY = "privacy-statement"
    AI_TERMS = "ai-terms"
    OTHER = "other"


class ClauseTopic(StrEnum):
    """Topics the terms classifier and the catalog share: what a privacy lawyer reads terms for.

    ``opt-out`` (the id before consent and opt-out became one topic) still loads, as
    ``consent-opt-out``; ``OPT_OUT`` names the same member for code written against it.
    """

    AI_TRAINING = "ai-training"
    CONTENT_LICENCE = "content-licence"
    SERVICE_GENERATED_DATA = "service-generated-data"
    CONTENT_DEFINITION = "content-definition"
    THIRD_PARTY_SHARING = "third-party-sharing"
    RETENTION = "retention"
    RECORDING_TRANSCRIPTION = "recording-transcription"
    BIOMETRIC_VOICE = "biometric-voice"
    CONSENT_OPT_OUT = "consent-opt-out"
    OTHER = "other"
    OPT_OUT = "consent-opt-out"  # alias of CONSENT_OPT_OUT (the old member name)

    @classmethod
    def _missing_(cls, value: object) -> ClauseTopic | None:
        return cls.CONSENT_OPT_OUT if value in OLD_TOPIC_IDS else None


OLD_TOPIC_IDS = frozenset({"opt-out"})
"""Topic ids of earlier catalog files that load as today's topics."""


class Source(BaseModel):
    """Where a statement comes from and when that was checked."""

    model_config = _MODEL
    url: HttpUrl
    checked: date
    title: str | None = None


# RE2's program size of one detection pattern (guard.patterns.Pattern.cost); the shipped ones are at most
# 222. RE2 is linear in the text, but each character costs in proportion to this when its DFA gives up.
PATTERN_COST_LIMIT = 400


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Every pattern must compile with RE2 (linear-time matching); the error names the pattern and
    says why, e.g. that lookarounds and backreferences cannot be used, or that it is too costly."""
    for index, pattern in enumerate(patterns):
        try:
            cost = compile_pattern(pattern).cost
        except PatternError as error:
            raise FieldError((index,), str(error)) from None
        if cost > PATTERN_COST_LIMIT:
            raise FieldError((index,), f"pattern {pattern[:80]!r} is too costly to match on every title (RE2 "
                             f"program size {cost}; at most {PATTERN_COST_LIMIT}): counted repeats such as "
                             "'.{0,200}' multiply the work; write a shorter, more specific pattern")
    return patterns


def pattern_cost(detect: Detect) -> int:
    """What matching all of ``detect``'s patterns costs per character of text (sum of RE2 program sizes)."""
    lists = [detect.participant_names, detect.web.url_patterns, detect.web.url_excludes,
             detect.web.meeting_window_titles]
    for platform in (detect.linux, detect.windows, detect.macos):
        lists += [platform.window_titles, platform.meeting_window_titles]
    return sum(compile_pattern(pattern).cost for patterns in lists for pattern in patterns)


class PlatformDetect(BaseModel):
    """Detection data for one OS. Process names as the OS reports them; titles are RE2 patterns
    matched against the normalised title (see :func:`guard.patterns.normalize_text`).

    ``processes`` say the app is running; ``meeting_processes`` exist only while a meeting is
    on; ``meeting_window_titles`` match a meeting window and must not match the home screen.
    ``bundle_ids`` (macOS) are the apps' bundle identifiers, which the OS reports for running
    apps whatever the executable is called.
    """

    model_config = _MODEL
    processes: tuple[str, ...] = ()
    meeting_processes: tuple[str, ...] = ()
    window_titles: tuple[str, ...] = ()
    meeting_window_titles: tuple[str, ...] = ()
    bundle_ids: tuple[str, ...] = ()

    _patterns = field_validator("window_titles", "meeting_window_titles")(_check_patterns)


class WebDetect(BaseModel):
    """Meetings in a browser: URL patterns and tab-title patterns (RE2). Tab titles are matched
    after the browser's own suffix (" - Google Chrome", " — Mozilla Firefox") is taken off.

    ``hosts`` are the host names meeting pages are served from (``*.`` for any subdomain),
    for the browser extension's host permissions; every ``url_patterns`` match is on one of
    them, except app links (``zoommtg:``, ``msteams:``), which only appear on command lines.
    ``url_excludes`` name pages on a meeting host that a room pattern would also match
    (``whereby.com/pricing``): RE2 has no lookahead, so exclusions are patterns of their own.
    """

    model_config = _MODEL
    hosts: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()
    url_excludes: tuple[str, ...] = ()
    meeting_window_titles: tuple[str, ...] = ()

    _patterns = field_validator("url_patterns", "url_excludes", "meeting_window_titles")(_check_patterns)

    def is_meeting_url(self, url: str) -> bool:
        """A url_pattern matches and no url_exclude does (e.g. whereby.com/<room> but not whereby.com/pricing)."""
        return (any(compile_pattern(p).search(url) for p in self.url_patterns)
                and not any(compile_pattern(p).search(url) for p in self.url_excludes))

    @field_validator("hosts")
    @classmethod
    def _hosts_are_plain(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        for host in hosts:
            bare = host.removeprefix("*.")
            plain = all(ch.isascii() and (ch.isalnum() or ch in "-.") for ch in bare)
            if not bare or not plain or bare != bare.lower():
                raise ValueError(f"host {host!r} must be a lowercase host name, optionally starting with '*.'")
        return hosts


class Detect(BaseModel):
    """How to tell the client is running and in a meeting, with where that was learnt.

    ``participant_names`` are RE2 patterns (searched; write ``(?i)`` for case-insensitive) for
    the display name a bot note-taker has in a meeting's participant list, e.g. the name
    Fireflies gives its bot. They describe what other participants see, not a local process.
    """

    model_config = _MODEL
    linux: PlatformDetect = PlatformDetect()
    windows: PlatformDetect = PlatformDetect()
    macos: PlatformDetect = PlatformDetect()
    web: WebDetect = WebDetect()
    participant_names: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    verified: bool = False
    note: str | None = None

    _patterns = field_validator("participant_names")(_check_patterns)

    def matches_participant(self, display_name: str) -> bool:
        """Whether a participant-list display name is this provider's bot."""
        name = normalize_text(display_name)
        return any(compile_pattern(pattern).search(name) for pattern in self.participant_names)

    def for_os(self, os_name: OsName) -> PlatformDetect:
        platform: PlatformDetect = getattr(self, os_name)
        return platform


class NoticePlace(StrEnum):
    """Where in the meeting a participant meets a notice."""

    BANNER = "banner"
    DIALOG = "dialog"
    CHAT = "chat"
    AUDIO = "audio"
    PARTICIPANT_LIST = "participant-list"
    EMAIL = "email"
    UNKNOWN = "unknown"


class Notice(BaseModel):
    """Words a participant is shown when a feature starts (``text``), as the provider shows them.

    ``text`` is literal; it is found in a page or window by :func:`guard.catalog.notices.notice_in`
    (case, dashes, quotes and spaces normalised). Only words read in a source are listed;
    ``verified`` is false when only a secondary source (press, a customer's guide) quotes them.
    """

    model_config = _MODEL
    text: str = Field(min_length=3, max_length=300)
    language: str = Field(min_length=2, max_length=35, description="BCP 47 tag, e.g. 'en' or 'de'.")
    place: NoticePlace = NoticePlace.UNKNOWN
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = False
    note: str | None = None

    @field_validator("text")
    @classmethod
    def _one_line(cls, text: str) -> str:
        if text != text.strip() or any(ch in text for ch in "\n\r\t"):
            raise ValueError("notice text must be one line without leading or trailing spaces")
        return text

    @field_validator("language")
    @classmethod
    def _language_tag(cls, tag: str) -> str:
        if not all(part.isascii() and part.isalnum() for part in tag.split("-")):
            raise ValueError(f"'{tag}' is not a BCP 47 language tag (e.g. 'en', 'pt-BR')")
        return tag


class AiFeature(BaseModel):
    model_config = _MODEL
    id: Slug
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    enabled_by: tuple[Actor, ...] = Field(min_length=1)
    participant_notice: str = Field(min_length=1, description="What a participant is shown when it is on.")
    participant_options: tuple[ParticipantOption, ...] = Field(min_length=1)
    trains_models: TrainsModels = TrainsModels.UNKNOWN
    notices: tuple[Notice, ...] = Field((), description="Words shown in the meeting when it starts.")
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = False
    note: str | None = None

    _slug = field_validator("id")(_check_slug)


DEFAULT_ARCHIVE = "OpenTermsArchive/contrib-versions"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def _check_repository(value: str) -> str:
    owner, _, name = value.partition("/")
    if not (0 < len(owner) <= 39 and 0 < len(name) <= 100 and set(owner + name) <= _NAME_CHARS
            and owner[0].isalnum() and name[0].isalnum()):
        raise ValueError(f"'{value}' is not a GitHub repository name (owner/name)")
    return value


class DocumentArchive(BaseModel):
    """Where a public archive (Open Terms Archive or an archive on its engine, such as ToS;DR's)
    records every version of this document: ``<service>/<terms_type>.md`` in ``repository``."""

    model_config = _MODEL
    repository: str = DEFAULT_ARCHIVE
    service: str = Field(min_length=1, max_length=200)
    terms_type: str = Field(min_length=1, max_length=200)

    _repository = field_validator("repository")(_check_repository)

    @field_validator("service", "terms_type")
    @classmethod
    def _one_path_part(cls, value: str) -> str:
        if "/" in value or "\\" in value or value.strip() != value or value in (".", ".."):
            raise ValueError(f"'{value}' must be one folder or file name of the archive (no slashes)")
        return value

    @property
    def path(self) -> str:
        return f"{self.service}/{self.terms_type}.md"


class Document(BaseModel):
    """A public terms page the watcher fetches; selectors say which part is the terms text.

    ``archive`` names the document in a public archive of terms versions; where it is set, the
    watcher reads new versions there first and fetches ``url`` only when the archive cannot
    be read."""

    model_config = _MODEL
    id: Slug
    type: DocumentType
    title: str = Field(min_length=1)
    url: HttpUrl
    select: tuple[str, ...] = ("main", "article", "body")
    remove: tuple[str, ...] = ("nav", "header", "footer", "script", "style", "noscript")
    checked: date
    note: str | None = None
    archive: DocumentArchive | None = None

    _slug = field_validator("id")(_check_slug)


class ArchivedText(BaseModel):
    """The archived version a quote was read in, by commit: anyone can open it and check.

    ``recorded`` is the day the archive first recorded that text (its commit date), which is
    not the day the text took effect: that is the clause's ``effective_from``, taken from the
    text's own "Effective Date" or "Last Updated". None when the archive's date could not be read.
    """

    model_config = _MODEL
    repository: str
    path: str = Field(min_length=1, max_length=400)
    commit: str
    recorded: date | None = None

    _repository = field_validator("repository")(_check_repository)

    @field_validator("commit")
    @classmethod
    def _full_commit(cls, value: str) -> str:
        if len(value) != 40 or not set(value) <= set("0123456789abcdef"):
            raise ValueError(f"'{value}' must be a full 40-character lowercase commit id")
        return value

    @property
    def url(self) -> str:
        """The file on GitHub at that commit."""
        return f"https://github.com/{self.repository}/blob/{self.commit}/{quote(self.path)}"


class Clause(BaseModel):
    """A short quote of a clause in force between two dates.

    ``archive`` names the archived text the quote was read in (repository, path, commit);
    ``source`` is then that file's address at the commit."""

    model_config = _MODEL
    id: Slug
    document: Slug
    section: str | None = None
    topic: ClauseTopic
    quote: str = Field(min_length=1)
    summary: str | None = Field(None, description="The clause in plain words.")
    effective_from: date
    effective_to: date | None = None
    source: HttpUrl
    checked: date
    verified: bool = False
    note: str | None = None
    archive: ArchivedText | None = None

    _slug = field_validator("id")(_check_slug)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Clause:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise FieldError(("effective_to",),
                             f"effective_to {self.effective_to} is before effective_from {self.effective_from}")
        if self.archive is not None and str(self.source) != self.archive.url:
            raise FieldError(("source",), f"source must be the archived file at its commit ({self.archive.url}) "
                             "when archive is given")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


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

    model_config = _MODEL
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
    note: str | None = None

    @field_validator("privacy_email", "dpo_email", "eu_representative_email")
    @classmethod
    def _plain_email(cls, value: str | None) -> str | None:
        if value is not None and (value.count("@") != 1 or any(ch.isspace() or ch in "<>\"'" for ch in value)
                                  or value.startswith("mailto:")):
            raise ValueError(f"{value!r} is not a plain e-mail address")
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


class Discontinued(BaseModel):
    """The service ended (or ends) on ``on``; kept so old installations and links are still recognised."""

    model_config = _MODEL
    on: date
    successor: str | None = None  # what the provider moved users to, if anything
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = False
    note: str | None = None


class Provider(BaseModel):
    model_config = _MODEL
    id: Slug
    name: str = Field(min_length=1)
    vendor: str = Field(min_length=1)
    kind: ProviderKind
    homepage: HttpUrl
    detect: Detect = Detect()
    ai_features: tuple[AiFeature, ...] = ()
    documents: tuple[Document, ...] = ()
    clauses: tuple[Clause, ...] = ()
    contacts: Contacts = Contacts()
    discontinued: Discontinued | None = None
    note: str | None = Field(None, description="Status worth knowing (e.g. the service was retired), with its source.")

    _slug = field_validator("id")(_check_slug)

    @model_validator(mode="after")
    def _references_resolve(self) -> Provider:
        doc_ids = [doc.id for doc in self.documents]
        for label, ids in (("ai_features", [f.id for f in self.ai_features]), ("documents", doc_ids),
                           ("clauses", [c.id for c in self.clauses])):
            for index, item_id in enumerate(ids):
                if item_id in ids[:index]:
                    raise FieldError((label, index, "id"), f"duplicate id '{item_id}' in {label}")
        for index, clause in enumerate(self.clauses):
            if clause.document not in doc_ids:
                raise FieldError(("clauses", index, "document"), f"names document '{clause.document}', which is not "
                                 f"in this provider's documents ({', '.join(doc_ids) or 'none'})")
        if self.contacts.kind == ContactKind.DISCONTINUED and self.discontinued is None:
            raise FieldError(("contacts", "kind"), "'discontinued' contacts need the provider's [discontinued] "
                             "table (when the service ended, with its source)")
        return self

    def clauses_in_force(self, day: date) -> list[Clause]:
        """Clauses in force on ``day``, in file order."""
        return [clause for clause in self.clauses if clause.in_force_on(day)]

    def document(self, document_id: str) -> Document | None:
        return next((doc for doc in self.documents if doc.id == document_id), None)

    @property
    def tracks_terms(self) -> bool:
        """Whether the catalog names any terms page for this provider. A detection-only entry (a
        meeting service whose terms are not tracked yet) still detects; it says so where it is shown."""
        return bool(self.documents)

    def feature(self, feature_id: str) -> AiFeature | None:
        return next((feat for feat in self.ai_features if feat.id == feature_id), None)

    def discontinued_on(self, day: date) -> bool:
        """Whether the service had ended by ``day``."""
        return self.discontinued is not None and self.discontinued.on <= day


OsName = Literal["linux", "windows", "macos"]
