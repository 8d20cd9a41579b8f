"""Sixth-round general forms read from dev misses of providers no rule was developed on: deleting
accounts that stay inactive (retention), recommendations or ads based on how the person uses the
service (generated data), "this can include ..." saying what a kind of data covers
(content-definition), and telling the person how to turn a feature or use off, objecting to
processing, or the option of a use (consent-opt-out); data used, or not used, for marketing,
advertising or training, whoever uses it (content-licence). Sentences are written from the pattern
unless a dev pair id is given; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize(("sentence", "topic"), [
    # proton/proton-mail-terms-of-service/2026-03-13__2026-03-31
    ("The Company reserves the right to suspend or delete Accounts that have been inactive for a consecutive"
     " period of twelve months.", "retention"),
    ("Inactive accounts are removed after two years without a sign-in.", "retention"),
    # soundcloud/terms-of-service/2025-09-01__2025-09-10
    ("These recommendations are based on numerous parameters, including how you use and interact with the"
     " Platform.", "service-generated-data"),
    ("The ads you see are chosen based on how members engage with the feed.", "service-generated-data"),
    # booking/privacy-policy/2026-02-24__2026-03-26
    ("This can include personal settings, travel preferences, credit card information, uploaded photos and your"
     " reviews.", "content-definition"),
    ("It may also include the files and messages you add to a project.", "content-definition"),
    # mozilla/firefox-privacy-policy/2025-12-18__2026-05-04
    ("Learn more, including how to control AI-based features and models in your settings.", "consent-opt-out"),
    ("Our help pages explain how to turn off personalised ads.", "consent-opt-out"),
    # booking/privacy-policy/2024-05-15__2024-09-09
    ("If you wish to object to the processing set out under C to L, contact us.", "consent-opt-out"),
    # spark-mail/privacy-policy/2025-07-21__2025-09-18
    ("We may offer the option of using AI-powered assistance from a trusted provider.", "consent-opt-out"),
    # spark-mail/privacy-policy/2026-04-28__2026-05-19
    ("The mail app does not use personalization context for marketing or AI training purposes.", "content-licence"),
    ("We do not sell your personal information or use it for marketing.", "content-licence"),
])
def test_round6_general_forms(sentence: str, topic: str) -> None:
    assert topic in sentence_topics(sentence, RULES)


@pytest.mark.parametrize(("sentence", "topic"), [
    # an account closed for a breach of the rules is not about keeping data
    ("We may close accounts that break these rules.", "retention"),
    # a price based on a plan is not based on how the person uses the service
    ("The price is based on the plan you choose.", "service-generated-data"),
    # a how-to that is not about a use of data
    ("See the help centre for how to control the volume of calls.", "consent-opt-out"),
    # a budget used for marketing is not data
    ("The fees you pay are used for marketing the festival.", "content-licence"),
])
def test_round6_look_alikes(sentence: str, topic: str) -> None:
    assert topic not in sentence_topics(sentence, RULES)
