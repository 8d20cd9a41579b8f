"""Text from a browser made safe to keep and show: one line, no control characters, no markup, capped.

Everything a web page controls (tab titles, notice texts, display names) reaches the app through
here. Control characters (C0, C1, DEL), bidi overrides and line separators become spaces so a
title cannot rewrite a terminal line or reorder a label; anything shaped like an HTML tag is
removed so no widget that might interpret markup ever sees one; the result is one line, cut to a
limit with an ellipsis. Linear in the length of the (already size-capped) input.
"""

from __future__ import annotations

import re

from guard.text_controls import UNSAFE, char_class

ELLIPSIS = "…"
_CONTROLS = re.compile(char_class(UNSAFE))
_TAG = re.compile(r"</?[A-Za-z!?][^<>]*>")
_SPACES = re.compile(r"\s+")


def neutral_text(value: str, limit: int) -> str:
    """``value`` as one line of plain text of at most ``limit`` characters."""
    text = value[: limit * 4]
    text = _CONTROLS.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


def neutral_url(value: str, limit: int) -> str | None:
    """A web link as one line (no spaces, no control characters), or None when it is not http(s)."""
    text = _CONTROLS.sub("", value[: limit * 2]).strip()
    if not text.lower().startswith(("https://", "http://")) or any(ch.isspace() for ch in text):
        return None
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
