"""The rule for a file that others may edit while the app runs (settings.toml): a new version is
used only when two looks in a row found it, since an editor part-way through writing leaves a
file (an empty one is valid TOML, and would mean the defaults) that the next look no longer sees."""

from __future__ import annotations

from collections.abc import Collection


def settled(version: str, known: Collection[str | None], pending: str | None) -> tuple[bool, str | None]:
    """Whether ``version``, found by a look, is to be used now, and the version to remember as
    seen once. ``known``: versions already in use or reported (nothing to do); ``pending``: what
    the look before remembered."""
    if version in known:
        return False, None
    if version != pending:
        return False, version
    return True, version
