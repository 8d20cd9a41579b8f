"""The provider catalog's schema: one TOML file per provider in resources/catalog/.

Every statement about a provider carries where it comes from (a URL) and when it was
checked; ``verified`` is true only when the wording was compared with that source.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from guard.patterns import PatternError, compile_pattern, normalize_text

_MODEL = ConfigDict(extra="forbid", frozen=True)
Slug = str  # lowercase id: letters, digits, '-' (checked by the validators below)


class FieldError(ValueError):
    """A model-level check that knows which field is at fault (``loc`` relative to the model)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def _check_slug(value: str) -> str:
    if not value or not all(ch.islower() or ch.isdigit() or ch in "-." for ch in value):
        raise ValueError(f"'{value}' must be lowercase letters, digits, '-' or '.'")
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
    """Topics the terms classifier and the catalog share."""

    AI_TRAINING = "ai-training"
    CONTENT_LICENCE = "content-licence"
    SERVICE_GENERATED_DATA = "service-generated-data"
    OPT_OUT = "opt-out"
    RETENTION = "retention"
    THIRD_PARTY_SHARING = "third-party-sharing"
    OTHER = "other"


class Source(BaseModel):
    """Where a statement comes from and when that was checked."""

    model_config = _MODEL
    url: HttpUrl
    checked: date
    title: str | None = None


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Every pattern must compile with RE2 (linear-time matching); the error names the pattern and
    says why, e.g. that lookarounds and backreferences cannot be used."""
    for index, pattern in enumerate(patterns):
        try:
            compile_pattern(pattern)
        except PatternError as error:
            raise FieldError((index,), str(error)) from None
    return patterns


class PlatformDetect(BaseModel):
    """Detection data for one OS. Process names as the OS reports them; titles are RE2 patterns
    matched against the normalised title (see :func:`guard.patterns.normalize_text`).

    ``processes`` say the app is running; ``meeting_processes`` exist only while a meeting is
    on; ``meeting_window_titles`` match a meeting window and must not match the home screen.
    """

    model_config = _MODEL
    processes: tuple[str, ...] = ()
    meeting_processes: tuple[str, ...] = ()
    window_titles: tuple[str, ...] = ()
    meeting_window_titles: tuple[str, ...] = ()

    _patterns = field_validator("window_titles", "meeting_window_titles")(_check_patterns)


class WebDetect(BaseModel):
    """Meetings in a browser: URL patterns and tab-title patterns (RE2). Tab titles are matched
    after the browser's own suffix (" - Google Chrome", " — Mozilla Firefox") is taken off."""

    model_config = _MODEL
    url_patterns: tuple[str, ...] = ()
    meeting_window_titles: tuple[str, ...] = ()

    _patterns = field_validator("url_patterns", "meeting_window_titles")(_check_patterns)


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

    def for_os(self, os_name: "OsName") -> PlatformDetect:
        return getattr(self, os_name)


class AiFeature(BaseModel):
    model_config = _MODEL
    id: Slug
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    enabled_by: tuple[Actor, ...] = Field(min_length=1)
    participant_notice: str = Field(min_length=1, description="What a participant is shown when it is on.")
    participant_options: tuple[ParticipantOption, ...] = Field(min_length=1)
    trains_models: TrainsModels = TrainsModels.UNKNOWN
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = False
    note: str | None = None

    _slug = field_validator("id")(_check_slug)


class Document(BaseModel):
    """A public terms page the watcher fetches; selectors say which part is the terms text."""

    model_config = _MODEL
    id: Slug
    type: DocumentType
    title: str = Field(min_length=1)
    url: HttpUrl
    select: tuple[str, ...] = ("main", "article", "body")
    remove: tuple[str, ...] = ("nav", "header", "footer", "script", "style", "noscript")
    checked: date
    note: str | None = None

    _slug = field_validator("id")(_check_slug)


class Clause(BaseModel):
    """A short quote of a clause in force between two dates."""

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

    _slug = field_validator("id")(_check_slug)

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Clause":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise FieldError(("effective_to",),
                             f"effective_to {self.effective_to} is before effective_from {self.effective_from}")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class Contacts(BaseModel):
    """Where privacy requests and letters go."""

    model_config = _MODEL
    controller: str | None = Field(None, description="The legal entity responsible (data controller).")
    privacy_email: str | None = None
    privacy_form: HttpUrl | None = None
    postal_address: str | None = None
    sources: tuple[Source, ...] = ()


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
    note: str | None = Field(None, description="Status worth knowing (e.g. the service was retired), with its source.")

    _slug = field_validator("id")(_check_slug)

    @model_validator(mode="after")
    def _references_resolve(self) -> "Provider":
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
        return self

    def clauses_in_force(self, day: date) -> list[Clause]:
        """Clauses in force on ``day``, in file order."""
        return [clause for clause in self.clauses if clause.in_force_on(day)]

    def document(self, document_id: str) -> Document | None:
        return next((doc for doc in self.documents if doc.id == document_id), None)

    def feature(self, feature_id: str) -> AiFeature | None:
        return next((feat for feat in self.ai_features if feat.id == feature_id), None)


OsName = Literal["linux", "windows", "macos"]
