"""Corpus guideline 16 in the rules: content-definition is for definitions of the user's content or
data; a statement of which data the provider collects (an inventory entry, in a list or in prose) is a
collection statement, read by the practice it states, and the provider's use of what it collects
(content-licence) when it states none. Plain sentences written from each form, not taken from any
policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
DEFINITION, LICENCE, GENERATED = "content-definition", "content-licence", "service-generated-data"
INVENTORY = "We may collect the following categories of personal data when you use the service:"


@pytest.mark.parametrize("sentence", [
    "“Customer Content” means the audio, video, chat messages and files you share in meetings.",
    "You may upload notes and recordings (collectively, “Workspace Material”).",
    "Your prompts and the answers you receive shall be deemed User Content.",
])
def test_a_definition_of_the_users_content_is_content_definition(sentence: str) -> None:
    assert DEFINITION in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    "Registration details: the name, e-mail address and company you give when you sign up.",
    "Support messages you send us and the attachments you add to them.",
])
def test_an_inventory_entry_with_no_practice_of_its_own_is_a_collection_statement(sentence: str) -> None:
    assert sentence_topics(sentence, RULES, lead=INVENTORY) == (LICENCE,)
    assert DEFINITION not in sentence_topics(sentence, RULES, lead=INVENTORY)


def test_an_inventory_entry_of_generated_data_keeps_its_own_topic_only() -> None:
    sentence = "Device details: IP address, device identifiers and crash logs from the devices you use."
    found = sentence_topics(sentence, RULES, lead=INVENTORY)
    assert GENERATED in found
    assert LICENCE not in found and DEFINITION not in found


def test_a_list_that_is_not_an_inventory_gives_no_collection_topic() -> None:
    sentence = "Registration details: the name, e-mail address and company you give when you sign up."
    assert sentence_topics(sentence, RULES, lead="You can change the following in your profile:") == ()


@pytest.mark.parametrize("sentence", [
    "We collect information like your name, billing address and phone number.",
    "Categories of personal information: identifiers and commercial information.",
])
def test_collection_in_prose_is_content_licence_not_a_definition(sentence: str) -> None:
    found = sentence_topics(sentence, RULES)
    assert LICENCE in found
    assert DEFINITION not in found
