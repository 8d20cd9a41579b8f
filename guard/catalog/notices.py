"""Finding a catalog notice, or a bot's display name, in text shown in a meeting.

The browser extension and window probes hand over text as a page shows it: typographic dashes
and quotes, no-break or zero-width spaces, odd case. Both sides are normalised the same way
before a plain substring test, so the work is linear in the text and no pattern runs on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from guard.catalog.models import AiFeature, Notice, Provider

MAX_TEXT = 20_000  # characters of shown text looked at; notices are short, pages are not

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
           "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"'}
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\n\f\v"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TABLE = str.maketrans({**{ch: "-" for ch in _DASHES}, **_QUOTES, **{ch: " " for ch in _SPACES},
                        **{ch: None for ch in _INVISIBLE}, "\u2026": "..."})


def normalise(text: str) -> str:
    """Casefolded, one kind of dash, quote and space, runs of spaces collapsed, capped in length."""
    return " ".join(text[:MAX_TEXT].translate(_TABLE).casefold().split())


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
