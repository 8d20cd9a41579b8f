"""Rewordings a lawyer calls wording only stay quiet (issue 15 item 2), and the rules that make them
quiet never silence a change of scope (item 4). Plain sentences written from each general pattern,
not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import Severity
from guard.terms.rules import load_rules
from guard.terms.wording import pro_form_only, reordered

RULES = load_rules()
PRO_FORMS = RULES.sameness.pro_forms
SUBSTANTIVE, FILLER = RULES.sameness.substantive, RULES.sameness.filler


def reported(old: str, new: str) -> list[Severity]:
    """The severities of the changes a user would be told about."""
    return [change.severity for change in analyse(old, new, RULES) if change.relevant]


@pytest.mark.parametrize(("old", "new"), [
    # a noun the sentence still names, replaced by a pro-form that points back to it
    ("We may share your recordings with service providers in Europe and elsewhere, including service providers "
     "outside your country.",
     "We may share your recordings with service providers in Europe and elsewhere, including those outside your "
     "country."),
    # one pro-form for another
    ("We keep your messages for as long as we need to do so to run the service.",
     "We keep your messages for as long as we need them to run the service."),
])
def test_a_pro_form_for_words_still_said_is_wording_only(old: str, new: str) -> None:
    assert pro_form_only(old, new, pro_forms=PRO_FORMS)
    assert reported(old, new) == []


def test_a_pro_form_that_drops_what_it_stood_for_is_not_wording_only() -> None:
    # "your location" is no longer said anywhere: "it" does not point back to it
    old = "We share your location with advertisers to show you nearby offers."
    new = "We share it with advertisers to show you nearby offers."
    assert not pro_form_only(old, new, pro_forms=PRO_FORMS)
    assert reported(old, new) != []


@pytest.mark.parametrize(("old", "new"), [
    ("Where available, and if you turn the feature on, we use your recordings to train our speech models.",
     "If you turn the feature on, where available, we use your recordings to train our speech models."),
    ("To answer your questions, we share your messages with our support vendors.",
     "We share your messages with our support vendors to answer your questions."),
])
def test_the_same_words_in_another_order_are_wording_only(old: str, new: str) -> None:
    assert reordered(old, new, substantive=SUBSTANTIVE, filler=FILLER)
    assert reported(old, new) == []


def test_moving_a_substantive_word_is_not_a_reordering() -> None:
    old = "We do not sell your contacts, but we share your usage data with partners."
    new = "We do not share your contacts, but we sell your usage data with partners."
    assert not reordered(old, new, substantive=SUBSTANTIVE, filler=FILLER)
    assert reported(old, new) != []  # reported, not silenced as wording only


def test_a_sentence_cut_in_two_with_a_stray_letter_fixed_is_wording_only() -> None:
    old = ("We retain your recordings while your account is open. We also retain some records to meet our "
           "legal duties.")
    new = ("We retain your recordings while your account is open. aWe also retain some records to meet our "
           "legal duties.")
    # the same sentences read as one in the new version (the typo glued them): not a change
    assert reported(old, new) == []
    assert reported(new, old) == []


@pytest.mark.parametrize(("old", "new"), [
    ("We may share your usage data with our analytics partners.",
     "We will share your usage data with our analytics partners."),
    ("We use your recordings to train our speech models.",
     "We do not use your recordings to train our speech models."),
    ("We share your usage data with our analytics partners.",
     "We share your usage data with our analytics partners and advertisers."),
    ("We delete your recordings within 30 days after the meeting ends.",
     "We delete your recordings within 90 days after the meeting ends."),
    ("We share aggregated usage data with our analytics partners.",
     "We share usage data with our analytics partners."),
])
def test_a_change_of_scope_stays_material(old: str, new: str) -> None:
    assert reported(old, new) == [Severity.MATERIAL]
