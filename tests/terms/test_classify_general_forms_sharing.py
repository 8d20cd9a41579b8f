"""Second round of general forms of sharing with others (third-party-sharing), added after measuring
the rules on the development half of OPP-115 (tests/bench/bench_terms_topics_opp115.py). Each case is
a plain sentence written from the pattern (what the clause does with data), not taken from any
policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # the provider sharing "with others"
    "We keep the right to share with others what you tell us in surveys.",
    # releasing records, actively or passively
    "We may release your account records to investigators.",
    "Academic records are not released without the student's written consent.",
    # data handled by an outside company
    "Card payments are processed by a third-party vendor.",
    # companies the provider hires or contracts with
    "We contract with other companies to ship orders.",
    "Third parties hired by us may read your support tickets.",
    # sharing inside a corporate family
    "Your profile may be shared among our affiliated companies.",
    # others allowed to see or collect data
    "Some features allow other members to see your city.",
    "We allow ad networks to collect the pages you visit.",
    # data collected by others
    "Anything you type on the partner's page is collected by the partner.",
    # cookies another company sets
    "Some pages carry cookies set by Acme Analytics.",
    # data sent or transmitted to a named company or a dealer
    "We send your order number to Acme so it can ship the parcel.",
    "We can forward your quote to a local dealer.",
    "The app transmits usage data to a third-party measurement firm.",
    # partners gathering data
    "Our advertising partners collect the ads you see.",
    # social media widgets on the provider's pages
    "Our pages include social media buttons.",
    # personal information handed to outside companies that handle payments for the provider
    "We use third-party service providers to manage card payments and billing.",
    "We send your credit card number to a third-party processor.",
    # data obtained from other sources
    "We may obtain information about you from other sources, such as public databases.",
    # keeping the right to hand data over; the provider disclosing or transferring data
    "The club reserves the right to use, sell and share member lists.",
    "We may disclose information when a court requires it.",
    "We may transfer your data to another office of our group.",
    # third parties written as "3rd parties"
    "Some of what you do here is collected by 3rd parties.",
    # tracking technologies run by partners or vendors
    "These tracking technologies may be deployed by us and by our service providers.",
    "These pixels are supplied by our ad management partner.",
    # the provider using outside providers, with "utilize"
    "We utilize third party service providers to print and mail orders.",
    # "except as described in this policy, we never share..." states a practice, not a pointer
    "Except as described in this privacy policy, we never share your data.",
])
def test_sharing_in_general_form(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a person sharing their own content with others is a feature, not the provider sharing data
    "The app lets you create drawings and share content with others.",
    # a release date is not a release of data
    "We will e-mail you about release date changes and other information about your order.",
    # card details passed to the bank to take a payment are payment terms
    "Your card details are passed to the issuing bank to authorise the charge.",
    # a promise to post changes "so you know when we disclose it" discloses nothing
    "We will post changes here so that you know what we collect and when we disclose it.",
])
def test_not_sharing_though_it_looks_like_it(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)
