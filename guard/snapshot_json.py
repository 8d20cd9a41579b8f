"""The monitor's :class:`~guard.monitor.Snapshot` as JSON and back, for the settings window's
own process (:mod:`ui.settings_link`): the window never unpickles what the socket brings.

Both ways go through pydantic ``TypeAdapter``\\ s over the snapshot's own dataclasses. Writing
dumps them as they are (each evidence's ``said``, the sentence the window translates, included).
Reading goes through the wire shapes below, one closed ``TypedDict`` per dataclass with the same
keys (a test keeps them the same), each turned into its dataclass once its fields are checked:
known keys only, the right types (no ``"yes"`` for true, no ``true`` for a number), strings,
lists and sentence nesting capped; anything else is a :class:`SnapshotFormatError` saying where,
in the old words (``snapshot.meetings[0].title: expected text, got int``). A translatable
sentence is accepted only with plain ``{name}`` fields naming its own values (no attribute
lookups, indexes or format specs), so a hostile template can neither reach into the window's
objects nor pad a field to gigabytes. Nesting is bounded by the types themselves (four levels of
sentence, then a refusal), so no input makes the check recurse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import cache
from string import Formatter
from typing import TYPE_CHECKING, Annotated, Any, NotRequired, TypeVar

from pydantic import (AfterValidator, BeforeValidator, ConfigDict, Discriminator, Field, Strict, StringConstraints,
                      Tag, TypeAdapter, ValidationError, with_config)
from pydantic_core import ErrorDetails
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from guard.detect.observation import ProbeState, ProbeStatus
from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting, Signal
from guard.i18n import Text
from guard.monitor import Snapshot

__all__ = ["MAX_ITEMS", "MAX_TEXT", "WIRE", "SnapshotFormatError", "snapshot_from_json", "snapshot_to_json"]

MAX_TEXT = 8192  # characters in one string (a title, a URL, a notice)
MAX_ITEMS = 1000  # entries in one list (meetings, evidence, probes)
_MAX_DEPTH = 4  # sentences nested in sentences
_T = TypeVar("_T")
_CLOSED = ConfigDict(extra="forbid")


class SnapshotFormatError(ValueError):
    """The data is not a snapshot this app wrote; the message says where and why."""


# -- the wire shapes ---------------------------------------------------------------------------

def _time(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError("not a date and time")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date and time: {value[:40]!r}") from None


_Str = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
_Int = Annotated[int, Strict(), Field(ge=-2**63, lt=2**63)]
_Bool = Annotated[bool, Strict()]
_Time = Annotated[datetime, BeforeValidator(_time)]
_Items = Annotated[tuple[_T, ...], Field(max_length=MAX_ITEMS)]


def _into(kind: Callable[..., _T]) -> AfterValidator:
    """Checked fields → the dataclass ``kind`` (the wire keys are its field names)."""
    return AfterValidator(lambda fields: kind(**fields))


def _sentence_text(fields: dict[str, Any]) -> Text:
    """A :class:`Text` whose templates name only its own values, plainly."""
    values = tuple(fields["values"])
    names = {name for name, _ in values}
    template, plural = fields["template"], fields.get("plural")
    for pattern in (template, plural or ""):
        try:
            parsed = list(Formatter().parse(pattern))
        except ValueError:
            raise ValueError("not a sentence template") from None
        for _, field, spec, conversion in parsed:
            if field is not None and (field not in names or spec or conversion):
                raise ValueError(f"template field {field[:40]!r} is not one of its own values")
    return Text(template, values, plural, fields.get("count"))


def _value_kind(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return "<number>"
    return "<sentence>" if isinstance(value, dict) else "<text>"


def _too_deep(value: object) -> object:
    raise ValueError("sentences nested too deeply")


def _sentence(depth: int = 0) -> Any:
    """The wire shape of a :class:`Text` ``depth`` sentences deep: its values are numbers, text or
    sentences one level deeper, until :data:`_MAX_DEPTH`, where a sentence is refused."""
    inner: Any = _sentence(depth + 1) if depth + 1 < _MAX_DEPTH else Annotated[object, BeforeValidator(_too_deep)]
    value = Annotated[Annotated[_Int, Tag("<number>")] | Annotated[_Str, Tag("<text>")]
                      | Annotated[inner, Tag("<sentence>")], Discriminator(_value_kind)]
    # the functional form: the class form's annotations would name this call's locals
    Sentence = TypedDict("Sentence", {  # noqa: UP013
        "template": _Str, "values": _Items[tuple[_Str, value]], "plural": NotRequired[_Str | None],
        "count": NotRequired[_Int | None]})
    return Annotated[with_config(_CLOSED)(Sentence), AfterValidator(_sentence_text)]


if TYPE_CHECKING:  # what the sentence's fields are on the wire, before they become a Text
    _Sentence = dict[str, Any]
else:
    _Sentence = _sentence()


@with_config(_CLOSED)
class EvidenceWire(TypedDict):
    signal: Signal
    detail: _Str
    seen_at: _Time
    pid: NotRequired[_Int | None]
    tab: NotRequired[_Str | None]
    confirmed: NotRequired[_Bool | None]
    said: NotRequired[_Sentence | None]


@with_config(_CLOSED)
class SeenWire(TypedDict):
    signal: Signal
    provider_id: _Str
    text: _Str
    seen_at: _Time
    feature_id: NotRequired[_Str | None]
    confirmed: NotRequired[_Bool | None]


_Evidence = Annotated[EvidenceWire, _into(Evidence)]


@with_config(_CLOSED)
class MeetingWire(TypedDict):
    id: _Str
    provider_id: _Str
    started_at: _Time
    evidence: NotRequired[_Items[_Evidence]]
    title: NotRequired[_Str | None]
    url: NotRequired[_Str | None]
    tab: NotRequired[_Str | None]
    window: NotRequired[_Str | None]
    ended_at: NotRequired[_Time | None]
    seen: NotRequired[_Items[Annotated[SeenWire, _into(SeenInMeeting)]]]
    resumes: NotRequired[_Str | None]  # the meeting it goes on from (guard.detect.sessions)


@with_config(_CLOSED)
class AppWire(TypedDict):
    id: _Str
    provider_id: _Str
    started_at: _Time
    evidence: NotRequired[_Items[_Evidence]]


@with_config(_CLOSED)
class ProbeWire(TypedDict):
    name: _Str
    state: ProbeState
    reason: NotRequired[_Str]
    backend: NotRequired[_Str]
    said: NotRequired[_Sentence | None]


_Meeting = Annotated[MeetingWire, _into(MeetingSession)]


@with_config(_CLOSED)
class SnapshotWire(TypedDict):
    at: _Time | None
    enabled: _Bool
    paused_until: _Time | None
    apps: _Items[Annotated[AppWire, _into(RunningApp)]]
    meetings: _Items[_Meeting]
    probes: _Items[Annotated[ProbeWire, _into(ProbeStatus)]]
    ended: NotRequired[_Items[_Meeting]]
    not_counted: NotRequired[_Items[_Evidence]]


# Each wire shape and the dataclass it becomes: their keys are the same (tests/ui/test_settings_link.py).
WIRE: dict[type, type] = {Snapshot: SnapshotWire, MeetingSession: MeetingWire, RunningApp: AppWire,
                          Evidence: EvidenceWire, SeenInMeeting: SeenWire, ProbeStatus: ProbeWire}


@cache
def _reader() -> TypeAdapter[Any]:  # its wire shape in, a Snapshot out
    return TypeAdapter(Annotated[SnapshotWire, _into(Snapshot)])


@cache
def _writer() -> TypeAdapter[Snapshot]:
    return TypeAdapter(Snapshot)


# -- what went wrong, said where ---------------------------------------------------------------

def _where(loc: tuple[int | str, ...]) -> str:
    where = "snapshot"
    for part in loc:
        if isinstance(part, int):
            where += f"[{part}]"
        elif not part.startswith("<"):  # a union's tag (see _value_kind) is not a place
            where += f".{part}"
    return where


def _said(error: ErrorDetails) -> str:
    kind, found, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind in {"dict_type", "typed_dict_type", "model_type", "dataclass_type"}:
        return f"expected an object, got {type(found).__name__}"
    if kind in {"tuple_type", "list_type"}:
        return f"expected a list, got {type(found).__name__}"
    if kind == "string_type":
        return f"expected text, got {type(found).__name__}"
    if kind == "string_too_long":
        return f"text of {len(found)} characters is longer than {MAX_TEXT}"
    if kind == "too_long":
        return f"{len(found)} entries, more than {ctx.get('max_length')}"
    if kind == "too_short":
        return "expected [name, value]"
    if kind == "bool_type":
        return "expected true or false"
    if kind.startswith("int_") or kind in {"greater_than_equal", "less_than"}:
        return "expected a whole number"
    if kind == "enum":
        return f"unknown value {str(found)[:40]!r}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def _message(error: ValidationError) -> str:
    """The first fault, where it is; missing or unknown keys of one object are named together."""
    errors = error.errors(include_url=False)
    first = errors[0]
    if first["type"] in {"missing", "extra_forbidden"}:
        parent = first["loc"][:-1]
        keys = sorted(str(e["loc"][-1]) for e in errors if e["type"] == first["type"] and e["loc"][:-1] == parent)
        said = f"missing keys {keys}" if first["type"] == "missing" else f"unknown keys {keys[:5]}"
        return f"{_where(parent)}: {said}"
    return f"{_where(first['loc'])}: {_said(first)}"


# -- the two ways --------------------------------------------------------------------------------

def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    """``snapshot`` as JSON-ready data that :func:`snapshot_from_json` reads back equal, its lists
    cut to :data:`MAX_ITEMS` first: a desktop with more windows titled like a meeting than that
    (set aside, ``not_counted``) made a snapshot the settings window refused as a whole."""
    if any(len(items) > MAX_ITEMS for items in (snapshot.apps, snapshot.meetings, snapshot.probes, snapshot.ended,
                                                 snapshot.not_counted)):
        snapshot = replace(snapshot, apps=snapshot.apps[:MAX_ITEMS], meetings=snapshot.meetings[:MAX_ITEMS],
                           probes=snapshot.probes[:MAX_ITEMS], ended=snapshot.ended[-MAX_ITEMS:],
                           not_counted=snapshot.not_counted[:MAX_ITEMS])
    data: dict[str, Any] = _writer().dump_python(snapshot, mode="json")
    return data


def snapshot_from_json(data: Any) -> Snapshot:
    """The snapshot :func:`snapshot_to_json` wrote; :class:`SnapshotFormatError` for anything else."""
    try:
        snapshot: Snapshot = _reader().validate_python(data)
    except ValidationError as error:
        raise SnapshotFormatError(_message(error)) from None
    return snapshot
