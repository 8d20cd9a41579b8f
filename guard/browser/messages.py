"""What the extension may send, as schemas: anything else is refused, anything page-controlled neutralised.

Every message is one JSON object with a ``type``: ``hello`` (who is calling), ``state`` (every
meeting tab, on (re)connect, and how many browser windows the extension sees), both with the servers
the user added in the extension's options page (``servers``: host and service), ``windows`` (that
count changed), ``tab`` (one tab opened, updated or closed), ``notice`` (a meeting page showed an AI
or recording notice) and ``participant`` (a participant named like a bot).
Types are strict (a ``"true"`` is not a boolean), unknown fields are ignored, ids and counts are
bounded, texts pass through :func:`~guard.browser.text.neutral_text` and links through the
app's own redaction, whatever the extension claims to have done.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    TypeAdapter,
    field_validator,
)

from guard.browser import limits
from guard.browser.text import neutral_text, neutral_url
from guard.detect.redaction import redact_url

_MODEL = ConfigDict(extra="ignore", frozen=True, strict=True)
TabId = Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
# How many browser windows the extension sees (chrome.windows.getAll: no titles, no links): fewer than the
# browser has means some (incognito, private, another profile) it cannot see (guard/detect/title_check.py).
WindowCount = Annotated[StrictInt, Field(ge=0, le=limits.WINDOWS)]
ProviderId = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9.-]*$")]
# "<provider>/<feature>/<n>": the n-th catalog notice of that feature (as background.js checks it)
PhraseId = Annotated[StrictStr, Field(max_length=140,
                                       pattern=r"^[a-z0-9][a-z0-9.-]{0,63}/[a-z0-9][a-z0-9.-]{0,63}/[0-9]{1,4}$")]


# A server's host name as the extension's options page accepts one: lowercase ASCII labels (an IDN in its xn-- form),
# at least two, the last of letters (no IP address, no wildcard, no port, no scheme). Linear (no nested repetition
# that can backtrack: each label is a bounded run of one class, then a dot).
SERVER_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,126}[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?")


class Server(BaseModel):
    """A server the user added in the extension's options page and granted it access to: its host and which of the
    catalog's self-hosted services runs there (the host checks the name's form; the app checks the service)."""

    model_config = _MODEL
    host: Annotated[StrictStr, Field(max_length=limits.SERVER_HOST)]
    provider: ProviderId

    @field_validator("host")
    @classmethod
    def _host_name(cls, value: str) -> str:
        if not SERVER_HOST.fullmatch(value):
            raise ValueError("not a host name")
        return value


class Servers(BaseModel):
    """The servers a message named, as kept: the first :data:`limits.SERVERS` well-formed ones, each host once;
    ``refused`` counts the rest (bad names, a service id of the wrong form, a host named twice, over the cap), so
    one bad entry, or a flood, never costs the message's tabs."""

    model_config = _MODEL
    kept: tuple[Server, ...] = ()
    refused: int = 0


def read_servers(value: Any) -> Servers:
    """``value`` (a message's ``servers``: a list of ``{"host", "provider"}``) as :class:`Servers`."""
    from pydantic import ValidationError

    if not isinstance(value, (list, tuple)):
        return Servers(refused=1)
    kept: list[Server] = []
    hosts: set[str] = set()
    refused = 0
    for item in value:
        if len(kept) >= limits.SERVERS:
            refused += 1
            continue
        try:
            server = Server.model_validate(item)
        except ValidationError:
            refused += 1
            continue
        if server.host in hosts:
            refused += 1
            continue
        hosts.add(server.host)
        kept.append(server)
    return Servers(kept=tuple(kept), refused=refused)


def _servers(value: Any) -> Any:
    return value if value is None or isinstance(value, Servers) else read_servers(value)


class TabInfo(BaseModel):
    """One meeting tab as the extension sees it."""

    model_config = _MODEL
    id: TabId
    window: TabId | None = None
    url: Annotated[StrictStr, Field(max_length=limits.MESSAGE_BYTES)]
    title: Annotated[StrictStr, Field(max_length=limits.MESSAGE_BYTES)] = ""
    active: StrictBool = False
    audible: StrictBool = False
    muted: StrictBool = False
    microphone: StrictBool | None = None  # Firefox tells (tab.sharingState); Chromium does not
    camera: StrictBool | None = None
    # Whether the page shows its pre-join or lobby screen (the catalog's lobby selectors); None: not said (yet)
    lobby: StrictBool | None = None
    providers: Annotated[tuple[ProviderId, ...], Field(max_length=limits.PROVIDERS_PER_TAB)] = ()

    @field_validator("url")
    @classmethod
    def _safe_url(cls, value: str) -> str:
        url = neutral_url(value, limits.URL)
        if url is None:
            raise ValueError("not an http(s) link")
        return redact_url(url)

    @field_validator("title")
    @classmethod
    def _safe_title(cls, value: str) -> str:
        return neutral_text(value, limits.TITLE)


class TabRef(BaseModel):
    model_config = _MODEL
    id: TabId


class Hello(BaseModel):
    model_config = _MODEL
    type: Literal["hello"]
    version: Annotated[StrictStr, Field(max_length=40)] = ""
    browser: Literal["chromium", "firefox"] = "chromium"
    servers: Servers | None = None  # None: an extension that does not tell (older than the options page)

    _servers = field_validator("servers", mode="before")(_servers)


class State(BaseModel):
    model_config = _MODEL
    type: Literal["state"]
    tabs: Annotated[tuple[TabInfo, ...], Field(max_length=limits.TABS)]
    windows: WindowCount | None = None
    focused: StrictBool | None = None  # whether the window with the focus is one the extension sees
    servers: Servers | None = None

    _servers = field_validator("servers", mode="before")(_servers)


class Windows(BaseModel):
    """How many browser windows the extension sees now, and whether one of them has the focus (sent when a
    window opens or closes, or the focus moves): a window the extension sees cannot be an incognito one."""

    model_config = _MODEL
    type: Literal["windows"]
    count: WindowCount
    focused: StrictBool | None = None


class TabChanged(BaseModel):
    model_config = _MODEL
    type: Literal["tab"]
    event: Literal["opened", "updated"]
    tab: TabInfo


class TabClosed(BaseModel):
    model_config = _MODEL
    type: Literal["tab"]
    event: Literal["closed"]
    tab: TabRef


class PageReport(BaseModel):
    """Something the content script found in a meeting page: a notice, or a bot's display name."""

    model_config = _MODEL
    type: Literal["notice", "participant"]
    tab: TabId
    providers: Annotated[tuple[ProviderId, ...], Field(max_length=limits.PROVIDERS_PER_TAB)] = ()
    text: Annotated[StrictStr, Field(min_length=1, max_length=limits.MESSAGE_BYTES)]
    # A notice's catalog phrases: the host makes room for one naming a phrase no kept notice named.
    phrases: Annotated[tuple[PhraseId, ...], Field(max_length=limits.PHRASES_PER_REPORT)] = ()

    @field_validator("text")
    @classmethod
    def _safe_text(cls, value: str) -> str:
        # Both caps are far above a real notice or name; the type-specific cap is applied by the host.
        return neutral_text(value, max(limits.NOTICE, limits.PARTICIPANT))


def _kind(value: Any) -> str | None:
    """Which schema a message is meant to be, from its ``type`` (and a tab message's ``event``)."""
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    if kind == "tab":
        return "tab-closed" if value.get("event") == "closed" else "tab-changed"
    return kind if isinstance(kind, str) else None


AnyMessage = Hello | State | Windows | TabChanged | TabClosed | PageReport
Message = Annotated[
    Annotated[Hello, Tag("hello")] | Annotated[State, Tag("state")] | Annotated[Windows, Tag("windows")]
    | Annotated[TabChanged, Tag("tab-changed")]
    | Annotated[TabClosed, Tag("tab-closed")] | Annotated[PageReport, Tag("notice")]
    | Annotated[PageReport, Tag("participant")],
    Discriminator(_kind, custom_error_type="unknown_type", custom_error_message="not a known message type"),
]
_ADAPTER: TypeAdapter[AnyMessage] = TypeAdapter(Message)


class MessageRefused(ValueError):
    """A message that is not one of the schemas; ``reason`` is short and safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# A JSON escape, taken whole from the left so an escaped backslash is never read as starting one:
# a surrogate pair (kept), a lone surrogate (replaced), or any other escape (kept). Fixed-length
# alternatives: linear time.
_ESCAPE = re.compile(rb"\\u(?:([dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|([dD][89a-fA-F][0-9a-fA-F]{2}))"
                     rb"|\\.", re.DOTALL)


def _lone_surrogate_replaced(found: re.Match[bytes]) -> bytes:
    return b"\\ufffd" if found.group(2) is not None else found.group(0)


def well_formed(body: bytes) -> bytes:
    """``body`` with each escaped lone surrogate (``\\ud800``) made U+FFFD. Firefox's JSON.stringify
    writes one for a title holding half of a pair (a page can title itself so, and cutting a title
    can split an emoji), and the JSON parser refuses the whole message for it: one such tab made the
    extension's full tab list unreadable, every meeting tab of the browser with it."""
    if b"\\u" not in body:
        return body
    return _ESCAPE.sub(_lone_surrogate_replaced, body)


def parse(body: bytes) -> AnyMessage:
    """The message in ``body`` (UTF-8 JSON), validated; :class:`MessageRefused` says why not."""
    from pydantic import ValidationError

    try:
        return _ADAPTER.validate_json(well_formed(body))
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[:1]
        where = ".".join(str(part) for part in first[0]["loc"]) if first else ""
        what = first[0]["msg"] if first else "invalid"
        raise MessageRefused(f"{where}: {what}"[:200]) from None
