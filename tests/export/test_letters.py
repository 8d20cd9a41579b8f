"""Letters: the right article, the provider's privacy contact, the record's dates, meeting,
feature and terms version; marked placeholders; a mailto: link that decodes to the letter."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from guard.export import ExportError, LetterKind, compose_letter, make_letter
from guard.export.facts import CatalogFacts
from guard.export.letters import CitedRecord, TermsInForce
from guard.ledger import RecordDraft, RecordNotFoundError
from guard.terms.store import TermsStore
from tests.export.conftest import ZOOM_TERMS_SHA

ARTICLES = {"withdrawal": "Article 7(3)", "objection": "Article 21(1)", "access": "Article 15"}


@pytest.mark.parametrize("kind", list(ARTICLES))
def test_letter_about_a_record_names_provider_dates_meeting_terms_and_article(ledger, sample, catalog, kind):
    letter = make_letter(kind, ledger, catalog, record_id=sample.given.id, name="Ada Lovelace",
                         today=date(2026, 6, 1))
    text = letter.text
    assert ARTICLES[kind] in text and letter.article == f"GDPR {LetterKind(kind).article}"
    assert "Zoom Video Communications, Inc." in text and "E-mail: privacy@zoom.us" in text
    assert "2026-03-02 09:15 UTC" in text and sample.given.id in text
    assert '“Quarterly planning”' in text and "organised by Ada Lovelace" in text and "https://zoom.us/j/123456" in text
    feature = catalog.get("zoom").feature("meeting-summary").name
    assert f"Feature: {feature}\n" in text and f"Zoom: {feature}" in letter.subject  # its name, as a person reads it
    assert "(meeting-summary)" not in text and "(terms)" not in text  # not the catalog's ids
    assert f"sha256:{ZOOM_TERMS_SHA}" in text and "https://explore.zoom.us/en/terms/" in text
    assert "Status now: consent given, then withdrawn" in text
    assert text.startswith("Ada Lovelace\n") and "\n1 June 2026\n" in text and text.rstrip().endswith("Ada Lovelace")
    assert letter.subject in text and LetterKind(kind).article in letter.subject


def test_missing_contact_details_become_marked_placeholders(ledger, sample, catalog):
    zoom = make_letter("objection", ledger, catalog, record_id=sample.given.id)
    assert "[FILL IN: postal address, not in the catalog; see the privacy statement at https://" in zoom.text
    assert "[FILL IN: your full name]" in zoom.text
    assert all(placeholder in zoom.text for placeholder in zoom.placeholders)
    teams = make_letter("access", ledger, catalog, record_id=sample.refused.id, name="Ada")
    assert "Microsoft Ireland Operations Limited" in teams.text, "the controller comes from the catalog's contacts"
    assert "[FILL IN: privacy e-mail address" in teams.text and teams.mailto.startswith("mailto:?subject=")
    whereby = make_letter("access", ledger, catalog, record_id=sample.whereby.id, name="Ada")
    assert "Video Communication Services AS" in whereby.text and "Måløy, Norway" in whereby.text
    assert "legal@whereby.com" in whereby.text


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_gdpr_letter_goes_to_the_controller_for_the_eea_where_the_catalog_names_one(ledger, catalog, language):
    """Google's policy names Google Ireland as the controller for the EEA and Switzerland and
    Google LLC for everyone else; a letter citing Regulation (EU) 2016/679 goes to Ireland."""
    google = catalog.get("google-meet").contacts
    assert google.eu_controller == "Google Ireland Limited" and google.postal_address
    letter = make_letter("objection", ledger, catalog, provider_id="google-meet", name="Ada", language=language)
    assert "Google Ireland Limited, Gordon House, Barrow Street, Dublin 4, Ireland" in letter.text
    assert "Mountain View" not in letter.text and "outside the EEA" not in letter.text
    assert letter.recipient.controller == "Google Ireland Limited"
    assert letter.recipient.postal_address == google.eu_postal_address
    teams = make_letter("access", ledger, catalog, provider_id="teams", name="Ada", language=language)
    assert "Dublin 18, Ireland" in teams.text and "Redmond" not in teams.text
    eight = make_letter("access", ledger, catalog, provider_id="8x8", name="Ada", language=language)
    assert "8x8, Inc." in eight.text and "for the United Kingdom" not in eight.text, "a UK-only controller is no EU one"


def test_mailto_link_is_rfc_6068_encoded_and_decodes_to_the_letter(ledger, sample, catalog):
    letter = make_letter("withdrawal", ledger, catalog, record_id=sample.given.id, name="Zoë Ünïcödé & Co")
    parts = urlsplit(letter.mailto)
    assert parts.scheme == "mailto" and parts.path == "privacy@zoom.us"
    assert " " not in letter.mailto and "\n" not in letter.mailto and "+" not in parts.query
    assert "%0D%0A" in parts.query and "%26" in parts.query  # CRLF line breaks; '&' in text is escaped
    fields = {key: value[0] for key, value in parse_qs(parts.query, keep_blank_values=True).items()}
    assert set(fields) == {"subject", "body"}
    assert fields["subject"] == letter.subject
    assert fields["body"].replace("\r\n", "\n") == letter.text
    assert unquote(letter.mailto).count("Zoë Ünïcödé & Co") == 2


def test_withdrawal_for_a_provider_lists_the_consents_in_force(ledger, sample, catalog):
    letter = make_letter("withdrawal", ledger, catalog, provider_id="teams", name="Ada")
    assert [r.id for r in letter.records] == [sample.refused.id]  # refused, then corrected to given
    assert "consent refused, corrected to: consent given" in letter.text
    zoom = make_letter("withdrawal", ledger, catalog, provider_id="zoom", name="Ada")
    assert [r.id for r in zoom.records] == [sample.tricky.id]  # the other zoom consent was withdrawn
    access = make_letter("access", ledger, catalog, provider_id="zoom", name="Ada")
    assert [r.id for r in access.records] == [sample.tricky.id, sample.given.id]  # newest first


def test_withdrawing_a_refusal_warns(ledger, sample, catalog):
    letter = make_letter("withdrawal", ledger, catalog, record_id=sample.left.id)
    assert letter.warnings == (f"Record {sample.left.id} is “left the meeting”: no consent recorded there is in force "
                               "to withdraw.",)


def test_long_histories_are_cut_with_a_count(ledger, catalog):
    for day in range(1, 26):
        ledger.append(RecordDraft("zoom", "given", occurred_at=datetime(2026, 1, day, tzinfo=UTC)))
    letter = make_letter("access", ledger, catalog, provider_id="zoom")
    assert len(letter.records) == 20 and "- and 5 earlier records of my decisions about Zoom" in letter.text


def test_terms_version_is_inferred_from_the_local_terms_history_when_not_recorded(ledger, catalog, app_home):
    from guard.paths import app_paths

    record = ledger.append(RecordDraft("zoom", "given", occurred_at=datetime(2026, 2, 1, tzinfo=UTC)))
    store = TermsStore.open(app_paths())
    baseline = store.current("zoom", "terms")
    assert baseline is not None and baseline.is_baseline  # shipped with the app, dated
    letter = make_letter("access", ledger, catalog, record_id=record.id, terms_store=store)
    assert f"sha256:{baseline.sha256}" in letter.text and "not recorded with the decision" in letter.text
    assert not make_letter("access", ledger, catalog, record_id=record.id).records[0].terms


def test_bad_requests_are_refused(ledger, sample, catalog):
    with pytest.raises(RecordNotFoundError, match="No record with id"):
        make_letter("withdrawal", ledger, catalog, record_id="00000000-0000-4000-8000-000000000000")
    with pytest.raises(ExportError, match="neither in the catalog nor in your consent ledger"):
        make_letter("access", ledger, catalog, provider_id="no-such-provider")
    with pytest.raises(ExportError, match="Unknown letter kind"):
        make_letter("complaint", ledger, catalog, provider_id="zoom")
    with pytest.raises(ExportError, match="either a record"):
        make_letter("access", ledger, catalog)


def test_compose_is_pure_and_names_the_service(catalog):
    zoom = CatalogFacts(catalog).provider("zoom")
    cited = CitedRecord("11111111-2222-4333-8444-555555555555", "2026-01-05T10:00:00.000000Z", "given", "given",
                        "Smart recording (smart-recording)", "Weekly", None, None, ("recording",),
                        (TermsInForce("terms", "a" * 64, "https://example.org/t", "Terms", recorded=False,
                                      seen="2026-01-01"),))
    letter = compose_letter("objection", zoom, [cited], name="Ada", today=date(2026, 2, 2))
    assert letter.subject.endswith("Zoom: Smart recording (smart-recording)")
    assert "first seen or dated 2026-01-01" in letter.text and "2026-01-05 10:00 UTC" in letter.text
    assert compose_letter("objection", zoom, [cited], name="Ada", today=date(2026, 2, 2)) == letter


def test_pdf_letter_text_is_extractable(ledger, sample, catalog, tmp_path):
    letter = make_letter("access", ledger, catalog, record_id=sample.refused.id, name="Ada")
    path = letter.to_pdf(tmp_path / "letter.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Article 15" in text and "Ünïcödé 会議 <script>alert(1)</script>" in text
    assert "2026-03-10 14:00 UTC" in text and "Microsoft Teams" in text
