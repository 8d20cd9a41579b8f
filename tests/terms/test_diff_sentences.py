"""Errors the terms diff can make before any topic rule runs: a sentence cut at an abbreviation's
dot, and a sentence copied into another part of the document read as moved (guard/terms/diff.py,
guard/terms/analysis.py). Plain values: two wordings and the change the user must see."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.diff import sentences
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize(("text", "expected"), [
    ("We may transfer your data to U.S. Government agencies when the law requires it.",
     ["We may transfer your data to U.S. Government agencies when the law requires it."]),
    ("We store your recordings in the U.S. We keep them for 30 days.",
     ["We store your recordings in the U.S.", "We keep them for 30 days."]),
    ("We share data with partners (e.g. Google, Microsoft) who host the service.",
     ["We share data with partners (e.g. Google, Microsoft) who host the service."]),
    ("The Example Canada, Inc. Privacy Officer can be contacted by mail. You may withdraw consent.",
     ["The Example Canada, Inc. Privacy Officer can be contacted by mail.", "You may withdraw consent."]),
    ("The Services are run by Example, Inc. The Services are provided as is.",
     ["The Services are run by Example, Inc.", "The Services are provided as is."]),
    ("We rely on Art. 6 GDPR and contracts, i.e. Standard Contractual Clauses.",
     ["We rely on Art. 6 GDPR and contracts, i.e. Standard Contractual Clauses."]),
])
def test_an_abbreviation_dot_does_not_end_the_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_heading_joins_one_sentence_not_every_short_one_after_it() -> None:
    assert sentences("1. First item; 2. Second item. 3. Third item.") == [
        "First item;", "2. Second item.", "3. Third item."]


def test_a_clause_changed_after_an_abbreviation_shows_both_whole_wordings() -> None:
    old = "We may disclose your data to U.S. Government agencies when the law requires it.\n"
    new = "We may disclose your data to U.S. Government agencies and advertisers when the law requires it.\n"
    (change,) = analyse(old, new, RULES)
    assert change.gone == ("We may disclose your data to U.S. Government agencies when the law requires it.",)
    assert change.added == ("We may disclose your data to U.S. Government agencies and advertisers when the law "
                            "requires it.",)
    assert "third-party-sharing" in change.topics and not change.diff.quiet


WITHDRAW = ("When you consent to our processing your personal information for a specified purpose, you may "
            "withdraw your consent at any time and we will stop processing your data for that purpose.")
OLD = f"""## Your rights

**Europe:** You may ask us for a copy of your data. {WITHDRAW}

**United States:** You may ask us to delete your data by writing to us.

**Canada:** You may ask us for a copy of your data by writing to our privacy officer.
"""


def test_a_sentence_copied_into_another_part_is_new_there() -> None:
    new = OLD.replace("writing to our privacy officer.", f"writing to our privacy officer. {WITHDRAW}")
    relevant = [c for c in analyse(OLD, new, RULES) if c.relevant]
    assert [c.added for c in relevant] == [(WITHDRAW,)]
    assert "consent-opt-out" in relevant[0].topics


def test_a_sentence_moved_to_another_part_stays_quiet() -> None:
    new = OLD.replace(f" {WITHDRAW}", "").replace("writing to our privacy officer.",
                                                  f"writing to our privacy officer. {WITHDRAW}")
    assert [c.added for c in analyse(OLD, new, RULES) if c.relevant] == []


def test_a_paragraph_restating_the_one_before_it_stays_quiet() -> None:
    sharing = ("When a chargeback is requested for your booking, we share certain booking details with the "
               "payment provider so they can handle the chargeback.")
    old = f"## Payments\n\nWe use third parties to process payments. {sharing}\n"
    new = f"{old}\n{sharing}\n"
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []


def test_a_short_pointer_repeated_stays_quiet() -> None:
    old = ("## Location\n\nWe use your location to show nearby results. Learn more about location.\n\n"
           "## Ads\n\nWe show ads.\n")
    new = old.replace("We show ads.", "We show ads. Learn more about location.")
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []


def test_a_sentence_glued_to_the_last_by_a_lost_space_is_read_on_its_own() -> None:
    kept = "You may update your account information anytime in your account settings."
    appeal = "Where applicable, you may appeal any decision we make about your request."
    assert sentences(f"{kept}{appeal}") == [kept, appeal]
    (change,) = analyse(f"{kept}\n", f"{kept}{appeal}\n", RULES)
    assert change.gone == () and change.added == (appeal,)


def test_an_age_changed_the_same_way_throughout_is_a_change_not_a_rename() -> None:
    old = ("We do not knowingly collect personal information from children under the age of 13. If we learn "
           "that a child under 13 has given us personal information, we will delete that information.\n")
    new = old.replace("13", "16")
    (change,) = analyse(old, new, RULES)
    assert change.diff.kind.value == "changed" and not change.diff.quiet
    assert change.relevant and len(change.added) == 2


def test_a_date_changed_throughout_stays_wording_only() -> None:
    old = "Last updated: June 15, 2022.\n\nThese terms apply from June 15, 2022.\n"
    new = old.replace("June 15, 2022", "July 24, 2023")
    assert [c for c in analyse(old, new, RULES) if c.relevant] == []
