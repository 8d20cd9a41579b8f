"""A list of processors or recipients names, item by item, who gets users' data; an item added to
or dropped from it is a new or a former recipient even when it is only a company name. Seen in
batch G of the corpus (Dune 2026: "Key sub-processors include:"; Epassi 2026: "A list of processors
and other recipients includes:" then "- Contentsquare SAS (analytics software)"). The sentences
here are written from the pattern, not taken from those policies; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize("lead", [
    "Key sub-processors include:",
    "A list of processors and other recipients includes:",
    "We use the following service providers:",
    "Our current subcontractors are:",
])
def test_an_item_of_a_recipient_list_is_about_sharing(lead: str) -> None:
    assert "third-party-sharing" in sentence_topics("Acme Metrics Ltd (analytics software)", RULES, lead=lead)


@pytest.mark.parametrize("lead", [
    "Our offices are located in:",
    "The following features are available to subscribers:",
])
def test_an_item_of_another_list_is_not(lead: str) -> None:
    assert "third-party-sharing" not in sentence_topics("Acme Metrics Ltd (analytics software)", RULES, lead=lead)


OLD = """## Recipients

To run the service, these processors also handle personal data. A list of processors and other recipients includes:

- Hosting Company Ltd (hosting)

- Support Desk Inc (support tool)

## Contact

Write to us at the address below.
"""


def test_a_processor_added_to_the_list_is_reported_as_sharing() -> None:
    added = "- Metrics Studio SAS (analytics software)\n\n"
    new = OLD.replace("- Support Desk Inc (support tool)", added + "- Support Desk Inc (support tool)")
    changes = [change for change in analyse(OLD, new) if change.relevant]
    assert len(changes) == 1
    assert "third-party-sharing" in changes[0].topics
    assert changes[0].diff.new_text is not None and "Metrics Studio SAS" in changes[0].diff.new_text


def test_a_heading_without_a_lead_in_still_only_introduces() -> None:
    new = OLD.replace("## Contact", "## Contact and complaints")
    assert [change for change in analyse(OLD, new) if change.relevant] == []
