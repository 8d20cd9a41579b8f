"""General forms added for recall (issue 15, session 7): the ways privacy policies word a transfer
abroad, a legal basis, a use of AI, a purpose stated before the use, and a control over a use, read
from several providers' dev pairs and OPP-115's development half. Each case is a plain sentence
written from the pattern, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # data sent, stored or processed outside a region, whichever comes first
    "When we send information about you to companies outside the EEA, we protect it by contract.",
    "Your data may be stored and processed outside your country of residence.",
    # an international transfer, whatever the mechanism
    "For international transfers of personal data we rely on the approved addendum.",
    # where the servers are
    "Our servers are located in Ireland and the United States.",
    # data flowing between the companies of a group
    "Data flows between the companies of our group follow the same rules.",
])
def test_transfer_abroad_is_sharing(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a user travelling, or a service offered abroad, moves no data
    "You may not use the service from outside the country.",
    "We provide the service outside the EEA through local resellers.",
    # an office address is not where data is kept
    "Our offices are located in Dublin.",
])
def test_abroad_without_data_is_not_sharing(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the provider stating that it uses AI, algorithms or automated decisions
    "We use AI to rank the offers shown to you.",
    "We may also use automated algorithms to sort incoming messages.",
    # the purpose stated first
    "To recommend courses, we may use your learning history and your location.",
    # data collected for a stated purpose
    "We collect your calendar entries to suggest people you may know.",
])
def test_stated_purpose_is_a_permitted_use(sentence: str) -> None:
    assert "content-licence" in sentence_topics(sentence, RULES)


def test_item_under_a_legal_bases_lead_is_a_permitted_use() -> None:
    lead = "We rely on the following legal bases to process your personal data:"
    assert "content-licence" in sentence_topics("to verify your identity and affiliation.", RULES, lead=lead)
    heading = "The legal basis for our use of your personal data"
    assert "content-licence" in sentence_topics("to verify your identity and affiliation.", RULES, heading=heading)


@pytest.mark.parametrize("sentence", [
    # a user using AI, or collecting their own things, is no use by the provider
    "You may use AI features to draft replies.",
    "You can collect badges to unlock new levels.",
    # a purpose stated first with no data used
    "To keep the service running, we update it every week.",
])
def test_no_stated_use_by_the_provider(sentence: str) -> None:
    assert "content-licence" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    "Visit our help page to learn how to opt out.",
    "Our help centre explains how to disable the assistant.",
    "If you wish to object to the processing of your data for analytics, write to us.",
])
def test_turning_a_use_off_is_a_choice(sentence: str) -> None:
    assert "consent-opt-out" in sentence_topics(sentence, RULES)


def test_objecting_to_a_decision_is_not_a_choice_over_data() -> None:
    assert "consent-opt-out" not in sentence_topics("You may object to the referee's decision within a week.", RULES)


def test_a_promise_not_to_sell_with_an_adverb_is_sharing() -> None:
    assert "third-party-sharing" in sentence_topics("We do not knowingly sell your personal information.", RULES)


@pytest.mark.parametrize("sentence", [
    "Your calendar data is used only to show your schedule.",
    "Payment details are processed solely for billing.",
])
def test_data_used_only_for_a_purpose_is_a_permitted_use(sentence: str) -> None:
    assert "content-licence" in sentence_topics(sentence, RULES)


def test_a_feature_used_only_by_adults_is_no_use_of_data() -> None:
    assert "content-licence" not in sentence_topics("This feature is used only by adults.", RULES)


@pytest.mark.parametrize("heading", [
    "How long do we keep your data?", "4.2 Data retention", "Retention of personal data"])
def test_a_sentence_under_a_retention_heading_is_about_retention(heading: str) -> None:
    sentence = "Copies of identity documents uploaded for verification are covered by this section."
    assert "retention" not in sentence_topics(sentence, RULES)
    assert "retention" in sentence_topics(sentence, RULES, heading=heading)


@pytest.mark.parametrize("sentence", [
    "We collect information like your name, phone number and postal address.",
    "We also receive data you provide, such as your height and weight.",
    "We receive personal data (including contact details) when you import your address book.",
])
def test_data_collected_named_by_example_is_a_collection_statement(sentence: str) -> None:
    # corpus guideline 16: what the provider collects is its use of what it is given, not a definition
    found = sentence_topics(sentence, RULES)
    assert "content-licence" in found
    assert "content-definition" not in found


def test_examples_of_a_purpose_do_not_define_data() -> None:
    sentence = "We collect order data to provide services such as delivery tracking."
    assert "content-definition" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    "By default, information you add to your profile is public.",
    "Your posts may be made publicly available on the web.",
    "Your content is not confidential once it is or becomes public.",
])
def test_data_made_public_is_shared(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


def test_a_public_holiday_shares_nothing() -> None:
    assert "third-party-sharing" not in sentence_topics("The office is closed when the day is a public holiday.", RULES)


def test_a_term_named_in_brackets_with_an_article_is_a_definition() -> None:
    sentence = "You may submit a prompt in the form of text or images (an \u201cInput\u201d) to the assistant."
    assert "content-definition" in sentence_topics(sentence, RULES)
