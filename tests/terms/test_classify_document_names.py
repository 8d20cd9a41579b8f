"""A rewording that only names one more document (or one fewer, or renames one) counts only for
what the sentence says outside the titles and for what a title added names (issue 15; Zoom's 27
July 2023 §31.2 added "Zoom Phone Numbering Policy" to a list of policies that also names a
"Government Requests Guide", and was reported as a change to sharing with authorities). Plain
sentences written from the rule; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.rules import load_rules
from guard.terms.wording import documents_named_only, without_titles

RULES = load_rules()


def reported(old: str, new: str) -> list[tuple[str, ...]]:
    return [change.topics for change in analyse(old, new, RULES) if change.relevant]


@pytest.mark.parametrize(("old", "new"), [
    # a policy added to a list of policies whose only data words are in a title
    ("You agree to our policies, including our Acceptable Use Policy, Government Requests Guide and "
     "Emergency Calling Notice.",
     "You agree to our policies, including our Acceptable Use Policy, Phone Numbering Policy, Government "
     "Requests Guide and Emergency Calling Notice."),
    # a title dropped from such a list
    ("Your use of the Services is subject to our Community Guidelines, Government Requests Guide and Trademark "
     "Guidelines.",
     "Your use of the Services is subject to our Community Guidelines and Government Requests Guide."),
    # a document renamed
    ("For details, read our Government Requests Guide.", "For details, read our Government Requests Policy."),
])
def test_a_document_named_in_a_list_is_not_a_data_change(old: str, new: str) -> None:
    assert reported(old, new) == []


@pytest.mark.parametrize(("old", "new", "topic"), [
    # the sentence states a use outside the titles: naming one more document it checks content
    # against is still a change to that use (WeChat, December 2025: labelled minor, content-licence)
    ("Your Content will be processed to ensure compliance with our Terms of Service and Acceptable Use Policy.",
     "Your Content will be processed to ensure compliance with our Terms of Service, Acceptable Use Policy and "
     "Community Guidelines.", "content-licence"),
    # a title that itself names a data topic: a processing addendum now applies
    ("Customers agree to these Terms and the Service Level Agreement.",
     "Customers agree to these Terms, the Service Level Agreement and the Data Processing Addendum.",
     "third-party-sharing"),
    # not titles: a recipient added to a sentence that names a policy
    ("As our Privacy Policy says, we share your personal data with our partners.",
     "As our Privacy Policy says, we share your personal data with our partners and advertisers.",
     "third-party-sharing"),
])
def test_a_use_or_a_titled_topic_still_counts(old: str, new: str, topic: str) -> None:
    assert any(topic in topics for topics in reported(old, new))


def test_only_titles_differ() -> None:
    old = "Use is subject to our Acceptable Use Policy, 911 U.S. Notice and Privacy Statement."
    assert documents_named_only(old, old.replace("Policy, 911", "Policy, Zoom Phone Numbering Policy, 911")) \
        == ", Zoom Phone Numbering Policy"
    assert documents_named_only("See our Privacy Notice.", "See our Privacy Statement.") == "Notice Statement"
    # a lower-case word, or a word that ends no title, is the sentence's own
    assert documents_named_only("Subject to our Terms.", "Subject to our Terms and the policy you accept.") is None
    assert documents_named_only("We use the Policy.", "We use the data.") is None
    assert documents_named_only("We keep it.", "We keep it.") is None


def test_titles_are_blanked_in_place() -> None:
    sentence = "Read our Government Requests Guide before you ask."
    blanked = without_titles(sentence)
    assert len(blanked) == len(sentence) and "Guide" not in blanked and blanked.startswith("Read our ")
    # hostile input: long runs of capitalised words are read in bounded steps
    long_title = without_titles("Word " * 5000 + "Policy")
    assert "Policy" not in long_title and long_title.startswith("Word Word")
    assert without_titles("Word " * 5000) == ("Word " * 5000).strip()
