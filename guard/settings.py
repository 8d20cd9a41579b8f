"""User settings: a TOML file in the config folder, validated field by field, failing closed.

A bad value never costs the user the rest of their settings: it is reported with its file,
line and dotted name, and replaced by its default. Settings that would share more with the
outside world (the network switch, test-only relaxations) are marked ``private=``: when the
file has any mistake (an invalid value, an unknown or misspelt key, a line that is not TOML),
each of them takes its more private value unless the file clearly and validly sets it. The
file is never rewritten behind the user's back; saving (from the settings window) is atomic
(see :mod:`guard.fsutil`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)

_STRICT = ConfigDict(strict=True, extra="forbid", validate_assignment=True)


def private(default: Any, private_value: Any, description: str, *, test_only: bool = False) -> Any:
    """A field that reduces privacy when on: ``private_value`` is used whenever the file is in doubt."""
    extra: dict[str, Any] = {"private": private_value}
    if test_only:
        extra["test_only"] = True
    return Field(default=default, description=description, json_schema_extra=extra)


class GeneralSettings(BaseModel):
    model_config = _STRICT
    autostart: bool = False
    data_dir: str = Field(default="", description="Folder for the ledger and terms store; empty means the OS default.")


class DetectionSettings(BaseModel):
    model_config = _STRICT
    enabled: bool = True
    interval_seconds: float = Field(default=2.0, ge=0.5, le=60.0)
    process_probe: bool = True
    window_probe: bool = True
    microphone_probe: bool = True
    camera_probe: bool = True
    socket_probe: bool = True
    browser_probe: bool = True  # the browser extension's meeting tabs (guard/detect/browser_tabs.py)


class NotificationSettings(BaseModel):
    model_config = _STRICT
    meeting_started: bool = True
    notetaker_seen: bool = True
    terms_changed: bool = True


class TermsSettings(BaseModel):
    model_config = _STRICT
    network_enabled: bool = private(True, False, "Fetch providers' terms pages over the network.")
    check_interval_hours: float = Field(default=24.0, ge=1.0, le=24.0 * 31)
    allow_insecure_localhost: bool = private(
        False, False, "Test-only: allow plain HTTP to 127.0.0.1. Never needed by users.", test_only=True)


class Settings(BaseModel):
    """All settings, grouped as they appear in the TOML file and the preferences tab."""

    model_config = _STRICT
    general: GeneralSettings = GeneralSettings()
    detection: DetectionSettings = DetectionSettings()
    notifications: NotificationSettings = NotificationSettings()
    terms: TermsSettings = TermsSettings()


def _section_models() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for name, info in Settings.model_fields.items():
        annotation = info.annotation
        assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
        models[name] = annotation
    return models


def _extra(model: type[BaseModel], key: str) -> dict[str, Any]:
    extra = model.model_fields[key].json_schema_extra
    return extra if isinstance(extra, dict) else {}


def private_values() -> dict[str, Any]:
    """``section.key`` → the more private value, for every setting that has one."""
    return {f"{section}.{key}": _extra(model, key)["private"]
            for section, model in _section_models().items() for key in model.model_fields
            if "private" in _extra(model, key)}


def test_only_keys() -> set[str]:
    """``section.key`` of settings that exist for the test suite, not for users."""
    return {f"{section}.{key}" for section, model in _section_models().items() for key in model.model_fields
            if _extra(model, key).get("test_only")}


def toml_value(value: Any) -> str:
    """``value`` written as TOML would write it (for messages and the ``settings`` command)."""
    import tomli_w

    return tomli_w.dumps({"v": value}).partition("=")[2].strip()


@dataclass(frozen=True)
class SettingsIssue:
    """One thing wrong with the settings file, said so the user can fix it."""

    key: str
    reason: str
    value: Any = None
    default: Any = None
    line: int | None = None
    private: bool = False  # the value used is the more private one, not the default

    def message(self, path: Path) -> str:
        where = f"{path}, line {self.line}" if self.line else f"{path}"
        if self.key == "":
            return f"{where}: {self.reason}"
        if self.reason == "unknown setting":
            return f"{where}: unknown setting '{self.key}' ignored (check its spelling)."
        used = (f"{toml_value(self.default)} (the more private choice)" if self.private
                else f"the default {toml_value(self.default)}")
        if self.reason == "set twice":
            return f"{where}: '{self.key}' is set twice to different values; using {used}."
        if self.reason == "not set validly":
            return (f"{where}: '{self.key}' is not set validly in a file with mistakes; using {used} "
                    "until the file is fixed.")
        return f"{where}: '{self.key}' = {toml_value(self.value)} is invalid ({self.reason}); using {used}."


def parse_settings(data: dict[str, Any], lines: dict[str, int] | None = None, *,
                   in_doubt: bool = False, conflicts: set[str] | frozenset[str] = frozenset()
                   ) -> tuple[Settings, list[SettingsIssue]]:
    """Validate raw TOML data. Every invalid or unknown key becomes an issue, and an invalid value
    its default, or its private value for a privacy-reducing setting. A privacy-reducing setting
    the data does not validly set also takes its private value when its section has a mistake
    (a misspelt key may have meant it), when the file has a mistake outside any known section,
    or when the whole file is ``in_doubt`` (lines that could not be read)."""
    lines = lines or {}
    issues: list[SettingsIssue] = []
    sections: dict[str, dict[str, Any]] = {}
    models = _section_models()
    for name, value in data.items():
        if name not in models:
            issues.append(SettingsIssue(name, "unknown setting", value, line=lines.get(name)))
        elif not isinstance(value, dict):
            issues.append(SettingsIssue(name, "expected a [section] table", value, "its defaults",
                                        line=lines.get(name)))
        else:
            sections[name] = _valid_values(name, models[name], dict(value), issues, lines)
    for dotted in sorted(conflicts):
        section, _, key = dotted.partition(".")
        if section in models and key in models[section].model_fields:
            issues.append(SettingsIssue(dotted, "set twice", None, models[section].model_fields[key].default,
                                        line=lines.get(dotted)))
    doubtful = {issue.key.partition(".")[0] for issue in issues if "." in issue.key}
    everywhere = in_doubt or any("." not in issue.key for issue in issues)
    issues = [_as_private(issue) for issue in issues]
    reported = {issue.key for issue in issues}
    for dotted, value in private_values().items():
        section, _, key = dotted.partition(".")
        if key in sections.get(section, {}) or not (everywhere or section in doubtful):
            continue
        sections.setdefault(section, {})[key] = value
        if dotted not in reported and value != models[section].model_fields[key].default:
            issues.append(SettingsIssue(dotted, "not set validly", default=value, private=True))
    settings = Settings.model_validate({name: models[name](**values) for name, values in sections.items()})
    return settings, issues


def _as_private(issue: SettingsIssue) -> SettingsIssue:
    value = private_values().get(issue.key)
    if value is None and issue.key not in private_values():
        return issue
    return SettingsIssue(issue.key, issue.reason, issue.value, value, issue.line, private=True)


def _valid_values(name: str, model: type[BaseModel], values: dict[str, Any], issues: list[SettingsIssue],
                  lines: dict[str, int]) -> dict[str, Any]:
    """The section's values that validate; each offending key is reported and dropped."""
    while True:
        try:
            model(**values)
            return values
        except ValidationError as error:
            for problem in error.errors():
                key = str(problem["loc"][0]) if problem["loc"] else ""
                if key not in values:
                    continue
                dotted = f"{name}.{key}"
                if problem["type"] == "extra_forbidden":
                    issues.append(SettingsIssue(dotted, "unknown setting", values[key], line=lines.get(dotted)))
                else:
                    issues.append(SettingsIssue(dotted, problem["msg"].lower(), values[key],
                                                model.model_fields[key].default, line=lines.get(dotted)))
                del values[key]


class SettingsStore:
    """Loads and saves :class:`Settings` at one path."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.issues: list[SettingsIssue] = []
        self.exists = False  # whether the file was there at the last load

    def load(self) -> Settings:
        """Read the file (defaults when it does not exist); problems land in :attr:`issues`."""
        from guard.settings_read import MAX_BYTES, key_lines, read_lenient

        self.issues = []
        self.exists = self.path.exists()
        try:
            if self.path.exists() and not self.path.is_file():
                raise OSError("it is not a regular file")
            raw = self.path.read_bytes()[:MAX_BYTES + 1] if self.path.is_file() else None
        except OSError as error:
            return self._unreadable(f"cannot be read ({error})")
        if raw is None:
            return Settings()
        if len(raw) > MAX_BYTES:
            return self._unreadable(f"is larger than {MAX_BYTES // 1024} KB, so it is not a settings file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return self._unreadable(f"is not UTF-8 text ({error})")
        recovered = read_lenient(text)
        line_issues = [SettingsIssue("", p.reason, line=p.line) for p in recovered.problems]
        settings, self.issues = parse_settings(recovered.data, key_lines(text), in_doubt=bool(line_issues),
                                               conflicts=recovered.conflicts)
        self.issues = line_issues + self.issues
        return settings

    def _unreadable(self, reason: str) -> Settings:
        """Nothing could be read: defaults, with every privacy-reducing setting at its private value."""
        settings, _ = parse_settings({}, in_doubt=True)
        self.issues = [SettingsIssue("", f"{reason}; using the defaults, with the network off.")]
        return settings

    def load_and_report(self) -> Settings:
        """Load and log each issue. The file is left exactly as the user wrote it."""
        settings = self.load()
        for issue in self.issues:
            log.warning("%s", issue.message(self.path))
        return settings

    # The name callers used when loading also rewrote the file; loading no longer writes anything.
    load_and_repair = load_and_report

    def save(self, settings: Settings) -> None:
        """Write atomically: the old file stays whole if writing fails (e.g. disk full)."""
        import tomli_w

        from guard.fsutil import atomic_write_text

        text = "# Meeting Privacy Guard settings. Invalid values are reported and replaced by defaults.\n"
        text += tomli_w.dumps(settings.model_dump())
        atomic_write_text(self.path, text)
