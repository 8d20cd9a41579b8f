"""Secrets out of meeting links before they are shown, stored or sent: passcodes, tokens, user:password,
who the link was made for (an e-mail address, a display name), and whose room it is where the path names
the organiser (a personal room's user name, an address in the path: :func:`personal_path`).

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
from typing import Any
from urllib.parse import unquote_plus

from guard.paths import resources_dir

REDACTED = "…"
PSEUDONYM = "redacted-"  # and 16 hex digits of a keyed hash: a name in a link's path, the same for the same name


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    import tomllib  # here: a scan that sees no link needs no TOML parser

    return tomllib.loads((resources_dir() / "detect" / "redaction.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def secret_keys() -> frozenset[str]:
    """Parameter names whose values are secrets, casefolded (resources/detect/redaction.toml)."""
    return frozenset(str(key).casefold() for key in _rules()["secret_keys"])


@lru_cache(maxsize=1)
def personal_paths() -> tuple[dict[str, Any], ...]:
    """Where a link's path names a person (resources/detect/redaction.toml ``personal_paths``)."""
    return tuple(dict(rule) for rule in _rules().get("personal_paths", ()))


_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
DIGITS = 16  # hex digits of the HMAC kept: 64 bits, no collision to expect among any one user's links
_HEX = frozenset("0123456789abcdef")


def pseudonym_with(name: str, key: bytes | None) -> str:
    """``redacted-`` and the first :data:`DIGITS` hex digits of HMAC-SHA-256 under ``key`` of ``name`` in lower
    case (ASCII letters only, as the extension's common.js ``pseudonym``); lone surrogates count as U+FFFD, as in
    the browser's TextEncoder. Without a key, ``redacted`` alone: no unkeyed hash that a list of names reverses."""
    if key is None:
        return PSEUDONYM.rstrip("-")
    import hmac

    text = name.translate(_UPPER).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return PSEUDONYM + hmac.new(key, text.encode("utf-8"), "sha256").hexdigest()[:DIGITS]


def pseudonym(name: str) -> str:
    """:func:`pseudonym_with` this install's link key (guard/link_key.py): one name, one pseudonym."""
    from guard.link_key import link_key

    return pseudonym_with(name, link_key())


def _is_pseudonym(text: str) -> bool:
    """Already redacted: a keyed pseudonym, or ``redacted`` alone (no key). The 8-digit unkeyed form of
    older versions is hashed again: a list of names reverses it."""
    return text == PSEUDONYM.rstrip("-") or (
        len(text) == len(PSEUDONYM) + DIGITS and text.startswith(PSEUDONYM)
        and all(ch in _HEX for ch in text[len(PSEUDONYM):]))


def _a_name(segment: str) -> bool:
    """A segment that can be a person's name: it has a letter and is no pseudonym already."""
    return any("a" <= ch <= "z" for ch in segment.translate(_UPPER)) and not _is_pseudonym(segment)


def _conference_id(segment: str) -> bool:
    """Skype for Business's conference id: six to eight digits, or eight capitals and digits."""
    return (segment.isascii() and ((segment.isdigit() and 6 <= len(segment) <= 8)
                                   or (len(segment) == 8 and all(ch.isdigit() or ch.isupper() for ch in segment))))


def _on(host: str, domains: list[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _person_at(host: str, segments: list[str]) -> int | None:
    """The index in ``segments`` (the path's non-empty segments) of the one a rule says is a person."""
    for rule in personal_paths():
        hosts = [str(domain) for domain in rule.get("hosts", ())]
        kind = rule.get("segment")
        if kind == "organiser":
            if host.startswith("meet.") and len(segments) == 2 and _conference_id(segments[1]):
                return 0
            if (len(segments) == 3 and segments[0].translate(_UPPER) == "meet"
                    and _conference_id(segments[2])):
                return 1  # the simple URL's /meet/<user>/<id> form on the organisation's own host
            continue
        if not _on(host, hosts):
            continue
        if kind == "before-last":
            return len(segments) - 2 if len(segments) >= 3 else None
        after = [str(first) for first in rule.get("after", ())]
        if "" in after and segments:
            return 0
        if len(segments) >= 2 and segments[0].translate(_UPPER) in after:
            return 1
    return None


def personal_path(head: str) -> str:
    """``head`` (a link without its query and fragment) with each path segment that names a person as its
    :func:`pseudonym`: the organiser's name where a rule of :func:`personal_paths` says so, and any segment
    that is an e-mail address (:func:`is_address`). http(s) links only; the host and every other segment
    are kept. Linear in the link."""
    scheme, sep, rest = head.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return head
    slash = rest.find("/")
    if slash == -1:
        return head
    host = rest[:slash].rpartition("@")[2].partition(":")[0].lower().rstrip(".")
    parts = rest[slash:].split("/")
    named = [index for index, part in enumerate(parts) if part]
    person = _person_at(host, [parts[index] for index in named])
    changed = False
    for order, index in enumerate(named):
        part = parts[index]
        if (order == person or is_address(part)) and _a_name(part):
            parts[index] = pseudonym(part)
            changed = True
    return f"{scheme}{sep}{rest[:slash]}{'/'.join(parts)}" if changed else head


# A Teams join link's context names its organiser by their directory object id ("Oid"), written as JSON, or
# percent-encoded once or twice (a launcher's url=), or half so: a browser given the JSON as written keeps the
# "{", ":" and "," and encodes only the quotes ({%22Tid%22:%22<tenant>%22,%22Oid%22:%22<user>%22}, the URL
# standard's query encoding, which is what the extension reads as the tab's link). Each mark in any form, lowered.
_QUOTES = ('"', "%22", "%2522")
_COLONS = (":", "%3a", "%253a")
_BLANKS = (" ", "+", "%20", "%2520")
_MOST_BLANKS = 4  # spaces around the colon ({"Tid": "<tenant>", "Oid": "<user>"}, JSON as people print it)


def _one_of(lowered: str, at: int, marks: tuple[str, ...]) -> str | None:
    return next((mark for mark in marks if lowered.startswith(mark, at)), None)


def _past_blanks(lowered: str, at: int) -> int:
    for _ in range(_MOST_BLANKS):
        blank = _one_of(lowered, at, _BLANKS)
        if blank is None:
            break
        at += len(blank)
    return at


def _oid_value(lowered: str, at: int) -> tuple[int, str] | None:
    """Where the value of a quoted ``oid`` key at ``at`` (its ``o``) starts and the quote that ends it, or None when
    ``at`` is no such key. Looks at a bounded stretch after ``at``."""
    if not any(lowered.endswith(quote, 0, at) for quote in _QUOTES):
        return None
    after = at + 3
    quote = _one_of(lowered, after, _QUOTES)
    if quote is None:
        return None
    after = _past_blanks(lowered, after + len(quote))
    colon = _one_of(lowered, after, _COLONS)
    if colon is None:
        return None
    after = _past_blanks(lowered, after + len(colon))
    opening = _one_of(lowered, after, _QUOTES)
    return None if opening is None else (after + len(opening), opening)


def organiser_ids(url: str) -> str:
    """``url`` with the organiser's object id in a Teams link's ``context`` (``{"Tid":"<tenant>","Oid":"<user>"}``,
    as Attendee's meeting_url_utils.py reads it) cut to ``…``, its quotes, colon and spaces written in any of the
    forms above, and to the end of the link when it ends inside the id; the tenant stays. Linear: each ``oid`` is looked
    at once, with a bounded stretch around it (common.js ``organiserIds`` does the same)."""
    lowered = url.translate(_UPPER)
    if "oid" not in lowered:
        return url
    out: list[str] = []
    start = at = 0
    while (at := lowered.find("oid", at)) != -1:
        found = _oid_value(lowered, at)
        if found is None:
            at += 3
            continue
        value_at, close = found
        end = lowered.find(close, value_at)
        if end == -1:  # a link cut inside the id (a command line's or a message's length cap): the rest is the id
            return "".join(out) + url[start:value_at] + (REDACTED if value_at < len(url) else "")
        out.append(url[start:value_at] + (REDACTED if end > value_at else ""))
        start = at = end
    out.append(url[start:])
    return "".join(out)


def _sip_user(value: str) -> str:
    """A parameter value that is a SIP address (Office Communications Server's ``/Join?uri=sip%3A<user>%40
    <domain>%3B...``) with its user part as a :func:`pseudonym`; any other value as it is."""
    lowered = value.lower()
    start = 6 if lowered.startswith("sip%3a") else 4 if lowered.startswith("sip:") else -1
    if start == -1:
        return value
    ends = [found for found in (lowered.find("%40", start), lowered.find("@", start)) if found != -1]
    if not ends:
        return value
    user = value[start:min(ends)]
    return value[:start] + pseudonym(user) + value[min(ends):] if user and _a_name(user) else value


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
        value = _sip_user(value)
        parts[index] = f"{name}={value}"
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
    """``url`` with secret values, e-mail addresses and a Teams organiser's id replaced by ``…``, a person's
    name or address in its path by a pseudonym (:func:`personal_path`) and any ``user:password@`` removed."""
    secrets = secret_keys()
    if url[:9].lower() == "conf:sip:":  # Lync's join link: the organiser's SIP address, its user cut
        url = url[:5] + _sip_user(url[5:])
    url = organiser_ids(url)
    base, hash_sign, fragment = _drop_userinfo(url).partition("#")
    head, question, query = base.partition("?")
    shown = personal_path(head) + (question + _redact_params(query, secrets) if question else "")
    if hash_sign:
        shown += hash_sign + _redact_params(fragment, secrets)
    return shown
