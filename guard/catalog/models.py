"""The provider catalog's schema: one TOML file per provider in resources/catalog/.

Every statement about a provider carries where it comes from (a URL) and when it was
checked; ``verified`` is true only when the wording was compared with that source. The
``[detect]`` tables are guard.catalog.detect_models, ``[contacts]`` guard.catalog.contacts_models,
and what all models share guard.catalog.model_base.
"""

from __future__ import annotations

import re

from datetime import date
from enum import StrEnum
from urllib.parse import quote

from pydantic import (
    BaseModel,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

# The detection and contacts tables have modules of their own; their names stay importable from here.
from guard.catalog.contacts_models import CONTACT_FIELDS as CONTACT_FIELDS
from guard.catalog.contacts_models import ContactKind as ContactKind
from guard.catalog.contacts_models import Contacts as Contacts
from guard.catalog.contacts_models import ProcessorFor as ProcessorFor
from guard.catalog.contacts_models import RoleSource as RoleSource
from guard.catalog.contacts_models import WriteTo as WriteTo
from guard.catalog.detect_models import PATTERN_COST_LIMIT as PATTERN_COST_LIMIT
from guard.catalog.detect_models import Detect as Detect
from guard.catalog.detect_models import OsName as OsName
from guard.catalog.detect_models import PlatformDetect as PlatformDetect
from guard.catalog.detect_models import WebDetect as WebDetect
from guard.catalog.detect_models import pattern_cost as pattern_cost
from guard.catalog.model_base import MAX_NOTE, MAX_TEXT, MODEL
from guard.catalog.model_base import FieldError as FieldError
from guard.catalog.model_base import Source as Source

_MODEL = MODEL
Slug = str  # lowercase id: letters, digits, '-' (checked by the validators below)


MAX_NAME = 200  # a provider's, vendor's, feature's or document's name (the shipped ones are under 80): a user
# catalog file may hold anything, and names are shown whole in menus, tables and notifications
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
    note: str | None = Field(default=None, max_length=MAX_NOTE)

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
    name: str = Field(min_length=1, max_length=MAX_NAME)
    description: str = Field(min_length=1, max_length=MAX_TEXT)
    enabled_by: tuple[Actor, ...] = Field(min_length=1)
    participant_notice: str = Field(min_length=1, max_length=MAX_TEXT,
                                    description="What a participant is shown when it is on.")
    participant_options: tuple[ParticipantOption, ...] = Field(min_length=1)
    trains_models: TrainsModels = TrainsModels.UNKNOWN
    notices: tuple[Notice, ...] = Field((), description="Words shown in the meeting when it starts.")
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)

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
    title: str = Field(min_length=1, max_length=MAX_NAME)
    url: HttpUrl
    select: tuple[str, ...] = ("main", "article", "body")
    remove: tuple[str, ...] = ("nav", "header", "footer", "script", "style", "noscript")
    checked: date
    note: str | None = Field(default=None, max_length=MAX_NOTE)
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
    quote: str = Field(min_length=1, max_length=MAX_TEXT)
    summary: str | None = Field(None, max_length=MAX_TEXT, description="The clause in plain words.")
    effective_from: date
    effective_to: date | None = None
    source: HttpUrl
    checked: date
    verified: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)
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


class Discontinued(BaseModel):
    """The service ended (or ends) on ``on``; kept so old installations and links are still recognised."""

    model_config = _MODEL
    on: date
    successor: str | None = None  # what the provider moved users to, if anything
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class Provider(BaseModel):
    model_config = _MODEL
    id: Slug
    name: str = Field(min_length=1, max_length=MAX_NAME)
    vendor: str = Field(min_length=1, max_length=MAX_NAME)
    kind: ProviderKind
    homepage: HttpUrl
    detect: Detect = Detect()
    ai_features: tuple[AiFeature, ...] = ()
    documents: tuple[Document, ...] = ()
    clauses: tuple[Clause, ...] = ()
    contacts: Contacts = Contacts()
    discontinued: Discontinued | None = None
    note: str | None = Field(None, max_length=MAX_NOTE,
                             description="Status worth knowing (e.g. the service was retired), with its source.")

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

