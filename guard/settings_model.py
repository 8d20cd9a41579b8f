"""The settings' model machinery (guard.settings defines the settings with it): plain
dataclasses whose every field is checked on construction and on assignment, with the bounds and
privacy marks a setting carries (:func:`setting`, :class:`FieldInfo`).

Not pydantic: settings load on every command, and pydantic alone costs more start-up time than
a whole ``scan``. The models keep the few pydantic-style names the UI uses (``model_copy``,
``model_dump``, ``model_validate``, ``model_fields[name].metadata`` with ``ge``/``le``).
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple, Self, TypeVar

M = TypeVar("M", bound="SettingsModel")


class SettingsValueError(ValueError):
    """A value a setting cannot take; the message says what it should be."""


# Ge, Le and FieldInfo (as guard.settings.SettingsIssue) are NamedTuples, not frozen dataclasses: settings load on
# every command, and a frozen dataclass compiles its methods when the module loads, several times
# a NamedTuple's cost (issue 18: ``scan`` starts at once).


class Ge(NamedTuple):
    ge: float


class Le(NamedTuple):
    le: float


class FieldInfo(NamedTuple):
    """What a setting is: its type, default, bounds, and whether it reduces privacy."""

    name: str
    annotation: type
    default: Any
    description: str = ""
    ge: float | None = None
    le: float | None = None
    private: Any = None  # the more private value, for a setting that shares more when on
    has_private: bool = False
    test_only: bool = False
    env: str | None = None  # read from this environment variable only, never from the settings file

    @property
    def metadata(self) -> list[Ge | Le]:
        """The bounds, as pydantic lists them (the preferences tab sizes its spin boxes with them)."""
        return [*([Ge(self.ge)] if self.ge is not None else []), *([Le(self.le)] if self.le is not None else [])]

    def check(self, value: Any) -> Any:
        """``value`` if this setting can take it (an int for a float is widened), else SettingsValueError."""
        kind = self.annotation
        if kind is bool:
            if not isinstance(value, bool):
                raise SettingsValueError("input should be true or false (without quotes)")
        elif kind is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SettingsValueError("input should be a number")
            value = float(value)
            if math.isnan(value):
                raise SettingsValueError("input should be a number")
            if self.ge is not None and value < self.ge:
                raise SettingsValueError(f"input should be greater than or equal to {self.ge:g}")
            if self.le is not None and value > self.le:
                raise SettingsValueError(f"input should be less than or equal to {self.le:g}")
        elif kind is str:
            if not isinstance(value, str):
                raise SettingsValueError("input should be a string (in quotes)")
        elif issubclass(kind, SettingsModel) and not isinstance(value, kind):
            raise SettingsValueError(f"expected a [{self.name}] table")
        return value


def setting(default: Any, *, ge: float | None = None, le: float | None = None, description: str = "",
            private: Any = dataclasses.MISSING, test_only: bool = False, env: str | None = None) -> Any:
    """A dataclass field with the bounds and privacy marks :class:`FieldInfo` reads. ``env``: the
    value comes from that environment variable (``default`` when unset), never from the file."""
    metadata = {"ge": ge, "le": le, "description": description,
                "private": None if private is dataclasses.MISSING else private,
                "has_private": private is not dataclasses.MISSING, "test_only": test_only, "env": env,
                "default": default}
    if env is not None and isinstance(default, bool):  # on only when the variable says so ("1", "true")
        return field(default_factory=lambda: os.environ.get(env, "").strip().lower() in {"1", "true"},
                     metadata=metadata)
    if env is not None:
        return field(default_factory=lambda: os.environ.get(env) or default, metadata=metadata)
    return field(default=default, metadata=metadata)


def section(model: type[M]) -> Any:
    return field(default_factory=model, metadata={})


class SettingsModel:
    """A dataclass whose fields are checked on construction and on every assignment."""

    model_fields: ClassVar[Mapping[str, FieldInfo]]

    @classmethod
    def _describe(cls) -> None:
        hints = {"bool": bool, "float": float, "str": str}
        infos: dict[str, FieldInfo] = {}
        for item in dataclasses.fields(cls):  # type: ignore[arg-type]
            annotation = hints.get(str(item.type)) or _SECTIONS.get(str(item.type))
            if annotation is None:
                raise TypeError(f"{cls.__name__}.{item.name}: unsupported setting type {item.type}")
            factory: Any = item.default_factory
            meta = item.metadata
            default = item.default if item.default is not dataclasses.MISSING else meta.get("default", factory())
            infos[item.name] = FieldInfo(item.name, annotation, default, meta.get("description", ""),
                                         meta.get("ge"), meta.get("le"), meta.get("private"),
                                         bool(meta.get("has_private")), bool(meta.get("test_only")),
                                         meta.get("env"))
        cls.model_fields = infos

    def __setattr__(self, name: str, value: Any) -> None:
        info = type(self).model_fields.get(name)
        if info is None:
            raise SettingsValueError(f"unknown setting '{name}'")
        object.__setattr__(self, name, info.check(value))

    # --- the pydantic-style names the rest of the app uses ---------------------------------

    @classmethod
    def model_validate(cls, data: Mapping[str, Any]) -> Self:
        """A model from plain values (sections as mappings); raises SettingsValueError naming the key."""
        values: dict[str, Any] = {}
        for key, value in data.items():
            info = cls.model_fields.get(key)
            if info is None:
                raise SettingsValueError(f"unknown setting '{key}'")
            if isinstance(info.annotation, type) and issubclass(info.annotation, SettingsModel) \
                    and isinstance(value, Mapping):
                value = info.annotation.model_validate(value)
            values[key] = value
        try:
            return cls(**values)
        except SettingsValueError as error:
            raise SettingsValueError(f"{cls.__name__}: {error}") from None

    def model_dump(self) -> dict[str, Any]:
        """Plain values, sections as dicts (what the TOML file holds)."""
        return {name: (value.model_dump() if isinstance(value, SettingsModel) else value)
                for name, value in ((name, getattr(self, name)) for name in type(self).model_fields)}

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A copy with ``update`` applied (checked like any assignment)."""
        return dataclasses.replace(self, **dict(update or {}))  # type: ignore[type-var]


_SECTIONS: dict[str, type[SettingsModel]] = {}


def checked_model(cls: type[M]) -> type[M]:
    """Make ``cls`` a checked settings dataclass."""
    made = dataclass(cls)
    made._describe()
    _SECTIONS[cls.__name__] = made
    return made
