"""General forms of sharing, retention, choice and generated-data clauses added after measuring the
rules on OPP-115 (tests/bench/bench_terms_topics_opp115.py). Each case is a plain sentence written
from the pattern (what the clause does), not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # data passed on to a recipient other than the provider, whatever the verb
    "Your mailing address may be forwarded to the sponsor of the contest.",
    "Donor lists are sometimes exchanged with other organisations.",
    "We may release your details to unaffiliated companies.",
    # others collecting or setting cookies on the provider's pages
    "Third-party ad networks may place a cookie on your browser when you visit.",
    "Advertising companies may collect information about your visits to this site.",
    "Social media buttons on our pages may collect your IP address.",
    # others given access to data
    "Contractors working for us may have access to your account records.",
    "We may provide access to our database to investigators.",
    "Companies that perform services on our behalf receive only what they need.",
    # the provider engaging outside companies
    "We use outside vendors to process payments.",
    # data made public
    "Your username and scores are displayed publicly on leaderboards.",
    # a business transfer
    "We may sell or transfer business units, and customer records go with them.",
    # the provider handing data over, in the active voice, and renting lists
    "We may send your contact details to marketing companies.",
    "Postal lists are rented to other organisations.",
    # what others can read or collect, and partners' tracking on the provider's pages
    "Anything you post in the forum can be read by other users.",
    "Our advertising partners may use web beacons to measure campaigns.",
])
def test_sharing_in_general_form(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the user moving their own data elsewhere is a right they exercise
    "You have the right to receive your data and transfer it to another service.",
    "Data portability lets you download a copy of your files.",
    # the user, not the provider, engaging with others' services
    "Whether you engage with third-party services is up to you.",
    # data that was public is a source, not a disclosure
    "Our models learn from information that is publicly available on the web.",
])
def test_not_sharing_though_it_looks_like_it(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # refusing or blocking tracking in the browser or on the device
    "You can set your browser to refuse cookies.",
    "Cookies can be blocked, though some pages may then not work.",
    "Turn off location services on your phone to stop us seeing where you are.",
    # privacy and advertising controls
    "Change your ad preferences at any time.",
    "Industry programmes such as the Network Advertising Initiative let you limit interest-based ads.",
    # choosing not to give data
    "Giving us your phone number is optional, and you may decline to provide it.",
    "You can visit the site without registering.",
    # asking that data be withheld, and a use that waits for permission
    "Students may request that their directory details be withheld.",
    "Records are not released without the written consent of the student.",
    "If you prefer that we not share your address, tell us.",
    "We will not send your contacts anywhere unless you opt in.",
    # declining to give data, and telling the provider to stop
    "You may decline to provide your date of birth.",
    "Parents may ask us to stop collecting their child's details.",
])
def test_choice_in_general_form(sentence: str) -> None:
    assert "consent-opt-out" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the provider's permission for what the user does is not the user's consent to a use of data
    "You may not assign this agreement without our prior written consent.",
    # ending the contract is not a choice about data
    "You may end the agreement if you no longer want to use the service.",
    # marketing e-mail opt-outs stay out (a message preference, not a use of data)
    "If you no longer wish to receive our newsletter, click unsubscribe.",
])
def test_not_a_data_choice_though_it_looks_like_one(sentence: str) -> None:
    assert "consent-opt-out" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # not keeping data at all is a statement about retention
    "We do not store the card numbers you enter.",
    "Uploaded photos are never retained once the print is made.",
    # where data is kept, and taking it out again
    "Your answers are kept in our survey database.",
    "Ask us and your profile will be deleted from our records.",
    "When the contest ends we delete them.",
    # keeping a record of an exchange
    "If you write to us, we keep a copy of your letter.",
])
def test_retention_in_general_form(sentence: str) -> None:
    assert "retention" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # gathering data is collection; saying it is also stored does not say for how long
    "We collect and store the name you give us.",
    # leaving a mailing list is a marketing preference
    "Reply STOP and we will remove you from our mailing list.",
])
def test_not_retention_though_it_looks_like_it(sentence: str) -> None:
    assert "retention" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # tracking technologies by name
    "Our pages set persistent cookies.",
    "Clear gifs in our e-mails tell us when a message was opened.",
    "We use local shared objects to remember your settings.",
    # the technical facts of a visit and online activity
    "The server notes your browser type and the referring URL.",
    "We note which pages you visit and the access times.",
    "Ads may be chosen from your online activity on other sites.",
    "We may log information about your visits to our site.",
    # location the device reports
    "The app may ask for your precise location.",
    # any cookie, tracking pixels in e-mail, search history and what a person clicks
    "A cookie is a small text file your browser keeps.",
    "Our newsletters carry a one-pixel image that tells us whether you opened them.",
    "We keep your search history to suggest queries.",
    "We count the ads users click.",
])
def test_generated_data_in_general_form(sentence: str) -> None:
    assert "service-generated-data" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # where a customer is (tax, residence) and disputes over names are not data the service generates
    "Tax is based on your location and the laws of your country.",
    "Claims about domain names are not subject to arbitration.",
    "You must not use a VPN to mask your geographic location.",
    "You need a computer with a supported operating system.",
])
def test_not_generated_data_though_it_looks_like_it(sentence: str) -> None:
    assert "service-generated-data" not in sentence_topics(sentence, RULES)
