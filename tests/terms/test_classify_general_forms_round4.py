"""Fourth round of general forms of sharing with others (third-party-sharing), added after a learned
topic model was measured and not shipped (tests/terms/train_topic_model.py); developed on the
development half of OPP-115 and checked on the corpus's dev pairs. Each case is a plain sentence
written from the pattern (what the clause does with data), not taken from any policy; the shipped
rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # contact details, not only "information", handed to another company
    "We pass your e-mail address to our mailing vendor so the newsletter reaches you.",
    "The shop gives your phone number to the courier company.",
    # outside people given access to data
    "We give auditors working on our yearly review read-only access to the order records.",
    # "that information" disclosed
    "The club may disclose that information when a court asks for it.",
    # the provider displaying data publicly, or showing it to others
    "We may display your high scores publicly on the leaderboard.",
    "Joining a league means public display of your nickname and rankings.",
    "The app shows your city and age to other members.",
    # partners or affiliates that work for the provider
    "Partners that carry out support work on our behalf read the questions you send.",
    # other companies placing cookies or pixels
    "Video hosting providers can set cookies when you play an embedded clip.",
    # third parties hired or contracted by the provider
    "We have hired third parties to study how visitors move through the site.",
    # others let in to collect
    "We allow certain advertising networks on our pages to collect the ads you click.",
    # disclosure to a list of recipients that follows
    "We may give account data to: (1) the police; (2) our insurers.",
    # statistics or records passed on
    "We pass usage statistics on to third parties.",
    # a named company used to serve or measure ads
    "We use Acme Ads to serve advertisements on the site.",
    # "third- party": a hyphen and a space left by a line break in the extracted text
    "A third- party app may access your data.",
])
def test_sharing_in_general_form(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the user choosing to use others' services is not the provider engaging them
    "It is up to you whether to engage with third-party services at all.",
    # the provider giving the user access to their own data
    "We give you access to your order history in the app.",
    # a screen displayed to the user, not data shown to others
    "We display a warning to you before you leave the page.",
    # the provider's own site setting cookies
    "Our websites use cookies to keep you signed in.",
])
def test_not_sharing_though_it_looks_like_it(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)


def test_items_under_a_heading_about_what_others_can_see_are_sharing() -> None:
    item = "Your badges and the groups you belong to."
    assert sentence_topics(item, RULES) == ()
    assert "third-party-sharing" in sentence_topics(item, RULES, heading="What other users can see")
    assert "third-party-sharing" not in sentence_topics(item, RULES, heading="What we collect")


@pytest.mark.parametrize("sentence", [
    # a use that follows from turning a feature on
    "If you turn on the transcription feature, we process the audio of the meeting.",
    "If an admin enables smart replies, the service analyzes the messages in the channel.",
    # who decides whether data is used, recorded or accessed
    "You decide whether your data is used to improve the service.",
    "Hosts can choose whether participants' audio is recorded.",
    # agreement asked for, given or needed
    "With your agreement, we may send your profile to recruiters.",
    "Participants are asked to agree before recording starts.",
    "We only process your voice data if you have agreed to it.",
    "The feature requires your explicit agreement.",
    # a use that runs unless it is switched off or opted out of
    "Model improvement is turned on unless you switch it off.",
    "Your ratings help tune the ranking unless you opt out.",
    # a data-processing feature that can be disabled
    "You can disable meeting summaries for your account.",
    # a setting that keeps data out of a use
    "You can set your account so that your posts are not used for training.",
])
def test_choice_over_a_use_in_general_form(sentence: str) -> None:
    assert "consent-opt-out" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # turning on something that uses no data, and features unrelated to data
    "If you enable notifications, we will send you reminders.",
    "You can disable notifications in the app.",
    # "agreement" as the contract
    "Your use of the services is subject to your agreement with us.",
    "This agreement is governed by the laws of Ireland.",
])
def test_not_a_choice_over_a_use(sentence: str) -> None:
    assert "consent-opt-out" not in sentence_topics(sentence, RULES)
