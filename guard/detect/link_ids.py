"""Which meeting a link names, whatever form it takes: the meeting id inside Zoom, Teams and Meet links.

A tab's address changes while it stays in one meeting: Zoom's ``/j/<id>`` page hands over to its web client at
``/wc/<id>/join``, a Teams short link ``/meet/<id>?p=...`` to the launcher
``/dl/launcher/launcher.html?url=/_#/meet/<id>?p=...`` and then to ``/v2/?meetingjoin=true#/meet/<id>?...``, a
legacy ``/l/meetup-join/<thread>`` link to the same thread behind ``#/l/meetup-join/``, and then to the web
client's pre-join and call screens of that thread (``#/pre-join-calling/<thread>``,
``#/modern-calling/<thread>``). Comparing addresses as text would call each step another meeting; :func:`meeting_id`
names the meeting they share, so :func:`guard.detect.identity.same_address` can tell; a personal or nickname
link that redirects to a meeting it does not name (Zoom's ``/my/<name>``, Meet's ``/lookup/<nickname>`` and
``g.co/meet/...``) is taken for the meeting it lands on. Plain string work on a bounded link.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

MOST_COMPARED = 2000  # characters of a link read
UNRESOLVED = "{}:?"  # a link that redirects to one meeting of the provider, which the link itself does not name;
# the id goes on with the link's own name (``zoom:?my/ada.lovelace``): two such links are two people's rooms
_ZOOM_DOMAINS = ("zoom.us", "zoom.com", "zoomgov.com", "zoom.com.cn", "zoom-x.de")
_TEAMS_HOSTS = ("teams.microsoft.com", "teams.live.com", "teams.cloud.microsoft", "gov.teams.microsoft.us",
                "dod.teams.microsoft.us", "teams.microsoft.us")


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _zoom(scheme: str, host: str, path: str, query: str) -> str | None:
    if not (scheme in ("http", "https", "zoommtg", "zoomus") and any(_on(host, d) for d in _ZOOM_DOMAINS)):
        return None
    parts = [part for part in path.split("/") if part]
    candidate = None
    if len(parts) >= 2 and parts[0] == "my":
        return UNRESOLVED.format("zoom") + "my/" + parts[1].casefold()  # a personal link: redirects to /j/<id>
    if len(parts) >= 2 and parts[0] in ("j", "s", "w"):
        candidate = parts[1]
    elif len(parts) >= 2 and parts[0] == "wc":
        candidate = parts[2] if parts[1] == "join" and len(parts) >= 3 else parts[1]
    elif parts[:1] in (["join"], ["start"]):
        candidate = dict(parse_qsl(query)).get("confno")
    return f"zoom:{candidate}" if candidate and candidate.isdigit() else None


def _teams(scheme: str, host: str, path: str, query: str, fragment: str) -> str | None:
    """Where a Teams link names its meeting: the path, a launcher's ``url=`` value (encoded once or twice) and
    the fragment's route, in that order; never another query parameter, where a link can carry any other
    meeting's id (``/l/meetup-join/<thread B>?x=/meet/<A's id>`` is meeting B)."""
    if not (scheme == "msteams" or host in _TEAMS_HOSTS):
        return None
    launcher = [value for name, value in parse_qsl(query) if name.casefold() == "url"][:1]
    for place in (path, *launcher, fragment):
        found = _teams_named(unquote(unquote(place)))
        if found:
            return found
    return None


_THREAD_ROUTES = ("meetup-join/", "pre-join-calling/", "modern-calling/")  # a meeting's thread follows


def _teams_named(text: str) -> str | None:
    """The meeting ``text`` names first: a ``/meet/<digits>``, or a ``meetup-join/19:...`` thread, or the web
    client's pre-join and call screens of a meeting's thread (``pre-join-calling/19:meeting_...``,
    ``modern-calling/19:meeting_...``), which a tab shows after its join link."""
    meet = text.find("/meet/")
    routes = [(found, route) for route in _THREAD_ROUTES if (found := text.find(route)) != -1]
    join, route = min(routes) if routes else (-1, "")
    if meet != -1 and (join == -1 or meet < join):
        digits = text[meet + len("/meet/"):].split("?", 1)[0].split("/", 1)[0].split("&", 1)[0]
        if digits.isdigit():
            return f"teams:{digits}"
    if join != -1:
        thread = text[join + len(route):].split("/", 1)[0].split("?", 1)[0].split("&", 1)[0]
        if thread.startswith("19:meeting_" if route != "meetup-join/" else "19:"):
            return f"teams:{thread.casefold()}"
    return None


def _meet_code(text: str) -> bool:
    groups = text.split("-")
    return [len(group) for group in groups] == [3, 4, 3] and all(g.isascii() and g.isalpha() for g in groups)


def _google_meet(host: str, path: str) -> str | None:
    if host == "g.co" and path.startswith("/meet/"):
        return UNRESOLVED.format("meet") + path.casefold()  # Google's short link: it redirects to the meeting's code
    if host != "meet.google.com":
        return None
    parts = [part for part in path.split("/") if part]
    if parts[:1] == ["lookup"] and len(parts) >= 2:
        return UNRESOLVED.format("meet") + "lookup/" + parts[1].casefold()  # a Classroom nickname: redirects to a code
    if parts[:1] == ["_meet"]:
        parts = parts[1:]
    return f"meet:{parts[0].casefold()}" if parts and _meet_code(parts[0]) else None


def unresolved(meeting: str | None) -> bool:
    """``meeting`` (an id) is a link that redirects to a meeting it does not name (``zoom:?my/<name>``)."""
    return bool(meeting) and ":?" in str(meeting)


def same_meeting(first: str, second: str) -> bool:
    """Two meeting ids name one meeting: equal, or one (not both) is a link that redirects to a meeting of
    the same provider (``zoom:?my/<name>`` for a personal link, ``meet:?lookup/<nickname>`` for a lookup or
    ``meet:?/meet/<name>`` for a ``g.co/meet`` link), which in one tab is followed by the meeting it
    redirects to. Two such links of different names are two rooms."""
    if first == second:
        return True
    provider = first.partition(":")[0]
    return provider == second.partition(":")[0] and unresolved(first) != unresolved(second)


def sent_on(earlier: str | None, later: str | None) -> bool:
    """A tab that showed the meeting ``earlier`` names now shows a personal or nickname link (``later``): it
    was sent on to another meeting, not redirected into this one (a redirect runs the other way)."""
    earlier_id, later_id = meeting_id(earlier), meeting_id(later)
    return bool(earlier_id) and not unresolved(earlier_id) and unresolved(later_id)


def meeting_id(url: str | None) -> str | None:
    """``"zoom:<id>"``, ``"teams:<id or thread>"`` or ``"meet:<code>"`` for a link of those meetings in any
    of their forms, ``"zoom:?<name>"``/``"meet:?<name>"`` for one that redirects to a meeting it does not name, else
    None (other links are compared as written)."""
    if not url:
        return None
    text = url[:MOST_COMPARED]
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    return (_zoom(scheme, host, parts.path, parts.query)
            or _teams(scheme, host, parts.path, parts.query, parts.fragment) or _google_meet(host, parts.path))
