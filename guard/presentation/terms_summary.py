"""A terms change's plain-words summary in the language the app shows (pure): the tray's
notice, the Terms tab and the tray menu say it through here, never the English the core keeps.

The provider's words stay as written; the templates, topic labels and scope phrases come from
the catalogs (:mod:`guard.terms.summary_words`). A change that carries no structured summary
(made before summaries were kept as values, or by another producer) shows its English text.
"""

from __future__ import annotations

from typing import Protocol

from guard.i18n import translation
from guard.presentation.i18n import current_language
from guard.presentation.wording import without_controls
from guard.terms.summary_model import ChangeSummary
from guard.terms.summary_words import say_summary

__all__ = ["change_words", "summary_words"]


class _Summarised(Protocol):
    """A clause change as the core hands it over (:class:`~guard.events.ClauseChange` or
    :class:`~guard.terms.analysis.AnalysedChange`)."""

    @property
    def summary(self) -> str | None: ...

    @property
    def said(self) -> ChangeSummary | None: ...


def summary_words(said: ChangeSummary | None, english: str | None = None) -> str | None:
    """``said`` in the language in use; without it, ``english`` as it is. Either way without control
    characters or bidirectional overrides, which the provider's words may carry (wording.without_controls)."""
    text = english if said is None else say_summary(said, translation(current_language()))
    return None if text is None else without_controls(text)


def change_words(change: _Summarised) -> str | None:
    """The change's summary in the language in use (None: the change has none)."""
    return summary_words(change.said, change.summary)
