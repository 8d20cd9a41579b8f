"""Secrets out of meeting links before they are shown, stored or sent: passcodes, tokens, user:password,
and who the link was made for (an e-mail address, a display name).

A parameter counts by its name, read after the last ``?`` in it (a fragment route's own query,
``#/meet/<id>?p=...``), and a value that is itself a percent-encoded link has its own query's secrets
cut (a launcher's ``url=%2F_%23%2Fmeet%2F<id>%3Fp%3D...``), as has a parameter whose ``=`` is itself
percent-encoded (``?pwd%3D<passcode>``, a link copied out of a redirect's encoded value).

The rule list is data (resources/detect/redaction.toml), shared with the browser extension,
which applies the same rules in JavaScript before a link leaves the browser
(resources/extension/common.js). Both sides work on the link's text without re-encoding it, so
they give the same result for the same link (tests/browser/redaction_cases.json runs on both).
Linear in the link's length: splits only, no pattern.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote_plus

from guard.paths import resources_dir

REDACTED = "…"


@lru_cache(maxsize=1)
def secret_keys() -> frozenset[str]:
    """Parameter names whose values are secrets, casefolded (resources/detect/redaction.toml)."""
    import tomllib  # here: a scan that sees no link needs no TOML parser

    data = tomllib.loads((resources_dir() / "detect" / "redaction.toml").read_text(encoding="utf-8"))
    return frozenset(str(key).casefold() for key in data["secret_keys"])


def _param_name(raw: str) -> str:
    try:
        return unquote_plus(raw, errors="strict").strip().casefold()
    except UnicodeDecodeError:
        return raw.strip().casefold()


def _is_secret(name: str, secrets: frozenset[str], query_marks: tuple[str, ...] = ("?",)) -> bool:
    """``name`` is a secret's: read after the last ``?`` in it, since a fragment can carry a route and its
    own query (``#/meet/<id>?p=<passcode>``, Teams' web links); in an encoded value after the last ``%3F``
    or ``?``, whichever comes later (Google Calendar's redirect keeps the link's ``?`` and encodes its
    ``=``: ``url?q=https://us02web.zoom.us/j/<id>?pwd%3D<passcode>&sa=D``)."""
    cut, after = -1, 0
    for mark in query_marks:
        found = max(name.rfind(mark), name.rfind(mark.upper()))
        if found > cut:
            cut, after = found, found + len(mark)
    return _param_name(name[after:] if cut != -1 else name) in secrets


def _split_folded(text: str, lowered: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` found in ``lowered`` (``text`` case-folded, of the same length)."""
    pieces: list[str] = []
    start = 0
    while (found := lowered.find(separator, start)) != -1:
        pieces.append(text[start:found])
        start = found + len(separator)
    pieces.append(text[start:])
    return pieces


def _redact_encoded(value: str, secrets: frozenset[str]) -> str:
    """A parameter's value that is itself a percent-encoded link with a query (a Teams launcher's
    ``url=%2F_%23%2Fmeet%2F<id>%3Fp%3D<passcode>``): its secret values cut, its text otherwise kept."""
    lowered = value.lower()
    if "%3d" not in lowered or len(lowered) != len(value):
        return value
    pieces = _split_folded(value, lowered, "%26")
    for index, piece in enumerate(pieces):
        equals = piece.lower().find("%3d")
        if equals != -1 and len(piece) > equals + 3 and _is_secret(piece[:equals], secrets, ("%3f", "?")):
            pieces[index] = piece[:equals + 3] + REDACTED
    return _join_folded(value, lowered, pieces)


def _join_folded(value: str, lowered: str, pieces: list[str]) -> str:
    """``pieces`` joined by the separators ``value`` had between them, in their own letter case."""
    joined: list[str] = []
    start = 0
    for piece in pieces[:-1]:
        found = lowered.find("%26", start)
        joined.append(piece + value[found:found + 3])
        start = found + 3
    joined.append(pieces[-1])
    return "".join(joined)


_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._+-")
_DOMAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def is_address(value: str) -> bool:
    """``value`` is an e-mail address as a link writes it (``jane.doe@example.com``, ``jane%40example.com``,
    ``jane%2Bmeet%40example.com``): personal data whatever the parameter is called. A Teams thread id
    (``19:meeting_...@thread.v2``, ``19%3ameeting_...%40thread.skype``) is none: its ``:`` is not part of a
    plain address. The same test runs in the extension (common.js ``isAddress``). Linear, no pattern."""
    lowered = value.lower().replace("%40", "@").replace("%2b", "+")
    local, at, domain = lowered.rpartition("@")
    if not (at and local and all(ch in _LOCAL for ch in local)):
        return False
    labels = domain.split(".")
    return (len(labels) >= 2 and all(label and all(ch in _DOMAIN for ch in label) for label in labels)
            and len(labels[-1]) >= 2 and labels[-1].isalpha())


def _redact_params(text: str, secrets: frozenset[str]) -> str:
    if "=" not in text and "%3d" not in text.lower():
        return text
    parts = text.split("&")
    for index, part in enumerate(parts):
        name, equals, value = part.partition("=")
        if not equals and "%" in part:  # its "=" percent-encoded (?pwd%3D<passcode>): read as an encoded query
            parts[index] = _redact_encoded(part, secrets)
            continue
        if not (equals and value):
            continue
        if _is_secret(name, secrets) or is_address(value):
            parts[index] = f"{name}={REDACTED}"
            continue
        mark = value.rfind("?")  # a value holding a link with its own query (url=/_%23/meet/<id>?p=...)
        nested, equals, secret = value[mark + 1:].partition("=")
        if mark != -1 and equals and secret and _param_name(nested) in secrets:
            parts[index] = f"{name}={value[:mark + 1]}{nested}={REDACTED}"
        elif "%" in value:
            parts[index] = f"{name}={_redact_encoded(value, secrets)}"
    return "&".join(parts)


def _drop_userinfo(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1:
            end = min(end, found)
    authority = rest[:end]
    if "@" not in authority:
        return url
    return f"{scheme}://{authority.rsplit('@', 1)[1]}{rest[end:]}"


def redact_url(url: str) -> str:
    """``url`` with secret values and e-mail addresses replaced by ``…`` and any ``user:password@`` removed."""
    secrets = secret_keys()
    base, hash_sign, fragment = _drop_userinfo(url).partition("#")
    head, question, query = base.partition("?")
    shown = head + (question + _redact_params(query, secrets) if question else "")
    if hash_sign:
        shown += hash_sign + _redact_params(fragment, secrets)
    return shown
