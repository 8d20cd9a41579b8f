"""Severity by rule (issue 15 item 3; corpus README: "user duties, warranties, disclaimers" are
minor): a sentence that states the user's rights or duties, a disclaimer or a fact about the past
keeps its topics but states no use, so adding one is minor; the same sentence forms that also
state a use by the provider, or make the user obtain the consent a use needs, stay material.
Plain sentences written from each pattern, not taken from any policy; the shipped rules are used."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import Severity
from guard.terms.rules import load_rules

RULES = load_rules()
KEEP = "We keep your invoices for seven years.\n\n"


def added(sentence: str) -> list[tuple[tuple[str, ...], Severity]]:
    return [(change.topics, change.severity) for change in analyse(KEEP, KEEP + sentence, RULES) if change.relevant]


@pytest.mark.parametrize("sentence", [
    "You have the right to request that we delete your recordings and transcripts.",
    "You have the right to know how we process your recordings and to request that we delete them.",
    "We have not sold your personal information to third parties in the preceding 12 months.",
    # abbreviations with periods between "not" and the period: still a statement about the past
    "We have not sold (as the term is defined under U.S. state laws) personal information of our users in the "
    "preceding 12 months.",
    "The transcription feature is not intended to be a medical device and does not analyse your health data.",
    "Where your personal data goes to other countries, we rely on standard contractual clauses to protect it.",
])
def test_an_aside_keeps_its_topics_and_is_minor(sentence: str) -> None:
    assert RULES.states_no_use(sentence)
    (found,) = added(sentence)
    assert found[0] and found[1] is Severity.MINOR


@pytest.mark.parametrize("sentence", [
    "You acknowledge that we may share your recordings with our partners.",
    "You must obtain your participants' consent to allow us to record and transcribe their voices.",
    "You agree that our partners may use your recordings to train their models.",
    "We may transfer your personal data to service providers in India under standard contractual clauses.",
    # a use stated in the present inside an acknowledgement is still a use
    "You understand that we use your recordings to train our models.",
    "You acknowledge that Acme uses your recordings to train its models.",
    "You acknowledge that we transfer your personal data to service providers in other countries.",
])
def test_an_aside_that_also_states_a_use_is_material(sentence: str) -> None:
    assert not RULES.states_no_use(sentence)
    (found,) = added(sentence)
    assert found[1] is Severity.MATERIAL


def test_broken_aside_rules_are_named() -> None:
    from pathlib import Path

    from guard.terms.rules import RulesError, parse_rules

    with pytest.raises(RulesError, match=r"\[aside\] must be a table"):
        parse_rules({"aside": ["you must"]}, Path("rules.toml"))
    with pytest.raises(RulesError, match=r"\[aside\] unless"):
        parse_rules({"aside": {"patterns": ["you must"], "unless": ["(?<=a)b"]}}, Path("rules.toml"))
    with pytest.raises(RulesError, match=r"\[equivalent\] pro_forms"):
        parse_rules({"equivalent": {"pro_forms": "it"}}, Path("rules.toml"))


def test_a_long_list_between_not_and_the_use_still_rules_it_out() -> None:
    from guard.terms.scope import scope_of

    # a promise whose list of data puts the use well over a hundred and sixty characters after "not"
    sentence = ("We do not use any of your audio, video, chat messages, shared screens, attachments, files, "
                "whiteboards, notes or other meeting content (such as polls, reactions and questions) to train "
                "artificial intelligence models.")
    assert sentence.index("train") - sentence.index("not") > 160
    found = scope_of([sentence], RULES)
    assert "train-ai" in found.ruled_out and "train-ai" not in found.uses
