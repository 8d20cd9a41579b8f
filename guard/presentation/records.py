"""How a consent record reads in the settings window (pure): labels and the details list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from guard.i18n import LANGUAGE_NAMES
from guard.ledger.models import Decision, Record, RequestedBy, TermsRef, link_without_secrets
from guard.ledger.status import EffectiveStatus
from guard.ledger.waiting import HELD, KEPT
from guard.presentation.i18n import N_, _, format_date, format_time, words_for
from guard.presentation.wording import signal_name

DECISION_LABELS: dict[str, str] = {
    Decision.GIVEN: N_("Consent given"),
    Decision.REFUSED: N_("Refused"),
    Decision.WITHDRAWN: N_("Withdrawn"),
    Decision.LEFT_MEETING: N_("Left the meeting"),
    Decision.NOTICE_ONLY: N_("Notice only"),
}
EXPORT_FORMAT_LABELS: dict[str, str] = {  # guard.services.ExportFormat, as the export box offers them
    "json": N_("JSON (consent records, ISO/IEC TS 27560 / DPV)"),
    "csv": N_("CSV (spreadsheet)"),
    "html": N_("HTML (printable page)"),
    "pdf": N_("PDF (print and mail)"),
    "receipts": N_("Consent receipts (Kantara v1.1, zip)"),
}
REQUESTER_LABELS: dict[str, str] = {
    RequestedBy.HOST: N_("the host"),
    RequestedBy.ADMIN: N_("an account admin"),
    RequestedBy.PROVIDER: N_("the provider"),
    RequestedBy.SELF: N_("I did"),
}
# The ledger's own words for what a record means now (guard.ledger.status), as a person reads them.
STATUS_WORDS: dict[str, str] = {
    "given": N_("given"), "refused": N_("refused"), "withdrawn": N_("withdrawn"),
    "left-meeting": N_("left the meeting"), "notice-only": N_("only saw a notice"),
}


def export_format_label(value: str, fallback: str = "") -> str:
    return words_for(EXPORT_FORMAT_LABELS, value, fallback or value)


def decision_label(decision: str) -> str:
    return words_for(DECISION_LABELS, decision)


def local_time(moment: datetime) -> str:
    """``10 Mar 2024, 14:02`` in this computer's time zone, as the locale writes it."""
    return _("{date}, {time}").format(date=format_date(moment), time=format_time(moment))


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    key: str = ""  # what the field is, whatever the language: "refers-to", "hash", "signature", ...


def _language(tag: str | None) -> str:
    """The language the record was made in, by its own name ("Deutsch (de)"); older records did
    not keep it."""
    if not tag:
        return _("not recorded")
    name = LANGUAGE_NAMES.get(tag)
    return f"{name} ({tag})" if name else tag


def status_label(status: EffectiveStatus) -> str:
    """``given, then withdrawn`` or ``refused, corrected to given``, in the language in use (the
    ledger's own label, :attr:`EffectiveStatus.label`, is English)."""
    text = words_for(STATUS_WORDS, status.record.decision)
    for later in status.history[1:]:
        text = (_("{status}, then withdrawn") if later.is_withdrawal else _("{status}, corrected to {decision}")
                ).format(status=text, decision=words_for(STATUS_WORDS, later.decision))
    return text


def status_text(status: EffectiveStatus) -> str:
    """E.g. ``given, then withdrawn (latest change: record 12)``; ``given (unchanged)`` when nothing changed it."""
    if len(status.history) == 1:
        return _("{status} (unchanged)").format(status=status_label(status))
    return _("{status} (latest change: record {seq})").format(status=status_label(status), seq=status.current.seq)


def row_status(record: Record, effective: EffectiveStatus | None) -> str:
    """The history table's "Status now": what later records made of ``record`` (None: nothing
    changed it, so it says so, as the details pane does)."""
    if effective is not None:
        return status_text(effective)
    return _("{status} (unchanged)").format(status=words_for(STATUS_WORDS, record.decision))


def record_fields(record: Record, status: EffectiveStatus | None = None,
                  provider_name: Callable[[str], str] = str, feature_name: Callable[[str, str], str] | None = None,
                  refers_to_seq: int | None = None,
                  document_title: Callable[[str, str], str] | None = None,
                  terms_dates: Mapping[str, date] | None = None) -> list[Field]:
    """Every field of ``record``, in reading order, as label and text. A terms version reads as
    the consent form named it ("Terms of Service (version of 11 Aug 2023)", the date from
    ``terms_dates`` by SHA-256), its hash on a line of its own."""
    feature = "—"
    if record.feature_id:
        feature = feature_name(record.provider_id, record.feature_id) if feature_name else record.feature_id
    meeting = record.meeting
    requester = str(record.requested_by) if record.requested_by else ""
    fields = [
        Field(_("Decision"), decision_label(record.decision)),
        Field(_("Status now"), status_text(status) if status else _("not checked"), "status"),
        Field(_("Provider"), f"{provider_name(record.provider_id)} ({record.provider_id})"),
        Field(_("AI feature"), feature),
        Field(_("Occurred"), local_time(record.occurred_at)),
        Field(_("Recorded"), local_time(record.recorded_at)),
        Field(_("Meeting title"), meeting.title or "—"),
        Field(_("Meeting id or link"), link_without_secrets(meeting.id_or_link) or "—"),  # as the ledger keeps one now
        Field(_("Organiser"), meeting.organiser or "—"),
        Field(_("Purposes"), ", ".join(record.purposes) or "—"),
        Field(_("Requested by"), words_for(REQUESTER_LABELS, requester, requester or "—")),
        Field(_("Note"), record.note or "—"),
        Field(_("Language of the form"), _language(record.language), "language"),
    ]
    if record.notice is not None:  # what the meeting showed when the decision was made, as the record keeps it
        fields.append(Field(_("Notice in the meeting"), _("{detail} — seen {time}").format(
            detail=record.notice.text, time=local_time(record.notice.seen_at)), "notice"))
    if record.kept is not None:  # signed from a file that waited unsigned (guard.ledger.waiting)
        fields.append(Field(_("Kept before signing"), _(
            "Kept unsigned on this computer from {time} until {signed} ({why}). Until it was signed, only the files "
            "in the app's data folder vouched for it: if you do not remember this decision, withdraw it.").format(
                time=local_time(record.kept.kept_at), signed=local_time(record.recorded_at),
                why=_(record.kept.why) if record.kept.why in (HELD, KEPT) else record.kept.why),
            "kept"))
    if record.refers_to:
        what = _("Withdraws") if record.is_withdrawal else _("Corrects")
        where = (_("record {seq} ({id})").format(seq=refers_to_seq, id=record.refers_to) if refers_to_seq is not None
                 else f"({record.refers_to})")
        fields.append(Field(what, where, "refers-to"))
    for ref in record.terms:
        fields += terms_fields(ref, document_title(ref.provider_id, ref.document_id) if document_title
                               else ref.document_id, (terms_dates or {}).get(ref.sha256))
    if not record.terms:
        fields.append(Field(_("Terms in force"), _("none known when this was recorded")))
    for item in record.evidence:
        fields.append(Field(_("Evidence ({signal})").format(signal=signal_name(str(item.signal))),
                            _("{detail} — seen {time}").format(detail=item.detail, time=local_time(item.seen_at))))
    fields += [
        Field(_("Chain position"), _("record {seq}").format(seq=record.seq)),
        Field(_("Record id"), record.id, "id"),
        Field(_("Previous hash"), record.prev_hash, "prev-hash"),
        Field(_("Hash"), record.hash, "hash"),
        Field(_("Signature"), _("{signature} (key {key})").format(signature=record.signature, key=record.key_id),
              "signature"),
    ]
    return fields


def terms_fields(ref: TermsRef, document: str, day: date | None) -> list[Field]:
    """A cited terms version as the consent form named it, then its SHA-256 (to copy, compare)."""
    version = (_("{document} (version of {date})").format(document=document, date=format_date(day)) if day
               else _("{document} (version {version})").format(document=document, version=ref.sha256[:12]))
    return [Field(_("Terms in force"), version + (f" — {ref.url}" if ref.url else ""), "terms"),
            Field(_("SHA-256 of this version"), ref.sha256, "terms-hash")]
