"""Second round of general forms of data-use choices (consent-opt-out), added after measuring the
rules on the development half of OPP-115 (tests/bench/bench_terms_topics_opp115.py). Each case is a
plain sentence written from the pattern (what the clause lets a person do), not taken from any
policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # asking that data not be used or passed on
    "You can request that we not share your address with other firms.",
    "Parents may ask that we no longer collect details about their child.",
    # limiting or stopping a use
    "You may limit our use of your purchase history.",
    "Members can stop further sharing of their profile at any time.",
    # choices or options about collection and use
    "You have options regarding how we use what you tell us.",
    "We give you choices about the collection of your location.",
    # a right or option to manage, leave out or decline data
    "Students have the option of excluding their home address from the directory.",
    "You have the ability to control the information shown on your public page.",
    "You have the option not to save what you type into the calculator.",
    # managing collection in settings
    "You can manage information collection in the settings of your phone.",
    "You can adjust your settings for flash cookies.",
    # opting out of a named use
    "You may opt out of list exchanges by writing to us.",
    "You can opt out of interest-based advertising.",
    # permission already given or needed
    "We disclose your details only when we have your permission.",
    "If you have given your consent, we may send your name to our partners.",
    # declining to give data
    "You may, of course, decline to submit your phone number.",
    # opting out of targeted ads, or of the provider sharing data, even where messages are named
    "You can opt out of interest-based advertising on our opt-out page.",
    "If you do not want us to share your e-mail address with third parties, you can unsubscribe from their mailings.",
])
def test_choice_in_general_form(sentence: str) -> None:
    assert "consent-opt-out" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a quota on the user's use of the service is not a choice about data
    "Depending on your plan, you may have a limit on your use of the assistant.",
    # granting the provider rights to a logo, or a user's age statement, is not consent to a use of data
    "You grant the provider permission to show your logo on its customer page.",
    "You confirm that you are over 13 or have obtained parental consent.",
    # a privacy seal's programme description offers the reader nothing
    "This policy was reviewed for the seal's program requirements, including choice regarding the collection of data.",
    # the provider limiting itself is not a choice given to the person
    "Nothing here is intended to restrict our use of aggregated statistics.",
    # opting out of newsletters stays a marketing-message choice
    "You can unsubscribe from our newsletter at any time.",
])
def test_not_a_data_choice_though_it_looks_like_one(sentence: str) -> None:
    assert "consent-opt-out" not in sentence_topics(sentence, RULES)
