"""The consent record: what a caller supplies (:class:`RecordDraft`) and what the ledger
stores (:class:`Record`, with its place in the chain). Plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from guard.events import Evidence
from guard.ledger.timeutil import format_utc

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first record."""

RECORD_FORMAT = 1
"""Version of the canonical record content (what the hash covers)."""


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


@dataclass(frozen=True)
class Meeting:
    """The meeting a decision was about; every part is optional (entered or detected)."""

    title: str | None = None
    id_or_link: str | None = None
    organiser: str | None = None


@dataclass(frozen=True)
class TermsRef:
    """The version of a terms document in force when the decision was made."""

    provider_id: str
    document_id: str
    sha256: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"provider_id": self.provider_id, "document_id": self.document_id,
                "sha256": self.sha256, "url": self.url}


@dataclass(frozen=True)
class EvidenceItem:
    """One thing detection saw (see guard.events.Evidence), kept as text in the record."""

    signal: str
    detail: str
    seen_at: datetime

    @classmethod
    def from_event(cls, evidence: Evidence) -> EvidenceItem:
        return cls(signal=str(evidence.signal), detail=evidence.detail, seen_at=evidence.seen_at)

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.signal, "detail": self.detail, "seen_at": format_utc(self.seen_at)}


@dataclass(frozen=True)
class RecordDraft:
    """A decision to record. ``occurred_at`` defaults to the moment it is appended.

    ``evidence`` takes detection's :class:`guard.events.Evidence` as well as
    :class:`EvidenceItem`. ``refers_to`` is set by ``withdraw``/``correct``.
    """

    provider_id: str
    decision: Decision | str
    occurred_at: datetime | None = None
    feature_id: str | None = None
    meeting: Meeting = field(default_factory=Meeting)
    purposes: tuple[str, ...] = ()
    requested_by: RequestedBy | str | None = None
    terms: tuple[TermsRef, ...] = ()
    evidence: tuple[EvidenceItem | Evidence, ...] = ()
    note: str | None = None
    refers_to: str | None = None


@dataclass(frozen=True)
class Record:
    """A stored record: the decision plus its place in the hash chain.

    ``hash`` = SHA-256(prev_hash + canonical content); ``signature`` is the Ed25519 signature
    over it by the key named ``key_id`` (guard.ledger.signing), or, for records written before
    Ed25519, an HMAC-SHA256 (guard.ledger.canonical).
    """

    id: str
    seq: int
    recorded_at: datetime
    occurred_at: datetime
    provider_id: str
    feature_id: str | None
    meeting: Meeting
    decision: Decision
    purposes: tuple[str, ...]
    requested_by: RequestedBy | None
    terms: tuple[TermsRef, ...]
    evidence: tuple[EvidenceItem, ...]
    note: str | None
    refers_to: str | None
    key_id: str
    prev_hash: str
    hash: str
    signature: str
    format: int = RECORD_FORMAT

    @property
    def is_withdrawal(self) -> bool:
        return self.refers_to is not None and self.decision == Decision.WITHDRAWN

    @property
    def is_correction(self) -> bool:
        return self.refers_to is not None and self.decision != Decision.WITHDRAWN

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data (the form the CLI prints and exports start from)."""
        return {
            "id": self.id,
            "seq": self.seq,
            "recorded_at": format_utc(self.recorded_at),
            "occurred_at": format_utc(self.occurred_at),
            "provider_id": self.provider_id,
            "feature_id": self.feature_id,
            "meeting": {"title": self.meeting.title, "id_or_link": self.meeting.id_or_link,
                        "organiser": self.meeting.organiser},
            "decision": str(self.decision),
            "purposes": list(self.purposes),
            "requested_by": str(self.requested_by) if self.requested_by else None,
            "terms": [ref.to_dict() for ref in self.terms],
            "evidence": [item.to_dict() for item in self.evidence],
            "note": self.note,
            "refers_to": self.refers_to,
            "format": self.format,
            "key_id": self.key_id,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "signature": self.signature,
        }


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
