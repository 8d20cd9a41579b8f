"""General forms of sharing, retention, choice and generated-data clauses added after measuring the
rules on OPP-115 (tests/bench/bench_terms_topics_opp115.py). Each case is a plain sentence written
from the pattern (what the clause does), not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # data passed on to a recipient other than the provider, whatever the verb
    "Your mailing address may be forwarded to the sponsor of the contest.",
    "Donor lists are sometimes exchanged with other organisations.",
    "We may release your details to unaffiliated companies.",
    # others collecting or setting cookies on the provider's pages
    "Third-party ad networks may place a cookie on your browser when you visit.",
    "Advertising companies may collect information about your visits to this site.",
    "Social media buttons on our pages may collect your IP address.",
    # others given access to data
    "Contractors working for us may have access to your account records.",
    "We may provide access to our database to investigators.",
    "Companies that perform services on our behalf receive only what they need.",
    # the provider engaging outside companies
    "We use outside vendors to process payments.",
    # data made public
    "Your username and scores are displayed publicly on leaderboards.",
    # a business transfer
    "We may sell or transfer business units, and customer records go with them.",
])
def test_sharing_in_general_form(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # the user moving their own data elsewhere is a right they exercise
    "You have the right to receive your data and transfer it to another service.",
    "Data portability lets you download a copy of your files.",
    # the user, not the provider, engaging with others' services
    "Whether you engage with third-party services is up to you.",
    # data that was public is a source, not a disclosure
    "Our models learn from information that is publicly available on the web.",
])
def test_not_sharing_though_it_looks_like_it(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)
