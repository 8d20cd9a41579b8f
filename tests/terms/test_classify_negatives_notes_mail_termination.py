"""Update notes, marketing-message consent and account termination are not data-use topics
(negative rules "update-notes", "marketing-messages" and "account-termination", widened after
reading the dev false positives of the corpus: Spark, Substack and LinkedIn notes; Tumblr's CASL
clause and Overleaf's unsubscribe button; BeReal's and Google Drive's termination clauses).
Plain sentences written from the rules; shipped rules."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    "In a nutshell, we detailed provisions related to third-party services and clarified data sharing practices.",
    "Added a one-month response commitment for privacy rights requests and the right to object to processing.",
    "Clarified language on how we share information with service providers.",
    "On 3 November we are updating this notice to explain the legal basis for training AI models.",
])
def test_notes_on_what_an_update_changed_are_not_terms(sentence: str) -> None:
    assert sentence_topics(sentence, RULES) == ()


@pytest.mark.parametrize("sentence", [
    "We will only send you commercial electronic messages where we have your express or implied consent.",
    "Your consent to receive marketing e-mails is implied where we have an existing business relationship.",
    "If you no longer wish to receive such communications, you can click the unsubscribe button.",
    "If you have an account, separate email preferences may also apply.",
])
def test_consent_to_marketing_messages_is_not_consent_to_a_use_of_data(sentence: str) -> None:
    assert "consent-opt-out" not in sentence_topics(sentence, RULES, heading="Your choices and consent")


@pytest.mark.parametrize("sentence", [
    "We will share your personal data with advertising partners only with your consent.",
    "You can opt out of interest-based advertising in your settings.",
    "We are updating our systems so that we keep your recordings for 90 days.",
])
def test_consent_to_sharing_and_opt_outs_of_ads_still_are(sentence: str) -> None:
    assert sentence_topics(sentence, RULES) != ()


@pytest.mark.parametrize("sentence", [
    "Without limiting our other rights, we may suspend or terminate your access to the service or delete your "
    "account if you break these terms.",
    "Upon the termination or deletion of your account, your right to access and use our Services will cease.",
    "Provisions which by their nature should survive termination will remain in full force and effect.",
])
def test_ending_an_account_is_not_keeping_data(sentence: str) -> None:
    assert "retention" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    "When you delete your account, we delete your content within 30 days.",
    "After your account is closed we keep your messages for 90 days.",
])
def test_what_happens_to_data_when_an_account_ends_is_retention(sentence: str) -> None:
    assert "retention" in sentence_topics(sentence, RULES)


def test_a_transfer_framework_certification_is_not_retention() -> None:
    sentence = ("Example, Inc. and its U.S. subsidiaries adhere to the Data Privacy Framework Principles regarding "
                "the collection, use, and retention of personal data that is transferred from the European Union.")
    assert "retention" not in sentence_topics(sentence, RULES)
    kept = "Under the Data Privacy Framework we keep transferred personal data for 90 days."
    assert "retention" in sentence_topics(kept, RULES)
