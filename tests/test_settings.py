"""Settings survive bad values: each is reported by name and replaced by its default."""

import os
import tomllib
from pathlib import Path

import pytest

from guard.settings import Settings, SettingsStore


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_and_no_issues(tmp_path):
    store = SettingsStore(tmp_path / "settings.toml")
    assert store.load() == Settings()
    assert store.issues == []


def test_bad_value_is_reported_by_name_and_defaulted_while_the_rest_is_kept(tmp_path):
    path = write(tmp_path / "settings.toml", """
[detection]
interval_seconds = 0.01
window_probe = false
[notifications]
terms_changed = "often"
[terms]
check_interval_hours = 48
""")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.detection.interval_seconds == 2.0
    assert settings.detection.window_probe is False
    assert settings.notifications.terms_changed is True
    assert settings.terms.check_interval_hours == 48
    keys = {issue.key for issue in store.issues}
    assert keys == {"detection.interval_seconds", "notifications.terms_changed"}
    message = next(i for i in store.issues if i.key == "detection.interval_seconds").message(path)
    assert "detection.interval_seconds" in message and "0.01" in message and "2.0" in message


def test_unknown_keys_and_sections_are_reported(tmp_path):
    path = write(tmp_path / "settings.toml", "telemetry = true\n[detection]\nintervall = 3\n")
    store = SettingsStore(path)
    store.load()
    messages = [issue.message(path) for issue in store.issues]
    assert any("unknown setting 'telemetry'" in m for m in messages)
    assert any("unknown setting 'detection.intervall'" in m for m in messages)


def test_repair_rewrites_the_file_with_defaults_and_keeps_good_values(tmp_path):
    path = write(tmp_path / "settings.toml", "[detection]\ninterval_seconds = -5\ncamera_probe = false\n")
    SettingsStore(path).load_and_repair()
    data = tomllib.loads(path.read_text())
    assert data["detection"]["interval_seconds"] == 2.0
    assert data["detection"]["camera_probe"] is False
    assert SettingsStore(path).load() is not None and SettingsStore(path).issues == []
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_unparseable_file_is_kept_aside_not_destroyed(tmp_path):
    path = write(tmp_path / "settings.toml", "[detection\ninterval_seconds = 3\n")
    store = SettingsStore(path)
    settings = store.load_and_repair()
    assert settings == Settings()
    assert "not valid TOML" in store.issues[0].message(path)
    backups = list(tmp_path.glob("settings.toml.broken-*"))
    assert len(backups) == 1 and "interval_seconds = 3" in backups[0].read_text()
    assert tomllib.loads(path.read_text())["detection"]["interval_seconds"] == 2.0


def test_save_is_atomic_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    store = SettingsStore(path)
    first = Settings()
    store.save(first)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    changed = first.model_copy(update={"detection": first.detection.model_copy(update={"interval_seconds": 5.0})})
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.save(changed)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"], "no temporary file may be left behind"


def test_settings_round_trip(tmp_path):
    store = SettingsStore(tmp_path / "settings.toml")
    settings = Settings()
    settings.detection.interval_seconds = 3.5
    settings.notifications.notetaker_seen = False
    store.save(settings)
    assert store.load() == settings
