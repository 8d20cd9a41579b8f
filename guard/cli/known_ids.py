"""Provider and feature ids typed on the command line are checked against the catalog.

A consent record is kept for ever, so ``--provider zoomm`` or ``--feature nosuch`` is refused
with the closest known ids ("did you mean zoom?") instead of being recorded; ``--allow-unknown``
records such an id anyway (a service the catalog does not know yet), with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from guard.errors import GuardError

if TYPE_CHECKING:
    from guard.catalog.loader import Catalog

ALLOW_HINT = "add --allow-unknown to record it anyway"


class UnknownIdError(GuardError):
    """An id the catalog does not have, named where a known one was expected."""


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` Did you mean zoom?`` (the closest known ids), or an empty string."""
    import difflib

    close = difflib.get_close_matches(word.casefold(), sorted(set(known)), n=3, cutoff=0.6)
    if not close:
        return ""
    if len(close) == 1:
        return f" Did you mean {close[0]}?"
    return f" Did you mean {', '.join(close[:-1])} or {close[-1]}?"


def unknown_provider_message(provider_id: str, catalog: Catalog) -> str:
    return (f"'{provider_id}' is not a provider in the catalog.{did_you_mean(provider_id, catalog.providers)} "
            "'meeting-guard providers' lists the ids.")


def check_ids(catalog: Catalog | None, provider_id: str, feature_id: str | None, *,
              allow_unknown: bool) -> list[str]:
    """Raise :class:`UnknownIdError` for ids the catalog does not know (unless ``allow_unknown``,
    which turns each into a warning, returned)."""
    if catalog is None or len(catalog) == 0:
        problem = (f"the provider catalog could not be loaded, so '{provider_id}'"
                   f"{f' and {feature_id!r}' if feature_id else ''} cannot be checked")
        if not allow_unknown:
            raise UnknownIdError(f"{problem}; {ALLOW_HINT}.")
        return [f"{problem}; recorded as given"]
    provider = catalog.get(provider_id)
    if provider is None:
        if not allow_unknown:
            raise UnknownIdError(f"--provider: {unknown_provider_message(provider_id, catalog)} "
                                 f"If the service is missing from the catalog, {ALLOW_HINT}.")
        return [f"provider '{provider_id}' is not in the catalog; recorded anyway (--allow-unknown)"]
    if feature_id and provider.feature(feature_id) is None:
        features = [feature.id for feature in provider.ai_features]
        if not allow_unknown:
            listed = ", ".join(features) if features else "none recorded"
            raise UnknownIdError(
                f"--feature: {provider.name} has no AI feature '{feature_id}' in the catalog."
                f"{did_you_mean(feature_id, features)} Its features: {listed} "
                f"(see 'meeting-guard providers {provider.id}'). If the feature is missing, {ALLOW_HINT}.")
        return [(f"provider '{provider_id}' has no AI feature '{feature_id}' in the catalog; "
                "recorded anyway (--allow-unknown)")]
    return []
