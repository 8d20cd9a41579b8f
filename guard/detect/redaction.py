"""Secrets out of meeting links before they are shown, stored or sent: passcodes, tokens, user:password.

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


def _redact_params(text: str, secrets: frozenset[str]) -> str:
    if "=" not in text:
        return text
    parts = text.split("&")
    for index, part in enumerate(parts):
        name, equals, value = part.partition("=")
        if equals and value and _param_name(name) in secrets:
            parts[index] = f"{name}={REDACTED}"
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
    """``url`` with secret parameter values replaced by ``…`` and any ``user:password@`` removed."""
    secrets = secret_keys()
    base, hash_sign, fragment = _drop_userinfo(url).partition("#")
    head, question, query = base.partition("?")
    shown = head + (question + _redact_params(query, secrets) if question else "")
    if hash_sign:
        shown += hash_sign + _redact_params(fragment, secrets)
    return shown
