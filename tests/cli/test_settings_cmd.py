"""``meeting-guard settings``: TOML a user can paste, test-only keys hidden, a missing file said so."""

import json
import tomllib

from guard.settings import Settings


def test_prints_toml_of_the_defaults_and_says_the_file_does_not_exist_yet(cli, app_home):
    result = cli("settings")
    assert result.returncode == 0, result.stderr
    assert "does not exist yet" in result.stdout.splitlines()[0]
    values = tomllib.loads(result.stdout)  # the report is TOML (comments included)
    assert values["terms"]["network_enabled"] is True and values["detection"]["interval_seconds"] == 2.0
    assert "True" not in result.stdout and "False" not in result.stdout
    assert "allow_insecure_localhost" not in result.stdout
    assert not (app_home / "config" / "settings.toml").exists()


def test_json_says_whether_the_file_exists_and_hides_test_only_keys(cli, app_home):
    report = json.loads(cli("settings", "--json").stdout)
    assert report["exists"] is False and "allow_insecure_localhost" not in report["settings"]["terms"]
    path = app_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[general]\nautostart = true\n")
    report = json.loads(cli("settings", "--json").stdout)
    assert report["exists"] is True and report["settings"]["general"]["autostart"] is True


def test_plain_http_to_this_computer_is_never_switched_on_by_the_settings_file_hostile(cli, app_home, monkeypatch):
    """Whoever can write the settings file must not downgrade terms fetching to plain HTTP: the
    line is reported and ignored; only the test suite's environment turns it on, and says so."""
    from guard.settings import SettingsStore

    monkeypatch.delenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", raising=False)
    path = app_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[terms]\nallow_insecure_localhost = true\n")
    result = cli("settings")
    assert f"{path}, line 2: 'terms.allow_insecure_localhost' is a test-only setting that is never read from the " \
        "settings file; ignored" in result.stdout
    assert "allow_insecure_localhost = true" not in result.stdout
    assert SettingsStore(path).load().terms.allow_insecure_localhost is False

    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")
    path.write_text("")
    result = cli("settings")
    assert tomllib.loads(result.stdout)["terms"]["allow_insecure_localhost"] is True
    assert "'terms.allow_insecure_localhost' comes from the environment variable " \
        "MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST" in result.stdout


def test_an_archive_url_from_the_environment_is_shown_as_such(cli, app_home, monkeypatch):
    monkeypatch.setenv("MEETING_GUARD_TEST_ARCHIVE_RAW_URL", "http://127.0.0.1:9/raw")
    result = cli("settings")
    assert tomllib.loads(result.stdout)["terms"]["archive_raw_url"] == "http://127.0.0.1:9/raw"
    assert "'terms.archive_raw_url' comes from the environment variable MEETING_GUARD_TEST_ARCHIVE_RAW_URL" \
        in result.stdout
    report = json.loads(cli("settings", "--json").stdout)
    assert report["from_environment"] and "archive_api_url" not in report["settings"]["terms"]


def test_problems_name_file_line_and_key_and_exit_1(cli, app_home):
    path = app_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[detection]\ncamera_probe = false\n[terms]\nnetwork_enabled = "false"\n')
    result = cli("settings")
    assert result.returncode == 1
    values = tomllib.loads(result.stdout)
    assert values["terms"]["network_enabled"] is False and values["detection"]["camera_probe"] is False
    assert f"{path}, line 4: 'terms.network_enabled'" in result.stdout and "1 problem in the file" in result.stdout
    assert result.stderr == "", "the command reports the problems itself, once"
    assert path.read_text().endswith('"false"\n'), "never rewritten"


def test_other_commands_warn_about_a_bad_settings_file_on_stderr(cli, app_home):
    path = app_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[terms]\nnetwork_enabled = 0\n")
    result = cli("consent", "list")
    assert result.returncode == 0
    assert "warning:" in result.stderr and "line 2: 'terms.network_enabled' = 0" in result.stderr
    assert Settings().terms.network_enabled is True
