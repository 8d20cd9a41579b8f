"""The real Zoom Terms of Service around 2023 (see fixtures/README.md for where each text is from)
must yield changes to the AI-training, content-licence and service-generated-data clauses, and
nothing at all when only the page's markup changes."""

from __future__ import annotations

from guard.terms.analysis import analyse, relevant_changes
from guard.terms.extract import extract
from tests.terms.support.pages import fixture_text, plain_page, restyled_page

MARCH = "zoom/tos-2023-03-section10.quoted.md"
AUG_07 = "zoom/tos-2023-08-07-section10.quoted.md"
AUG_11_S10 = "zoom/tos-2023-08-11-section10.ota.md"
AUG_11 = "zoom/tos-2023-08-11.ota.md"
AUG_2020 = "zoom/tos-2020-08-20.ota.md"


def text_of(name: str, restyled: bool = False) -> str:
    md = fixture_text(name)
    return extract((restyled_page if restyled else plain_page)(md), ("main", "article", "body")).markdown


def topics_of(changes) -> set[str]:  # type: ignore[no-untyped-def]
    return {topic for change in changes for topic in change.topics}


def test_fixtures_are_the_archived_texts() -> None:
    # Sizes of the archive's files as read (README.md); the Section 10 excerpt is cut from the full text.
    assert len(fixture_text(AUG_11)) == 93065
    assert len(fixture_text(AUG_2020)) == 29545
    assert len(fixture_text("zoom/privacy-2022-12-30.ota.md")) == 48129
    assert fixture_text(AUG_11_S10).rstrip("\n") in fixture_text(AUG_11)
    assert fixture_text(AUG_07).startswith(fixture_text(MARCH).rstrip("\n"))


def test_march_to_august_7_adds_the_no_training_without_consent_sentence() -> None:
    changes = analyse(text_of(MARCH), text_of(AUG_07))
    (change,) = relevant_changes(changes)
    assert change.old is None
    assert change.new == ("Notwithstanding the above, Zoom will not use audio, video or chat Customer Content to "
                          "train our artificial intelligence models without your consent.")
    assert "ai-training" in change.topics and change.section == "10.4"
    assert change.summary is not None and "Section 10.4" in change.summary and change.new in change.summary


def test_august_11_rewrite_changes_training_licence_and_service_generated_data() -> None:
    changes = relevant_changes(analyse(text_of(AUG_07), text_of(AUG_11_S10)))
    assert {"ai-training", "content-licence", "service-generated-data"} <= topics_of(changes)
    licence = next(c for c in changes if c.old and "hereby grant Zoom a perpetual" in c.old)
    assert "content-licence" in licence.topics and "ai-training" in licence.topics
    assert "machine learning, artificial intelligence" in licence.old
    added = next(c for c in changes if c.new and c.new.startswith("Zoom does not use any of your audio"))
    assert added.old is None and "ai-training" in added.topics
    generated = next(c for c in changes if c.new and "Zoom owns all rights, title, and interest" in c.new)
    assert "service-generated-data" in generated.topics


def test_2020_to_august_2023_reports_the_data_use_clauses() -> None:
    changes = relevant_changes(analyse(text_of(AUG_2020), text_of(AUG_11)))
    assert {"ai-training", "content-licence", "service-generated-data"} <= topics_of(changes)
    assert any(c.new and "to train Zoom or third-party artificial intelligence models" in c.new for c in changes)


def test_same_terms_in_new_markup_are_not_a_change() -> None:
    for name in (AUG_2020, AUG_11, MARCH):
        assert text_of(name) == text_of(name, restyled=True)
        assert analyse(text_of(name), text_of(name, restyled=True)) == []
