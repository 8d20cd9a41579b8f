"""Licence grants and ownership in general form (content-licence), whoever grants them: the standard
grant vocabulary (worldwide, royalty-free, non-exclusive, sublicensable, perpetual, irrevocable; use,
host, reproduce, modify, create derivative works, publicly display, distribute) and statements of
ownership of content, inputs and outputs. A licence granted to the user, and what the user agrees
not to do with the service, are not licences over the user's content. Sentences are written from
the pattern unless a dev pair id is given; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
LICENCE = "content-licence"


@pytest.mark.parametrize("sentence", [
    # mozilla/firefox-terms-of-service/2025-06-02__2025-06-10
    "It also includes a non-exclusive, royalty-free, worldwide license for the purpose of doing as you request"
    " with the content you input in Firefox.",
    "The company receives a perpetual and irrevocable right to use whatever members upload.",
    "Posting a clip gives the studio a transferable license covering the clip.",
    # the grant verbs, without the word licence
    "The host may use, store, reproduce, adapt, create derivative works from and publicly display what you post.",
    "We may copy, translate and sublicense the reviews members write.",
    # ownership of content, inputs and outputs
    "This does not give the publisher any ownership in that content.",  # mozilla pair above, reworded
    "The model providers do not claim ownership of any inputs and outputs.",
    "Nothing here transfers ownership of your submissions to us.",
])
def test_licence_in_general_form(sentence: str) -> None:
    assert LICENCE in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a licence granted to the user, whoever grants it
    "Acme grants you a limited, non-exclusive, non-transferable license to use the app on your phone.",
    "So long as you follow these terms, the studio grants to you a worldwide, non-exclusive license to run the client.",
    "We give you a personal, royalty-free, non-assignable licence to use the software we provide.",
    "During your membership you have a limited, non-exclusive right to access the service and its catalogue.",
    "In return the studio grants to you a worldwide, non-exclusive licence for the photos in its library.",
    "You have a limited, non-exclusive, non-transferable licence to download and run the client on one device.",
    # what the customer agrees not to do with the service
    "Customer agrees that it will not modify, translate, copy or create derivative works of the platform.",
])
def test_licences_to_the_user_and_restrictions_are_not_licences_over_content(sentence: str) -> None:
    assert LICENCE not in sentence_topics(sentence, RULES)
