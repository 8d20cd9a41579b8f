"""Settings survive bad values: each is reported by file, line and name, and replaced by its default;
settings that reduce privacy fall back to their private value (issue 16 item 13)."""

import os
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


def test_loading_never_rewrites_or_moves_the_file(tmp_path):
    text = "# mine\n[detection]\ninterval_seconds = -5\ncamera_probe = false\n[terms]\nnetwork_enabled = 0\n"
    path = write(tmp_path / "settings.toml", text)
    settings = SettingsStore(path).load_and_repair()
    assert settings.detection.camera_probe is False and settings.terms.network_enabled is False
    assert path.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_syntax_error_keeps_every_setting_that_can_still_be_read(tmp_path):
    path = write(tmp_path / "settings.toml", """\
[detection]
interval_seconds = 3.0
camera_probe = false
[notifications]
terms_changed = nope
meeting_started = false
[terms]
network_enabled = true
""")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.detection.interval_seconds == 3.0 and settings.detection.camera_probe is False
    assert settings.notifications.meeting_started is False and settings.notifications.terms_changed is True
    assert settings.terms.network_enabled is True, "clearly on: the bad line was elsewhere"
    (issue,) = store.issues
    assert issue.line == 5 and f"{path}, line 5: not valid TOML" in issue.message(path)
    assert path.read_text().startswith("[detection]"), "the file is left as it was"


def test_unparseable_header_skips_its_table_and_keeps_the_rest(tmp_path):
    path = write(tmp_path / "settings.toml", "[detection\ninterval_seconds = 3\n[general]\nautostart = true\n")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.general.autostart is True and settings.detection.interval_seconds == 2.0
    assert settings.terms.network_enabled is False, "the broken table might have been about the network"
    messages = [issue.message(path) for issue in store.issues]
    assert f"{path}, line 1: this table header is not valid TOML" in messages[0]
    assert any("'terms.network_enabled' is not set validly" in m and "more private" in m for m in messages)


# Issue 16 item 13: each of these turned the network ON.
@pytest.mark.parametrize("terms_table, line", [
    ('network_enabled = "false"', 2),
    ("network_enabled = 0", 2),
    ("network_enabled = False", 2),  # not TOML at all
    ("network_enable = false", 2),  # misspelt key
    ('network_enabled = "true"', 2),  # quoted: not clearly on
])
def test_network_fails_closed(tmp_path, terms_table, line):
    path = write(tmp_path / "settings.toml", f"[terms]\n{terms_table}\ncheck_interval_hours = 48\n")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.network_enabled is False
    assert settings.terms.check_interval_hours == 48, "the readable rest is kept"
    first = store.issues[0].message(path)
    assert f"{path}, line {line}:" in first
    assert any("network_enabled" in i.message(path) and "more private" in i.message(path) for i in store.issues)


# Audit 13: with a syntax error elsewhere, recovery read the lines of a multi-line string as settings.
@pytest.mark.parametrize("text", [
    '[terms]\ncheck_interval_hours = 48\nnote = """\nnetwork_enabled = true\n"""\noops = = 1\n',
    "[terms]\ncheck_interval_hours = 48\n[general]\nnote = '''\n[terms]\nnetwork_enabled = true\n'''\n"
    "autostart = nope\n",
    "[terms]\ncheck_interval_hours = 48\nnote = \"it's\" # \"\"\" in a comment\nbad = ]\nnetwork_enabled = true\n"
    'alias = "a \\" and \'\'\' inside"\n',
])
def test_a_setting_inside_a_multi_line_string_is_text_not_a_setting(tmp_path, text):
    """A line inside a multi-line string (\"\"\" or ''') is text even when the file must be read line by line: it
    neither sets the network on nor starts a table. Quotes inside one-line strings or comments open no string."""
    path = write(tmp_path / "settings.toml", text)
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.check_interval_hours == 48, "the readable rest is kept"
    on = "bad = ]" in text  # the last case: the line is really a setting
    assert settings.terms.network_enabled is on


# Audit 15: recovery split lines as str.splitlines does, at U+2028, U+2029 and NEL too, which TOML allows in a comment.
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_comment_holding_a_unicode_line_separator_sets_nothing(tmp_path, separator):
    """TOML breaks lines at a line feed only: a comment that holds a Unicode line or paragraph separator (as text
    pasted from a web page may) stays a comment when a syntax error elsewhere makes the reader go line by line, and
    a line's number in a message is the one an editor shows."""
    text = f"[terms]\ncheck_interval_hours = 48\n# from the wiki:{separator}network_enabled = true\noops = = 1\n"
    path = write(tmp_path / "settings.toml", text)
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.check_interval_hours == 48, "the readable rest is kept"
    assert settings.terms.network_enabled is False, "a comment turns nothing on"
    assert any(f"{path}, line 4:" in issue.message(path) for issue in store.issues), store.issues


def test_misspelt_section_turns_the_network_off(tmp_path):
    path = write(tmp_path / "settings.toml", "[term]\nnetwork_enabled = false\n")
    store = SettingsStore(path)
    assert store.load().terms.network_enabled is False
    assert "unknown setting 'term'" in store.issues[0].message(path)


def test_network_set_twice_to_different_values_is_off(tmp_path):
    path = write(tmp_path / "settings.toml", "[terms]\nnetwork_enabled = true\nnetwork_enabled = false\n")
    store = SettingsStore(path)
    assert store.load().terms.network_enabled is False
    assert any("set twice" in i.message(path) for i in store.issues)


def test_a_table_started_twice_is_read_from_neither_place_and_the_network_is_off(tmp_path):
    """Audit 7: TOML forbids a second [terms] header; it was merged silently, so a line added far down
    the file decided the network switch without a word."""
    text = ("[terms]\nnetwork_enabled = false\ncheck_interval_hours = 48\n[detection]\ncamera_probe = false\n"
            "[terms]\nnetwork_enabled = true\n")
    path = write(tmp_path / "settings.toml", text)
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.network_enabled is False and settings.terms.check_interval_hours == 24.0
    assert settings.detection.camera_probe is False, "the other tables are kept"
    messages = [issue.message(path) for issue in store.issues]
    assert f"{path}, line 6: the table [terms] was already started at line 1" in messages[0]
    assert any("'terms.network_enabled' is not set validly" in m for m in messages)
    assert path.read_text() == text


@pytest.mark.parametrize("above", ["terms.network_enabled = true", "terms = { network_enabled = true }"])
def test_a_table_made_above_its_header_is_read_from_neither_place(tmp_path, above):
    """Audit 7: keys above the first header can make a table too ('terms.x = ...', an inline table); TOML
    forbids its header after that, and the two were merged silently, a line at the top switching the
    network on."""
    path = write(tmp_path / "settings.toml", f"{above}\n[detection]\ncamera_probe = false\n[terms]\n"
                                             "check_interval_hours = 48\n")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.network_enabled is False and settings.terms.check_interval_hours == 24.0
    assert settings.detection.camera_probe is False
    messages = [issue.message(path) for issue in store.issues]
    assert f"{path}, line 4: the table [terms] was already made above its header" in messages[0]


def test_a_mistake_elsewhere_leaves_a_valid_network_choice_alone(tmp_path):
    path = write(tmp_path / "settings.toml", "[detection]\ninterval_seconds = 0.01\n[terms]\nnetwork_enabled = true\n")
    assert SettingsStore(path).load().terms.network_enabled is True
    path = write(tmp_path / "settings.toml", "[detection]\ninterval_seconds = 0.01\n")
    assert SettingsStore(path).load().terms.network_enabled is True, "no doubt about [terms]: its default"


@pytest.mark.parametrize("make", ["binary", "folder", "huge"])
def test_unreadable_file_means_defaults_with_the_network_off(tmp_path, make):
    path = tmp_path / "settings.toml"
    if make == "binary":
        path.write_bytes(b"\xff\xfe[terms]\nnetwork_enabled = true\n")
    elif make == "folder":
        path.mkdir()
    else:
        path.write_text("# x\n" * 100_000)
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.network_enabled is False and settings.detection == Settings().detection
    assert "network off" in store.issues[0].message(path)


def test_tray_start_leaves_a_bad_file_untouched(app_home):
    """The app used to move the file aside and write network_enabled = true in its place."""
    from guard.paths import app_paths
    from guard.services import Services

    paths = app_paths()
    text = "[terms]\nnetwork_enabled = False\n"
    write(paths.settings_file, text)
    services = Services(paths)
    assert services.settings.terms.network_enabled is False
    assert paths.settings_file.read_text() == text
    assert [p.name for p in paths.config_dir.iterdir() if p.name.startswith("settings")] == ["settings.toml"]


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
    # no temporary file may be left behind; the lock file stays (guard.file_lock: never deleted)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml", "settings.toml.lock"]


def test_settings_round_trip(tmp_path):
    store = SettingsStore(tmp_path / "settings.toml")
    settings = Settings()
    settings.detection.interval_seconds = 3.5
    settings.notifications.notetaker_seen = False
    store.save(settings)
    assert store.load() == settings


def test_a_named_pipe_as_the_settings_file_does_not_block(tmp_path):
    path = tmp_path / "settings.toml"
    os.mkfifo(path)
    store = SettingsStore(path)
    settings = store.load()  # would wait for a writer for ever if opened as a plain file
    assert settings.terms.network_enabled is False
    assert "not a regular file" in store.issues[0].message(path)


def test_deeply_nested_value_is_a_skipped_line_not_a_crash(tmp_path):
    """Audit round two: 5,000 nested brackets (10 kB) made tomllib recurse until RecursionError,
    and every command that read the settings (the tray app, ``settings``) died with a traceback."""
    deep = "[" * 5000 + "]" * 5000
    path = write(tmp_path / "settings.toml", f"[terms]\nnetwork_enabled = false\n[detection]\njunk = {deep}\n")
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.network_enabled is False
    assert any("line 4" in i.message(path) and "nested too deeply" in i.message(path) for i in store.issues)


def test_a_huge_value_or_a_key_with_a_line_break_is_reported_short_on_one_line(tmp_path):
    """Audit round four: a problem quoted the file's value whole (200 kB, logged at each start and
    listed in Overview) and a quoted key with a line break split the message into a forged line."""
    path = tmp_path / "settings.toml"
    path.write_text('[terms]\nnetwork_enabled = "' + "Y" * 200_000 + '"\n[general]\n"' + "k" * 50_000
                    + '\\nmeeting-guard: all clear" = 1\n', encoding="utf-8")
    store = SettingsStore(path)
    assert store.load().terms.network_enabled is False
    messages = [issue.message(path) for issue in store.issues]
    assert len(messages) == 2
    for message in messages:
        assert len(message) < 1500 and "\n" not in message, len(message)
        assert message.startswith(str(path))
    assert any("'terms.network_enabled' = \"YYYY" in m and "…" in m and "the more private choice" in m
               for m in messages), messages
    assert any("unknown setting 'general.kkkk" in m and "ignored (check its spelling)." in m for m in messages)


def test_the_archive_urls_are_never_read_from_the_settings_file(tmp_path, monkeypatch):
    """Audit 7: two test-only lines in the settings file sent the terms archive's reads (which decide
    what the app says the terms are) to another server. Now only the test's environment sets them,
    the file's lines are said and ignored, and they put no other setting in doubt."""
    monkeypatch.delenv("MEETING_GUARD_TEST_ARCHIVE_API_URL", raising=False)
    monkeypatch.delenv("MEETING_GUARD_TEST_ARCHIVE_RAW_URL", raising=False)
    text = ('[terms]\nnetwork_enabled = true\narchive_api_url = "https://evil.example"\n'
            'archive_raw_url = "https://evil.example"\n')
    path = write(tmp_path / "settings.toml", text)
    store = SettingsStore(path)
    settings = store.load()
    assert settings.terms.archive_api_url == "https://api.github.com"
    assert settings.terms.archive_raw_url == "https://raw.githubusercontent.com"
    assert settings.terms.network_enabled is True
    messages = [issue.message(path) for issue in store.issues]
    assert f"{path}, line 3: 'terms.archive_api_url' is a test-only setting that is never read" in messages[0]
    monkeypatch.setenv("MEETING_GUARD_TEST_ARCHIVE_API_URL", "http://127.0.0.1:9/api")
    settings = store.load()
    assert settings.terms.archive_api_url == "http://127.0.0.1:9/api" and Settings().terms.archive_api_url == \
        "http://127.0.0.1:9/api"
    store.save(settings)
    assert "archive_api_url" not in path.read_text(), "the file is not where it comes from"


def test_a_save_over_a_version_it_did_not_read_writes_nothing(tmp_path):
    from guard.settings import MISSING, SettingsChangedError

    store = SettingsStore(tmp_path / "settings.toml")
    store.load()
    assert store.version == MISSING
    store.save(Settings(), expected=store.version)
    read = store.version
    assert read == store.current_version() != MISSING
    edited = "[terms]\nnetwork_enabled = false\n"
    store.path.write_text(edited, encoding="utf-8")  # by hand, after the window read the file
    with pytest.raises(SettingsChangedError) as raised:
        store.save(Settings(), expected=read)
    assert store.path.read_text(encoding="utf-8") == edited and str(store.path) in str(raised.value)
    store.save(Settings(), expected=raised.value.found)  # the user chose to write over it
    assert store.load().terms.network_enabled is True
    store.path.write_text(edited + "\n", encoding="utf-8")
    assert store.current_version() != store.version  # any change of content is a new version


@pytest.mark.parametrize("foreign", ["file", "folder"])
def test_a_settings_file_of_another_user_is_not_read_and_the_private_choices_hold_hostile(tmp_path, foreign):
    """A config folder in a shared place: whoever owns the file (or its folder) could mute every notice or
    point the ledger elsewhere. Not read: the defaults, with the network off, and the file named."""
    import os

    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    folder = tmp_path / "config"
    folder.mkdir()
    path = write(folder / "settings.toml", "[notifications]\nmeeting_started = false\nnotetaker_seen = false\n"
                                           "[terms]\nnetwork_enabled = true\n")
    os.chown(path if foreign == "file" else folder, 65534, 65534)
    store = SettingsStore(path)
    settings = store.load()
    assert settings.notifications == Settings().notifications, "another user's file muted the notices"
    assert settings.terms.network_enabled is False
    said = store.issues[0].message(path)
    assert str(path) in said and "another user (uid 65534)" in said and "not read" in said, said
    if foreign == "folder":
        with pytest.raises(OSError, match="belongs to another user"):
            store.save(Settings())
