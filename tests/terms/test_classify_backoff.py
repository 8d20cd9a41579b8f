"""The backoff: a sentence that states what is done with data in words no topic rule has is read by
its verb (develop AI -> AI training, use/process -> licence over content, log usage -> generated
data, share with others -> sharing, keep/delete -> retention). It is read only when no topic rule,
lead-in or heading gave the sentence a topic, and never for an aside (the user's rights, a
disclaimer) or a pointer elsewhere. Sentences are written from the pattern unless a dev pair id
is given; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize(("sentence", "topic"), [
    # overleaf/terms-of-service/2025-12-01__2026-05-05
    ("The editor reserves the right to monitor your usage of the Services to ensure compliance with these limits.",
     "service-generated-data"),
    # booking/privacy-policy/2024-05-15__2024-09-09
    ("Developing AI interactive chats to allow you to ask questions about a trip or service.", "ai-training"),
    ("We build internal tools that stress-test the model before release.", "ai-training"),
    ("We may process your account details to count the visitors of each page.", "content-licence"),
    ("This saved data can be used to help you plan and manage future trips.", "content-licence"),  # booking pair above
    ("Your posts will be reviewed to ensure they follow the house rules.", "content-licence"),
    # miro/privacy-policy/2023-02-22__2023-03-09
    ("The assistant might share limited data with Microsoft for the above purposes.", "third-party-sharing"),
    ("Certain details you enter are handed to selected partners that run the events.", "third-party-sharing"),
    ("Messages are deleted once every participant has read them.", "retention"),
    ("Uploaded photos are kept on our servers until you close the account.", "retention"),
])
def test_backoff_reads_the_verb(sentence: str, topic: str) -> None:
    assert sentence_topics(sentence, RULES) == (topic,)


@pytest.mark.parametrize("sentence", [
    # a recipient that is the user or the service, not another party
    "We will send you messages about your account, such as security alerts.",
    "You may be required to provide information about yourself to register for the service.",
    "Any transfer, copying or disclosure of technical information related to the Services may cause harm.",
    # a use with no stated purpose only points to another document
    "We process personal data pursuant to our Privacy Statement.",
    # the user sharing with others, and a product named "... AI Products"
    "The app lets you create drawings and share content with others.",
    "We work to improve the Acme AI Products for you.",
    # the user's own right: an aside, so no use of the provider's
    "You are responsible for the information you share with other members.",
    "The service is provided as is and we do not guarantee that files are stored without loss.",
])
def test_backoff_stays_out_of_other_recipients_and_asides(sentence: str) -> None:
    assert sentence_topics(sentence, RULES) == ()


def test_backoff_only_when_nothing_else_gave_a_topic() -> None:
    # the heading says what the section is about: the backoff does not add its own reading
    sentence = "Messages are deleted once every participant has read them."
    assert sentence_topics(sentence, RULES) == ("retention",)
    assert sentence_topics(sentence, RULES, heading="How we use your information") == ("content-licence",)
