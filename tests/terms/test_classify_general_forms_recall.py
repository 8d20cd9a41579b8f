"""General forms added for recall (issue 15, session 7): the ways privacy policies word a transfer
abroad, a legal basis, a use of AI, a purpose stated before the use, and a control over a use, read
from several providers' dev pairs and OPP-115's development half. Each case is a plain sentence
written from the pattern, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("sentence", [
    # data sent, stored or processed outside a region, whichever comes first
    "When we send information about you to companies outside the EEA, we protect it by contract.",
    "Your data may be stored and processed outside your country of residence.",
    # an international transfer, whatever the mechanism
    "For international transfers of personal data we rely on the approved addendum.",
    # where the servers are
    "Our servers are located in Ireland and the United States.",
    # data flowing between the companies of a group
    "Data flows between the companies of our group follow the same rules.",
])
def test_transfer_abroad_is_sharing(sentence: str) -> None:
    assert "third-party-sharing" in sentence_topics(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    # a user travelling, or a service offered abroad, moves no data
    "You may not use the service from outside the country.",
    "We provide the service outside the EEA through local resellers.",
    # an office address is not where data is kept
    "Our offices are located in Dublin.",
])
def test_abroad_without_data_is_not_sharing(sentence: str) -> None:
    assert "third-party-sharing" not in sentence_topics(sentence, RULES)
