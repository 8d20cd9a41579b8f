"""The monitor's :class:`~guard.monitor.Snapshot` as JSON and back, for the settings window's
own process (:mod:`ui.settings_link`): the window never unpickles what the socket brings.

The JSON is :func:`guard.jsonable.to_json_data`'s form of the snapshot, plus each evidence's
``said`` (the sentence the window translates; left out of exports). Reading it back checks every
shape: known keys only, the right types, strings, lists and nesting capped; anything else is a
:class:`SnapshotFormatError` saying where. A translatable sentence is accepted only with plain
``{name}`` fields naming its own values (no attribute lookups, indexes or format specs), so a
hostile template can neither reach into the window's objects nor pad a field to gigabytes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from string import Formatter
from typing import Any, TypeVar

from guard.detect.observation import ProbeState, ProbeStatus
from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting, Signal
from guard.i18n import Text, TextValue
from guard.jsonable import to_json_data
from guard.monitor import Snapshot

__all__ = ["MAX_ITEMS", "MAX_TEXT", "SnapshotFormatError", "snapshot_from_json", "snapshot_to_json"]

MAX_TEXT = 8192  # characters in one string (a title, a URL, a notice)
MAX_ITEMS = 1000  # entries in one list (meetings, evidence, probes)
_MAX_DEPTH = 4  # sentences nested in sentences
_T = TypeVar("_T")


class SnapshotFormatError(ValueError):
    """The data is not a snapshot this app wrote; the message says where and why."""


# -- writing -----------------------------------------------------------------------------------

def _text_json(text: Text | None) -> Any:
    if text is None:
        return None
    return {"template": text.template, "plural": text.plural, "count": text.count,
            "values": [[name, _text_json(value) if isinstance(value, Text) else value] for name, value in text.values]}


def _with_said(item: Any, evidence: tuple[Evidence, ...]) -> Any:
    data = to_json_data(item)
    data["evidence"] = [{**to_json_data(e), "said": _text_json(e.said)} for e in evidence]
    return data


def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    """``snapshot`` as JSON-ready data that :func:`snapshot_from_json` reads back equal."""
    data: dict[str, Any] = to_json_data(snapshot)
    data["apps"] = [_with_said(app, app.evidence) for app in snapshot.apps]
    data["meetings"] = [_with_said(meeting, meeting.evidence) for meeting in snapshot.meetings]
    data["ended"] = [_with_said(meeting, meeting.evidence) for meeting in snapshot.ended]
    return data


# -- reading -----------------------------------------------------------------------------------

def _object(data: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SnapshotFormatError(f"{where}: expected an object, got {type(data).__name__}")
    unknown = set(data) - required - optional
    missing = required - set(data)
    if unknown or missing:
        raise SnapshotFormatError(f"{where}: unknown keys {sorted(unknown)[:5]}" if unknown
                                  else f"{where}: missing keys {sorted(missing)}")
    return data


def _str(data: Any, where: str) -> str:
    if not isinstance(data, str):
        raise SnapshotFormatError(f"{where}: expected text, got {type(data).__name__}")
    if len(data) > MAX_TEXT:
        raise SnapshotFormatError(f"{where}: text of {len(data)} characters is longer than {MAX_TEXT}")
    return data


def _opt_str(data: Any, where: str) -> str | None:
    return None if data is None else _str(data, where)


def _int(data: Any, where: str) -> int:
    if not isinstance(data, int) or isinstance(data, bool) or not -2**63 <= data < 2**63:
        raise SnapshotFormatError(f"{where}: expected a whole number")
    return data


def _bool(data: Any, where: str) -> bool:
    if not isinstance(data, bool):
        raise SnapshotFormatError(f"{where}: expected true or false")
    return data


def _time(data: Any, where: str) -> datetime:
    text = _str(data, where)
    if len(text) > 64:
        raise SnapshotFormatError(f"{where}: not a date and time")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise SnapshotFormatError(f"{where}: not a date and time: {text[:40]!r}") from None


def _opt_time(data: Any, where: str) -> datetime | None:
    return None if data is None else _time(data, where)


def _list(data: Any, where: str, item: Callable[[Any, str], _T]) -> tuple[_T, ...]:
    if not isinstance(data, list):
        raise SnapshotFormatError(f"{where}: expected a list, got {type(data).__name__}")
    if len(data) > MAX_ITEMS:
        raise SnapshotFormatError(f"{where}: {len(data)} entries, more than {MAX_ITEMS}")
    return tuple(item(entry, f"{where}[{index}]") for index, entry in enumerate(data))


def _enum(kind: Callable[[str], _T], data: Any, where: str) -> _T:
    try:
        return kind(_str(data, where))
    except ValueError:
        raise SnapshotFormatError(f"{where}: unknown value {str(data)[:40]!r}") from None


def _text(data: Any, where: str, depth: int = 0) -> Text | None:
    if data is None:
        return None
    if depth >= _MAX_DEPTH:
        raise SnapshotFormatError(f"{where}: sentences nested too deeply")
    found = _object(data, where, {"template", "values"}, {"plural", "count"})
    values: list[tuple[str, TextValue]] = []
    for index, pair in enumerate(_list(found["values"], f"{where}.values", lambda entry, at: entry)):
        at = f"{where}.values[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise SnapshotFormatError(f"{at}: expected [name, value]")
        name, value = _str(pair[0], at), pair[1]
        if isinstance(value, dict):
            nested = _text(value, at, depth + 1)
            assert nested is not None
            values.append((name, nested))
        else:
            values.append((name, _int(value, at) if isinstance(value, int) else _str(value, at)))
    names = {name for name, _ in values}
    template, plural = _str(found["template"], f"{where}.template"), _opt_str(found.get("plural"), f"{where}.plural")
    for pattern in (template, plural or ""):
        try:
            fields = list(Formatter().parse(pattern))
        except ValueError:
            raise SnapshotFormatError(f"{where}: not a sentence template") from None
        for _, field, spec, conversion in fields:
            if field is not None and (field not in names or spec or conversion):
                raise SnapshotFormatError(f"{where}: template field {field[:40]!r} is not one of its own values")
    count = found.get("count")
    return Text(template, tuple(values), plural, None if count is None else _int(count, f"{where}.count"))


def _evidence(data: Any, where: str) -> Evidence:
    found = _object(data, where, {"signal", "detail", "seen_at"}, {"pid", "tab", "said"})
    pid = found.get("pid")
    return Evidence(_enum(Signal, found["signal"], f"{where}.signal"), _str(found["detail"], f"{where}.detail"),
                    _time(found["seen_at"], f"{where}.seen_at"), None if pid is None else _int(pid, f"{where}.pid"),
                    _opt_str(found.get("tab"), f"{where}.tab"), _text(found.get("said"), f"{where}.said"))


def _seen(data: Any, where: str) -> SeenInMeeting:
    found = _object(data, where, {"signal", "provider_id", "text", "seen_at"}, {"feature_id"})
    return SeenInMeeting(_enum(Signal, found["signal"], f"{where}.signal"),
                         _str(found["provider_id"], f"{where}.provider_id"), _str(found["text"], f"{where}.text"),
                         _time(found["seen_at"], f"{where}.seen_at"),
                         _opt_str(found.get("feature_id"), f"{where}.feature_id"))


def _meeting(data: Any, where: str) -> MeetingSession:
    found = _object(data, where, {"id", "provider_id", "started_at"},
                    {"evidence", "title", "url", "tab", "window", "ended_at", "seen"})
    return MeetingSession(
        _str(found["id"], f"{where}.id"), _str(found["provider_id"], f"{where}.provider_id"),
        _time(found["started_at"], f"{where}.started_at"), _list(found.get("evidence", []), f"{where}.evidence",
                                                                  _evidence),
        _opt_str(found.get("title"), f"{where}.title"), _opt_str(found.get("url"), f"{where}.url"),
        _opt_str(found.get("tab"), f"{where}.tab"), _opt_str(found.get("window"), f"{where}.window"),
        _opt_time(found.get("ended_at"), f"{where}.ended_at"), _list(found.get("seen", []), f"{where}.seen", _seen))


def _app(data: Any, where: str) -> RunningApp:
    found = _object(data, where, {"id", "provider_id", "started_at"}, {"evidence"})
    return RunningApp(_str(found["id"], f"{where}.id"), _str(found["provider_id"], f"{where}.provider_id"),
                      _time(found["started_at"], f"{where}.started_at"),
                      _list(found.get("evidence", []), f"{where}.evidence", _evidence))


def _probe(data: Any, where: str) -> ProbeStatus:
    found = _object(data, where, {"name", "state"}, {"reason", "backend"})
    return ProbeStatus(_str(found["name"], f"{where}.name"), _enum(ProbeState, found["state"], f"{where}.state"),
                       _str(found.get("reason", ""), f"{where}.reason"), _str(found.get("backend", ""),
                                                                            f"{where}.backend"))


def snapshot_from_json(data: Any) -> Snapshot:
    """The snapshot :func:`snapshot_to_json` wrote; :class:`SnapshotFormatError` for anything else."""
    found = _object(data, "snapshot", {"at", "enabled", "paused_until", "apps", "meetings", "probes"}, {"ended"})
    return Snapshot(_opt_time(found["at"], "snapshot.at"), _bool(found["enabled"], "snapshot.enabled"),
                    _opt_time(found["paused_until"], "snapshot.paused_until"),
                    _list(found["apps"], "snapshot.apps", _app),
                    _list(found["meetings"], "snapshot.meetings", _meeting),
                    _list(found["probes"], "snapshot.probes", _probe),
                    _list(found.get("ended", []), "snapshot.ended", _meeting))
