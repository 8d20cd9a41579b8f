"""A legal basis for processing is the provider's permission for a use, so it is read as a licence over
the user's data (corpus guideline 15, tests/terms/corpus/README.md: GDPR art. 6(1)); the user's right
to object or to withdraw consent is a choice, not the permission; a note announcing a changed basis
is no term. Plain sentences written from the rules, not taken from a policy; the shipped rules."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
LICENCE = "content-licence"
CONSENT = "consent-opt-out"


@pytest.mark.parametrize("sentence", [
    # the basis named as such
    "The legal basis for this processing is the performance of our contract with you.",
    "Lawful basis: to meet our obligations under the subscription agreement.",
    # the article of the GDPR that names it
    "See article 6(1)(b) of the General Data Protection Regulation.",
    "This is based on Art. 6 para. 1 lit. f GDPR.",
    # processing on, or relying on, a ground
    "Your profile details are processed on the basis of our legitimate interest in recommending groups.",
    "We use your listening history based on your consent.",
    "On the basis of a contract with you, we process your billing address.",
    "We rely on legitimate interests to measure how our search results perform.",
    "Processing of payment details is necessary for the performance of a contract with you.",
    # processing to meet a legal obligation is a stated use too
    "We process personal data to comply with legal obligations.",
    "We use your information where we have a legitimate interest, for example to keep the service running.",
])
def test_a_legal_basis_is_a_permitted_use(sentence: str) -> None:
    assert LICENCE in sentence_topics(sentence, RULES)


def test_consent_as_the_basis_is_also_consent() -> None:
    topics = sentence_topics("The legal basis for sending you offers is your consent (Art. 6(1)(a) GDPR).", RULES)
    assert LICENCE in topics
    assert CONSENT in topics


@pytest.mark.parametrize("sentence", [
    "Where we process your data on the basis of our legitimate interests, you have the right to object.",
    "You can withdraw your consent to such processing at any time.",
])
def test_the_right_to_object_or_withdraw_is_a_choice_not_a_licence(sentence: str) -> None:
    topics = sentence_topics(sentence, RULES)
    assert LICENCE not in topics
    assert CONSENT in topics


@pytest.mark.parametrize("sentence", [
    "We have changed our legal basis for how we use some data for advertising.",
    "We have updated our lawful bases section to make it easier to read.",
])
def test_a_note_about_a_changed_basis_is_no_term(sentence: str) -> None:
    assert sentence_topics(sentence, RULES) == ()


@pytest.mark.parametrize("sentence", [
    # legal words that are not a ground for processing
    "Nothing in these terms is legal advice.",
    "The contract is governed by the laws of Ireland.",
    "Article 6 of these Terms explains how to cancel a subscription.",
])
def test_legal_words_without_a_basis_are_no_licence(sentence: str) -> None:
    assert LICENCE not in sentence_topics(sentence, RULES)
