"""The consent record, one model that validates and serialises itself (pydantic): what a
caller supplies (:class:`RecordDraft`) and what the ledger stores (:class:`Record`, with its
place in the chain). Evidence is detection's own :class:`guard.events.Evidence`.

A bad field raises LedgerInputError naming it (``terms[0].sha256``); outside text (titles,
links, evidence, notices, notes) is never refused for its length but cut when it is recorded
(guard.ledger.cut). :meth:`RecordDraft.content` gives the exact object whose canonical JSON
the ledger hashes and signs; :meth:`Record.to_dict` gives it back with the chain fields.
"""

from __future__ import annotations

import hashlib
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_serializer,
)

from guard.events import Evidence, Signal
from guard.ledger.cut import MAX_NOTE, MAX_NOTICE, MAX_TEXT, clean, cut_items, cut_text
from guard.ledger.errors import LedgerInputError
from guard.ledger.timeutil import format_utc

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first record."""

RECORD_FORMAT = 2
"""Version of the canonical record content (what the hash covers). 1: before ``notice`` and
``cut``, which format 2 has only when there is a notice or something was cut (likewise
``kept`` and ``language``, added later without a new format: a reader that does not know
them still reads the rest); records keep the format they were written in."""

EvidenceItem = Evidence
"""The name older code used for a record's evidence; it is detection's Evidence."""


class Decision(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    LEFT_MEETING = "left-meeting"
    NOTICE_ONLY = "notice-only"


class RequestedBy(StrEnum):
    """Who asked for the consent (or switched the feature on)."""

    HOST = "host"
    ADMIN = "admin"
    PROVIDER = "provider"
    SELF = "self"


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime (e.g. UTC)")
    return moment.astimezone(UTC)


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


def _record_id(value: Any) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValueError(f"{value!r} is not a record id (a UUID)") from None


def _http_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("https://", "http://")):
        raise ValueError(f"{value!r} is not an http(s) address")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("it is empty")
    return value.strip()


_SLUG_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SLUG_REST = _SLUG_FIRST | {"-", "."}
_HEX = frozenset("0123456789abcdef")


def _slug(value: str) -> str:
    if not (0 < len(value) <= 100 and value[0] in _SLUG_FIRST and all(c in _SLUG_REST for c in value)):
        raise ValueError("not a valid id (lowercase letters, digits, '-' or '.', at most 100)")
    return value


def _sha256(value: str) -> str:
    value = value.lower()
    if len(value) != 64 or not set(value) <= _HEX:
        raise ValueError("not a SHA-256 (64 hex digits)")
    return value


def _language_tag(value: str) -> str:
    """A BCP 47 language tag (RFC 5646 syntax: a 2-3 letter language, then subtags of 1-8
    letters or digits) in its conventional case: ``de``, ``pt-BR``, ``sr-Latn-RS``."""
    parts = value.split("-") if 0 < len(value) <= 35 else []
    if not parts or not (2 <= len(parts[0]) <= 3 and parts[0].isascii() and parts[0].isalpha()) or not all(
            0 < len(part) <= 8 and part.isascii() and part.isalnum() for part in parts[1:]):
        raise ValueError("not a BCP 47 language tag (such as 'en', 'de' or 'pt-BR')")
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and len(shaped) == 1:
            shaped.append(part.title())  # script
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            shaped.append(part.upper())  # region
        else:
            shaped.append(part.lower())
    return "-".join(shaped)


def _list(value: Any) -> Any:
    if isinstance(value, (str, bytes)):
        raise ValueError("expected a list")
    return tuple(value) if isinstance(value, list) else value


Utc = Annotated[datetime, AfterValidator(_aware), PlainSerializer(format_utc, return_type=str)]
Slug = Annotated[str, AfterValidator(_slug)]
OptionalSlug = Annotated[Slug | None, BeforeValidator(_blank_is_none)]
RecordId = Annotated[str, BeforeValidator(_record_id)]
Sha256 = Annotated[str, AfterValidator(_sha256)]
LanguageTag = Annotated[str, AfterValidator(_language_tag)]


E = TypeVar("E", bound=StrEnum)


def enum_value(enum: type[E], value: Any, name: str) -> E:
    """``value`` as a member of ``enum``, or LedgerInputError naming the field and the choices."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member) for member in enum)
        raise LedgerInputError(f"Field '{name}': {value!r} is not one of: {allowed}.") from None


def record_id_text(value: Any, name: str = "id") -> str:
    """A record id in its canonical form (lowercase UUID with dashes)."""
    try:
        return _record_id(value)
    except ValueError:
        raise LedgerInputError(f"Field '{name}': {value!r} is not a record id (a UUID).") from None


def _input_error(error: ValidationError) -> LedgerInputError:
    first = error.errors()[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]).lstrip(".")
    value = first.get("input")
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    message = first["msg"].removeprefix("Value error, ")
    return LedgerInputError(f"Field '{where or '?'}': {message} (got {shown}).")


_DEPTH: ContextVar[int] = ContextVar("ledger_model_depth", default=0)


class _Model(BaseModel):
    """Frozen, and its validation errors are LedgerInputErrors naming the field."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=False)

    def __init__(self, /, **data: Any) -> None:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        try:
            super().__init__(**data)
        except ValidationError as error:
            if depth:  # built inside another model: let it name the whole path
                raise
            raise _input_error(error) from None
        finally:
            _DEPTH.reset(token)


class Meeting(_Model):
    """The meeting a decision was about; every part is optional (entered or detected)."""

    title: str | None = None
    id_or_link: str | None = None
    organiser: str | None = None

    def __init__(self, title: str | None = None, id_or_link: str | None = None, organiser: str | None = None,
                 /, **data: Any) -> None:
        super().__init__(**{"title": title, "id_or_link": id_or_link, "organiser": organiser, **data})


class TermsRef(_Model):
    """The version of a terms document in force when the decision was made."""

    provider_id: Slug
    document_id: Annotated[str, AfterValidator(_not_blank), Field(max_length=MAX_TEXT)]
    sha256: Sha256
    url: Annotated[str | None, AfterValidator(_http_url), Field(max_length=MAX_TEXT)] = None

    def __init__(self, provider_id: str | None = None, document_id: str | None = None, sha256: str | None = None,
                 url: str | None = None, /, **data: Any) -> None:
        given = {"provider_id": provider_id, "document_id": document_id, "sha256": sha256, "url": url}
        super().__init__(**{**{k: v for k, v in given.items() if v is not None}, **data})

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Notice(_Model):
    """What a participant was shown (an AI summary, recording or transcription notice), and when."""

    text: str
    seen_at: Utc


class KeptMark(_Model):
    """A decision that waited on this computer, unsigned, before the ledger signed it
    (guard.ledger.waiting): when it was kept and why, as its file said. Until it was signed only
    the files in the data folder vouched for it, so the record says so."""

    kept_at: Utc
    why: str


class RecordDraft(_Model):
    """A decision to record. ``occurred_at`` defaults to the moment it is appended;
    ``refers_to`` is set by ``withdraw``/``correct``."""

    provider_id: Slug
    decision: Decision
    occurred_at: Utc | None = None
    feature_id: OptionalSlug = None
    meeting: Meeting = Meeting()
    purposes: Annotated[tuple[Annotated[str, AfterValidator(_not_blank)], ...], BeforeValidator(_list)] = ()
    requested_by: Annotated[RequestedBy | None, BeforeValidator(_blank_is_none)] = None
    terms: Annotated[tuple[TermsRef, ...], BeforeValidator(_list)] = ()
    notice: Notice | None = None
    evidence: Annotated[tuple[Evidence, ...], BeforeValidator(_list)] = ()
    note: str | None = None
    refers_to: RecordId | None = None
    kept: KeptMark | None = None  # set when a kept decision is signed (guard.services: sign_waiting)
    language: Annotated[LanguageTag | None, BeforeValidator(_blank_is_none)] = None
    """The language (BCP 47) of the app's form or notification the decision was recorded on;
    None where nobody said (the command line, records from before it was recorded)."""

    def __init__(self, provider_id: str | None = None, decision: Decision | str | None = None, /,
                 **data: Any) -> None:
        given = {"provider_id": provider_id, "decision": decision}
        super().__init__(**{**{k: v for k, v in given.items() if v is not None}, **data})

    def changed(self, **changes: Any) -> RecordDraft:
        """This draft with some fields changed (validated again)."""
        return RecordDraft(**{**{name: getattr(self, name) for name in type(self).model_fields}, **changes})

    def content(self, *, record_id: str, seq: int, key_id: str, recorded_at: datetime) -> dict[str, Any]:
        """The object stored as record ``seq`` (its canonical JSON is what is hashed), with
        outside text cut to its limits and the cuts named in ``cut``."""
        cuts: dict[str, int] = {}  # filled while the text fields below are cut
        recorded = format_utc(_aware(recorded_at))
        evidence = cut_items(list(self.evidence), "evidence", cuts)
        purposes = cut_items(list(self.purposes), "purposes", cuts)
        content: dict[str, Any] = {
            "format": RECORD_FORMAT,
            "id": record_id,
            "seq": seq,
            "key_id": key_id,
            "recorded_at": recorded,
            "occurred_at": recorded if self.occurred_at is None else format_utc(self.occurred_at),
            "provider_id": self.provider_id,
            "feature_id": self.feature_id,
            "decision": str(self.decision),
            "requested_by": None if self.requested_by is None else str(self.requested_by),
            "purposes": [cut_text(str(p), MAX_TEXT, f"purposes[{i}]", cuts) for i, p in enumerate(purposes)],
            "meeting": {name: cut_text(link_without_secrets(getattr(self.meeting, name)) if name == "id_or_link"
                                       else getattr(self.meeting, name), MAX_TEXT, f"meeting.{name}", cuts)
                        for name in ("title", "id_or_link", "organiser")},
            "terms": [ref.to_dict() for ref in self.terms],
            "evidence": [_evidence(item, i, cuts) for i, item in enumerate(evidence)],
            "note": cut_text(self.note, MAX_NOTE, "note", cuts),
            "refers_to": self.refers_to,
        }
        if self.notice is not None:  # "notice" and "cut" appear only when there is one (smaller rows)
            content["notice"] = {"text": cut_text(self.notice.text, MAX_NOTICE, "notice.text", cuts) or "",
                                 "seen_at": format_utc(self.notice.seen_at)}
            if "notice.text" in cuts:  # which whole notice it answers (guard.ledger.answers); top level,
                # where a reader that does not know the key ignores it
                content["notice_sha256"] = notice_digest(self.notice.text)
        if self.language is not None:  # like "notice": records from before it lack it, and verify as they are
            content["language"] = self.language
        if self.kept is not None:  # like "notice": only on a decision that waited unsigned
            content["kept"] = {"kept_at": format_utc(self.kept.kept_at),
                               "why": cut_text(self.kept.why, MAX_TEXT, "kept.why", cuts) or ""}
        if cuts:
            content["cut"] = cuts
        return content


def link_without_secrets(link: str | None) -> str | None:
    """A meeting link as detection shows it (guard.detect.redaction: passcodes and tokens cut, no user:password, an
    organiser's name in the path pseudonymised): one typed or pasted by hand (the consent form, ``consent add
    --meeting-id``) would otherwise keep them in the signed record, its exports and the letters quoting it. A
    link pasted as a mail gateway rewrote it (Safe Links, Proofpoint, Sophos, SES tracking:
    guard.detect.link_forms) is the meeting link inside, as detection reports it: the wrapper carries the
    passcode encoded where no parameter name shows it (Proofpoint's ``-3D``, Sophos' base64) and Safe Links'
    ``data=`` the recipient's mail address."""
    if not link or not any(mark in link for mark in "?#@/"):
        return link
    from guard.detect.link_forms import link_forms, trimmed, unglued  # loaded with the first link
    from guard.detect.redaction import redact_url

    text = link.strip()  # as pasted, with the spaces around it the ledger drops anyway
    inner = link_forms(text)[-1]
    if inner not in (text, trimmed(unglued(text))) and inner.lower().startswith(_MEETING_SCHEMES):
        link = inner  # a redirect unwrapped: the meeting link it leads to (a web or app link, nothing else)
    return redact_url(link)  # a path-only link too: a personal room's path names its organiser


_MEETING_SCHEMES = ("https://", "http://", "msteams:", "zoommtg:", "zoomus:")


def notice_digest(text: str) -> str:
    """SHA-256 (hex) of a notice's whole text as the ledger cleans it (guard.ledger.cut.clean): the
    notice a record answers even when its text is kept cut."""
    return hashlib.sha256(clean(text).encode("utf-8")).hexdigest()


def _evidence(item: object, index: int, cuts: dict[str, int]) -> dict[str, Any]:
    assert isinstance(item, Evidence)
    return {"signal": str(item.signal), "detail": cut_text(item.detail, MAX_TEXT, f"evidence[{index}].detail", cuts)
            or "", "seen_at": format_utc(_aware(item.seen_at))}


class Record(BaseModel):
    """A stored record: the decision plus its place in the hash chain.

    ``hash`` = SHA-256(prev_hash + canonical content); ``signature`` is the Ed25519 signature
    over it by the key named ``key_id`` (guard.ledger.signing), or, for records written before
    Ed25519, an HMAC-SHA256 (guard.ledger.canonical). Read back from the stored body, so a
    body that is not a valid record fails here (and the ledger names the record).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    seq: int
    recorded_at: Utc
    occurred_at: Utc
    provider_id: str
    feature_id: str | None
    meeting: Meeting
    decision: Decision
    purposes: tuple[str, ...]
    requested_by: RequestedBy | None
    terms: tuple[TermsRef, ...]
    evidence: tuple[Evidence, ...]
    note: str | None
    refers_to: str | None
    key_id: str
    prev_hash: str
    hash: str
    signature: str
    notice: Notice | None = None
    notice_sha256: str | None = None  # the whole notice's (notice_digest), when its text was cut
    kept: KeptMark | None = None
    language: str | None = None  # None: not recorded (see RecordDraft.language)
    cut: dict[str, int] = Field(default_factory=dict)
    format: int = RECORD_FORMAT

    @field_serializer("evidence")
    def _serialise_evidence(self, evidence: tuple[Evidence, ...]) -> list[dict[str, Any]]:
        return [{"signal": str(e.signal), "detail": e.detail, "seen_at": format_utc(e.seen_at)} for e in evidence]

    @property
    def is_withdrawal(self) -> bool:
        return self.refers_to is not None and self.decision == Decision.WITHDRAWN

    @property
    def is_correction(self) -> bool:
        return self.refers_to is not None and self.decision != Decision.WITHDRAWN

    @property
    def was_cut(self) -> bool:
        return bool(self.cut)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data: exactly its stored content plus the chain fields (the
        form the CLI prints and exports start from)."""
        data = self.model_dump(mode="json")
        if data["notice"] is None:
            del data["notice"]
        if data["notice_sha256"] is None:
            del data["notice_sha256"]
        if data["kept"] is None:
            del data["kept"]
        if data["language"] is None:
            del data["language"]
        if not data["cut"]:
            del data["cut"]
        return data


class StoredRecord(NamedTuple):
    """A record exactly as stored, for bulk readers (exports) that need no :class:`Record`
    per row: ``body`` is the signed canonical content (JSON text; its keys are those of
    :meth:`Record.to_dict` without the chain fields), and anyone can recompute
    ``hash`` = SHA-256(``prev_hash`` + ``body``)."""

    seq: int
    body: str
    prev_hash: str
    hash: str
    signature: str  # Ed25519 over ``hash`` (guard.ledger.signing), or an HMAC for records from before it
    occurred_at: str  # as in the body (UTC ISO 8601); pages are keyed on it

    def to_record(self) -> Record:
        from guard.ledger.schema import row_to_record  # schema imports this module

        return row_to_record(self[:5])


__all__ = ["GENESIS_HASH", "RECORD_FORMAT", "Decision", "Evidence", "EvidenceItem", "KeptMark", "Meeting", "Notice",
           "Record", "RecordDraft", "RequestedBy", "Signal", "StoredRecord", "TermsRef"]
