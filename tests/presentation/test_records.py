"""How a consent record reads in the window (pure)."""

from datetime import UTC, date, datetime

from guard.ledger.models import Decision, EvidenceItem, Meeting, Record, RequestedBy, TermsRef
from guard.ledger.status import effective_status
from guard.presentation.records import decision_label, record_fields

AT = datetime(2024, 3, 5, 14, 2, tzinfo=UTC)


def record(seq: int, decision: Decision, refers_to: str | None = None) -> Record:
    return Record(
        id=f"00000000-0000-0000-0000-00000000000{seq}", seq=seq, recorded_at=AT, occurred_at=AT, provider_id="zoom",
        feature_id="meeting-summary", meeting=Meeting("Design review", None, "Ada"), decision=decision,
        purposes=("summary",), requested_by=RequestedBy.HOST,
        terms=(TermsRef("zoom", "terms", "ab" * 32, "https://zoom.us/terms"),),
        evidence=(EvidenceItem("window-title", "window 'Zoom Meeting'", AT),), note=None, refers_to=refers_to,
        key_id="k1", prev_hash="0" * 64, hash="1" * 64, signature="2" * 64,
    )


def test_fields_cover_the_whole_record_with_names_resolved():
    given = record(1, Decision.GIVEN)
    fields = {f.label: f.value for f in record_fields(given, None, lambda p: "Zoom", lambda p, f: "AI summary")}
    assert fields["Decision"] == "Consent given"
    assert fields["Provider"] == "Zoom (zoom)" and fields["AI feature"] == "AI summary"
    assert fields["Meeting title"] == "Design review" and fields["Meeting id or link"] == "—"
    assert fields["Terms in force"] == f"terms (version {'ab' * 6}) — https://zoom.us/terms"
    assert fields["SHA-256 of this version"] == "ab" * 32
    assert fields["Evidence (Window)"].startswith("window 'Zoom Meeting' — seen ")
    assert fields["Chain position"] == "record 1" and fields["Hash"] == "1" * 64
    assert fields["Signature"] == f"{'2' * 64} (key k1)"


def test_a_withdrawal_names_the_record_it_withdraws_and_the_status_follows():
    given = record(1, Decision.GIVEN)
    withdrawal = record(2, Decision.WITHDRAWN, refers_to=given.id)
    fields = {f.label: f.value for f in record_fields(withdrawal, refers_to_seq=1)}
    assert fields["Withdraws"] == f"record 1 ({given.id})"
    status = effective_status(given, [withdrawal])
    fields = {f.label: f.value for f in record_fields(given, status)}
    assert fields["Status now"] == "given, then withdrawn (latest change: record 2)"


def test_decision_labels():
    assert decision_label("left-meeting") == "Left the meeting"
    assert decision_label("something-new") == "something-new"


def test_a_cited_terms_version_reads_as_the_consent_form_named_it():
    """The details showed only a SHA-256 where the form had said "Terms of Service (version of 27 Jul 2023)"."""
    given = record(1, Decision.GIVEN)
    fields = record_fields(given, document_title=lambda p, d: "Terms of Service",
                           terms_dates={"ab" * 32: date(2023, 7, 27)})
    terms = [(f.key, f.value) for f in fields if f.key.startswith("terms")]
    assert terms == [("terms", "Terms of Service (version of 27 Jul 2023) — https://zoom.us/terms"),
                     ("terms-hash", "ab" * 32)]


def test_quotes_are_in_the_quotation_marks_of_the_language():
    """The Overview, a clause in the providers tab and the tray menu put English “…” around a
    meeting title or a quote in a German or French window."""
    from guard.presentation.i18n import use_language
    from guard.presentation.wording import quoted

    try:
        assert quoted("Zoom Meeting") == "“Zoom Meeting”"
        use_language("de")
        assert quoted("Zoom Meeting") == "„Zoom Meeting“"
        use_language("fr")
        assert quoted("Zoom Meeting") == "«\u00a0Zoom Meeting\u00a0»"
    finally:
        use_language("en")


def test_the_notice_the_meeting_showed_is_one_of_the_fields():
    """A decision made on an AI notice keeps the notice and when it was seen; the details did not show it."""
    from guard.ledger.models import Notice

    notice = Notice(text="Meeting Summary with AI Companion is on", seen_at=AT)
    refused = record(1, Decision.REFUSED).model_copy(update={"notice": notice})
    fields = {f.label: f.value for f in record_fields(refused)}
    assert fields["Notice in the meeting"].startswith("Meeting Summary with AI Companion is on — seen ")
    assert "Notice in the meeting" not in {f.label for f in record_fields(record(2, Decision.GIVEN))}


def test_the_details_name_the_language_the_record_was_made_in_or_that_it_was_not_recorded():
    made = record(1, Decision.GIVEN).model_copy(update={"language": "de"})
    assert {f.key: f.value for f in record_fields(made)}["language"] == "Deutsch (de)"
    assert {f.key: f.value for f in record_fields(made.model_copy(update={"language": "pt-BR"}))}["language"] == "pt-BR"
    older = record(2, Decision.REFUSED)
    assert {f.label: f.value for f in record_fields(older)}["Language of the form"] == "not recorded"


def test_a_meeting_link_reads_without_its_passcode_or_whom_it_was_made_for():
    """An older build kept a typed link whole: the history window shows it as the ledger keeps one now."""
    older = record(1, Decision.GIVEN)
    older = Record(**{**older.__dict__, "meeting": Meeting(
        "Design review", "https://zoom.us/j/81234567890?pwd=Zk9s&uname=Ada&email=ada%40example.org", "Ada")})
    fields = {f.label: f.value for f in record_fields(older)}
    assert fields["Meeting id or link"] == "https://zoom.us/j/81234567890?pwd=…&uname=…&email=…"
