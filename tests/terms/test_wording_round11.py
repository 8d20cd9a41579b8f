"""Wording-only forms of the eleventh round (issue 15 item 2): a name shortened the same way
throughout a document, and a pointer to another document set off by commas. Plain sentences
written from each general form, not taken from any policy; the shipped rules are used. Each
test has a twin that must stay reported, so the rule cannot silence a change of scope."""

from __future__ import annotations

from guard.terms.analysis import analyse
from guard.terms.classify import Severity
from guard.terms.rules import load_rules
from guard.terms.wording import consistent_renames, replacements, substance, without_examples

RULES = load_rules()


def reported(old: str, new: str) -> list[Severity]:
    """The severities of the changes a user would be told about."""
    return [change.severity for change in analyse(old, new, RULES) if change.relevant]


SHORTENED_OLD = """We use your files to provide the Acme Cloud Workspace to you.

We share your usage data with our hosting providers so that the Acme Cloud Workspace runs.

We keep your messages for as long as you use the Acme Cloud Workspace.
"""
SHORTENED_NEW = SHORTENED_OLD.replace("Acme Cloud Workspace", "Acme Workspace")


def test_a_name_shortened_the_same_way_throughout_is_a_rename() -> None:
    found = [pair for a, b in zip(SHORTENED_OLD.split("\n\n"), SHORTENED_NEW.split("\n\n"), strict=True)
             for pair in replacements(a, b, expansions=True)]
    assert ("acme cloud workspace", "acme workspace") in consistent_renames(found, new_text=substance(SHORTENED_NEW))
    assert reported(SHORTENED_OLD, SHORTENED_NEW) == []


def test_a_word_dropped_in_one_place_only_is_still_reported() -> None:
    # the long form stays in the new version: not a rename, and the use is no longer limited to hosting
    new = SHORTENED_OLD.replace("with our hosting providers so", "with our providers so")
    assert reported(SHORTENED_OLD, new) != []


def test_a_list_item_added_throughout_is_not_a_rename() -> None:
    old = """If you live in the EU or the UK, you can object to our use of your data for advertising.

If you live in the EU or the UK, you can ask us to delete your recordings.
"""
    new = old.replace("the EU or the UK", "the EU, the UK or Canada")
    found = [pair for a, b in zip(old.split("\n\n"), new.split("\n\n"), strict=True)
             for pair in replacements(a, b, expansions=True)]
    renames = consistent_renames(found, new_text=substance(new))
    assert not any("canada" in renamed for _, renamed in renames)
    assert reported(old, new) != []


def test_a_pointer_to_another_document_set_off_by_commas_is_wording_only() -> None:
    old = "We rely on the following legal bases to process your personal data, where appropriate:"
    new = ("We rely on the following legal bases to process your personal data, as further specified in our "
           "Global Privacy Policy, where appropriate:")
    assert without_examples(new) == old
    assert reported(old, new) == []


def test_a_clause_set_off_by_commas_that_states_a_use_is_reported() -> None:
    old = "We process your recordings, where appropriate, to provide the service."
    new = "We process your recordings, as well as your transcripts, where appropriate, to provide the service."
    assert without_examples(new) == new
    assert reported(old, new) != []
