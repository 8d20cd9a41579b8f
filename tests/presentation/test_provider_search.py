"""The providers tab's search (pure)."""

from datetime import date

from guard.catalog.models import AiFeature, Clause, Document, Provider, Source
from guard.presentation.provider_search import match_provider, search_providers

SOURCE = Source(url="https://example.org/a", checked=date(2026, 1, 1))


def provider(provider_id: str, feature: str, quote: str, topic: str) -> Provider:
    return Provider(
        id=provider_id, name=provider_id.title(), vendor="Example Inc.", kind="meeting-client",
        homepage="https://example.org/",
        ai_features=(AiFeature(id="summary", name=feature, description="Summarises the call.", enabled_by=("host",),
                               participant_notice="A banner.", participant_options=("leave",), sources=(SOURCE,)),),
        documents=(Document(id="tos", type="terms-of-service", title="Terms", url="https://example.org/t",
                            checked=date(2026, 1, 1)),),
        clauses=(Clause(id="c1", document="tos", section="10.4", topic=topic, quote=quote,
                        effective_from=date(2023, 1, 1), source="https://example.org/t", checked=date(2026, 1, 1)),),
    )


ALPHA = provider("alpha", "Meeting summary", "We may train models on your content.", "ai-training")
BETA = provider("beta", "Live captions", "We never sell your data.", "third-party-sharing")


def test_every_word_must_occur_somewhere_in_the_provider():
    assert [m.provider.id for m in search_providers([ALPHA, BETA], "train content")] == ["alpha"]
    assert search_providers([ALPHA, BETA], "train captions") == []
    assert [m.provider.id for m in search_providers([ALPHA, BETA], "ai-training")] == ["alpha"]  # topics count


def test_search_ignores_case_and_an_empty_query_lists_everything():
    assert [m.provider.id for m in search_providers([ALPHA, BETA], "LIVE")] == ["beta"]
    assert [m.provider.id for m in search_providers([ALPHA, BETA], "   ")] == ["alpha", "beta"]


def test_a_match_names_the_parts_that_matched():
    match = match_provider(ALPHA, "summary train")
    assert match is not None
    assert match.matched == ("feature summary", "clause c1")
    assert match_provider(BETA, "inc").matched == ("name",)
