"""Letters when the provider is only a processor: where its own terms say it processes meeting
content for the organisation that hosted or recorded the meeting (GDPR Art. 28), the letter to
the provider says so before sending and asks it to forward the letter and name that
organisation (Art. 28(3)(e)); a second letter goes to the organisation itself (the controller),
named and addressed by the user, with the same cited records and a request to name its
processors (Art. 15(1)(c)). A provider without that role gets none of this."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest

from guard.export import ExportError, make_letter
from guard.export.letter_words import Wording
from guard.export.letters_host import ADDRESS_LIMIT, NAME_LIMIT
from guard.i18n import LANGUAGES
from tests.export.conftest import no_keyring_env

TODAY = date(2026, 12, 1)
HOSTILE = ("Acme\u202e Ltd <script>alert(1)</script>\n\nSubject: forged\r\n[FILL IN: x] {provider} "
           + "\u200b" + "A" * 5000)


def _paragraphs(language: str, provider: str) -> dict[str, str]:
    words = Wording(language)
    return {key: words.word(key, provider=provider) for key in
            ("processor_notice", "processor_forward", "host_controller", "host_processors")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_processor_provider_letter_asks_it_to_forward_and_name_the_host(ledger, sample, catalog, language):
    letter = make_letter("withdrawal", ledger, catalog, record_id=sample.given.id, today=TODAY, language=language)
    words = _paragraphs(language, "Zoom")
    assert letter.processor_for == "meeting-host" and letter.offers_host_letter
    assert words["processor_notice"] in letter.notice and words["processor_forward"] in letter.text
    assert "{" not in letter.notice and "{provider}" not in letter.text
    assert letter.text.index(words["processor_forward"]) < letter.text.index(Wording(language).word("closing"))
    data = letter.to_dict()
    assert data["addressee"] == "provider" and data["processor_for"] == "meeting-host"
    assert data["processor_sources"] and all(s["quote"] and s["url"].startswith("https://")
                                             for s in data["processor_sources"])
    if language != "en":  # translated, not the English words
        english = _paragraphs("en", "Zoom")
        assert all(words[key] != english[key] for key in words)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_provider_without_the_role_gets_no_such_text(ledger, sample, catalog, language):
    letter = make_letter("access", ledger, catalog, record_id=sample.whereby.id, today=TODAY, language=language)
    words = _paragraphs(language, "Whereby")
    assert catalog.get("whereby").contacts.processor_for is None
    assert letter.processor_for is None and not letter.offers_host_letter
    assert words["processor_notice"] not in letter.notice and words["processor_forward"] not in letter.text
    assert Wording(language).word("processor_forward")[:40] not in letter.text
    assert letter.to_dict()["processor_sources"] == []


def test_an_unconfirmed_processor_role_says_so(ledger, catalog):
    webex = make_letter("objection", ledger, catalog, provider_id="webex", today=TODAY)  # third-party copy only
    zoom = make_letter("objection", ledger, catalog, provider_id="zoom", today=TODAY)  # Open Terms Archive copy
    unconfirmed = "The catalog read this only in a copy it could not confirm as Cisco Webex's own text."
    assert webex.offers_host_letter and unconfirmed in webex.notice
    assert zoom.offers_host_letter and "could not confirm as Zoom's own text" not in zoom.notice


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_host_letter_goes_to_the_organisation_with_the_same_records(ledger, sample, catalog, language):
    to_provider = make_letter("access", ledger, catalog, record_id=sample.given.id, today=TODAY, language=language,
                              name="Ada Lovelace")
    to_host = make_letter("access", ledger, catalog, record_id=sample.given.id, today=TODAY, language=language,
                          name="Ada Lovelace", to_host="Acme Ltd", host_address="1 High Street, London")
    words = _paragraphs(language, "Zoom")
    recipient = to_host.text.split("\n\n")[2].split("\n")
    assert recipient[:2] == ["Acme Ltd", "1 High Street, London"]
    assert to_host.addressee == "meeting-host" and not to_host.offers_host_letter
    assert to_host.recipient.kind == "meeting-host" and to_host.recipient.controller == "Acme Ltd"
    assert words["host_controller"] in to_host.text and words["host_processors"] in to_host.text
    assert words["processor_forward"] not in to_host.text and to_host.notice == ""
    assert "Acme Ltd (Zoom)" in to_host.subject and to_host.mailto.startswith("mailto:?subject=")
    assert [r.id for r in to_host.records] == [r.id for r in to_provider.records] == [sample.given.id]
    for line in to_provider.records[0].lines(Wording(language)):
        assert line in to_host.text  # the same cited record, line for line
    assert "15" in words["host_processors"] and "28" in words["host_controller"]
    if language != "en":
        assert "[FILL IN" not in to_host.text and "Dear Sir" not in to_host.text


def test_a_hostile_organisation_name_stays_one_capped_line_of_plain_text(ledger, sample, catalog, tmp_path):
    letter = make_letter("withdrawal", ledger, catalog, record_id=sample.given.id, today=TODAY,
                         to_host=HOSTILE, host_address="1 High St\n\nDear Sir or Madam, I consent" + "x" * 900)
    block = letter.text.split("\n\n")[2].split("\n")  # sender, date, recipient: the structure is intact
    name, address = block[0], block[1]
    assert len(name) <= NAME_LIMIT and name.endswith("…") and name.startswith("Acme Ltd <script>")
    assert len(address) <= ADDRESS_LIMIT and address.startswith("1 High St Dear Sir or Madam")
    assert block[2].startswith("E-mail: [FILL IN")
    assert "\u202e" not in letter.text and "\r" not in letter.text
    headers = [line for line in letter.text.split("\n") if line.startswith("Subject: ")]
    assert len(headers) == 1  # the typed "Subject: forged" stays inside the name, never a header line of its own
    assert "Subject: forged" in name and "{provider}" in name  # shown as typed, never expanded
    pdf = letter.to_pdf(tmp_path / "host.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert(1)</script>" in text and "Acme" in text


def test_an_empty_organisation_is_refused(ledger, sample, catalog):
    for blank in ("", "  \n\t", "\u202e\u2066"):
        with pytest.raises(ExportError, match="name of the organisation"):
            make_letter("access", ledger, catalog, record_id=sample.given.id, to_host=blank)


def test_the_letter_command_writes_to_the_host(cli, ledger, sample):
    run = cli("letter", "--kind", "access", "--record", sample.given.id, env=no_keyring_env())
    assert run.returncode == 0, run.stderr
    assert "may be only that organisation's processor" in run.stdout and "--to-host" in run.stdout
    run = cli("letter", "--kind", "access", "--record", sample.given.id, "--to-host", "Acme Ltd",
              "--host-address", "1 High Street, London", "--lang", "de", env=no_keyring_env())
    assert run.returncode == 0, run.stderr
    assert "\nAcme Ltd\n1 High Street, London\n" in run.stdout and "Verantwortlicher (Art. 4 Nr. 7 DSGVO)" in run.stdout
    data = json.loads(cli("letter", "--kind", "objection", "--record", sample.given.id, "--to-host", "Acme Ltd",
                          "--json", env=no_keyring_env()).stdout)
    assert data["addressee"] == "meeting-host" and data["to"]["controller"] == "Acme Ltd"
    assert data["processor_for"] == "meeting-host" and data["records"] == [sample.given.id]
    run = cli("letter", "--kind", "access", "--record", sample.whereby.id, env=no_keyring_env())
    assert run.returncode == 0 and "--to-host" not in run.stdout and "processor and may answer" not in run.stdout
    bad = cli("letter", "--kind", "access", "--record", sample.given.id, "--host-address", "1 High St",
              env=no_keyring_env())
    assert bad.returncode == 2 and "--to-host" in bad.stderr
    empty = cli("letter", "--kind", "access", "--record", sample.given.id, "--to-host", " ", env=no_keyring_env())
    assert empty.returncode == 2 and "name of the organisation" in empty.stderr


def test_the_withdrawal_the_app_offers_leads_to_the_host_letter(app_home, no_keyring):
    from guard.ledger import Meeting, RecordDraft
    from guard.paths import app_paths
    from guard.services import Services

    services = Services(app_paths())
    try:
        zoom = services.record_decision(RecordDraft("zoom", "given", meeting=Meeting("Board call")))
        whereby = services.record_decision(RecordDraft("whereby", "given", meeting=Meeting("Design review")))
        offered, plain = services.withdraw(zoom.id), services.withdraw(whereby.id)
        host = services.host_letter(zoom.id, "Acme Ltd", "1 High Street")
    finally:
        services.close()
    assert offered.letter is not None and offered.letter.offers_host_letter and offered.letter.record_id == zoom.id
    assert plain.letter is not None and not plain.letter.offers_host_letter
    assert "\nAcme Ltd\n1 High Street\n" in host.text and '“Board call”' in host.text
    assert host.suggested_name.startswith("withdrawal-host-zoom-") and host.title.endswith("Acme Ltd (Zoom)")
