"""A second start hands over to the running app, which shows its settings window."""

import subprocess

import pytest

from tests.support.processes import log_contains, start_app, stop, wait_until

pytestmark = pytest.mark.desktop


def visible_windows_named(name: str, env: dict[str, str]) -> list[str]:
    result = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                            capture_output=True, text=True, env=env)
    return result.stdout.split()


def test_second_start_shows_the_running_apps_settings_and_exits_0(app_home, desktop):
    import os

    env = dict(os.environ)
    log_file = app_home / "logs" / "meeting-guard.log"
    first = start_app(env=env)
    try:
        assert wait_until(lambda: log_contains(log_file, "started")), first.stderr
        assert visible_windows_named("Meeting Privacy Guard Settings", env) == []

        second = subprocess.run(first.args, env=env, capture_output=True, text=True, timeout=30)

        assert second.returncode == 0, second.stderr
        assert "already running; handed over to it" in second.stderr, "a second start says what it did"
        assert first.poll() is None, "the first instance must keep running"
        assert wait_until(lambda: log_contains(log_file, "Another start asked: show-settings"))
        assert wait_until(lambda: visible_windows_named("Meeting Privacy Guard Settings", env) != [])
    finally:
        assert stop(first) == 0


def test_stale_socket_from_a_killed_instance_does_not_block_a_new_start(app_home, desktop):
    import os

    env = dict(os.environ)
    log_file = app_home / "logs" / "meeting-guard.log"
    crashed = start_app(env=env)
    assert wait_until(lambda: log_contains(log_file, "started"))
    crashed.kill()
    crashed.wait()
    log_file.write_text("")

    fresh = start_app(env=env)
    try:
        assert wait_until(lambda: log_contains(log_file, "started")), "a new instance must start"
        assert fresh.poll() is None
    finally:
        stop(fresh)
