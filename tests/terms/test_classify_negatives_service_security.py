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


@pytest.mark.parametrize("sentence", [
    "2018-03-26: Updated refund policy to clarify course purchases.",
    "We've made a few updates to keep our subprocessor information easy to find.",
    "For more information about how we process your personal data for the captcha, please see the Captcha "
    "Privacy Addendum.",
    "You can learn more about the ways you can control the information that is shared with partners.",
    "In order to learn about your rights regarding the international transfer of your personal data, please "
    "consult the standard contractual clauses.",
    "The following details supplement the above information in Section 6 (Who do we share your personal data "
    "with?) using the terminology of state law:",
])
def test_change_logs_and_pointers_state_no_use(sentence: str) -> None:
    assert sentence_topics(sentence, RULES) == ()


@pytest.mark.parametrize("sentence", [
    "Microsoft provides you with the ability to access your exportable data through the privacy dashboard; "
    "this exportable data can be used to switch to third-party provider services.",
    "You may also contact us to appeal any decision we make relating to your request to exercise your rights.",
    "Access the categories and specific pieces of personal data we have collected and the categories of third "
    "parties with whom we have shared personal data.",
    "Choosing to connect them may expose your data and accounts to unauthorized access.",
])
def test_the_users_rights_and_security_warnings_are_not_data_use(sentence: str) -> None:
    found = sentence_topics(sentence, RULES, heading="Your choices and consent")
    assert not {"consent-opt-out", "third-party-sharing", "content-definition"} & set(found)


def test_sharing_stated_beside_a_right_is_still_sharing() -> None:
    assert "third-party-sharing" in sentence_topics(
        "We may share your exportable data with our partners when you ask us to.", RULES)


def test_a_long_markdown_heading_reworded_is_not_a_change_of_substance() -> None:
    # Zoom's privacy statement (2022): the section heading grew past a dozen words
    old = "## Who Can See and Share My Personal Data When I Use Zoom?\n\nWe share data with our processors."
    new = ("## Who Can See, Share, and Process My Personal Data When I Join Meetings and Use Other Zoom Products "
           "and Services?\n\nWe share data with our processors.")
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []
    changed = "## Sharing\n\nWe share data with our processors and advertisers."
    assert [c for c in analyse(old, changed, RULES) if c.relevant] != []


@pytest.mark.parametrize("sentence", [
    "The App may allow you to share personal information, messages, or interact with other users.",
    "The Services provide features that allow you to share your stuff with others or to make it public.",
])
def test_a_feature_that_lets_the_user_share_is_not_the_provider_sharing(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


def test_the_provider_sharing_what_the_user_shares_still_is() -> None:
    assert "third-party-sharing" in sentence_topics(
        "The app lets you share posts, and we may share your posts with advertising partners.", RULES)
