"""The ``meeting-guard`` command itself: version, help, usage errors, settings report."""

import json

from guard import __version__


def test_version_prints_the_version(cli):
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"meeting-guard {__version__}"


def test_help_lists_the_subcommands(cli):
    result = cli("--help")
    assert result.returncode == 0
    assert "settings" in result.stdout and "tray app" in result.stdout


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_settings_command_reports_bad_values(cli, app_home):
    settings = app_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("[detection]\ninterval_seconds = 'fast'\n")
    result = cli("settings", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["settings"]["detection"]["interval_seconds"] == 2.0
    assert any("detection.interval_seconds" in p for p in report["problems"])


def test_logs_go_to_a_file_in_the_log_folder(cli, app_home):
    cli("settings")
    assert (app_home / "logs" / "meeting-guard.log").exists()
