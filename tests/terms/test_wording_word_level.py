"""A word-level reading of rewordings (issue 15, false alarms): a changed sentence is reported for
what its changed words say, not for the topic of the clause they sit in. Plain sentences written
from each general form (a synonym, a clarifying word, a restructured phrase), not taken from any
policy; the shipped rules are used. Each quiet case has a twin whose changed words carry a topic or
a change of scope (a negation, a quantifier, a purpose, a recipient, a condition, a number), which
must stay reported."""

from __future__ import annotations

import pytest

from guard.terms.analysis import analyse
from guard.terms.classify import sentence_topics
from guard.terms.rules import load_rules
from guard.terms.scope import mask
from guard.terms.wording import COMPARED_WORDS, changed_runs, pair_rewordings, read_changed_words, same_meaning

RULES = load_rules()
SAMENESS = RULES.sameness


def reasons(old: str, new: str) -> tuple[str, ...]:
    """Why the changed words matter (empty: they carry nothing of substance)."""
    return read_changed_words(
        old, new, scope_words=SAMENESS.substantive | SAMENESS.places | SAMENESS.scope_words,
        conditions=SAMENESS.conditions, topics_of=lambda text: frozenset(sentence_topics(text, RULES)),
        names_scope=lambda text: any(rule.matcher.test(mask(text, RULES)) for rule in (*RULES.parties,
                                                                                        *RULES.data_kinds)),
        filler=SAMENESS.filler, recipients=SAMENESS.recipients).reasons


def reported(old: str, new: str) -> list[tuple[str, ...]]:
    """The topics of each change a user would be told about."""
    return [change.topics for change in analyse(old, new, RULES) if change.relevant]


def test_changed_runs_give_the_words_that_differ_with_their_context() -> None:
    runs = changed_runs("We keep your files on our servers for a while.",
                        "We keep your files on our computers for a while.", window=2)
    assert [(run.gone, run.came) for run in runs] == [(("servers",), ("computers",))]
    assert runs[0].old_snippet == "on our servers for a"
    assert runs[0].new_snippet == "on our computers for a"


def test_changed_runs_ignore_case_quotes_and_contractions() -> None:
    assert changed_runs("We don’t sell “Your Data”.", "We do not sell \"your data\".") == []


@pytest.mark.parametrize(("old", "new"), [
    # a clarifying word on something that is not data, a recipient or a purpose
    ("We may contact you about your personal information to confirm the change.",
     "We may contact you about your personal information to confirm the requested change."),
    # a preposition or an adverb
    ("With your permission or upon your direction, we may disclose your personal information to a third party.",
     "With your permission or at your direction, we may disclose your personal information to a third party."),
    # a restructured phrase whose words say the same use
    ("If you create an account, we also store your settings and the reviews of your past trips.",
     "If you create an account, we also store your settings and the reviews of your past trips there."),
])
def test_a_rewording_whose_words_carry_nothing_is_wording_only(old: str, new: str) -> None:
    assert reasons(old, new) == ()


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("We do not sell your personal information.", "We sell your personal information.", "scope-word"),
    ("We share some of your data with advertisers.", "We share your data with advertisers.", "scope-word"),
    ("We keep your recordings for 30 days.", "We keep your recordings for 90 days.", "number"),
    ("We use your content to provide the service.", "We use your content to provide the service and to train "
     "our models.", "topic"),
    ("We share your data with certain trusted third parties.", "We share your data with third parties.", "party"),
    ("We share your data with our hosting providers.", "We share your data with our providers.", "party"),
    ("Staff do not access your content, unless directed to by you.",
     "Staff do not access your content, unless authorised to by you.", "condition"),
    ("We share your profile with Acme to verify your identity.", "We share your profile with Globex to verify your "
     "identity.", "name"),
    ("We keep your messages as long as needed.", "We keep your messages as long as needed to improve the "
     "features we offer you.", "purpose"),
])
def test_changed_words_that_carry_a_topic_or_a_scope_are_read(old: str, new: str, reason: str) -> None:
    assert reason in reasons(old, new)


CLAUSE_OLD = """## How we use your data

We use your personal data, such as the content of your meetings, to improve our services. We may
share your personal data with third parties that we engage to process it on our behalf, or when
the law requires it.
"""


def test_a_clarifying_word_in_a_clause_on_sharing_is_not_reported() -> None:
    new = CLAUSE_OLD.replace("when\nthe law requires it", "when\nthe applicable law requires it").replace(
        "on our behalf", "on our behalf only")
    assert reported(CLAUSE_OLD, new) != []  # "only" narrows the sharing: reported
    synonym = CLAUSE_OLD.replace("that we engage to process", "that we hire to process")
    assert reported(CLAUSE_OLD, synonym) == []


def test_a_rewording_that_names_a_new_use_in_the_same_clause_is_reported() -> None:
    new = CLAUSE_OLD.replace("to improve our services", "to improve our services and train our AI models")
    assert any("ai-training" in topics for topics in reported(CLAUSE_OLD, new))


def test_a_run_on_sentence_too_long_to_compare_is_read_as_a_change() -> None:
    # a hostile "sentence" of thousands of words, changed in a thousand places by filler words only:
    # it is neither paired nor called the same (comparing it word by word took 20 s), so its topic
    # is reported rather than silenced
    words = ["x" + "".join(chr(ord("a") + int(digit)) for digit in str(i)) for i in range(COMPARED_WORDS + 500)]
    old = "We share your personal information with advertisers " + " ".join(words) + "."
    new = "We share your personal information with advertisers " + " ".join(
        word if i % 3 else "the" for i, word in enumerate(words)) + "."
    assert not same_meaning(old, new, equivalent=SAMENESS.equivalent_words, substantive=SAMENESS.substantive,
                            filler=SAMENESS.filler | set(words[::3]),
                            is_name=lambda _: False)
    assert pair_rewordings((old,), (new,)) == ()
    assert "long" in reasons(old, new)
    assert reported(old, new) != []
