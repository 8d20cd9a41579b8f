"""Finding a catalog notice, or a bot's display name, in text shown in a meeting.

The browser extension and window probes hand over text as a page shows it: typographic dashes
and quotes, no-break or zero-width spaces, odd case. Both sides are normalised the same way
before a plain substring test, so the work is linear in the (capped) text and no pattern runs on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from guard.catalog.models import AiFeature, Notice, Provider
from guard.patterns import normalize_text

MAX_TEXT = 20_000  # characters of shown text looked at (its start and end); notices are short, pages are not

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u00ab": '"', "\u00bb": '"', "\u2026": "..."})


def normalise(text: str) -> str:
    """The form notices are compared in: :func:`guard.patterns.normalize_text` (one kind of dash and
    space, invisible characters gone, capped), plain quotes, and no case."""
    return normalize_text(text, MAX_TEXT).translate(_QUOTES).casefold()


def notice_in(notice: Notice, shown: str) -> bool:
    """Whether ``shown`` (a banner, dialog or chat line) contains the notice's words."""
    return normalise(notice.text) in normalise(shown)


def notices_in(provider: Provider, shown: str) -> list[tuple[AiFeature, Notice]]:
    """Every (feature, notice) of ``provider`` whose words ``shown`` contains, in catalog order."""
    text = normalise(shown)
    return [(feature, notice) for feature in provider.ai_features for notice in feature.notices
            if normalise(notice.text) in text]


def all_notices(providers: Iterable[Provider]) -> list[tuple[str, str, Notice]]:
    """``(provider_id, feature_id, notice)`` for every notice in the catalog, e.g. for the extension."""
    return [(provider.id, feature.id, notice) for provider in providers
            for feature in provider.ai_features for notice in feature.notices]
