"""Severity by rule (issue 15): a rewording is material when it names another recipient or another kind
of data, or commits more or less firmly; a new example or a pointer elsewhere is minor. Plain sentences
written from each pattern, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import AnalysedChange, analyse
from guard.terms.classify import Severity
from guard.terms.rules import load_rules
from guard.terms.wording import commitment_changed

RULES = load_rules()


def one_change(old: str, new: str) -> AnalysedChange:
    (found,) = [c for c in analyse(old, new, RULES) if c.relevant]
    return found


@pytest.mark.parametrize(("old", "new"), [
    # another recipient
    ("We share your order history with our advertising partners to measure campaigns.",
     "We share your order history with our advertising partners and affiliates to measure campaigns."),
    ("We may disclose your messages to service providers that host them.",
     "We may disclose your messages to service providers and researchers that host them."),
    # a recipient dropped
    ("We may share your profile with other users and search engines.",
     "We may share your profile with other users."),
    # another kind of data, the same use
    ("We share your location with our partners to show nearby offers.",
     "We share your location and search history with our partners to show nearby offers."),
    # a promise becomes a possibility
    ("We will tell you before we disclose your data to the police.",
     "We may tell you before we disclose your data to the police."),
    # a promise not to do something is dropped
    ("Our partners do not receive your voice recordings.",
     "Our partners receive your voice recordings."),
])
def test_rewording_that_moves_scope_is_material(old: str, new: str) -> None:
    assert one_change(old, new).severity is Severity.MATERIAL


@pytest.mark.parametrize(("old", "new"), [
    # the same recipients and data, said differently
    ("We share your order history with our advertising partners to measure campaigns.",
     "We share your order history with our advertising partners so that we can measure campaigns."),
    # an example added in brackets clarifies, it names no new party
    ("We may share your profile with other users.",
     "We may share your profile with other users of the service (e.g., followers and search engines)."),
])
def test_rewording_in_the_same_scope_is_minor(old: str, new: str) -> None:
    assert one_change(old, new).severity is Severity.MINOR


def test_an_example_added_alone_is_wording_only() -> None:
    changes = analyse("We may share your profile with other users.",
                      "We may share your profile with other users (e.g., followers and search engines).", RULES)
    assert changes and all(c.severity is Severity.WORDING for c in changes)


def test_a_new_pointer_elsewhere_is_minor() -> None:
    old = "We show ads based on your interests."
    new = old + " Learn more about how we use your activity for advertising and how to opt out."
    found = one_change(old, new)
    assert found.severity is Severity.MINOR and found.topics


@pytest.mark.parametrize(("old", "new", "moved"), [
    ("We will notify you.", "We may notify you.", True),
    ("We may notify you.", "We must notify you.", True),
    ("We sell your data.", "We do not sell your data.", True),
    ("We won't sell your data.", "We will sell your data.", True),
    ("We never keep it.", "We keep it.", True),
    # "may" coming in alone, or words around the modal changing, is not a change of commitment
    ("We use your data.", "We may use your data.", False),
    ("We will notify you by e-mail.", "We will notify you by post.", False),
    ("We may keep logs.", "We can keep logs.", False),
])
def test_commitment_changed(old: str, new: str, moved: bool) -> None:
    assert commitment_changed(old, new) is moved


def test_broken_party_and_pointer_rules_are_named() -> None:
    from pathlib import Path

    from guard.terms.rules import RulesError, parse_rules

    with pytest.raises(RulesError, match=r"party\[0\] \(x\)"):
        parse_rules({"party": [{"id": "x", "phrase": "x", "patterns": ["(?<=a)b"]}]}, Path("rules.toml"))
    with pytest.raises(RulesError, match=r"\[pointer\] must be a table"):
        parse_rules({"pointer": ["see"]}, Path("rules.toml"))


def test_a_term_expanded_throughout_is_a_rename_but_a_new_recipient_everywhere_is_not() -> None:
    old = ("We use your data to run our products.\n\nWe share logs about our products with our vendors.\n\n"
           "We keep records of your purchases of our products for two years.\n")
    renamed = old.replace("our products", "our products and services")
    assert all(c.severity is Severity.WORDING for c in analyse(old, renamed, RULES))
    widened = old.replace("our vendors", "our vendors and affiliates").replace(
        "our products", "our products and affiliates")
    changes = analyse(old, widened, RULES)
    assert len(changes) == 3 and all(c.severity is not Severity.WORDING for c in changes)


@pytest.mark.parametrize(("old", "new"), [
    ("We may share your data with our vendors.", "We may share your information with our vendors."),
    ("We share personal information with our vendors.", "We share personal data with our vendors."),
    ("You can change your sharing settings at any time.", "You can update your sharing settings at any time."),
])
def test_the_other_word_for_the_same_thing_is_wording_only(old: str, new: str) -> None:
    assert all(c.severity is Severity.WORDING for c in analyse(old, new, RULES))


def test_another_kind_of_data_is_not_the_other_word_for_it() -> None:
    (found,) = [c for c in analyse("We may share your data with our vendors.",
                                   "We may share your location with our vendors.", RULES) if c.relevant]
    assert found.severity is Severity.MATERIAL


@pytest.mark.parametrize(("named_before", "severity"), [("Our vendors", Severity.MATERIAL),
                                                     ("Advertisers", Severity.MINOR)])
def test_a_sentence_added_to_a_clause_is_material_when_it_names_a_new_recipient(
        named_before: str, severity: Severity) -> None:
    old = f"{named_before} may place cookies on our pages to measure your activity. They help us run the service."
    new = old + " Cookies that advertisers set on our pages record your activity."
    (found,) = [c for c in analyse(old, new, RULES) if c.relevant]
    assert found.severity is severity


def test_a_sentence_cut_by_a_paragraph_break_in_one_version_is_not_a_change() -> None:
    whole = ("You can opt out of the use of cookies on our sites for advertising purposes by clicking the link "
             "in the footer.")
    cut = ("You can opt out of the use of cookies on our sites\n\nfor advertising purposes by clicking the link "
           "in the footer.")
    before = "We use cookies to measure visits.\n\n"
    after = "\n\nWe keep logs for 30 days.\n"
    assert not [c for c in analyse(before + cut + after, before + whole + after, RULES) if c.relevant]
    assert not [c for c in analyse(before + whole + after, before + cut + after, RULES) if c.relevant]
    # a real change next to the cut is still found
    changed = whole.replace("advertising purposes", "advertising and analytics purposes")
    assert [c for c in analyse(before + cut + after, before + changed + after, RULES) if c.relevant]


@pytest.mark.parametrize(("old", "new"), [
    # a cross-reference added in brackets points elsewhere; it changes nothing the clause allows
    ("We use your public posts to train our models.",
     "We use your public posts to train our models (as described in more detail in section 4)."),
    ("We keep your recordings for one year.", "We keep your recordings (see section 9) for one year."),
    # another way of saying "in accordance with"
    ("We share your data with vendors in accordance with this policy.",
     "We share your data with vendors per this policy."),
])
def test_a_cross_reference_or_the_same_link_word_is_wording_only(old: str, new: str) -> None:
    assert all(c.severity is Severity.WORDING for c in analyse(old, new, RULES))
