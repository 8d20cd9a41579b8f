"""Letters go to the right place: a provider with a controller is written to at its privacy
contact; software no company runs (self-hosted, local, peer to peer) gets no made-up address,
the letter says plainly who to write to instead; a service that ended says so and names who
answers for it now only where the catalog's sources do."""

from __future__ import annotations

import json
from datetime import date

import pytest

from guard.catalog.models import Contacts
from guard.export import compose_letter, make_letter
from guard.export.facts import ProviderFacts, SourceFact
from guard.export.letter_words import Wording
from tests.export.conftest import no_keyring_env

SOURCE = (SourceFact("https://example.org/docs/self-hosting", "2026-12-01"),)
TODAY = date(2026, 12, 1)


def _mumble(write_to: tuple[str, ...] = ("server-operator", "meeting-host")) -> ProviderFacts:
    return ProviderFacts("mumble", "Mumble", True, contact_kind="no-controller", write_to=write_to,
                         contact_sources=SOURCE)


def test_no_controller_letter_names_who_to_write_to_and_invents_no_address():
    letter = compose_letter("withdrawal", _mumble(), [], name="Ada", today=TODAY)
    assert "no company holds your meeting data" in letter.notice
    assert "the operator of the Mumble server you used" in letter.notice
    assert "the organisation or person that hosted the meeting" in letter.notice
    to = letter.text.split("\n\n")[2]  # sender, date, recipient
    assert to.startswith("[FILL IN: the operator of the Mumble server you used (your organisation, or whoever runs "
                         "it) or the organisation or person that hosted the meeting: name and postal address]")
    assert "E-mail: [FILL IN: their privacy or data-protection e-mail address]" in to
    assert "not in the catalog" not in letter.text and "privacy statement" not in letter.text
    assert letter.mailto.startswith("mailto:?subject=") and letter.recipient.kind == "no-controller"
    assert letter.to_dict()["to"]["write_to"] == ["server-operator", "meeting-host"]
    assert letter.to_dict()["notice"] == letter.notice


def test_a_peer_to_peer_letter_goes_to_the_participant_who_recorded():
    letter = compose_letter("access", _mumble(("participant",)), [], today=TODAY)
    assert "Send it to the participant who recorded or transcribed the meeting." in letter.notice
    assert "server" not in letter.notice.split("Send it to")[1]


@pytest.mark.parametrize("language", ["de", "fr", "es", "it", "nl"])
def test_the_no_controller_notice_is_in_the_letters_language(language):
    letter = compose_letter("objection", _mumble(), [], name="Ada", today=TODAY, language=language)
    english = compose_letter("objection", _mumble(), [], name="Ada", today=TODAY)
    assert letter.notice and letter.notice != english.notice and "Mumble" in letter.notice
    assert Wording(language).word("who_meeting-host") in letter.notice
    assert "[FILL IN" not in letter.text  # every placeholder is in the letter's language too


def test_a_controller_letter_is_addressed_as_before_with_no_notice():
    zoomish = ProviderFacts("acme", "Acme Meet", True, controller="Acme Inc.", privacy_email="privacy@acme.example",
                            postal_address="1 Main St, Springfield", contact_sources=SOURCE, contact_verified=True)
    letter = compose_letter("withdrawal", zoomish, [], today=TODAY)
    assert letter.notice == "" and "Acme Inc.\nPrivacy / data protection contact\n1 Main St, Springfield" in letter.text
    assert letter.mailto.startswith("mailto:privacy@acme.example?")


def test_a_discontinued_service_says_when_it_ended_and_who_answers_now():
    ended = ProviderFacts("oldmeet", "Old Meet", True, contact_kind="discontinued", controller="Parent Corp.",
                          privacy_email="privacy@parent.example", contact_sources=SOURCE, contact_verified=True,
                          ended_on="2024-09-30", successor="Parent Video")
    letter = compose_letter("access", ended, [], today=TODAY)
    assert letter.notice == ("Old Meet ended on 30 September 2024. Its users were moved to Parent Video. The letter is "
                             "addressed to Parent Corp., which the catalog's sources name as answering for the "
                             "service's data now.")
    assert "Parent Corp." in letter.text and letter.mailto.startswith("mailto:privacy@parent.example?")


def test_a_discontinued_service_with_no_known_contact_asks_for_one_and_guesses_none():
    ended = ProviderFacts("gone", "Gone Video", True, contact_kind="discontinued", contact_sources=SOURCE,
                          ended_on="2023-08-31")
    letter = compose_letter("withdrawal", ended, [], today=TODAY)
    assert "Gone Video ended on 31 August 2023." in letter.notice and "knows no privacy contact" in letter.notice
    assert "[FILL IN: the controller's legal name, not in the catalog" in letter.text
    assert letter.mailto.startswith("mailto:?")


def test_an_end_date_still_ahead_is_not_announced():
    later = ProviderFacts("later", "Later", True, controller="Later Ltd", contact_sources=SOURCE, contact_verified=True,
                          ended_on="2027-01-01")
    assert compose_letter("access", later, [], today=TODAY).notice == ""


def _source() -> dict[str, object]:
    return {"url": "https://example.org/docs", "checked": date(2026, 12, 1)}


def test_the_catalog_model_refuses_contradictions():
    assert Contacts(kind="no-controller", write_to=("server-operator",), sources=(_source(),)).write_to
    with pytest.raises(ValueError, match="names no controller"):
        Contacts(kind="no-controller", write_to=("server-operator",), privacy_email="a@b.example",
                 sources=(_source(),))
    with pytest.raises(ValueError, match="says who to write to instead"):
        Contacts(kind="no-controller", sources=(_source(),))
    with pytest.raises(ValueError, match="need a source"):
        Contacts(kind="no-controller", write_to=("server-operator",))
    with pytest.raises(ValueError, match="only a 'no-controller' entry"):
        Contacts(controller="X", write_to=("participant",), sources=(_source(),))
    with pytest.raises(ValueError, match="'not-found' entry"):
        Contacts(kind="not-found", sources=(_source(),))


# The shipped catalog, end to end: make_letter, the CLI and the services' withdrawal letter.

def test_a_self_hosted_provider_from_the_catalog_gets_a_letter_to_its_operator(ledger, catalog):
    letter = make_letter("access", ledger, catalog, provider_id="mumble", today=TODAY)
    assert letter.recipient.kind == "no-controller" and letter.recipient.sources
    assert "Send it to the operator of the Mumble server you used" in letter.notice
    assert "[FILL IN: the operator of the Mumble server you used" in letter.text
    assert letter.mailto.startswith("mailto:?")


def test_a_peer_to_peer_provider_from_the_catalog_points_to_the_participant(ledger, catalog):
    letter = make_letter("objection", ledger, catalog, provider_id="qtox", today=TODAY, language="de")
    assert "die teilnehmende Person, die das Meeting aufgezeichnet" in letter.notice


def test_a_sourced_controller_from_the_catalog_is_the_recipient(ledger, catalog):
    letter = make_letter("withdrawal", ledger, catalog, provider_id="demodesk", today=TODAY)
    assert letter.notice == "" and "Demodesk GmbH\nPrivacy / data protection contact\n" in letter.text
    assert "Data protection officer: DataCo GmbH" in letter.text
    assert letter.mailto.startswith("mailto:contact@demodesk.com?")


def test_an_ended_service_from_the_catalog_says_so(ledger, catalog):
    letter = make_letter("access", ledger, catalog, provider_id="bluejeans", today=TODAY)
    assert letter.notice.startswith("BlueJeans ended on 31 August 2023.")
    assert "knows no privacy contact" in letter.notice
    assert "[FILL IN: the controller's legal name, not in the catalog" in letter.text


def test_a_provider_whose_contact_was_not_found_asks_for_it(ledger, catalog):
    assert catalog.get("riverside").contacts.kind == "not-found"  # searched for on 2026-12-01, see its note
    letter = make_letter("access", ledger, catalog, provider_id="riverside", today=TODAY)
    assert "[FILL IN: privacy e-mail address, not in the catalog" in letter.text
    assert letter.notice == ""  # nothing else to say


def test_a_note_taker_s_letter_goes_to_the_address_its_policy_gives(ledger, catalog):
    letter = make_letter("access", ledger, catalog, provider_id="fireflies", today=TODAY)
    assert "security@fireflies.ai" in letter.text and "Fireflies.ai Corp." in letter.text
    assert "[FILL IN: privacy e-mail address" not in letter.text
    assert letter.notice == Wording("en").word("processor_notice", provider="Fireflies.ai")


def test_the_letter_command_says_who_to_write_to_before_the_letter(cli, app_home):
    result = cli("letter", "--kind", "objection", "--provider", "jami", env=no_keyring_env())
    assert result.returncode == 0, result.stderr
    before, letter = result.stdout.split("\n", 1)
    assert before.startswith("Before sending: Jami is software that its users run themselves")
    assert before.endswith("Send it to the participant who recorded or transcribed the meeting.")
    assert "[FILL IN: the participant who recorded or transcribed the meeting: name and postal address]" in letter
    data = json.loads(cli("letter", "--kind", "access", "--provider", "jami", "--json", env=no_keyring_env()).stdout)
    assert data["to"]["kind"] == "no-controller" and data["to"]["write_to"] == ["participant"]
    assert data["notice"].startswith("Jami is software")


def test_the_withdrawal_letter_the_app_offers_carries_the_notice(app_home, no_keyring):
    from guard.ledger import RecordDraft
    from guard.paths import app_paths
    from guard.services import Services

    services = Services(app_paths())
    try:
        given = services.record_decision(RecordDraft("mumble", "given", purposes=("recording",)))
        result = services.withdraw(given.id)
    finally:
        services.close()
    assert result.letter is not None and result.letter_problem is None
    assert "no company holds your meeting data" in result.letter.notice
    assert "the operator of the Mumble server you used" in result.letter.text


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it", "nl"])
def test_an_address_from_an_unconfirmed_source_is_flagged_before_sending(language):
    """A contact the catalog read only in a third-party or old copy still fills the letter, but the
    user is told, in the letter's language, to check it in the provider's own policy first."""
    unconfirmed = ProviderFacts("acme", "Acme Meet", True, controller="Acme Inc.", postal_address="1 Main St",
                                contact_sources=SOURCE, contact_verified=False)
    letter = compose_letter("access", unconfirmed, [], today=TODAY, language=language)
    assert letter.notice == Wording(language).word("unconfirmed", provider="Acme Meet")
    assert "Acme Inc." in letter.text and "Acme Meet" in letter.notice
    confirmed = compose_letter("access", ProviderFacts(**{**unconfirmed.__dict__, "contact_verified": True}), [],
                               today=TODAY, language=language)
    assert confirmed.notice == ""


def test_the_shipped_catalogs_unconfirmed_contacts_are_flagged_and_confirmed_ones_are_not():
    from guard.catalog import load_catalog
    from guard.export.facts import provider_facts

    flagged = {}
    for provider in load_catalog().providers.values():
        facts = provider_facts(provider)
        if facts.contact_kind == "controller" and facts.controller:
            notice = compose_letter("access", facts, [], today=TODAY).notice
            flagged[provider.id] = Wording("en").word("unconfirmed", provider=facts.name) in notice
    assert flagged and {pid for pid, on in flagged.items() if not on} == {
        p.id for p in load_catalog().providers.values() if p.contacts.verified and p.id in flagged}
