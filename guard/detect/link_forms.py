"""What a link found in text stands for: the meeting link under calendar and mail clutter.

Meeting links reach a command line (a mail or calendar client opens the browser with them)
in the form the invitation carried, which is rarely the bare link a pattern expects:

* HTML-escaped, as in an HTML calendar description: ``...?pwd=abc&amp;from=addon``, or
  ``&lt;https://zoom.us/j/1&gt;``;
* followed by the sentence's punctuation: ``(https://zoom.us/j/123).``;
* with a host in capitals or plain ``http`` (``https://Dell.zoom.us/j/1``, ``http://meet.google.com/...``),
  which the browser loads as the lower-case ``https`` link; with a user name before the host
  (``https://x.example@zoom.us/j/1`` goes to zoom.us, ``https://zoom.us@x.example/...`` does not), the
  default port, or the host's closing dot;
* in a Markdown table cell (``https://.../meet/room|TBD|``) or an iCalendar text, whose line
  breaks are written ``\\n`` (``https://.../meet/room\\n\\nSee``);
* written twice as a Markdown link, ``[https://zoom.us/j/1](https://zoom.us/j/1)``, which
  reads as one run of text up to the closing parenthesis;
* glued to the word before it, where a plain-text copy of an invitation lost its line break
  (``Join Zoom Meetinghttps://us02web.zoom.us/j/1``), so that the scheme reads ``Meetinghttps``;
* followed by a parenthesis it never closes (``https://zoom.us/j/1(Passcode: 123)``);
* wrapped in a redirect that scans or counts clicks: Outlook Safe Links
  (``https://nam11.safelinks.protection.outlook.com/?url=<link>&data=...``) and Teams' own
  (``https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=<link>``), Google's
  ``https://www.google.com/url?q=<link>&sa=D``, Facebook's and Messenger's ``l.php?u=<link>``,
  Proofpoint URL Defense (``urldefense.proofpoint.com/v1|v2/url?u=...``, ``urldefense.com/v3/__<link>__;...``),
  and the link protection of other mail gateways: Barracuda (``linkprotect.cudasvc.com/url?a=<link>``), Trend
  Micro (``...ctp.trendmicro.com/wis/clicktime/v1/query?url=<link>``), Sophos (``...protection.sophos.com/?u=<link
  in base64>``), FireEye (``protect2.fireeye.com/v1/url?u=<link>``), EsvaLabs, Azure e-mail
  (``emails.azure.microsoft.com/redirect/?destination=<link>``), Amazon SES click tracking
  (``<id>.awstrack.me/L0/<link>/...``) and WhatsApp's ``l.wl.co/l?u=<link>``; the outgoing-link redirects of
  Google on any country's domain (``www.google.de/url?q=<link>``), YouTube (``youtube.com/redirect?q=``), VK
  (``vk.com/away.php?to=``), DuckDuckGo (``duckduckgo.com/l/?uddg=``), Reddit and Instagram.

:func:`link_forms` gives the link as found and each cleaner form, so a pattern for the
meeting link finds it, and the form reported is the meeting link rather than a wrapper that
carries the recipient's address in its ``data=``. Everything here is linear in the (bounded)
link and unwraps at most :data:`MOST_WRAPPERS` redirects, so a self-referential wrapper ends.
"""

from __future__ import annotations

from base64 import b64decode, urlsafe_b64decode
from binascii import Error as BinasciiError
from urllib.parse import parse_qs, unquote, urlsplit

MOST_WRAPPERS = 3  # redirects unwrapped inside one another (a Safe Link around a Google redirect, ...)

# Redirect hosts and the query parameter that holds the link they lead to. Sources (checked 2026-12-01):
# Safe Links: leits/MeetingBar 26eef52 MeetingBar/Meetings/MeetingLinkDetector.swift (cleanupOutlookSafeLinks);
# Google: ProtonMail/WebClients packages/calendar/components/videoConferencing/zoom/zoomHelpers.ts (Google
# Calendar descriptions carry "https://www.google.com/url?q=https://applications.zoom.us/..."); l.php: a Teams
# meeting link shared through Messenger, https://pastebin.com/1pjRkjgy; Teams' own Safe Links for links clicked in
# Teams chats (statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=<link>&locale=...):
# Strobotti/linkquisition 8351baa plugins/unwrap/unwrap_test.go#L144. Mail gateways' link protection: ninoseki/kachi
# 3d0cfcf src/kachi/rules/*.yml (MIT) and its tests/test_main.py. A host starting with "." is matched as a suffix
# (any subdomain), "*" as any host ending so ("imsva91-ctp.trendmicro.com"); a path ending in "/" as a prefix.
_WRAPPERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (".safelinks.protection.outlook.com", "", ("url",)),
    ("google.com", "/url", ("q", "url")),
    ("l.facebook.com", "/l.php", ("u",)),
    ("l.messenger.com", "/l.php", ("u",)),
    (".teams.cdn.office.net", "/evergreen-assets/safelinks/1/atp-safelinks.html", ("url",)),
    ("linkprotect.cudasvc.com", "", ("a",)),
    ("*ctp.trendmicro.com", "", ("url",)),
    ("protect2.fireeye.com", "/v1/url", ("u",)),
    ("urlsand.esvalabs.com", "", ("u",)),
    ("emails.azure.microsoft.com", "/redirect/", ("destination",)),
    (".safelink.emails.azure.net", "/redirect/", ("destination",)),
    ("l.wl.co", "/l", ("u",)),
    ("urldefense.proofpoint.com", "/v1/url", ("u",)),
    # Outgoing-link redirects of sites where meeting links are posted: ClearURLs/Rules 9317c06 data.min.json
    # ("redirections" of youtube, vk.com, duckduckgo, reddit, instagram; google on any country domain, below).
    ("youtube.com", "/redirect", ("q",)),
    ("vk.com", "/away.php", ("to",)),
    ("duckduckgo.com", "/l/", ("uddg",)),
    ("out.reddit.com", "", ("url",)),
    ("l.instagram.com", "", ("u",)),
)

# HTML escapes a link in an HTML description may carry. Only these, with their semicolon: a decoder that
# also reads legacy names without one would turn a query's "&region=" into "®ion=".
_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&#x27;", "'"), ("&#34;", '"'),
            ("&#x2F;", "/"), ("&#x2f;", "/"), ("&#47;", "/"), ("&amp;", "&"))  # &amp; last: "&amp;lt;" stays "&lt;"
# cheap pre-check
_MARKERS = ("safelinks.protection.outlook.com", "/url?", "/l.php", "urldefense", "atp-safelinks",
            "cudasvc.com", "trendmicro.com", "protection.sophos.com", "fireeye.com", "esvalabs.com", "emails.azure",
            "awstrack.me", "l.wl.co", "youtube.com/redirect", "away.php", "duckduckgo.com/l", "out.reddit.com",
            "l.instagram.com")
_TRAILING = ".,;:!?"  # a sentence's punctuation after a link, never the end of a meeting link
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_CUT_AT = frozenset(" \t\r\n\"'<>`")  # what ends a link once HTML escapes are decoded


def trimmed(url: str) -> str:
    """``url`` without the text around it: HTML escapes decoded (``&amp;`` → ``&``), cut where the
    decoded text leaves the link (``&gt;``), and without trailing punctuation or an unmatched closing
    bracket (``https://zoom.us/j/1).`` → ``https://zoom.us/j/1``; ``.../wiki/Foo_(bar)`` keeps its own)."""
    text = url
    if "](" in text:  # Markdown's [<link>](<link>): the first link ends at its bracket (RFC 3986 never has "](")
        text = text[:text.index("](")]
    if "|" in text or "\\" in text:  # a Markdown table's "|", an iCalendar text's escaped "\n": never in a link
        text = text[:min(i for i in (text.find("|"), text.find("\\")) if i >= 0)]
    if "&" in text:  # only a decoded escape can bring in what ends a link (find_urls stops at the rest)
        for escape, char in _ESCAPES:
            text = text.replace(escape, char)
        end = next((i for i, ch in enumerate(text) if ch in _CUT_AT), len(text))
        text = text[:end]
    opened = text.find("(", text.rfind(")") + 1)  # the first "(" after the last ")": never closed
    if opened > 0:  # "(Passcode" glued on: a link does not open a bracket it leaves open
        text = text[:opened]
    if not text or (text[-1] not in _TRAILING and text[-1] not in _CLOSERS):
        return text
    counts = {ch: text.count(ch) for ch in (*_CLOSERS, *_CLOSERS.values())}
    end = len(text)  # cut once at the end: a copy per character dropped was quadratic in a run of "." or ")"
    while end:
        last = text[end - 1]
        if last in _CLOSERS and counts[last] > counts[_CLOSERS[last]]:
            counts[last] -= 1
        elif last not in _TRAILING:
            break
        end -= 1
    return text[:end]


def _url_defense(host: str, path: str, query: str) -> str | None:
    """Proofpoint URL Defense (Proofpoint's published URLDefenseDecode.py describes the forms):
    v2 ``urldefense.proofpoint.com/v2/url?u=https-3A__zoom.us_j_1&d=...`` writes ``%`` as ``-`` and
    ``/`` as ``_``; v3 ``urldefense.com/v3/__https://zoom.us/j/1__;!!...`` carries the link between
    ``__`` and ``__;``, with the characters it moved into the encoded tail (written ``*``) put back
    (:func:`_v3_rebuilt`)."""
    if host not in ("urldefense.proofpoint.com", "urldefense.com", "urldefense.us"):
        return None
    if path == "/v2/url":
        target = next(iter(parse_qs(query).get("u", ())), "")
        return unquote(target.replace("-", "%").replace("_", "/")) if target else None
    if path.startswith("/v3/__"):  # the link's own query, if any, follows the path: read from the raw link
        rest = path + ("?" + query if query else "")
        target, sep, tail = rest[len("/v3/__"):].partition("__;")
        return _v3_rebuilt(target, tail) if sep else None
    return None


_RUN_LENGTHS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # "**<letter>": 2 + its index


def _v3_rebuilt(target: str, tail: str) -> str | None:
    """A URL Defense v3 link with the characters it moved out put back (Proofpoint's URLDefenseDecode.py
    3.0.1 describes the form): each ``*`` in the link stands for the next byte of the encoded tail (URL-safe
    base64 up to its first ``!``), ``**`` and a letter of :data:`_RUN_LENGTHS` for the next 2 to 65
    bytes; ``...copy_file_range.2.html*RETURN_VALUE__;Iw!!...`` is ``...html#RETURN_VALUE``. None when
    the tail does not hold what the link's marks ask for. Linear in the link."""
    if "*" not in target:
        return target
    encoded = tail.partition("!")[0]
    try:
        moved = urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (BinasciiError, ValueError):
        return None
    out, used, index = bytearray(), 0, 0
    while index < len(target):
        star = target.find("*", index)
        if star == -1:
            out += target[index:].encode("utf-8")
            break
        out += target[index:star].encode("utf-8")
        count, index = 1, star + 1
        if target.startswith("*", index):  # "**" and a run length
            count = _RUN_LENGTHS.find(target[index + 1:index + 2]) + 2 if index + 1 < len(target) else 1
            if count < 2:
                return None
            index += 2
        if used + count > len(moved):
            return None
        out += moved[used:used + count]
        used += count
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _encoded_elsewhere(host: str, path: str, query: str) -> str | None:
    """Wrappers that carry the link outside a plain query parameter (ninoseki/kachi's rules): Sophos Email
    (``<region>.protection.sophos.com/?d=<domain>&u=<link in base64>``) and Amazon SES click tracking
    (``<id>.r.<region>.awstrack.me/L0/<percent-encoded link>/<n>/<message>/<token>``)."""
    if host.endswith(".protection.sophos.com"):
        target = next(iter(parse_qs(query).get("u", ())), "")
        try:
            return b64decode(target + "=" * (-len(target) % 4), validate=True).decode("utf-8") if target else None
        except (BinasciiError, UnicodeDecodeError):
            return None
    if host.endswith(".awstrack.me") and path.startswith("/L0/"):
        return unquote(path[len("/L0/"):].partition("/")[0]) or None
    return None


def _google(host: str) -> bool:
    """A Google search domain of any country: google.com, www.google.de, google.co.uk, www.google.com.br."""
    labels = host.removeprefix("www.").split(".")
    if labels[0] != "google" or len(labels) not in (2, 3):
        return False
    country = labels[-1]
    if not (country.isascii() and country.isalpha()):
        return False
    if len(labels) == 2:
        return country == "com" or len(country) == 2
    return labels[1] in ("co", "com") and len(country) == 2


def _on(host: str, path: str, wrapper_host: str, wrapper_path: str) -> bool:
    if wrapper_host == "google.com":
        on_host = _google(host)
    elif wrapper_host.startswith("."):
        on_host = host.endswith(wrapper_host)
    elif wrapper_host.startswith("*"):
        on_host = host.endswith(wrapper_host[1:])
    else:
        on_host = host in (wrapper_host, "www." + wrapper_host, "m." + wrapper_host)
    if not on_host or not wrapper_path:
        return on_host
    return path.startswith(wrapper_path) if wrapper_path.endswith("/") else path == wrapper_path


def unwrapped(url: str) -> str | None:
    """The link a known redirect leads to, or None when ``url`` is not one (or names no link)."""
    lowered = url[:256].lower()
    if not any(marker in lowered for marker in _MARKERS):
        return None  # most links: no parsing at all
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    defended = _url_defense(host, parts.path, parts.query) or _encoded_elsewhere(host, parts.path, parts.query)
    if defended is not None:
        return defended if "://" in defended else None
    for wrapper_host, path, params in _WRAPPERS:
        if not _on(host, parts.path, wrapper_host, path):
            continue
        query = parse_qs(parts.query, keep_blank_values=False)
        for name in params:
            target = next(iter(query.get(name, ())), "").strip()
            if "://" in target or target.startswith(("msteams:", "zoommtg:")):
                return target
    return None


def canonical(url: str) -> str:
    """``url`` as the browser loads it: scheme and host in lower case (``https://Dell.zoom.us/j/1``
    → ``https://dell.zoom.us/j/1``) and ``http`` upgraded to ``https``, which every meeting service
    redirects to; without a user name before an ``@`` (the browser goes to the host after it, so
    ``https://x.example@zoom.us/j/1`` is Zoom's and ``https://zoom.us@x.example/j/1`` is not), the
    default port or a host's closing dot (``zoom.us.``); the path and query are kept as they are."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = next((i for i, ch in enumerate(rest) if ch in "/?#"), len(rest))
    written = scheme.lower()
    scheme = "https" if written == "http" else written
    host = rest[:end].rpartition("@")[2].lower()  # RFC 3986: userinfo ends at the authority's last "@"
    host = host.removesuffix({"http": ":80", "https": ":443"}.get(written, ":"))
    host = host[:-1] if host.endswith(".") else host
    return f"{scheme}://{host}{rest[end:]}"


def unglued(url: str) -> str:
    """``url`` without a word glued before its ``http``/``https`` scheme (``Meetinghttps://zoom.us/j/1`` →
    ``https://zoom.us/j/1``); ``url`` itself when its scheme is a scheme."""
    scheme, sep, _rest = url[:40].partition("://")
    lowered = scheme.lower()
    if not sep or lowered in ("http", "https"):
        return url
    for name in ("https", "http"):
        if lowered.endswith(name) and scheme[:-len(name)].isalnum():
            return url[len(scheme) - len(name):]
    return url


def link_forms(url: str) -> list[str]:
    """``url`` as found, then each cleaner form it stands for, without repeats: trimmed, and the link
    inside each redirect wrapper, at most :data:`MOST_WRAPPERS` deep. (Each form's :func:`canonical`
    form is the fallback a caller tries after them.)"""
    forms = [url]
    current = trimmed(unglued(url))
    for _ in range(MOST_WRAPPERS + 1):
        if current and current not in forms:
            forms.append(current)
        inner = unwrapped(current)
        if inner is None:
            break
        current = inner  # a whole link decoded from the wrapper's query: nothing around it to trim
    return forms
