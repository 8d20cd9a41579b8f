"""Breach notices, commitments to protect data and the messages a service sends are not data-use
topics, and a linking adverb ("Finally,") dropped is wording only (read from the dev false
positives of the corpus: Perplexity's DPA, Booking's privacy policy 2022-2024). Plain sentences
written from the rules; shipped rules."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    "The processor shall notify Customer of any accidental, unauthorized or illegal access to or disclosure of "
    "Personal Data without undue delay.",
    "We will tell affected customers and regulators about any personal data breach within 72 hours.",
])
def test_notice_of_a_breach_is_not_sharing(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


def test_sharing_with_authorities_is_still_sharing() -> None:
    assert "third-party-sharing" in sentence_topics(
        "We may disclose your personal data to law enforcement authorities when required by law.", RULES)


def test_a_commitment_to_protect_data_is_not_a_definition_of_it() -> None:
    assert "content-definition" not in sentence_topics(
        "That means we are committed to protecting and safeguarding any personal data you give us.", RULES)


@pytest.mark.parametrize("item", [
    "This includes sending you communications that relate to your reservation, such as confirmations and reminders.",
    "All you need to do is click on the Unsubscribe link included in each newsletter.",
])
def test_messages_the_service_sends_are_not_a_licence_over_content(item: str) -> None:
    lead = "We use your personal data for the following purposes:"
    assert "content-licence" not in sentence_topics(item, RULES, lead)


def test_using_content_for_a_listed_purpose_still_is() -> None:
    lead = "We use your personal data for the following purposes:"
    assert "content-licence" in sentence_topics("To analyse the photos and reviews you upload.", RULES, lead)


def test_dropping_a_linking_adverb_is_wording_only() -> None:
    old = ("Finally, where needed under applicable law, we will obtain your consent before processing your "
           "personal data for cookies.")
    new = ("Where needed under applicable law, we will obtain your consent before processing your personal data "
           "for cookies.")
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []
