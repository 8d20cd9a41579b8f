"""Plain words the content script can look for instead of running the catalog's patterns on a page.

The content script matches with a normalised substring test (linear, no regular expressions on
page text); the app then re-checks every report with the real pattern (RE2). For that to lose
nothing, each pattern is turned into *required literals*: a short list of lowercase strings such
that any text the pattern matches contains at least one of them. A pattern with finitely many
forms (``^Fireflies(\\.ai)? Notetaker\\b``) gives each form; an open part (``\\w+``, ``.*``) splits a
form, and its longest fixed piece stands for it. A pattern that leaves no piece of at least
:data:`MIN_LITERAL` characters cannot be looked for this way and is an error naming it.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The regular-expression parser of the standard library (typed loosely: it has no public stubs).
sre_parse: Any = importlib.import_module("re._parser")
sre_constants: Any = importlib.import_module("re._constants")

MIN_LITERAL = 3
_MAX_FORMS = 64
_GAP = "\x00"  # where an open part (a repeat or a class) stands


class LiteralError(ValueError):
    """A pattern with no fixed words to look for; the message names it."""


def _forms(items: Any, depth: int = 0) -> list[str]:
    results = [""]
    for op, arg in items:
        choices = _item(op, arg, depth)
        results = list(dict.fromkeys(prefix + choice for prefix in results for choice in choices))
        if len(results) > _MAX_FORMS:
            raise LiteralError(f"it has more than {_MAX_FORMS} forms")
    return results


def _item(op: Any, arg: Any, depth: int) -> list[str]:
    if depth > 20:
        raise LiteralError("it nests groups too deeply")
    if op is sre_constants.LITERAL:
        return [chr(arg)]
    if op is sre_constants.AT:
        return [""]
    if op is sre_constants.SUBPATTERN:
        return _forms(arg[-1], depth + 1)
    if op is sre_constants.BRANCH:
        return [form for branch in arg[1] for form in _forms(branch, depth + 1)]
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        low, high, inner = arg
        if high == 1:
            return ([""] if low == 0 else []) + _forms(inner, depth + 1)
        return [_GAP]
    if op is sre_constants.IN and len(arg) == 1 and arg[0][0] is sre_constants.LITERAL:
        return [chr(arg[0][1])]
    return [_GAP]


def required_literals(pattern: str) -> list[str]:
    """Lowercase strings, one of which is in any text ``pattern`` matches (see the module docstring)."""
    try:
        parsed = sre_parse.parse(pattern.removeprefix("(?i)"))
        forms = _forms(parsed)
    except (re.error, LiteralError) as error:
        raise LiteralError(f"pattern {pattern!r}: no fixed words to look for ({error})") from None
    literals: list[str] = []
    for form in forms:
        piece = max(form.split(_GAP), key=len).lower()
        if len(piece.strip()) < MIN_LITERAL:
            raise LiteralError(f"pattern {pattern!r}: one of its forms has no fixed words of at least "
                               f"{MIN_LITERAL} characters to look for")
        literals.append(piece)
    # A literal that contains another is redundant: the shorter one is found wherever it is.
    return sorted({lit for lit in literals if not any(other != lit and other in lit for other in literals)})


def required_pieces(pattern: str) -> list[list[str]]:
    """For each form of ``pattern``, the fixed pieces (lowercase, at least :data:`MIN_LITERAL` characters)
    that every text matching that form contains; a text none of whose forms' pieces are all present
    cannot match. A form without such pieces is ``[]`` (it rules nothing out)."""
    try:
        parsed = sre_parse.parse(pattern.removeprefix("(?i)"))
        forms = _forms(parsed)
    except (re.error, LiteralError) as error:
        raise LiteralError(f"pattern {pattern!r}: its fixed words cannot be read ({error})") from None
    pieces: list[list[str]] = []
    for form in forms:
        kept = [piece.lower() for piece in form.split(_GAP) if len(piece.strip()) >= MIN_LITERAL]
        if kept not in pieces:
            pieces.append(kept)
    return pieces
