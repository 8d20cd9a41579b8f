"""The labelled corpus is what the terms accuracy benchmark scores against, so it must stay exact:
every quoted wording occurs in the archived text it labels, every text is the archived file
(checked by SHA-256), provenance and labels are complete and valid (README.md here)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.terms.corpus.corpus import (
    PAIRS_DIR,
    HELDOUT_SETS,
    CorpusError,
    Pair,
    load_corpus,
    load_pair,
    normalise,
    pair_directories,
    problems,
)

PAIRS = load_corpus()


@pytest.mark.parametrize("pair", PAIRS, ids=[pair.id for pair in PAIRS])
def test_pair_texts_provenance_and_quotes_hold(pair: Pair) -> None:
    assert problems(pair) == []


def test_every_pair_directory_has_labels_and_both_texts() -> None:
    for provider in PAIRS_DIR.iterdir():
        for document in provider.iterdir():
            for directory in document.iterdir():
                assert {"old.md", "new.md", "labels.toml"} <= {p.name for p in directory.iterdir()}, directory
    assert len(pair_directories()) == len(PAIRS)


def test_corpus_is_large_varied_and_split() -> None:
    providers = Counter(pair.provider for pair in PAIRS)
    assert len(PAIRS) >= 60
    assert len(providers) >= 10
    negatives = sum(pair.negative for pair in PAIRS)
    assert 0.25 <= negatives / len(PAIRS) <= 0.45, negatives
    heldout = [pair for pair in PAIRS if pair.heldout]
    # Each held-out set is frozen once gathered while development pairs keep being added. Set J (session 12) took the
    # held-out pairs past half the corpus (243 of 466) and the bound was raised to 0.55 for a session; dev batch L
    # (session 13) brought them back under half, so the bound is half again: the development data the classifier is
    # built on must not shrink below the held-out text it is measured on.
    assert len(heldout) >= 20 and len(heldout) / len(PAIRS) < 0.5, len(heldout)
    # Held-out pairs are spread over providers, and both splits have real changes to find.
    assert len({pair.provider for pair in heldout}) >= 5
    assert any(not pair.negative for pair in heldout)
    assert any(not pair.negative for pair in PAIRS if not pair.heldout)


# The held-out split of the first 65 pairs, chosen by the hash rule before any of them was labelled. Pairs added
# later (the second batch, README "How pairs were chosen") are all development data, so this set is frozen: a pair
# can neither join nor leave it once the classifier has been developed against the rest.
HELDOUT = frozenset(
    {
        "anthropic/claude-privacy-policy/2026-01-12__2026-01-12",
        "discord/privacy-policy/2023-02-25__2023-03-12",
        "discord/terms-of-service/2023-02-24__2023-02-25",
        "google/privacy-policy/2023-01-19__2023-06-29",
        "google/privacy-policy/2025-12-12__2026-04-02",
        "google/terms-of-service/2024-04-16__2024-05-22",
        "google/terms-of-service/2025-11-03__2026-06-16",
        "google/terms-of-service/2026-06-24__2026-07-30",
        "grammarly/terms-of-service/2023-10-28__2024-09-04",
        "grammarly/terms-of-service/2024-11-05__2024-11-07",
        "jitsi-meet/privacy-policy/2023-06-22__2023-08-22",
        "jitsi-meet/privacy-policy/2023-08-22__2024-10-02",
        "openai/chatgpt-terms-of-service/2025-11-11__2025-12-17",
        "openai/chatgpt-terms-of-service/2025-12-17__2026-01-09",
        "openai/chatgpt-terms-of-service/2026-01-09__2026-01-16",
        "whereby/privacy-policy/2020-12-17__2021-02-07",
        "zoom/terms-of-service/2022-02-02__2022-02-23",
        "zoom/terms-of-service/2022-04-26__2022-06-16",
        "zoom/terms-of-service/2022-08-04__2022-08-31",
        "zoom/terms-of-service/2022-08-31__2022-09-01",
        "zoom/terms-of-service/2022-10-29__2022-12-01",
        "zoom/terms-of-service/2023-01-19__2023-02-01",
        "zoom/terms-of-service/2023-08-07__2023-08-11",
        "zoom/terms-of-service/2023-08-11__2024-08-08",
    }
)


# Held-out set B (README "Held-out sets"): real pairs gathered and labelled blind in December 2026, after set A had been
# read by the benchmark several times. Frozen like set A: pairs join it only in the batches that built it.
HELDOUT_B = frozenset(
    {
        "alibaba/qwen-chat-privacy-policy/2025-11-11__2025-12-15",
        "alibaba/qwen-chat-privacy-policy/2025-12-15__2026-03-19",
        "alibaba/qwen-chat-privacy-policy/2026-03-19__2026-04-09",
        "alibaba/qwen-chat-privacy-policy/2026-04-09__2026-05-19",
        "alibaba/qwen-chat-terms-of-service/2026-04-09__2026-05-19",
        "github/privacy-policy/2025-09-23__2026-04-28",
        "logitech/terms-of-service/2023-04-19__2023-07-01",
        "microsoft/skype-privacy-policy/2020-08-12__2020-09-03",
        "mistral/le-chat-terms-of-service/2025-12-15__2026-01-26",
        "pinterest/privacy-policy/2025-10-01__2026-05-16",
        "snap/snapchat-privacy-policy/2026-06-21__2026-07-16",
        "snap/snapchat-privacy-policy/2026-07-16__2026-08-05",
        "tiktok/privacy-policy/2026-01-26__2026-02-06",
        "tiktok/privacy-policy/2026-02-10__2026-07-01",
        "tiktok/privacy-policy/2026-07-01__2026-07-15",
        "vimeo/privacy-policy/2023-12-14__2024-06-26",
        "twitch/privacy-policy/2023-02-03__2023-02-09",
        "vimeo/privacy-policy/2024-06-26__2024-10-12",
        "vimeo/privacy-policy/2024-10-12__2025-02-25",
        "wetransfer/terms-of-service/2025-07-17__2025-07-23",
        "wetransfer/terms-of-service/2025-09-23__2025-11-08",
        "whatsapp/privacy-policy/2026-06-30__2026-07-11",
    }
)


# Held-out set C: gathered and labelled blind in December 2026 from providers in no other pair; read once, by the lead.
HELDOUT_C = frozenset(
    {
        "better-stack/terms-of-service/2023-05-18__2025-02-14",
        "bumble/privacy-policy/2021-10-14__2021-12-06",
        "bumble/privacy-policy/2024-01-02__2024-02-17",
        "dailymotion/terms-of-service/2026-03-19__2026-05-14",
        "duckduckgo/privacy-policy/2025-10-30__2025-11-21",
        "epic-games/artstation-terms-of-service/2023-01-20__2023-01-21",
        "epic-games/sketchfab-terms-of-service/2023-02-18__2023-03-23",
        "glassdoor/privacy-policy/2026-02-18__2026-04-23",
        "glassdoor/privacy-policy/2026-07-21__2026-08-01",
        "kick/terms-of-service/2025-08-21__2025-09-03",
        "mailjet/data-processor-agreement/2024-12-03__2024-12-13",
        "meetup/privacy-policy/2022-12-03__2022-12-08",
        "meetup/privacy-policy/2023-02-23__2023-05-12",
        "olvid/privacy-policy/2021-08-18__2022-07-04",
        "olvid/terms-of-service/2021-08-18__2021-11-05",
        "proctorio/privacy-policy/2022-09-20__2022-11-23",
        "proctorio/privacy-policy/2023-10-30__2023-12-30",
        "proctorio/terms-of-service/2023-12-30__2024-03-09",
        "proctorio/terms-of-service/2024-09-20__2025-03-31",
        "qwant/privacy-policy/2022-03-10__2022-06-08",
        "qwant/privacy-policy/2023-09-21__2023-12-01",
        "wolfram/privacy-policy/2023-04-26__2023-11-14",
        "wolfram/privacy-policy/2025-09-03__2025-11-11",
        "xing/terms-of-service/2023-08-31__2023-12-15",
        "yahoo/privacy-policy/2020-09-16__2020-10-06",
    }
)


# Held-out set D: a fourth blind set, gathered and labelled in December 2026 from providers in no other pair (README
# "Held-out sets"); its labels and summaries are only in labels.toml. Read once, by the lead.
HELDOUT_D = frozenset(
    {
        "academia-edu/privacy-policy/2025-08-08__2025-09-17",
        "couchsurfing/privacy-policy/2023-04-07__2024-10-15",
        "deliveroo/privacy-policy/2025-07-17__2025-11-10",
        "freja-eid/privacy-policy/2025-09-23__2025-10-30",
        "happn/terms-of-service/2025-02-11__2025-05-21",
        "hoyoverse/honkai-star-rail-privacy-policy/2025-08-28__2026-02-13",
        "ipinfo/privacy-policy/2026-08-06__2026-08-13",
        "kivra/privacy-policy/2025-09-23__2025-12-17",
        "marco-polo/privacy-policy/2021-01-04__2021-02-07",
        "nextdoor/privacy-policy/2022-09-20__2022-12-02",
        "nordvpn/privacy-policy/2023-11-28__2024-05-20",
        "nordvpn/privacy-policy/2025-03-26__2025-04-01",
        "orange/privacy-policy/2024-10-12__2024-11-15",
        "orange/privacy-policy/2024-11-15__2025-06-11",
        "orange/privacy-policy/2025-09-01__2025-10-16",
        "palantir/privacy-policy/2025-06-18__2025-07-17",
        "palantir/privacy-policy/2025-09-25__2026-02-25",
        "palantir/privacy-policy/2026-02-25__2026-06-10",
        "palantir/privacy-policy/2026-06-10__2026-08-05",
        "palantir/terms-of-service/2024-10-02__2026-06-04",
        "scaleway/privacy-policy/2025-12-03__2026-06-02",
        "scaleway/privacy-policy/2026-06-02__2026-07-30",
        "scalingo/data-processor-agreement/2024-05-30__2024-05-30",
        "scalingo/terms-of-service/2025-09-23__2025-12-15",
        "tchap/privacy-policy/2023-03-09__2023-03-10",
        "tchap/privacy-policy/2023-03-10__2023-06-08",
        "tchap/terms-of-service/2023-04-20__2023-12-05",
        "the-guardian/privacy-policy/2025-03-06__2025-07-01",
        "thryv/yellowpages-privacy-policy/2024-01-04__2024-01-08",
        "toyota/connected-services-privacy-policy/2023-07-26__2023-09-08",
    }
)


# Held-out set E: a fifth blind set, gathered and labelled in the night of 1-2 December 2026 from providers in no other
# pair (README "Held-out sets"); its labels and summaries are only in labels.toml. Read once, by the lead.
HELDOUT_E = frozenset(
    {
        "bandcamp/acceptable-use-policy/2025-09-23__2026-01-14",
        "bandcamp/terms-of-service/2024-01-11__2024-02-15",
        "bbc/privacy-policy/2020-12-14__2021-07-19",
        "brevo/terms-of-service/2023-10-27__2023-10-31",
        "brevo/terms-of-service/2024-01-29__2024-03-12",
        "brevo/terms-of-service/2024-04-03__2024-05-27",
        "coinbase/privacy-policy/2025-10-14__2025-10-15",
        "deutsche-bahn/privacy-policy/2024-03-08__2024-05-10",
        "ebay/terms-of-service/2025-09-23__2026-01-21",
        "financial-times/privacy-policy/2025-12-10__2026-04-28",
        "gartner/privacy-policy/2023-09-27__2024-01-30",
        "hackerone/terms-of-service/2026-05-13__2026-05-16",
        "hetzner/privacy-policy/2025-07-19__2025-08-11",
        "instacart/privacy-policy/2025-09-23__2025-12-10",
        "lydia/privacy-policy/2023-02-09__2023-05-09",
        "mediafire/terms-of-service/2024-07-09__2024-07-19",
        "oreilly/privacy-policy/2023-07-22__2023-09-26",
        "oreilly/privacy-policy/2025-01-29__2025-07-09",
        "paramount/lastfm-privacy-policy/2025-01-25__2025-02-26",
        "sourcehut/privacy-policy/2025-06-25__2025-07-10",
        "starbucks/privacy-policy/2024-01-29__2024-03-29",
        "the-new-york-times/terms-of-service/2025-05-19__2025-06-06",
        "tp-link/privacy-policy/2023-04-04__2023-05-11",
        "tresorit/terms-of-service/2021-09-08__2023-03-03",
        "ubiquiti/privacy-policy/2023-01-19__2023-08-04",
        "ubiquiti/privacy-policy/2026-01-01__2026-08-14",
        "y-combinator/privacy-policy/2022-04-04__2022-08-03",
        "yelp/privacy-policy/2020-07-29__2022-06-30",
        "zendesk/privacy-policy/2020-11-26__2020-12-03",
    }
)


# Held-out set F: a time split, gathered and labelled blind in the night of 2 December 2026. Each pair is two
# consecutive newer versions of a document that already has older pairs here (README "Held-out sets"); its labels
# and summaries are only in labels.toml. Read once, by the lead.
HELDOUT_F = frozenset(
    {
        "alibaba/qwen-chat-privacy-policy/2026-05-19__2026-07-08",
        "amazon/alexa-terms-of-service/2025-11-12__2025-12-18",
        "apple/privacy-policy/2024-09-19__2025-02-01",
        "automattic/wordpress-com-privacy-policy/2025-11-26__2025-12-12",
        "automattic/wordpress-com-terms-of-service/2025-09-23__2025-09-23",
        "automattic/wordpress-com-terms-of-service/2026-04-02__2026-04-11",
        "bumble/privacy-policy/2025-03-28__2025-05-08",
        "discord/terms-of-service/2025-04-18__2025-05-15",
        "evernote/terms-of-service/2025-09-23__2025-12-30",
        "gartner/privacy-policy/2024-02-07__2025-05-19",
        "google/generative-ai-privacy-policy/2026-08-10__2026-08-18",
        "grammarly/privacy-policy/2024-11-07__2025-03-29",
        "hoyoverse/honkai-star-rail-privacy-policy/2026-02-13__2026-02-27",
        "jitsi-meet/privacy-policy/2024-10-02__2025-09-23",
        "line/privacy-policy/2025-07-10__2025-07-31",
        "linkedin/terms-of-service/2026-03-05__2026-08-07",
        "lyft/privacy-policy/2025-12-13__2026-02-10",
        "mistral/le-chat-privacy-policy/2026-04-02__2026-04-08",
        "mistral/le-chat-terms-of-service/2026-05-28__2026-05-28",
        "openai/chatgpt-privacy-policy/2026-07-20__2026-07-25",
        "proctorio/privacy-policy/2025-05-03__2025-05-22",
        "roblox/privacy-policy/2025-01-23__2025-03-14",
        "spark-mail/privacy-policy/2026-05-23__2026-07-21",
        "stack-overflow/terms-of-service/2025-11-13__2025-11-17",
        "starbucks/privacy-policy/2025-03-03__2025-05-21",
        "substack/privacy-policy/2026-05-05__2026-05-15",
        "tumblr/privacy-policy/2025-10-23__2026-06-04",
        "viber/privacy-policy/2026-07-09__2026-07-23",
        "viber/terms-of-service/2025-09-23__2025-10-21",
        "zoom/terms-of-service/2026-05-22__2026-06-02",
    }
)


# Held-out set H: gathered and labelled blind on the morning of 2 December 2026 (not "G", which names a development
# batch). About half its pairs are a time split like set F (newer versions of documents that already have pairs), the
# others documents with no pair before; meeting and AI providers first. Labels only in labels.toml; read once, by
# the lead.
HELDOUT_H = frozenset(
    {
        "anthropic/claude-law-enforcement-guidelines/2025-11-11__2026-03-17",
        "atlassian/privacy-policy/2026-04-17__2026-04-21",
        "booking/privacy-policy/2026-03-26__2026-05-28",
        "cloudflare/privacy-policy/2025-11-01__2025-11-05",
        "coursera/terms-of-service/2025-12-17__2026-03-13",
        "discord/terms-of-service/2025-05-15__2025-09-01",
        "limitless/privacy-policy/2025-09-23__2025-12-05",
        "line/privacy-policy/2025-10-24__2026-07-31",
        "mistral/le-chat-acceptable-use-policy/2026-01-12__2026-03-26",
        "mistral/le-chat-commercial-terms/2026-03-12__2026-04-08",
        "mistral/le-chat-commercial-terms/2026-04-08__2026-05-28",
        "mistral/le-chat-data-processor-agreement/2025-12-15__2026-03-12",
        "mistral/vibe-commercial-terms/2026-07-10__2026-08-07",
        "mistral/vibe-data-processor-agreement/2026-07-10__2026-07-27",
        "mistral/vibe-privacy-policy/2026-07-10__2026-07-27",
        "openai/chatgpt-trackers-policy/2025-11-11__2025-12-18",
        "perplexity/acceptable-use-policy/2025-11-11__2026-08-15",
        "roblox/privacy-policy/2025-03-14__2025-06-05",
        "snap/privacy-policy/2026-08-05__2026-08-05",
        "substack/privacy-policy/2026-05-15__2026-06-05",
        "telegram/terms-of-service/2026-02-21__2026-04-07",
        "telegram/terms-of-service/2026-04-07__2026-05-09",
        "tinder/privacy-policy/2026-03-05__2026-03-06",
        "viber/terms-of-service/2025-10-21__2026-03-22",
        "wechat/privacy-policy/2025-12-19__2026-04-07",
        "xai/grok-commercial-terms/2025-12-11__2026-05-18",
        "xai/grok-terms-of-service/2026-05-18__2026-07-08",
        "zoom/terms-of-service/2026-06-12__2026-07-17",
    }
)


# Held-out set I: gathered and labelled blind on 2 December 2026 (session 11), like set H: about half a time split
# (the next recorded versions after the newest version any other pair of the same document uses, H's included), the
# others documents of meeting and AI relevance with no pair before. Labels only in labels.toml; read once, by the lead.
HELDOUT_I = frozenset(
    {
        "amazon/aws-privacy-policy/2025-02-21__2025-05-13",
        "anthropic/claude-privacy-policy/2026-07-08__2026-08-17",
        "deepseek/terms-of-service/2025-11-11__2026-03-27",
        "deepseek/trackers-policy/2025-12-23__2026-07-15",
        "discord/privacy-policy/2026-02-10__2026-02-20",
        "duckduckgo/privacy-policy/2026-05-29__2026-06-04",
        "google/voice-terms-of-service/2021-04-12__2026-02-05",
        "grammarly/privacy-policy/2026-01-17__2026-07-07",
        "hoyoverse/honkai-star-rail-privacy-policy/2026-02-27__2026-03-25",
        "kivra/privacy-policy/2025-12-17__2026-02-21",
        "linear/terms-of-service/2026-04-03__2026-06-10",
        "meta/threads-terms-of-service/2025-12-20__2026-01-22",
        "mistral/le-chat-acceptable-use-policy/2026-03-26__2026-06-16",
        "openai/chatgpt-business-privacy-policy/2025-11-11__2025-11-24",
        "openai/chatgpt-business-privacy-policy/2025-11-24__2026-01-08",
        "openai/chatgpt-business-privacy-policy/2026-05-26__2026-06-29",
        "openai/chatgpt-developer-terms/2026-06-29__2026-07-09",
        "openai/chatgpt-terms-of-service/2026-06-29__2026-07-25",
        "proctorio/terms-of-service/2025-05-03__2025-05-22",
        "roblox/privacy-policy/2025-06-05__2025-06-30",
        "viber/terms-of-service/2026-04-06__2026-08-18",
        "viber/trackers-policy/2026-01-06__2026-02-04",
        "viber/trackers-policy/2026-02-04__2026-03-22",
        "wechat/privacy-policy/2026-07-28__2026-08-06",
        "wetransfer/data-processor-agreement/2025-07-22__2025-11-17",
        "xai/grok-acceptable-use-policy/2026-07-08__2026-08-14",
        "xai/grok-trackers-policy/2025-12-11__2026-05-18",
        "zoom/terms-of-service/2026-07-17__2026-07-21",
    }
)


# Held-out set J: gathered and labelled blind on 2 December 2026 (session 12), like set I: about half a time split (the
# next recorded versions after the newest version any other pair of the same document uses, I's included), the others
# documents of meeting and AI relevance with no pair before. Labels only in labels.toml; read once, by the lead.
HELDOUT_J = frozenset(
    {
        "amazon/photos-terms-of-service/2021-05-03__2024-01-05",
        "bumble/privacy-policy/2026-07-10__2026-08-10",
        "deepseek/developer-terms/2026-03-27__2026-04-21",
        "discord/terms-of-service/2025-09-23__2025-09-27",
        "epic-games/artstation-terms-of-service/2023-02-18__2023-02-20",
        "epic-games/sketchfab-terms-of-service/2024-02-16__2024-02-16",
        "freja-eid/privacy-policy/2025-10-30__2026-03-20",
        "github/terms-of-service/2025-09-23__2025-09-29",
        "google/antigravity-terms-of-service/2025-12-20__2026-02-13",
        "google/antigravity-terms-of-service/2026-02-13__2026-02-27",
        "google/antigravity-terms-of-service/2026-02-27__2026-05-20",
        "google/voice-privacy-policy/2026-05-05__2026-05-26",
        "happn/terms-of-service/2026-05-18__2026-07-16",
        "hugging-face/privacy-policy/2025-09-23__2025-10-17",
        "kick/privacy-policy/2025-12-10__2026-05-18",
        "kivra/privacy-policy/2026-03-25__2026-04-27",
        "mozilla/firefox-terms-of-service/2025-06-10__2026-06-29",
        "mozilla/privacy-policy/2022-12-14__2023-03-21",
        "openai/chatgpt-trackers-policy/2026-07-16__2026-08-03",
        "openai/chatgpt-trackers-policy/2026-08-03__2026-08-14",
        "overleaf/trackers-policy/2026-05-08__2026-06-11",
        "overleaf/trackers-policy/2026-06-11__2026-08-06",
        "proctorio/terms-of-service/2026-03-17__2026-07-16",
        "wetransfer/terms-of-service/2025-11-09__2025-11-18",
        "wordpress-org/privacy-policy/2025-09-23__2026-07-01",
        "xai/grok-trackers-policy/2026-07-15__2026-08-10",
        "zoom/terms-of-service/2026-07-21__2026-08-06",
    }
)


# Held-out set K: gathered and labelled blind on 2 December 2026 (session 14) from providers in no other pair, chat,
# community and consumer services whose data clauses changed (README "Held-out sets"). Labels only in labels.toml; read
# once, by the lead.
HELDOUT_K = frozenset(
    {
        "airbnb/privacy-policy/2024-05-22__2024-06-25",
        "airbnb/terms-of-service/2021-11-23__2022-02-11",
        "airbnb/trackers-policy/2022-02-03__2022-02-12",
        "badoo/privacy-policy/2025-09-30__2025-11-28",
        "badoo/privacy-policy/2025-11-28__2026-02-27",
        "badoo/terms-of-service/2024-03-28__2024-04-22",
        "binance/privacy-policy/2023-07-26__2023-07-28",
        "disqus/privacy-policy/2026-04-30__2026-07-11",
        "ikea/privacy-policy/2026-04-09__2026-06-05",
        "kraken/privacy-policy/2025-06-19__2025-06-27",
        "kraken/privacy-policy/2025-08-05__2025-08-12",
        "kraken/privacy-policy/2025-11-01__2025-11-18",
        "match/privacy-policy/2022-11-22__2022-12-12",
        "match/privacy-policy/2026-01-02__2026-02-24",
        "okx/privacy-policy/2024-06-26__2024-07-12",
        "okx/privacy-policy/2024-07-12__2024-07-15",
        "okx/privacy-policy/2024-11-30__2024-12-04",
        "pixiv/privacy-policy/2023-06-13__2023-07-31",
        "pixiv/privacy-policy/2023-07-31__2023-08-31",
        "rakuten/privacy-policy/2021-08-28__2022-02-22",
        "tencent/privacy-policy/2025-09-23__2026-07-30",
        "tencent/terms-of-service/2025-09-23__2026-07-30",
        "xfinity/privacy-policy/2023-09-21__2023-12-29",
        "xfinity/privacy-policy/2024-06-12__2024-07-01",
        "xfinity/privacy-policy/2025-01-03__2025-01-08",
    }
)


@dataclass(frozen=True)
class HeldoutSet:
    """A frozen held-out set (README "Held-out sets") and the rule it was gathered by."""

    pairs: frozenset[str]
    kind: str  # "hash rule", "blind", "new providers", "time split" (every pair) or "half time split"
    revisits: bool = True  # a time split whose pairs may be newer versions of a new-provider set's documents


# Every held-out set in the order it was gathered: a new set is one line here (and its name in corpus.HELDOUT_SETS).
GATHERED = {
    "A": HeldoutSet(HELDOUT, "hash rule"),
    "B": HeldoutSet(HELDOUT_B, "blind"),
    "C": HeldoutSet(HELDOUT_C, "new providers"),
    "D": HeldoutSet(HELDOUT_D, "new providers"),
    "E": HeldoutSet(HELDOUT_E, "new providers"),
    "F": HeldoutSet(HELDOUT_F, "time split"),
    "H": HeldoutSet(HELDOUT_H, "half time split", revisits=False),  # meeting and AI documents, none of C, D or E's
    "I": HeldoutSet(HELDOUT_I, "half time split"),
    "J": HeldoutSet(HELDOUT_J, "half time split"),
    "K": HeldoutSet(HELDOUT_K, "new providers"),
}
TIME_SPLITS = [name for name, held in GATHERED.items() if held.kind.endswith("time split")]


def test_every_heldout_set_is_listed_in_the_order_gathered() -> None:
    assert set(GATHERED) == HELDOUT_SETS


@pytest.mark.parametrize("name", [name for name in GATHERED if name != "A"])  # A is the hash rule's (below)
def test_a_heldout_set_holds_exactly_its_frozen_pairs(name: str) -> None:
    assert sorted(pair.id for pair in PAIRS if pair.heldout_set == name) == sorted(GATHERED[name].pairs)


@pytest.mark.parametrize("name", [name for name, held in GATHERED.items() if held.kind == "new providers"])
def test_a_blind_set_from_new_providers_shares_no_provider_with_other_pairs(name: str) -> None:
    # time splits of documents already here are exempt: their pairs are newer versions of them
    exempt = {name} | {split for split in TIME_SPLITS if GATHERED[split].revisits}
    others = {pair.id.split("/")[0] for pair in PAIRS if pair.heldout_set not in exempt}
    assert {pair_id.split("/")[0] for pair_id in GATHERED[name].pairs} & others == set()


@pytest.mark.parametrize("name", TIME_SPLITS)
def test_a_time_split_is_newer_than_every_pair_of_its_documents_gathered_before(name: str) -> None:
    """Each pair of a time split is recorded after (or from) the newest version any pair gathered before it (the
    development pairs included) uses of the same document; sets gathered later, and the set's own pairs (a document
    new to the corpus may have consecutive pairs in it), may hold still newer versions. Set F holds only such pairs;
    the later sets about half, the rest documents new to the corpus."""
    from_here = list(GATHERED)[list(GATHERED).index(name):]
    documents: Counter[str] = Counter()
    for pair in PAIRS:
        if pair.heldout_set != name:
            continue
        document = (pair.provenance.repository, pair.provenance.path)
        older = [other for other in PAIRS if other.heldout_set not in from_here
                 and (other.provenance.repository, other.provenance.path) == document]
        if GATHERED[name].kind == "time split":
            assert older, f"{pair.id}: no other pair of {document}"  # only documents the corpus already has
        documents["time split" if older else "new document"] += 1
        if older:
            newest = max(other.provenance.new_recorded for other in older)
            assert pair.provenance.old_recorded >= newest, (pair.id, newest)
    if GATHERED[name].kind == "half time split":
        assert documents["time split"] and documents["new document"]  # both halves are there


def test_heldout_split_follows_the_rule_fixed_before_labelling() -> None:
    assert sorted(pair.id for pair in PAIRS if pair.heldout and pair.heldout_set == "A") == sorted(HELDOUT)
    assert [pair.id for pair in PAIRS if pair.heldout_set == "A" and not pair.heldout_by_rule] == []


def test_only_heldout_pairs_belong_to_a_heldout_set() -> None:
    assert {pair.heldout_set for pair in PAIRS if not pair.heldout} <= {""}
    assert {pair.heldout_set for pair in PAIRS if pair.heldout} <= set(GATHERED)


def labels_with(tmp_path: Path, heldout: str, extra: str) -> Path:
    """A minimal pair whose [pair] table says heldout = <heldout> plus <extra> (for the held-out set field)."""
    target = copy_of(PAIRS[0], tmp_path)
    labels = target / "labels.toml"
    text = re.sub(r"(?m)^heldout_set = .*\n", "", labels.read_text(encoding="utf-8"))  # the copied pair's own set
    start = text.index("heldout = ")
    end = text.index("\n", start)
    labels.write_text(text[:start] + f"heldout = {heldout}\n{extra}" + text[end + 1:], encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("heldout", "extra", "expected"),
    [
        ("true", "", "A"),  # every held-out pair from before set B is in set A
        *[("true", f'heldout_set = "{name}"\n', name) for name in GATHERED],
        ("false", "", ""),
    ],
)
def test_heldout_set_defaults_to_a(tmp_path: Path, heldout: str, extra: str, expected: str) -> None:
    pair = load_pair(labels_with(tmp_path, heldout, extra))
    assert (pair.heldout, pair.heldout_set) == (heldout == "true", expected)


@pytest.mark.parametrize(
    ("heldout", "extra", "message"),
    [
        ("true", 'heldout_set = "G"\n', "heldout_set 'G' is not one of"),
        ("true", 'heldout_set = "c"\n', "heldout_set 'c' is not one of"),
        ("true", "heldout_set = 2\n", "field 'heldout_set' must be str"),
        ("false", 'heldout_set = "B"\n', "only meaningful with heldout = true"),
    ],
)
def test_a_bad_heldout_set_is_named(tmp_path: Path, heldout: str, extra: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        load_pair(labels_with(tmp_path, heldout, extra))


def test_every_zoom_2023_version_is_paired_with_the_one_before() -> None:
    zoom = {pair.new_effective for pair in PAIRS if pair.provider == "zoom" and pair.document == "Terms of Service"}
    assert {"2023-03-31", "2023-07-27", "2023-08-07", "2023-08-11"} <= zoom


def test_quotes_are_matched_after_whitespace_normalisation() -> None:
    assert normalise("a\n   b\u00a0c\t d ") == "a b c d"


def copy_of(pair: Pair, tmp_path: Path) -> Path:
    target = tmp_path / pair.directory.relative_to(PAIRS_DIR)
    shutil.copytree(pair.directory, target)
    return target


def test_a_misquoted_wording_is_caught(tmp_path: Path) -> None:
    pair = next(pair for pair in PAIRS if any(change.new for change in pair.changes))
    target = copy_of(pair, tmp_path)
    change = next(change for change in pair.changes if change.new)
    labels = target / "labels.toml"
    text = labels.read_text(encoding="utf-8")
    quoted = change.new.split()[0]
    at = text.index(change.new)  # the quote itself, not an earlier field that starts with the same word
    labels.write_text(text[:at] + quoted + "XYZ" + text[at + len(quoted):], encoding="utf-8")
    found = problems(load_pair(target))
    assert any("does not occur in" in problem for problem in found), found


def test_an_edited_text_is_caught(tmp_path: Path) -> None:
    target = copy_of(PAIRS[0], tmp_path)
    (target / "new.md").write_text("edited", encoding="utf-8")
    assert any("SHA-256" in problem for problem in problems(load_pair(target)))


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [
        ("heldout = ", "# heldout = ", "missing field 'heldout'"),
        ('licence = "ODC-BY-1.0"', 'licence = "CC0"', "licence"),
        ('schema = 1', 'schema = 2', "schema"),
        ('old_snapshot = "', 'old_snapshot = "from ', "old_snapshot"),
    ],
)
def test_invalid_labels_are_named(tmp_path: Path, find: str, replace: str, message: str) -> None:
    target = copy_of(PAIRS[0], tmp_path)
    labels = target / "labels.toml"
    labels.write_text(labels.read_text(encoding="utf-8").replace(find, replace, 1), encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_pair(target)


def test_a_bad_topic_or_severity_is_named(tmp_path: Path) -> None:
    pair = next(pair for pair in PAIRS if pair.changes)
    target = copy_of(pair, tmp_path)
    labels = target / "labels.toml"
    text = labels.read_text(encoding="utf-8")
    labels.write_text(text.replace('severity = "', 'severity = "huge-', 1), encoding="utf-8")
    with pytest.raises(CorpusError, match="severity"):
        load_pair(target)


def test_every_pair_and_change_is_described() -> None:
    """A summary or rationale left as a placeholder would pass every other check."""
    placeholders = ("todo", "placeholder", "tbd")
    assert [pair.id for pair in PAIRS if len(pair.summary) < 20 or pair.summary.lower().startswith(placeholders)] == []
    assert [
        (pair.id, number)
        for pair in PAIRS
        for number, change in enumerate(pair.changes, start=1)
        if change.rationale.lower().startswith(placeholders)
    ] == []


def test_readme_lists_every_pair() -> None:
    readme = (PAIRS_DIR.parent / "README.md").read_text(encoding="utf-8")
    assert [pair.id for pair in PAIRS if f"`{pair.id}`" not in readme] == []
