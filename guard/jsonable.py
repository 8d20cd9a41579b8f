"""One way to turn the app's values into JSON-ready data: dataclasses, enums, datetimes, dates,
paths and pydantic models, nested. Values serialise themselves through this one function
instead of each class writing its own ``to_dict``.

A dataclass with a class-level ``kind`` (the events) starts with ``"event": kind``. It may name
read-only properties to add (``json_extra``, for fields kept in the
output for older readers) and may replace its whole form with ``__json__`` (an envelope
that flattens what it wraps). Nothing here imports pydantic: models are recognised by
their ``model_dump`` method, so the tray app can serialise before pydantic is loaded.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

__all__ = ["to_json_data"]


def to_json_data(value: Any) -> Any:
    """``value`` as dicts, lists, strings, numbers, booleans and None."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)  # a StrEnum member becomes its plain value
    if isinstance(value, Enum):
        return to_json_data(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, type):
        raise TypeError(f"{value!r} is a class, not a value")
    custom = getattr(value, "__json__", None)
    if callable(custom):
        return custom()
    if dataclasses.is_dataclass(value):
        return _dataclass(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a pydantic model
        return dump(mode="json")
    if isinstance(value, dict):
        return {str(key): to_json_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_json_data(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    raise TypeError(f"cannot turn {type(value).__name__} into JSON data")


def _dataclass(value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    kind = getattr(type(value), "kind", None)
    if isinstance(kind, str) and "kind" not in {f.name for f in dataclasses.fields(value)}:
        data["event"] = kind  # events say what they are first: {"event": "meeting-started", ...}
    for item in dataclasses.fields(value):
        if item.metadata.get("json", True):
            data[item.name] = to_json_data(getattr(value, item.name))
    for name in getattr(type(value), "json_extra", ()):
        data[name] = to_json_data(getattr(value, name))
    return data
