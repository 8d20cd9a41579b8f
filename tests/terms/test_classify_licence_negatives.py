"""Clauses that state why the provider processes the information it collects, or that it uses
personal information to run the service, are not a licence over the user's content (negative rules
"collected-data-purposes" and "running-the-service", added after reading the content-licence false
positives of the corpus's dev part). Plain sentences written from the rules; shipped rules."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # what the provider does with the information it collects
    "We use the information we collect to personalise the service for you.",
    # using personal information to run the service, accounts, purchases and promotions
    "We use your information to provide you with our online services.",
    "We use the details you give us to create and manage your account.",
    "We may use your personal data to send you promotional communications.",
    # using personal information to detect fraud or rule-breaking is a safety purpose
    "We use certain information to help us detect fraud and violations of our rules.",
])
def test_purpose_of_collected_data_is_not_a_licence(sentence: str) -> None:
    assert "content-licence" not in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # ...but naming the user's content, messages or a licence still is
    "We use the information we collect, including your content, to improve the service.",
    "We use the information we collect and the messages you send to show you ads.",
    "You grant us a licence to use your content to operate the service.",
    "We use your conversations to provide you with the service and to improve it.",
    "We may review your content to detect violations of our rules.",
])
def test_content_or_licence_still_counts(sentence: str) -> None:
    assert "content-licence" in sentence_topics(sentence, RULES)


def test_the_user_limiting_their_own_access_to_content_is_not_a_licence() -> None:
    assert "content-licence" not in sentence_topics(
        "Members can limit their access or exposure to videos with mature content in settings.", RULES)
    assert "content-licence" in sentence_topics(
        "We may access your videos and other content to check them for mature material.", RULES)
