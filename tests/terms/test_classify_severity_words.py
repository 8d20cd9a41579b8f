"""Severity by rule (issue 15 item 3): a rewording that adds or drops a word whose change always
matters (a limiter such as "some" or "only", a state of the data such as "aggregated", a use such as
"develop") is material; a clause added whole that names a recipient or a kind of data is material;
a modal verb inserted alone, or a new clause that only points elsewhere, is not. Plain sentences
written from each pattern, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import Severity
from guard.terms.rules import load_rules
from guard.terms.wording import list_item_changed, weighty_word_changed

RULES = load_rules()
SUBSTANTIVE = RULES.sameness.substantive
KEEP = "We keep your invoices for seven years.\n\n"


def severities(old: str, new: str) -> list[Severity]:
    return [change.severity for change in analyse(old, new, RULES) if change.relevant]


@pytest.mark.parametrize(("old", "new"), [
    # a limiter dropped: the sentence now speaks of all of it
    ("We share some of your usage data with our measurement partners.",
     "We share your usage data with our measurement partners."),
    # a kind of model dropped: the promise now covers every model
    ("Your messages are not used to train generative AI models.",
     "Your messages are not used to train AI models."),
    # a use joins the purpose
    ("We process your recordings to provide the transcription feature.",
     "We process your recordings to provide and develop the transcription feature."),
    # the state of the data dropped
    ("We may share anonymised statistics about your meetings with researchers.",
     "We may share statistics about your meetings with researchers."),
])
def test_a_weighty_word_added_or_dropped_is_material(old: str, new: str) -> None:
    assert weighty_word_changed(old, new, substantive=SUBSTANTIVE)
    assert severities(old, new) == [Severity.MATERIAL]


def test_a_modal_verb_inserted_alone_is_not_a_weighty_word() -> None:
    old = "We share your location with our partners to show you offers nearby."
    new = "We may share your location with our partners to show you offers nearby."
    assert not weighty_word_changed(old, new, substantive=SUBSTANTIVE)
    assert Severity.MATERIAL not in severities(old, new)


def test_a_clause_added_whole_that_names_a_recipient_is_material() -> None:
    old = KEEP
    # a list item naming recipients and what they get, with no verb of ours to read a use from
    new = KEEP + ("Analytics providers, who help us understand how people use our app and receive your device "
                  "identifiers;")
    assert severities(old, new) == [Severity.MATERIAL]


def test_a_clause_added_whole_that_names_no_one_and_no_data_is_minor() -> None:
    old = KEEP
    new = KEEP + "Learn more about how we use your activity for advertising and how to opt out."
    assert severities(old, new) == [Severity.MINOR]


@pytest.mark.parametrize(("old", "new"), [
    # a purpose joins with "or"
    ("We share your contact details with our partners to send you service messages.",
     "We share your contact details with our partners to send you service messages or commercial messages."),
    # an item joins a comma list
    ("We share your files, photos and notes with the collaborators you invite.",
     "We share your files, photos, comments and notes with the collaborators you invite."),
    # an item is dropped
    ("We may share your name or nickname with our partners.",
     "We may share your nickname with our partners."),
])
def test_a_list_item_added_or_dropped_is_material(old: str, new: str) -> None:
    assert list_item_changed(old, new, filler=RULES.sameness.filler)
    assert severities(old, new) == [Severity.MATERIAL]


def test_a_term_expanded_the_same_way_throughout_is_not_a_list_item() -> None:
    old = ("We use your recordings to provide our products. We share your recordings with partners who support "
           "our products.")
    new = ("We use your recordings to provide our products and services. We share your recordings with partners "
           "who support our products and services.")
    assert list_item_changed(old, new, filler=RULES.sameness.filler)  # on its own it reads as an item...
    assert severities(old, new) == []  # ...but made throughout the document it is a rename
    # and stays one next to another rewording in the same sentence
    old = ("We share your recordings with partners who support our products. We share your recordings with "
           "vendors in order to run our products.")
    new = ("We share your recordings with partners who support our products and services. We share your "
           "recordings with vendors so that we can run our products and services.")
    assert severities(old, new) == [Severity.MINOR]
    # a coordinator or punctuation alone names nothing
    assert not list_item_changed("We share your files with partners.", "We share your files, and with partners.",
                                 filler=RULES.sameness.filler)
