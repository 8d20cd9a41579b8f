"""Every Zoom Terms of Service change of 2023, read in Open Terms Archive's record of each version
(tests/terms/fixtures/archive, provenance.toml): what the classifier reports must be what a privacy
lawyer reads there, and restyling a page must report nothing."""

from __future__ import annotations

from functools import cache

from guard.terms.analysis import AnalysedChange, analyse, relevant_changes
from guard.terms.archive_text import archive_markdown_to_text
from guard.terms.classify import Severity
from guard.terms.extract import extract
from tests.terms.support.archive import find_archived
from tests.terms.support.pages import fixture_text, plain_page, restyled_page

FEB = "cf09ff11d436d3df96fe9b00725e7b90267b5ed0"  # Last Updated: February 1, 2023
MARCH = "6cee2e467cdc921c98ea835e3bb9511dfd5c9544"  # Effective Date: March 31, 2023 (recorded 2023-04-01)
JULY = "0c3e673ebdf35c9012eef24dc18307bb5fe33a61"  # Effective Date: July 27, 2023
AUG_07 = "99ab2d06db1788bd5e74a0b6f04014e0145d91df"  # Effective Date: August 7, 2023
AUG_11 = "894baaa7a5e1fca4ea9927b95800501ca870ab57"  # Effective Date: August 11, 2023
AUG_2020 = "zoom/tos-2020-08-20.ota.md"


@cache
def version(commit: str) -> str:
    found = find_archived("OpenTermsArchive/contrib-versions", "Zoom/Terms of Service.md", commit)
    assert found is not None
    return archive_markdown_to_text(found.text())


@cache
def changes(old: str, new: str) -> tuple[AnalysedChange, ...]:
    return tuple(analyse(version(old), version(new)))


def in_section(found: tuple[AnalysedChange, ...], prefix: str) -> list[AnalysedChange]:
    return [c for c in found if c.relevant and (c.diff.section or "").startswith(prefix)]


def test_march_2023_adds_ai_training_on_service_generated_data_and_the_licence() -> None:
    found = in_section(changes(FEB, MARCH), "10.")
    by_section = {c.diff.section: c for c in found}
    sgd = by_section["10.2"]
    assert sgd.diff.kind == "added" and sgd.severity is Severity.MATERIAL
    assert {"ai-training", "service-generated-data"} <= set(sgd.topics)
    assert "now allows training AI on service generated data" in sgd.summary
    licence = by_section["10.4"]
    assert {"ai-training", "content-licence"} <= set(licence.topics) and licence.severity is Severity.MATERIAL
    assert "content-definition" in by_section["10.1"].topics  # transcripts and outputs count as Customer Content


def test_july_27_2023_leaves_section_10_alone() -> None:
    assert in_section(changes(MARCH, JULY), "10.") == []
    assert any(c.relevant and "third-party-sharing" in c.topics for c in changes(MARCH, JULY))  # tax disclosures


def test_august_7_2023_adds_no_training_without_consent() -> None:
    (change,) = relevant_changes(list(changes(JULY, AUG_07)))
    assert change.kind == "added" and change.section == "10.4" and change.severity == "material"
    assert change.new == ("Notwithstanding the above, Zoom will not use audio, video or chat Customer Content to "
                          "train our artificial intelligence models without your consent.")
    assert {"ai-training", "consent-opt-out"} <= set(change.topics)
    assert "now rules out training AI on audio, video and chat" in change.summary
    assert "now says “without your consent”" in change.summary


def test_august_11_2023_rewrite_is_read_clause_by_clause() -> None:
    found = changes(AUG_07, AUG_11)
    promise = next(c for c in found if c.diff.new_text and "Zoom does not use any of your audio" in c.diff.new_text)
    assert promise.diff.kind == "changed" and promise.diff.old_text.startswith("Notwithstanding the above")
    assert "no longer says “without your consent”" in promise.summary
    assert "Before: “Notwithstanding the above" in promise.summary and "Now: “Zoom does not use" in promise.summary
    licence = next(c for c in found if c.diff.old_text and "You agree to grant and hereby grant Zoom a perpetual"
                   in c.diff.old_text and c.relevant)
    assert "no longer allows training AI" in licence.summary and licence.severity is Severity.MATERIAL
    generated = next(c for c in found if c.diff.new_text and "are referred to as Service Generated Data"
                     in c.diff.new_text)
    assert generated.diff.kind == "changed" and "service-generated-data" in generated.topics
    assert "no longer allows training AI on service generated data" in generated.summary
    assert all(c.diff.section != "1" for c in found if c.relevant), "the update notes are not terms"


def text_of(name: str, restyled: bool = False) -> str:
    md = fixture_text(name)
    return extract((restyled_page if restyled else plain_page)(md), ("main", "article", "body")).markdown


def test_same_terms_in_new_markup_are_not_a_change() -> None:
    for name in (AUG_2020, "zoom/tos-2023-08-11.ota.md"):
        assert text_of(name) == text_of(name, restyled=True)
        assert analyse(text_of(name), text_of(name, restyled=True)) == []
