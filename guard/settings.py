"""User settings: a TOML file in the config folder, validated field by field, failing closed.

A bad value never costs the user the rest of their settings: it is reported with its file,
line and dotted name, and replaced by its default. Settings that would share more with the
outside world (the network switch, test-only relaxations) are marked ``private=``: when the
file has any mistake in their table (an invalid value, an unknown or misspelt key), or lines
that are not TOML, each of them takes its more private value unless the file clearly and
validly sets it. The file is never rewritten behind the user's back; saving (from the
settings window) is atomic (see :mod:`guard.fsutil`).

The models are plain dataclasses that check every value on construction and assignment
(guard.settings_model: settings load on every command, and pydantic alone costs more start-up
time than a whole ``scan``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, NamedTuple

from guard.errors import GuardError
# The model machinery; its names stay importable from here.
from guard.settings_model import FieldInfo as FieldInfo
from guard.settings_model import Ge as Ge
from guard.settings_model import Le as Le
from guard.settings_model import SettingsModel, SettingsValueError, checked_model, section, setting

log = logging.getLogger(__name__)


@checked_model
class GeneralSettings(SettingsModel):
    autostart: bool = setting(False)
    data_dir: str = setting("", description="Folder for the ledger and terms store; empty means the OS default.")
    language: str = setting("", description="Language of the app (en, de or fr) and of letters (also es, it or nl); "
                                            "empty follows the system's language.")
    jurisdiction: str = setting("", description="Where you live, for exports: EU, EEA or a country code such as DE; "
                                                "empty takes the region of the system's locale.")
    welcome_shown: bool = setting(False, description="The welcome was shown once (the tray menu shows it again).")


@checked_model
class DetectionSettings(SettingsModel):
    enabled: bool = setting(True)
    interval_seconds: float = setting(2.0, ge=0.5, le=60.0)
    process_probe: bool = setting(True)
    window_probe: bool = setting(True)
    microphone_probe: bool = setting(True)
    camera_probe: bool = setting(True)
    socket_probe: bool = setting(True)
    browser_probe: bool = setting(True)  # the browser extension's meeting tabs (guard/detect/browser_tabs.py)
    accessibility_probe: bool = setting(
        False, private=False,
        description="Read native meeting clients' in-meeting notices and participant lists through the OS "
                    "accessibility interface (Linux AT-SPI), only while they show a meeting; only matches with the "
                    "catalog's notice phrases and bot names are kept. The client must expose its accessibility tree "
                    "(Qt: QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1; Chromium/Electron: ACCESSIBILITY_ENABLED=1 and "
                    "--force-renderer-accessibility; or a desktop with accessibility on). Off by default "
                    "(docs/accessibility.md).")


@checked_model
class NotificationSettings(SettingsModel):
    meeting_started: bool = setting(True)
    notetaker_seen: bool = setting(True)
    terms_changed: bool = setting(True)


@checked_model
class TermsSettings(SettingsModel):
    network_enabled: bool = setting(
        True, private=False, description="The app's one network switch: fetch providers' terms pages, and send the "
                                         "time stamps you ask for ('consent timestamp'). Off: nothing goes out.")
    check_interval_hours: float = setting(24.0, ge=1.0, le=24.0 * 31)
    # Test-only, from the environment alone: a line in the settings file would let whoever can write
    # it downgrade terms fetching to plain HTTP to this computer (audit 9).
    allow_insecure_localhost: bool = setting(
        False, private=False, test_only=True, env="MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST",
        description="Test-only: allow plain HTTP to 127.0.0.1, and names that resolve to it. Never needed by users.")
    archive_enabled: bool = setting(
        True,
        description="Read new versions in the public archive (Open Terms Archive) first, where it keeps the "
                    "document; the provider's page is fetched only when the archive cannot be read.")
    # Test-only, from the environment alone: a line in the settings file must not send the terms
    # archive's reads to another server (audit 7).
    archive_api_url: str = setting("https://api.github.com", test_only=True, env="MEETING_GUARD_TEST_ARCHIVE_API_URL",
                                   description="Test-only: where the archive's commit lists are asked for.")
    archive_raw_url: str = setting("https://raw.githubusercontent.com", test_only=True,
                                   env="MEETING_GUARD_TEST_ARCHIVE_RAW_URL",
                                   description="Test-only: where the archive's files are read.")


@checked_model
class Settings(SettingsModel):
    """All settings, grouped as they appear in the TOML file and the preferences tab."""

    general: GeneralSettings = section(GeneralSettings)
    detection: DetectionSettings = section(DetectionSettings)
    notifications: NotificationSettings = section(NotificationSettings)
    terms: TermsSettings = section(TermsSettings)


def _section_models() -> dict[str, type[SettingsModel]]:
    return {name: info.annotation for name, info in Settings.model_fields.items()}


def private_values() -> dict[str, Any]:
    """``section.key`` → the more private value, for every setting that has one."""
    return {f"{name}.{key}": info.private for name, model in _section_models().items()
            for key, info in model.model_fields.items() if info.has_private}


def test_only_keys() -> set[str]:
    """``section.key`` of settings that exist for the test suite, not for users."""
    return {f"{name}.{key}" for name, model in _section_models().items()
            for key, info in model.model_fields.items() if info.test_only}


def toml_value(value: Any) -> str:
    """``value`` written as TOML would write it (for messages and the ``settings`` command)."""
    import tomli_w

    return tomli_w.dumps({"v": value}).partition("=")[2].strip()


class SettingsIssue(NamedTuple):
    """One thing wrong with the settings file, said so the user can fix it."""

    key: str
    reason: str
    value: Any = None
    default: Any = None
    line: int | None = None
    private: bool = False  # the value used is the more private one, not the default

    def message(self, path: Path) -> str:
        """One line, of a sane length: the key and value are whatever the file holds."""
        from guard.text_controls import quoted

        where = f"{path}, line {self.line}" if self.line else f"{path}"
        if self.key == "":
            return f"{where}: {quoted(self.reason, 600)}"
        key = quoted(self.key, 120)
        if self.reason == "unknown setting":
            return f"{where}: unknown setting '{key}' ignored (check its spelling)."
        if self.reason == "environment only":
            return (f"{where}: '{key}' is a test-only setting that is never read from the settings file; "
                    "ignored (remove the line).")
        used = (f"{toml_value(self.default)} (the more private choice)" if self.private
                else f"the default {toml_value(self.default)}")
        if self.reason == "set twice":
            return f"{where}: '{key}' is set twice to different values; using {used}."
        if self.reason == "not set validly":
            return (f"{where}: '{key}' is not set validly in a file with mistakes; using {used} "
                    "until the file is fixed.")
        return (f"{where}: '{key}' = {quoted(toml_value(self.value), 200)} is invalid ({quoted(self.reason, 400)}); "
                f"using {used}.")


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
    doubtful = {issue.key.partition(".")[0] for issue in issues if "." in issue.key
                and issue.reason != "environment only"}
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
    settings = Settings(**{name: models[name](**values) for name, values in sections.items()})
    return settings, issues


def _as_private(issue: SettingsIssue) -> SettingsIssue:
    value = private_values().get(issue.key)
    if value is None and issue.key not in private_values():
        return issue
    return SettingsIssue(issue.key, issue.reason, issue.value, value, issue.line, private=True)


def _valid_values(name: str, model: type[SettingsModel], values: dict[str, Any], issues: list[SettingsIssue],
                  lines: dict[str, int]) -> dict[str, Any]:
    """The section's values that its model accepts; each offending key is reported and dropped."""
    valid: dict[str, Any] = {}
    for key, value in values.items():
        dotted = f"{name}.{key}"
        info = model.model_fields.get(key)
        if info is None:
            issues.append(SettingsIssue(dotted, "unknown setting", value, line=lines.get(dotted)))
            continue
        if info.env is not None:
            issues.append(SettingsIssue(dotted, "environment only", value, line=lines.get(dotted)))
            continue
        try:
            valid[key] = info.check(value)
        except SettingsValueError as error:
            issues.append(SettingsIssue(dotted, str(error), value, info.default, line=lines.get(dotted)))
    return valid


MAX_BYTES = 256 * 1024  # a settings file is a few hundred bytes; anything this large is not one
MISSING = "missing"  # the version of a settings file that does not exist


def content_version(raw: bytes) -> str:
    """The version of a settings file's content: its SHA-256 (a touch that changes nothing is no change)."""
    import hashlib

    return "sha256:" + hashlib.sha256(raw).hexdigest()


class SettingsChangedError(GuardError):
    """The settings file is not the one the caller read: someone edited it (by hand, the command
    line, another window) after the values being saved were shown. Nothing was written."""

    def __init__(self, path: Path, found: str) -> None:
        super().__init__(f"{path} was changed after it was read; not saved. Read it again, or save over it.")
        self.path = path
        self.found = found  # the file's version now: saving with it as expected writes over it


class SettingsFileProblem(GuardError):
    """The settings file has problems, so a change made outside the settings window is not written
    over it (the window shows the problems and can save over them; the user may fix the file)."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path} has problems, so it was not changed: fix it in a text editor ('meeting-guard "
                         "settings' lists the problems) or in the settings window's Preferences, then try again.")
        self.path = path
        self.problems = problems


class ForeignSettings(OSError):
    """The settings file, or its folder, is another user's (a config folder in a shared place)."""


def _refuse_foreign(path: Path, owner: int) -> None:
    """POSIX: whoever owns the settings file or its folder decides what the app does; only this user may."""
    import os

    if not hasattr(os, "getuid"):
        return
    me = os.getuid()
    if owner != me:
        raise ForeignSettings(f"belongs to another user (uid {owner})")
    folder = os.lstat(path.parent).st_uid
    if folder != me:
        raise ForeignSettings(f"is in {path.parent}, a folder of another user (uid {folder})")


class SettingsStore:
    """Loads and saves :class:`Settings` at one path."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.issues: list[SettingsIssue] = []
        self.exists = False  # whether the file was there at the last load
        self.version = MISSING  # the file's version at the last load or save (:meth:`current_version`)

    def _read(self) -> tuple[bytes | None, str]:
        """The file's bytes (None when missing) and its version; OSError (and NotRegularFile) as raised,
        :class:`ForeignSettings` for a file (or folder) of another user's."""
        from guard.fsutil import read_regular

        try:
            raw, info = read_regular(self.path, MAX_BYTES)
        except FileNotFoundError:
            return None, MISSING
        _refuse_foreign(self.path, info.st_uid)
        return raw, content_version(raw)

    def current_version(self) -> str:
        """The file's version now: :data:`MISSING`, its content's SHA-256, or ``unreadable: why``.
        Cheap (a settings file is a few hundred bytes), so a window can ask every few seconds."""
        from guard.fsutil import NotRegularFile

        try:
            return self._read()[1]
        except NotRegularFile:
            return "unreadable: not a regular file"
        except OSError as error:
            return f"unreadable: {error.strerror or error}"

    def load(self) -> Settings:
        """Read the file (defaults when it does not exist); problems land in :attr:`issues`."""
        self.issues = []
        from guard.fsutil import NotRegularFile

        try:
            found, self.version = self._read()
        except NotRegularFile:
            self.exists = True
            self.version = "unreadable: not a regular file"
            return self._unreadable("is not a regular file")
        except ForeignSettings as error:
            self.exists = True
            self.version = f"unreadable: {error}"
            return self._unreadable(f"{error}, who could change what the app does (mute its notices, send its data "
                                    "elsewhere), so it is not read. Move it aside, or keep the settings in a folder of "
                                    "your own")
        except OSError as error:
            self.exists = True
            self.version = f"unreadable: {error.strerror or error}"
            return self._unreadable(f"cannot be read ({error.strerror or error})")
        if found is None:
            self.exists = False
            return Settings()
        raw = found
        self.exists = True
        if len(raw) > MAX_BYTES:
            return self._unreadable(f"is larger than {MAX_BYTES // 1024} KB, so it is not a settings file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return self._unreadable(f"is not UTF-8 text ({error})")
        from guard.settings_read import key_lines, read_lenient

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

    def save(self, settings: Settings, *, expected: str | None = None) -> None:
        """Write atomically: the old file stays whole if writing fails (e.g. disk full). With
        ``expected`` (a version from :attr:`version` or :meth:`current_version`), write only if the
        file is still that version: a hand edit made since is never overwritten unseen
        (SettingsChangedError). The check and the write hold ``settings.toml.lock`` (guard.file_lock),
        so of two saves that read the same version one wins and the other is told."""
        import os

        import tomli_w

        from guard.file_lock import exclusive
        from guard.fsutil import atomic_write_text

        if hasattr(os, "getuid") and self.path.parent.exists() and os.lstat(self.path.parent).st_uid != os.getuid():
            raise ForeignSettings(f"{self.path} was not saved: its folder {self.path.parent} belongs to another user "
                                  f"(uid {os.lstat(self.path.parent).st_uid}), who could replace it. Keep the settings "
                                  "in a folder of your own.")
        text = "# Meeting Privacy Guard settings. Invalid values are reported and replaced by defaults.\n"
        values = settings.model_dump()
        for name, model in _section_models().items():  # never written: the file is not where they come from
            for key, info in model.model_fields.items():
                if info.env is not None:
                    values[name].pop(key, None)
        text += tomli_w.dumps(values)
        # The check and the rename under one lock: two saves (the tray menu and the window, or two
        # processes) that read the same version cannot both pass the check; the second is told.
        with exclusive(self.path):
            if expected is not None:
                found = self.current_version()
                if found != expected:
                    raise SettingsChangedError(self.path, found)
            atomic_write_text(self.path, text)
        self.version = content_version(text.encode("utf-8"))
        self.exists = True
