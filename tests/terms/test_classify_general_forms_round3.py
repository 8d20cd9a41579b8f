"""Third round of general forms for sharing with others and for a person's choices over a use of their
data (2026-12-01). Each case is a plain sentence written from the pattern (what the clause does with
data), not taken from any policy or corpus pair; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # another company of the group, or a contractor, acting on the data itself
    "Our affiliates may process your personal data to run the service.",
    "Payment processors receive your card details when you pay.",
    "Our contractors may access your files to fix a fault you report.",
    # data seen or handled by people working for someone else
    "Your messages may be accessed by our contractors.",
    "Some support chats are reviewed by staff employed by our vendors.",
    # the user's data shown to other people
    "Your profile is visible to other people on the service.",
    "Other participants in a call can see your name and picture.",
    # disclosure in answer to legal demands, whatever the verb
    "We may respond to legal requests from government agencies.",
    "We act on orders for account data from courts in the countries we operate in.",
    # the user's own messages, files or recordings passed to a named kind of recipient
    "We may pass your recordings to researchers who study speech.",
    # data bought or licensed from others
    "Some datasets we license come from third party publishers.",
    # data sold to anyone, moved to another country
    "We never sell this information to anyone.",
    "Your data may be transferred to servers in other countries.",
    # the organisation running the account reaching the user's data
    "Your employer's administrators can read messages you send in company channels.",
    # data reached through third-party services the user connects
    "We receive the content you pick from third-party services you connect.",
    # the provider holding data on behalf of its business customers
    "Data in the workspace is stored on behalf of our business customers.",
])
def test_sharing_in_general_form(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the person seeing their own data, and legal obligations with no disclosure
    "You can see your past orders in your account.",
    "We keep invoices to comply with legal obligations.",
    # an affiliate named without anything it does with data
    "Acme Ltd is an affiliate of Acme Inc.",
    # buying goods from a third party, or reaching the service through another platform
    "You can buy our mugs from a third party shop.",
    "You may access the app through third-party platforms such as game consoles.",
])
def test_not_sharing_though_it_looks_like_it(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # where the person manages a use
    "You can update your privacy preferences at any time.",
    "Use the privacy dashboard to control which activity we keep.",
    # what a setting is by default
    "Voice storage is off by default.",
    "By default, your conversations are not used to improve the service.",
    # taking back access given to an integration
    "You may disconnect the calendar integration at any time in your settings.",
    # the person adjusting a setting of the feature that uses their data
    "You can adjust your assistant settings in the app.",
])
def test_choice_in_general_form(sentence: str) -> None:
    assert "consent-opt-out" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a pointer to a privacy centre controls nothing
    "More about this is in our Privacy Center.",
    # a feature a person turns on is not a choice over a use of data
    "If you choose to enable dark mode, the app uses less power.",
    # a setting's default that is not about data
    "The font size is 12 points unless changed.",
])
def test_not_a_choice_though_it_looks_like_it(sentence: str) -> None:
    assert "consent-opt-out" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("heading", [
    "Who can see, share and process my personal data?",
    "Who may access your information",
    "Sharing your information",
    "Disclosure of personal data",
])
def test_an_item_under_a_heading_about_who_gets_the_data_is_about_sharing(heading: str) -> None:
    item = "Registration details: what you enter when you sign up for an event hosted by an account."
    assert sentence_topics(item, RULES) == ()
    assert "third-party-sharing" in sentence_topics(item, RULES, heading=heading)


@pytest.mark.parametrize("heading", ["Who can use the service", "Sharing tips with your team", "Disclosures"])
def test_a_heading_that_is_not_about_recipients_of_data_says_nothing(heading: str) -> None:
    item = "Registration details: what you enter when you sign up for an event hosted by an account."
    assert "third-party-sharing" not in sentence_topics(item, RULES, heading=heading)


@pytest.mark.parametrize("lead", [
    "With your consent:",
    "How can I turn off personalised suggestions?",
    "What happens when you turn off history?",
    "You can also turn off these uses in your account:",
])
def test_an_item_under_a_lead_about_consent_or_turning_a_use_off_is_about_choice(lead: str) -> None:
    item = "Suggestions based on the places you have searched for."
    assert "consent-opt-out" not in sentence_topics(item, RULES)
    assert "consent-opt-out" in sentence_topics(item, RULES, lead=lead)


@pytest.mark.parametrize("lead", ["Your rights", "Your choices", "How can I contact you?"])
def test_general_rights_headings_do_not_make_items_choices(lead: str) -> None:
    item = "Suggestions based on the places you have searched for."
    assert "consent-opt-out" not in sentence_topics(item, RULES, lead=lead)


@pytest.mark.parametrize(("sentence", "topic"), [
    # improving a provider's AI, named or not, and the material a model learns from
    ("Chats in this mode are not used to improve Acme AI.", "ai-training"),
    ("We use feedback to develop our AI and its safety tools.", "ai-training"),
    ("We gather training material from public web pages.", "ai-training"),
    # the provider still using data for a purpose, whatever adverb stands before the verb
    ("Even with history off, Acme still uses your chats to respond to you.", "content-licence"),
    # usage data described as how people use or visit the service
    ("We collect information related to how you use the app.", "service-generated-data"),
    ("This includes data about when and how visitors access our pages.", "service-generated-data"),
    ("We log the actions you take in your account.", "service-generated-data"),
])
def test_more_general_forms(sentence: str, topic: str) -> None:
    assert topic in sentence_topics(sentence, RULES)


def test_a_product_name_ending_in_ai_is_not_ai_training() -> None:
    assert "ai-training" not in sentence_topics("We work to improve the Acme AI Products for you.", RULES)
