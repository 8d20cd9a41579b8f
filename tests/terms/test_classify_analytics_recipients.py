"""A short entry of a recipient list that names a party by its job, analytics, is about service-generated
data as well as sharing: an analytics provider receives how the service is used. Prose that lists what
service providers do is not read so. Plain entries written from the rule, not taken from any policy;
the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
GENERATED = "service-generated-data"


@pytest.mark.parametrize("entry", [
    "Acme Metrics SAS (analytics software)",
    "**Acme** — product analytics",
    "| Acme Metrics | Analytics | France |",
])
def test_an_analytics_recipient_is_generated_data(entry: str) -> None:
    assert GENERATED in sentence_topics(entry, RULES)


@pytest.mark.parametrize("entry", [
    "We share information with service providers who provide hosting, analytics and support.",
    "Acme Pay (payment processing)",
])
def test_other_recipients_are_not(entry: str) -> None:
    assert GENERATED not in sentence_topics(entry, RULES)
