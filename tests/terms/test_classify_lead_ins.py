"""A list item or a short entry ("Voice recordings", "- your date of birth;") says nothing of its own:
its topic is what the sentence introducing the list says is done with the data (collect it, use it
for, share it with, keep it, train on it), whoever the subject, in the sentence that ends with the
colon. Seen in the dev misses of the twelfth session (resources/terms/README.md); the sentences
here are written from those forms, not taken from the policies. The shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import lead_in_of, sentence_topics
from guard.terms.rules import load_rules

RULES = load_rules()
ITEM = "Files stored on partner platforms"


@pytest.mark.parametrize(("lead", "topic"), [
    ("Example Corp may obtain personal data from the following sources in order to train its models:", "ai-training"),
    ("Example Corp may disclose the following categories of your personal information to run the service:",
     "third-party-sharing"),
    ("We may share your personal information, where the law permits it, if:", "third-party-sharing"),
    ("We may receive data from our group companies, or share your data with them, for these purposes:",
     "third-party-sharing"),
    ("In some cases, we\u2019ll share your personal data with other companies. These include:", "third-party-sharing"),
    ("Other members can see the following information about you:", "third-party-sharing"),
    ("We receive the following data about you from these partners:", "third-party-sharing"),
    ("Data provided or collected when you register an account:", "content-licence"),
    ("When you sign up, you may provide some or all of the following information:", "content-licence"),
    ("More specifically, Example Corp uses Other Data:", "content-licence"),
    ("We currently use machine assistants for the following purposes:", "content-licence"),
    ("We keep the following data until you close your account:", "retention"),
    # forms read from the development half of OPP-115
    ("We use cookies and similar technologies to help:", "content-licence"),
    ("This information will only be used for the purpose you gave it for, such as to:", "content-licence"),
    ("We may ask you to provide your contact details when you:", "content-licence"),
    ("You can give us information directly, for example:", "content-licence"),
    ("The School may release information it classifies as directory information, which includes:",
     "third-party-sharing"),
])
def test_an_item_takes_the_topic_its_lead_in_states(lead: str, topic: str) -> None:
    assert sentence_topics(ITEM, RULES) == ()  # nothing of its own
    assert topic in sentence_topics(ITEM, RULES, lead=lead)


@pytest.mark.parametrize("lead", [
    "To change your number, you must submit a request containing the following details:",  # a duty on the user
    "For example, you share information with us when you:",  # the user giving data, not the provider sharing it
    "Our offices are located in:",
    "The following features are available to subscribers:",
    "In this section:",
])
def test_a_lead_in_that_states_no_use_of_data_gives_none(lead: str) -> None:
    assert sentence_topics(ITEM, RULES, lead=lead) == ()


def test_a_lead_in_that_only_points_back_is_read_with_the_sentence_before_it() -> None:
    lead = "You can share certain information with other music services. This includes:"
    assert lead_in_of(lead) == "You can share certain information with other music services, this includes:"
    assert "third-party-sharing" in sentence_topics("your playlists and their cover images", RULES, lead=lead)


def test_the_lead_in_is_the_last_sentence_of_a_long_introduction() -> None:
    lead = "We care about your privacy. Example Corp may obtain data from these sources in order to train its models:"
    assert lead_in_of(lead) == "Example Corp may obtain data from these sources in order to train its models:"


def test_an_item_with_a_topic_of_its_own_keeps_only_it_under_a_use_lead_in() -> None:
    lead = "Example Corp uses personal data to carry out the following activities:"
    assert sentence_topics("To keep invoices for 30 days.", RULES, lead=lead) == ("retention",)


OLD = """## Training data

Example Corp may obtain personal data from the following sources in order to train its models:

- Licensed datasets

## Contact

Write to us at the address below.
"""


def test_an_entry_added_to_a_training_sources_list_is_reported_as_ai_training() -> None:
    new = OLD.replace("- Licensed datasets", "- Licensed datasets\n\n- Public web pages")
    changes = [change for change in analyse(OLD, new) if change.relevant]
    assert [change.diff.new_text for change in changes] == ["- Public web pages"]
    assert "ai-training" in changes[0].topics
