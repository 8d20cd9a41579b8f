"""Topic classification (pure) with the shipped rules, and the summaries built on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.catalog.models import ClauseTopic
from guard.terms.analysis import analyse
from guard.terms.classify import RulesError, classify_text, load_rules
from guard.terms.diff import diff_markdown

RULES = load_rules()


@pytest.mark.parametrize(("sentence", "topic"), [
    ("We may use your content to train our artificial intelligence models.", "ai-training"),
    ("Inputs may be used to fine-tune large language models.", "ai-training"),
    ("You grant us a perpetual, worldwide licence to your content.", "content-licence"),
    ("You retain ownership of your content, subject to the license granted herein.", "content-licence"),
    ("We collect telemetry and diagnostic data about how you use the app.", "service-generated-data"),
    ("Service Generated Data belongs to us.", "service-generated-data"),
    ("You can opt out of this use in your settings.", "consent-opt-out"),
    ("We will not do so without your consent.", "consent-opt-out"),
    ("We retain recordings for 90 days, then delete them.", "retention"),
    ("We may share your personal data with third parties for advertising.", "third-party-sharing"),
    ("We use subprocessors to deliver the Services.", "third-party-sharing"),
])
def test_each_topic_is_recognised(sentence: str, topic: str) -> None:
    assert topic in classify_text(sentence, RULES)


@pytest.mark.parametrize("sentence", [
    "You agree not to disclose your password to any third party.",
    "You may not use Zoom Marks without our express prior written consent.",
    "You may opt out of arbitration by sending an email within 30 days.",
    "Zoom grants you a limited, revocable licence to use the Software.",
    "Payments are non-refundable.",
])
def test_unrelated_sentences_get_no_topic(sentence: str) -> None:
    assert classify_text(sentence, RULES) == ()


def test_keeping_ownership_of_content_is_about_the_licence_not_retention() -> None:
    assert classify_text("You retain all ownership rights in your Customer Content.", RULES) == ("content-licence",)


def test_every_watched_catalog_topic_has_rules() -> None:
    topics = {rule.topic for rule in RULES}
    assert topics == {t.value for t in ClauseTopic} - {"other"}


def test_a_typo_fix_next_to_a_licence_grant_is_not_a_licence_change() -> None:
    old = "10.4 Licence. You grant Zoom a perpetual license to Customer Content. Charges are payed monthly."
    new = "10.4 Licence. You grant Zoom a perpetual license to Customer Content. Charges are paid monthly."
    (change,) = analyse(old, new, RULES)
    assert change.topics == () and change.summary is None


def test_a_change_can_touch_several_topics() -> None:
    old = "5.1 Use. We use content to run the service."
    new = "5.1 Use. We use content to run the service. We may share recordings with third parties to train AI models."
    (change,) = analyse(old, new, RULES)
    assert change.topics == ("ai-training", "third-party-sharing")


def test_summary_quotes_the_new_sentence_and_invents_nothing() -> None:
    old = "10.4 Content. You grant Zoom a licence to Customer Content."
    new = old + "\n\nNotwithstanding the above, Zoom will not use audio, video or chat Customer Content to train " \
                "our artificial intelligence models without your consent."
    (change,) = analyse(old, new, RULES)
    assert change.summary == (
        "AI training, Opt-out and consent: A new paragraph in Section 10.4 says: “Notwithstanding the above, Zoom "
        "will not use audio, video or chat Customer Content to train our artificial intelligence models without "
        "your consent.”")


def test_long_sentences_are_quoted_in_part_at_word_boundaries() -> None:
    filler = " ".join(f"word{i}" for i in range(120))
    new = f"3.1 Data. {filler} and we use it for machine learning training of models {filler}."
    (change,) = analyse("3.1 Data. Nothing.", new, RULES)
    quote = change.summary.split("now says: ")[1]
    assert quote.startswith("“…") and quote.endswith("…”") and "machine learning" in quote
    for word in quote.strip("“”…").split():
        assert word in new.split() or word.rstrip(".") in new.split()


def test_removed_section_is_said_so() -> None:
    old = "7. Intro.\n\n7.2 Training. We use your data to train machine learning models.\n\n8. End."
    new = "7. Intro.\n\n8. End."
    (change,) = [c for c in analyse(old, new, RULES) if c.relevant]
    assert change.summary.startswith("AI training: Section 7.2 was removed. It said: “We use your data")
    assert [d.kind for d in diff_markdown(old, new)] == ["removed"]


def test_a_broken_rules_file_is_reported_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "topics.toml"
    bad.write_text('[[topic]]\nid = "ai-training"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(RulesError, match="topics.toml.*ai-training.*invalid"):
        load_rules(bad)
    bad.write_text('[[topic]]\nid = "ai-stuff"\npatterns = []\n', encoding="utf-8")
    with pytest.raises(RulesError, match="ai-stuff"):
        load_rules(bad)
