"""Test-wide setup.

* Every test gets its own app home (``MEETING_GUARD_HOME``), so settings, ledgers and logs
  never touch the developer's real ones.
* Qt runs under a private desktop session (Xvfb + trayer + dunst + D-Bus + gnome-keyring,
  see tests/support/desktop.py) started once per test run. Where those programs are missing
  Qt falls back to offscreen and tests marked ``desktop`` are skipped, unless
  ``MPG_REQUIRE_DESKTOP=1`` (set by .ci/test), which turns a missing desktop into an error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Subprocesses started by tests (the CLI, the tray app) import this checkout, not an install.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

import subprocess  # noqa: E402
from collections.abc import Callable  # noqa: E402

from tests.support.cli import CliResult, run_main  # noqa: E402
from tests.support.desktop import DesktopSession, DesktopUnavailable  # noqa: E402

_desktop: DesktopSession | None = None
_desktop_problem: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _desktop, _desktop_problem
    # The app follows the desktop's language; the tests read English unless they choose a language.
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        os.environ.pop(variable, None)
    os.environ["LANG"] = "C.UTF-8"
    if os.environ.get("MPG_NO_DESKTOP") == "1":
        _desktop_problem = "MPG_NO_DESKTOP=1"
    else:
        try:
            _desktop = DesktopSession.start()
        except DesktopUnavailable as error:
            _desktop_problem = str(error)
    if _desktop is not None:
        os.environ.update(_desktop.env)
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    else:
        if os.environ.get("MPG_REQUIRE_DESKTOP") == "1":
            raise pytest.UsageError(f"MPG_REQUIRE_DESKTOP=1 but the desktop session failed: {_desktop_problem}")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _desktop is not None:
        _desktop.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _desktop is not None:
        return
    skip = pytest.mark.skip(reason=f"no desktop session: {_desktop_problem}")
    for item in items:
        if "desktop" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def desktop() -> DesktopSession:
    """The running desktop session (tests using it are also marked ``desktop``)."""
    if _desktop is None:
        pytest.skip(f"no desktop session: {_desktop_problem}")
    return _desktop


@pytest.fixture(autouse=True)
def _no_gui_thread_left_registered():
    """A test that made a Shell or a window registered its GUI thread with the door's blocking
    check (guard.services.threads); the next test starts without it."""
    yield
    threads = sys.modules.get("guard.services.threads")
    if threads is not None:
        threads.forbid_thread(None)
        threads.set_strict(False)
        threads.violations.clear()


@pytest.fixture(autouse=True)
def _keyring_left_answering():
    """A test that stopped or killed the session's gnome-keyring (tests/ledger/test_keyring_hang.py)
    does not poison the tests after it: the daemon is continued or restarted, and a keyring call
    this process abandoned at its deadline is given a moment to return."""
    yield
    if _desktop is None:
        return
    fixed = _desktop.ensure_keyring()
    calls = sys.modules.get("guard.keyring_call")
    if calls is not None and not calls.wait_idle(10):
        raise RuntimeError(f"a keyring call is still waiting after the keyring was {fixed or 'found running'}")


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh MEETING_GUARD_HOME for each test; subprocesses inherit it."""
    home = tmp_path / "mpg-home"
    monkeypatch.setenv("MEETING_GUARD_HOME", str(home))
    return home


def run_cli(*args: str, timeout: float = 60, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``meeting-guard ARGS`` as a real process (``python -m guard``) with this checkout."""
    return subprocess.run(
        [sys.executable, "-m", "guard", *args], capture_output=True, text=True,
        timeout=timeout, input=input, env=env if env is not None else dict(os.environ),
    )


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """``cli("providers", "--json")`` runs ``main(argv, env)`` in this process, in this test's app home
    (see tests/support/cli.py); returncode, stdout and stderr as from a process."""
    return run_main


@pytest.fixture
def cli_process() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``cli_process("scan")`` runs the command as a real process: for signals, pipes and exit codes."""
    return run_cli
