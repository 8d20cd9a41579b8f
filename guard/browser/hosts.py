"""Which web hosts the extension may look at, derived from the catalog's meeting-link patterns.

The extension asks for host permissions and runs its content script only on the hosts where
the catalog's ``[detect.web] url_patterns`` find meetings, so the list is computed from those
patterns rather than written by hand. A pattern is read as the language it matches: literal
characters, groups, alternatives and optional parts expand to the host names they allow; a
repeated character class in front of ``\\.`` (``([a-z0-9-]+\\.)?``) stands for any subdomain
(``*.`` in a match pattern). A pattern whose host this cannot tell is an error naming it, so a
new catalog pattern never silently leaves the extension blind.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The regular-expression parser of the standard library (typed loosely: it has no public stubs).
sre_parse: Any = importlib.import_module("re._parser")
sre_constants: Any = importlib.import_module("re._constants")

_WILD = "\x00"  # any run of host characters
_END = "\x01"  # where the host ends (a class such as [/?#], or the end of the pattern)
_MAX_VARIANTS = 256
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
_TERMINATORS = "/?#:" + _END


class HostPatternError(ValueError):
    """A link pattern whose host cannot be read; the message names the pattern and why."""


@dataclass(frozen=True, order=True)
class HostRule:
    """One host the extension may look at: ``host`` itself and, with ``subdomains``, any below it."""

    host: str
    subdomains: bool
    scheme: str  # "https" or "*" (http and https)

    def match_pattern(self) -> str:
        """The WebExtension match pattern, e.g. ``https://*.zoom.us/*``."""
        return f"{self.scheme}://{'*.' if self.subdomains else ''}{self.host}/*"


def _variants(items: Any, depth: int = 0, schemed: bool = True) -> list[str]:
    """Every string a parsed (sub)pattern can match, with ``_WILD``/``_END`` standing for open parts."""
    results = [""]
    for op, arg in items:
        choices = _item_variants(op, arg, depth, schemed)
        results = list(dict.fromkeys(prefix + choice for prefix in results for choice in choices))
        if len(results) > _MAX_VARIANTS:
            raise HostPatternError(f"it allows more than {_MAX_VARIANTS} forms before the path")
        # Once a string has passed its host, the rest no longer matters: cut it there.
        results = list(dict.fromkeys(_cut_after_host(text, schemed) for text in results))
    return results


def _cut_after_host(text: str, schemed: bool) -> str:
    start = text.find("://")
    if start == -1 and schemed:  # still in the scheme: nothing to cut yet
        return text
    for index in range(start + 3 if start != -1 else 0, len(text)):
        if text[index] in _TERMINATORS:
            return text[: index + 1]
    return text


def _item_variants(op: Any, arg: Any, depth: int, schemed: bool) -> list[str]:
    if depth > 20:
        raise HostPatternError("it nests groups too deeply")
    if op is sre_constants.LITERAL:
        return [chr(arg).lower()]
    if op is sre_constants.AT:
        return [_END] if arg in (sre_constants.AT_END, sre_constants.AT_END_STRING) else [""]
    if op is sre_constants.SUBPATTERN:
        return _variants(arg[-1], depth + 1, schemed)
    if op is sre_constants.BRANCH:
        return [text for branch in arg[1] for text in _variants(branch, depth + 1, schemed)]
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        low, high, inner = arg
        body = _variants(inner, depth + 1, schemed)
        if high == 1:
            return ([""] if low == 0 else []) + body
        if all(text and set(text) <= _HOST_CHARS - {"."} | {_WILD} for text in body):
            return [_WILD] if low > 0 else ["", _WILD]
        if all(text.endswith(".") and set(text[:-1]) <= _HOST_CHARS - {"."} | {_WILD} for text in body):
            return [_WILD + "."] if low > 0 else ["", _WILD + "."]
        return [_END]  # a repeat that can hold '/' or other path characters: the host ended before it
    if op is sre_constants.IN:
        chars = _class_chars(arg)
        if chars is not None and len(chars) == 1:
            return [next(iter(chars))]
        if chars is not None and chars & set("/?#"):
            return [_END]
        return [_WILD]
    if op is sre_constants.ANY or (op is sre_constants.NOT_LITERAL and chr(arg) in "./"):
        return [_WILD]
    return [_END]  # anything else (a negated character, a category) cannot be part of a host name


def _class_chars(items: Any) -> set[str] | None:
    """The characters a simple class allows, or None for ranges, categories and negations."""
    chars: set[str] = set()
    for op, arg in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(arg).lower())
        else:
            return None
    return chars


def host_rules(pattern: str) -> list[HostRule]:
    """The hosts a meeting-link pattern can match (none for app links such as ``zoommtg://``)."""
    try:
        parsed = sre_parse.parse(pattern.removeprefix("(?i)"))
    except re.error as error:
        raise HostPatternError(f"pattern {pattern!r} does not parse: {error}") from None
    try:
        texts = _variants(parsed, schemed="://" in pattern.replace("\\/", "/"))
    except HostPatternError as error:
        raise HostPatternError(f"pattern {pattern!r}: the host cannot be read ({error})") from None
    rules: list[HostRule] = []
    for text in texts:
        app_scheme = re.match(r"[a-z][a-z0-9+.-]*:", text)
        if app_scheme and not text.startswith(("http:", "https:", "https?:")):
            continue  # an app link (msteams:/l/..., zoommtg:...): no browser tab shows it
        scheme, sep, rest = text.partition("://")
        if not sep:
            scheme, rest = "*", text
        elif scheme in ("http", "https?", _WILD):
            scheme = "*"
        elif scheme != "https":
            continue  # an app link (zoommtg:, msteams:): no browser tab shows it
        host = rest
        for index, char in enumerate(rest):
            if char in _TERMINATORS:
                host = rest[:index]
                break
        subdomains = host.startswith(_WILD + ".")
        host = host.removeprefix(_WILD + ".")
        if not host or not set(host) <= _HOST_CHARS or "." not in host or host.startswith(".") or ".." in host:
            raise HostPatternError(f"pattern {pattern!r}: '{host.replace(_WILD, '*').replace(_END, '$')}' "
                                   "is not a host name the extension can ask for")
        rules.append(HostRule(host, subdomains, scheme))
    return rules


def merge(rules: Iterable[HostRule]) -> list[HostRule]:
    """One rule per host: subdomains win over the bare host, ``*`` over ``https``; hosts already
    covered by a parent's ``*.`` rule are dropped."""
    best: dict[str, HostRule] = {}
    for rule in rules:
        known = best.get(rule.host)
        if known is None:
            best[rule.host] = rule
        else:
            best[rule.host] = HostRule(rule.host, known.subdomains or rule.subdomains,
                                       "*" if "*" in (known.scheme, rule.scheme) else "https")
    wildcards = [rule for rule in best.values() if rule.subdomains]
    kept = [rule for rule in best.values()
            if not any(rule is not parent and rule.host.endswith("." + parent.host)
                       and (parent.scheme == "*" or rule.scheme == "https") for parent in wildcards)]
    return sorted(kept)
