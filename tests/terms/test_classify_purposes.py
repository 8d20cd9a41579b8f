"""Permitted uses of personal data (content-licence, issue 15): purpose statements in general form
and the items of a purpose list read with its lead-in. The corpus's topic table puts a stated
purpose for which the provider uses personal data under content-licence; privacy policies say it
in many ways ("we use your information to ...", "may be used for the following purposes:",
"Purposes of processing"). Sentences are written from the pattern, each form seen at several
providers of the dev pairs and of OPP-115's development half (even policy ids); the dev pair ids
are named where one is the model. The shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
LICENCE = "content-licence"


@pytest.mark.parametrize("sentence", [
    # the provider (we, we'll) uses a kind of personal data to do something
    "We use your contact details to notify you about changes to your booking.",
    "We'll use your email address to deliver the daily headlines you asked for.",
    "We may also use personally identifiable information to fulfil your requests and answer your questions.",
    "We will not process your health information to target advertising.",
    # ... for some purposes, or in some ways
    "We may use your information for research and analytics purposes.",
    "We use the personal data you give us in the following ways.",
    # data used (passive), also after "collected and"
    "Your profile information may be used to recommend groups you may like.",
    "Information you give us is collected and used to process your enrolment.",
    "Personal information submitted through the form will be used only for the purposes stated on it.",
])
def test_purpose_statements_are_permitted_uses(sentence: str) -> None:
    assert LICENCE in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # cookies and tools are no kind of personal data (their use is generated data, not a licence)
    "We use cookies to remember your language.",
    "These tools are used to measure the volume of calls.",
    # the user, not the provider, uses the information
    "You may use the information to contact other members.",
    # safeguards protecting data are not a use of it
    "We use reasonable safeguards to protect your information.",
    # running the account the person asked for (the negative rule running-the-service)
    "We use the information you provide to create your account.",
    # where to ask about uses is not a use
    "Contact us with any question about how we use your information.",
])
def test_look_alikes_are_not_permitted_uses(sentence: str) -> None:
    assert LICENCE not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize(("lead", "item"), [
    # starlink/privacy-policy/2026-01-12__2026-01-16: a lead-in ending with a colon after the use
    ("To the extent permitted by applicable law, we may use your personal information:",
     "To train our machine learning models for the purposes outlined in this policy;"),
    # xai/grok-privacy-policy/2025-12-11__2026-05-18: a passive lead-in
    ("This data obtained from these cookies and similar technologies may be used for several different purposes,"
     " including to:", "Provide useful features to simplify your experience with our Services;"),
    ("Your information may be processed for the following reasons:", "Measuring how well our campaigns do."),
])
def test_items_of_a_purpose_list_are_permitted_uses(lead: str, item: str) -> None:
    assert LICENCE not in sentence_topics(item, RULES)  # the item alone names no use of data
    assert LICENCE in sentence_topics(item, RULES, lead=lead)


@pytest.mark.parametrize("heading", [
    "Purposes of processing your personal data",
    "Purposes for which we process personal data",
    "Why do we collect and use your information?",
    "How is my personal data used?",
    "How Acme uses personal data",
    "What we do with the information we collect",
])
def test_a_sentence_under_a_purpose_heading_is_a_permitted_use(heading: str) -> None:
    item = "Improving the effectiveness of our trip recommendations."
    assert LICENCE not in sentence_topics(item, RULES)
    assert LICENCE in sentence_topics(item, RULES, heading=heading)


@pytest.mark.parametrize(("lead", "heading"), [
    # a lead-in that is not about a use of data, and a heading that names no purpose
    ("You may use the Services to:", "Your account"),
    ("Cookies are used on these pages:", "What are cookies?"),
])
def test_other_lists_and_headings_give_no_use(lead: str, heading: str) -> None:
    item = "Improving the effectiveness of our trip recommendations."
    assert LICENCE not in sentence_topics(item, RULES, lead=lead, heading=heading)


@pytest.mark.parametrize("sentence", [
    # a legitimate interest stated as the purposes it serves (automattic/wordpress-com-privacy-policy/
    # 2025-09-23__2025-10-06, booking/privacy-policy/2026-02-24__2026-03-26)
    "We have a legitimate interest in using your information, for example to improve our Services.",
    "The legitimate interests include, for example, avoiding financial harm from online fraud.",
    # the provider reserving the right to use data for a purpose (with another topic in the sentence, so that
    # the backoff, read only for a sentence with none, does not stand in)
    "We reserve the right to use and share personally identifiable information with partners for any lawful"
    " business purpose.",
])
def test_legitimate_interests_and_reserved_uses_are_permitted_uses(sentence: str) -> None:
    assert LICENCE in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a legal ground is the permission for a use (corpus guideline 15), also when it names no purpose
    "We process your data on the basis of our legitimate interests.",
    "Legal basis: legitimate interests.",
])
def test_a_legal_ground_alone_is_a_permitted_use(sentence: str) -> None:
    assert LICENCE in sentence_topics(sentence, RULES)


def test_items_under_a_section_on_a_legal_ground_are_permitted_uses() -> None:
    # linkedin/european-privacy-policy/2025-11-04__2026-08-22
    item = "To ensure the protection of children on the platform."
    assert LICENCE not in sentence_topics(item, RULES)
    assert LICENCE in sentence_topics(item, RULES, heading="When does Acme rely on legitimate interests?")


def test_items_under_a_use_of_several_kinds_of_data_are_permitted_uses() -> None:
    # booking/privacy-policy/2024-05-15__2024-09-09: "We use your contact information, reservation details,
    # account information ... for marketing"
    item = "Sending offers that match your trips."
    assert LICENCE not in sentence_topics(item, RULES)
    assert LICENCE in sentence_topics(item, RULES, lead="We use your contact details and travel preferences for the"
                                      " purposes below.")
