"""Conversion tracking for ads shown elsewhere is sharing (third-party-sharing): a tracker that reports
which ad led a visitor to sign up or install tells the ad platform what the user did on the provider's
site (the CCPA's "sharing" for cross-context behavioural advertising). Plain sentences written from
the rule, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
SHARING = "third-party-sharing"


@pytest.mark.parametrize("sentence", [
    # a tracker's purpose: conversions from ads shown on another platform
    "Purpose: to track ad conversions from our ads shown on Acme Social.",
    "This tag measures conversions from Acme Ads.",
    "Used to report sign-up conversions for our advertising on partner sites.",
])
def test_conversion_tracking_for_ads_is_sharing(sentence: str) -> None:
    assert SHARING in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the provider's own funnel, with no ad in it, tells no one else anything
    "We measure conversions from our newsletter campaigns.",
    "Your trial converts to a paid plan after 14 days.",
])
def test_conversions_without_ads_are_not_sharing(sentence: str) -> None:
    assert SHARING not in sentence_topics(sentence, RULES)
