"""How a consent record reads in the settings window (pure): labels and the details list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from guard.ledger.models import Decision, Record
from guard.ledger.status import EffectiveStatus

DECISION_LABELS: dict[str, str] = {
    Decision.GIVEN: "Consent given",
    Decision.REFUSED: "Refused",
    Decision.WITHDRAWN: "Withdrawn",
    Decision.LEFT_MEETING: "Left the meeting",
    Decision.NOTICE_ONLY: "Notice only",
}


def decision_label(decision: str) -> str:
    return DECISION_LABELS.get(decision, str(decision))


def local_time(moment: datetime) -> str:
    """``2024-03-05 14:02`` in this computer's time zone."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Field:
    label: str
    value: str


def status_text(status: EffectiveStatus) -> str:
    """E.g. ``given, then withdrawn (record 12)``; just the decision when nothing changed it."""
    if len(status.history) == 1:
        return f"{status.label} (unchanged)"
    return f"{status.label} (latest change: record {status.current.seq})"


def record_fields(record: Record, status: EffectiveStatus | None = None,
                  provider_name: Callable[[str], str] = str, feature_name: Callable[[str, str], str] | None = None,
                  refers_to_seq: int | None = None) -> list[Field]:
    """Every field of ``record``, in reading order, as label and text."""
    feature = "—"
    if record.feature_id:
        feature = feature_name(record.provider_id, record.feature_id) if feature_name else record.feature_id
    meeting = record.meeting
    fields = [
        Field("Decision", decision_label(record.decision)),
        Field("Status now", status_text(status) if status else "not checked"),
        Field("Provider", f"{provider_name(record.provider_id)} ({record.provider_id})"),
        Field("AI feature", feature),
        Field("Occurred", local_time(record.occurred_at)),
        Field("Recorded", local_time(record.recorded_at)),
        Field("Meeting title", meeting.title or "—"),
        Field("Meeting id or link", meeting.id_or_link or "—"),
        Field("Organiser", meeting.organiser or "—"),
        Field("Purposes", ", ".join(record.purposes) or "—"),
        Field("Requested by", str(record.requested_by) if record.requested_by else "—"),
        Field("Note", record.note or "—"),
    ]
    if record.refers_to:
        what = "Withdraws" if record.is_withdrawal else "Corrects"
        where = f"record {refers_to_seq} " if refers_to_seq is not None else ""
        fields.append(Field(what, f"{where}({record.refers_to})"))
    for ref in record.terms:
        fields.append(Field(f"Terms in force: {ref.document_id}",
                            f"SHA-256 {ref.sha256}" + (f" — {ref.url}" if ref.url else "")))
    if not record.terms:
        fields.append(Field("Terms in force", "none known when this was recorded"))
    for item in record.evidence:
        fields.append(Field(f"Evidence ({item.signal})", f"{item.detail} — seen {local_time(item.seen_at)}"))
    fields += [
        Field("Chain position", f"record {record.seq}"),
        Field("Record id", record.id),
        Field("Previous hash", record.prev_hash),
        Field("Hash", record.hash),
        Field("Signature", f"{record.signature} (key {record.key_id})"),
    ]
    return fields
