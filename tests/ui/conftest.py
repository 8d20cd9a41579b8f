"""Fixtures for the tray app tests: a user catalog and settings in the test's app home, real
client processes, shells whose worker threads are stopped when the test ends."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from guard.paths import AppPaths, app_paths
from tests.detect.world import Processes, client_copy, unique
from tests.support.catalogs import provider_files

SETTINGS = """
[general]
welcome_shown = true

[detection]
interval_seconds = 0.5

[terms]
network_enabled = false
"""


@dataclass
class World:
    """The test's app home: paths, the test providers' process names, where client copies go."""

    home: Path
    paths: AppPaths
    client: str
    notetaker: str
    plain: str
    bin: Path

    def settings(self, text: str) -> None:
        self.paths.settings_file.write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def nothing_blocks_the_gui_thread():
    """Every UI test fails when a call that waits on the ledger, the terms store or the network
    ran on the GUI thread (guard.services.threads; the app registers its GUI thread). Test code
    that prepares or checks data on that thread says so with ``blocking_ok()``."""
    from guard.services import threads

    threads.forbid_thread(None)
    threads.set_strict(True)
    threads.violations.clear()
    yield
    found = list(threads.violations)
    threads.forbid_thread(None)
    threads.set_strict(False)
    threads.violations.clear()
    assert not found, f"blocking calls ran on the GUI thread: {found}"


def blocking_ok():
    """Let the test's own code (not the app's) block on the GUI thread: preparing or checking data."""
    from guard.services.threads import allowed

    return allowed()


@pytest.fixture
def world(app_home: Path, tmp_path: Path) -> World:
    paths = app_paths().ensure()
    names = dict(client=unique("testmeet"), notetaker=unique("scribe"), plain=unique("plaincall"))
    paths.user_catalog_dir.mkdir(parents=True, exist_ok=True)
    for name, text in provider_files(**names).items():
        (paths.user_catalog_dir / f"{name}.toml").write_text(text, encoding="utf-8")
    world = World(app_home, paths, bin=tmp_path / "bin", **names)
    world.settings(SETTINGS)
    return world


class TestCatalogServices:
    """Builds Services that know only the test providers, so clients other tests (or people)
    run on this machine do not change what these tests see."""

    def __init__(self, world: World) -> None:
        self.world = world

    def __call__(self):
        from guard.catalog import load_catalog
        from guard.services import Services

        services = Services(self.world.paths)
        services.catalog = load_catalog(shipped=self.world.paths.user_catalog_dir)
        return services


@pytest.fixture
def isolated_services(world: World) -> TestCatalogServices:
    return TestCatalogServices(world)


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


def start_client(processes: Processes, world: World, name: str | None = None) -> subprocess.Popen:
    return processes.start([str(client_copy(world.bin, name or world.client)), "300"])


@pytest.fixture
def shells():
    """Make shells with ``shells.make(paths, **options)``; each is shut down at the end."""
    from ui.shell import Shell

    class Shells:
        def __init__(self) -> None:
            self.made: list[Shell] = []

        def make(self, paths: AppPaths, **options) -> Shell:
            shell = Shell(paths, **options)
            self.made.append(shell)
            return shell

    made = Shells()
    yield made
    for shell in made.made:
        for dialog in list(shell.dialogs):
            dialog.close()
        assert shell.shutdown(), "the job runner's lanes must stop"
        for window in (shell.window, shell.settings_host.window):
            if window is not None:
                window.hide()
                window.deleteLater()


def dunst(*args: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(["dunstctl", *args], capture_output=True, text=True, env=dict(os.environ), timeout=10)
