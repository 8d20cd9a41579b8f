"""Severity (issue 15), read from the dev disagreements of the corpus: a country added to the list
of where a clause applies is minor, a use the rewritten clause states in its other sentences too did
not come or go, and a condition "where the law requires" coming or going is material. Plain
sentences written from each rule; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import AnalysedChange, analyse
from guard.terms.classify import Severity
from guard.terms.rules import load_rules

RULES = load_rules()


def one_change(old: str, new: str) -> AnalysedChange:
    (found,) = [c for c in analyse(old, new, RULES) if c.relevant]
    return found


@pytest.mark.parametrize(("old", "new"), [
    # Automattic, Steam and Discord (2025) name the UK or Switzerland beside the EEA
    ("Information we process when you use the Services in the EU may be accessed by our service providers "
     "outside the EEA.",
     "Information we process when you use the Services in the EU or the UK may be accessed by our service "
     "providers outside the EEA or the UK."),
    ("If you live in the EEA or the United Kingdom, we share your data with our processors under standard "
     "contractual clauses.",
     "If you live in the EEA, the United Kingdom or Switzerland, we share your data with our processors under "
     "standard contractual clauses."),
])
def test_a_country_added_to_where_a_clause_applies_is_minor(old: str, new: str) -> None:
    found = one_change(old, new)
    assert "third-party-sharing" in found.topics and found.severity is Severity.MINOR


@pytest.mark.parametrize(("old", "new"), [
    # ...but a recipient or a kind of data added to the list still is material
    ("We share your data with our processors in the EEA.",
     "We share your data with our processors and advertising partners in the EEA."),
    ("We share your contact details with our processors.",
     "We share your contact details and location with our processors."),
])
def test_a_recipient_or_kind_of_data_added_to_a_list_is_material(old: str, new: str) -> None:
    assert one_change(old, new).severity is Severity.MATERIAL


def test_a_use_the_clause_still_states_elsewhere_did_not_come_or_go() -> None:
    # the sentence that stated the sharing is rewritten without it; the clause's next sentence
    # states the same sharing, unchanged
    old = ("We share your personal data with our service providers to run the service. "
           "We share your personal data with our service providers who host our servers.")
    new = ("Our service providers help us run the service. "
           "We share your personal data with our service providers who host our servers.")
    found = one_change(old, new)
    assert found.severity is Severity.MINOR


def test_a_use_no_sentence_of_the_clause_states_any_more_is_material() -> None:
    old = ("We share your personal data with our service providers to run the service. "
           "Our service providers are bound by contract.")
    new = "Our service providers help us run the service. Our service providers are bound by contract."
    assert one_change(old, new).severity is Severity.MATERIAL


@pytest.mark.parametrize(("old", "new"), [
    # Booking (2026): minors' data is deleted for lack of parental consent only "where required"
    ("If we learn that we processed a child's personal data without the consent of a parent, we will delete it.",
     "If we learn that we processed a child's personal data without the consent of a parent where required, "
     "we will delete it."),
    # Lyft (2025): consent to policy changes sought "where required by applicable laws"
    ("We ask your consent before we use your personal data for a new purpose.",
     "Where required by applicable law, we ask your consent before we use your personal data for a new purpose."),
])
def test_a_condition_where_the_law_requires_it_is_material(old: str, new: str) -> None:
    found = one_change(old, new)
    assert found.severity is Severity.MATERIAL
    assert found.summary is not None and "where" in found.summary.casefold()


def test_a_use_repeated_with_a_new_condition_is_still_material() -> None:
    # the clause keeps stating the sharing; the changed sentence adds a condition to it
    old = ("We share your personal data with our partners. "
           "We share your personal data with our partners to show you offers.")
    new = ("We share your personal data with our partners. "
           "We share your personal data with our partners to show you offers only with your consent.")
    assert one_change(old, new).severity is Severity.MATERIAL
