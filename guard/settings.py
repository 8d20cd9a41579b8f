"""User settings: a TOML file in the config folder, validated field by field.

A bad value never costs the user the rest of their settings: it is reported by its dotted
name and replaced by its default. Saving is atomic (see :mod:`guard.fsutil`).
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guard.fsutil import atomic_write_text

log = logging.getLogger(__name__)

_STRICT = ConfigDict(strict=True, extra="forbid", validate_assignment=True)


class GeneralSettings(BaseModel):
    model_config = _STRICT
    autostart: bool = False
    data_dir: str = Field("", description="Folder for the ledger and terms store; empty means the OS default.")


class DetectionSettings(BaseModel):
    model_config = _STRICT
    enabled: bool = True
    interval_seconds: float = Field(2.0, ge=0.5, le=60.0)
    process_probe: bool = True
    window_probe: bool = True
    microphone_probe: bool = True
    camera_probe: bool = True
    socket_probe: bool = True


class NotificationSettings(BaseModel):
    model_config = _STRICT
    meeting_started: bool = True
    notetaker_seen: bool = True
    terms_changed: bool = True


class TermsSettings(BaseModel):
    model_config = _STRICT
    network_enabled: bool = True
    check_interval_hours: float = Field(24.0, ge=1.0, le=24.0 * 31)
    allow_insecure_localhost: bool = Field(
        False, description="Test-only: allow plain HTTP to 127.0.0.1. Never needed by users."
    )


class Settings(BaseModel):
    """All settings, grouped as they appear in the TOML file and the preferences tab."""

    model_config = _STRICT
    general: GeneralSettings = GeneralSettings()
    detection: DetectionSettings = DetectionSettings()
    notifications: NotificationSettings = NotificationSettings()
    terms: TermsSettings = TermsSettings()


@dataclass(frozen=True)
class SettingsIssue:
    """One thing wrong with the settings file, said so the user can fix it."""

    key: str
    reason: str
    value: Any = None
    default: Any = None

    def message(self, path: Path) -> str:
        if self.key == "":
            return f"{path}: {self.reason}"
        if self.reason == "unknown setting":
            return f"{path}: unknown setting '{self.key}' ignored (check its spelling)."
        return (
            f"{path}: '{self.key}' = {self.value!r} is invalid ({self.reason}); "
            f"using the default {self.default!r}."
        )


def parse_settings(data: dict[str, Any]) -> tuple[Settings, list[SettingsIssue]]:
    """Validate raw TOML data; every invalid or unknown key becomes an issue and a default."""
    issues: list[SettingsIssue] = []
    sections: dict[str, Any] = {}
    for name, value in data.items():
        field = Settings.model_fields.get(name)
        if field is None:
            issues.append(SettingsIssue(name, "unknown setting", value))
            continue
        if not isinstance(value, dict):
            issues.append(SettingsIssue(name, "expected a [section] table", value, "its defaults"))
            continue
        sections[name] = _parse_section(name, field.annotation, dict(value), issues)
    return Settings(**sections), issues


def _parse_section(name: str, model: type[BaseModel], values: dict[str, Any], issues: list[SettingsIssue]) -> BaseModel:
    """Drop each offending key (reporting it) until the section validates."""
    while True:
        try:
            return model(**values)
        except ValidationError as error:
            for problem in error.errors():
                key = str(problem["loc"][0]) if problem["loc"] else ""
                if key not in values:
                    continue
                dotted = f"{name}.{key}"
                if problem["type"] == "extra_forbidden":
                    issues.append(SettingsIssue(dotted, "unknown setting", values[key]))
                else:
                    default = model.model_fields[key].default
                    issues.append(SettingsIssue(dotted, problem["msg"].lower(), values[key], default))
                del values[key]


class SettingsStore:
    """Loads and saves :class:`Settings` at one path."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.issues: list[SettingsIssue] = []

    def load(self) -> Settings:
        """Read the file (defaults when it does not exist); problems land in :attr:`issues`."""
        self.issues = []
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except (OSError, UnicodeDecodeError) as error:
            self.issues.append(SettingsIssue("", f"cannot be read ({error}); using defaults."))
            return Settings()
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as error:
            self.issues.append(SettingsIssue("", f"is not valid TOML ({error}); using defaults."))
            return Settings()
        settings, self.issues = parse_settings(data)
        return settings

    def load_and_repair(self) -> Settings:
        """Load, log each issue, and rewrite the file with defaults in place of bad values.

        A file that is not TOML at all is kept beside the new one as ``settings.toml.broken-<time>``.
        """
        settings = self.load()
        if not self.issues:
            return settings
        for issue in self.issues:
            log.warning("%s", issue.message(self.path))
        if any(issue.key == "" for issue in self.issues) and self.path.exists():
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            backup = self.path.with_name(f"{self.path.name}.broken-{stamp}")
            self.path.replace(backup)
            log.warning("Kept the unreadable settings file as %s", backup)
        try:
            self.save(settings)
        except OSError as error:
            log.error("Could not rewrite %s: %s", self.path, error)
        return settings

    def save(self, settings: Settings) -> None:
        """Write atomically: the old file stays whole if writing fails (e.g. disk full)."""
        text = "# Meeting Privacy Guard settings. Invalid values are reported and replaced by defaults.\n"
        text += tomli_w.dumps(settings.model_dump())
        atomic_write_text(self.path, text)
