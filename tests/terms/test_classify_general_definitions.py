"""What counts as the user's data, in general form (content-definition), whatever the provider calls
it: a quoted term defined as kinds of data, a term named in brackets after what it covers, and the
items of a "data we collect" section. Sentences are written from the pattern, not taken from any
policy, except where a dev pair id is given; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
DEFINITION = "content-definition"


@pytest.mark.parametrize("sentence", [
    # a quoted term, whatever its name, defined as kinds of the user's data
    "“Workspace Items” means the files, messages and recordings members add to a workspace.",
    '"Session Records" refers to audio, video and transcripts made during a call.',
    "‘Assistant Material’ includes prompts you type and the outputs you receive.",
    # a term named in brackets after what it covers
    "You may type questions into the assistant (“Prompts”) and receive answers (“Responses”).",
    "We gather crash reports, logs and device details (collectively, “Diagnostics Data”).",
    "Suggestions you send about the app (together, \"Feedback\") may be used freely.",
])
def test_defined_terms_in_general_form(sentence: str) -> None:
    assert DEFINITION in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a defined term that is not a kind of the user's data
    "“Renewal Term” means each further year of the subscription.",
    "“Affiliate” means any entity that controls or is controlled by a party.",
    # a bracketed name for others' material, not the user's
    "Some features show articles and images from other publishers (“Third-Party Materials”).",
])
def test_defined_terms_that_are_not_users_data(sentence: str) -> None:
    assert DEFINITION not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize(("sentence", "heading"), [
    # an item under a heading that says which data is collected names a kind of data, but defines no term
    # viber/privacy-policy/2026-01-06__2026-03-22
    ("Interests you choose to provide voluntarily.", "The Data We Collect"),
    ("Account details: your name, e-mail address and billing address.", "What personal data do we receive?"),
    ("Notes you add to a shared board.", "What information does the service collect about me?"),
    ("Details you enter when you book a room.", "Information we collect"),
    ("Contacts you choose to import.", "Types of personal information we collect"),
])
def test_items_of_a_data_we_collect_section_are_not_definitions(sentence: str, heading: str) -> None:
    # corpus guideline 16: an entry of the inventory of collected data is a collection statement
    assert DEFINITION not in sentence_topics(sentence, RULES, heading=heading)


@pytest.mark.parametrize("sentence", [
    "Interests you choose to provide voluntarily.",
    "Contacts you choose to import.",
])
def test_items_of_a_list_introduced_as_data_collected(sentence: str) -> None:
    # corpus guideline 16: a collection statement, read as the provider's use of what it collects
    lead = "We also collect the following information when you use the app:"
    assert sentence_topics(sentence, RULES, lead=lead) == ("content-licence",)
    assert sentence_topics(sentence, RULES, lead="Contact us:") == ()


@pytest.mark.parametrize("sentence", [
    # a purpose or a step the user takes names no kind of data, even in that section
    "To show in your user profile, if you choose.",  # evernote/privacy-policy/2024-10-21__2025-05-26
    "To help prevent spam, fraud, and abuse.",
    "Manage your assistant settings.",
])
def test_purposes_under_a_data_heading_are_not_definitions(sentence: str) -> None:
    assert DEFINITION not in sentence_topics(sentence, RULES, heading="What data do we collect?")
