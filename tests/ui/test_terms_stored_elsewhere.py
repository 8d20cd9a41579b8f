"""Terms versions the command line stores while the tray runs (``meeting-guard terms check`` in a
terminal) are told by the tray as its own checks are: a change to AI or data use once, a version
that changes nothing of the kind not at all. Real tray, real terms store, the real command line
as another process, a real HTTP server."""

from __future__ import annotations

import json

import pytest

from guard.terms.declarations import declarations_dir
from guard.terms.store import TermsStore
from guard.terms.stored_changes import store_stamp
from tests.conftest import run_cli
from tests.terms.support.pages import fixture_text, plain_page
from tests.terms.support.server import TermsServer, page
from tests.ui.conftest import blocking_ok

pytestmark = pytest.mark.desktop

MARCH = fixture_text("zoom/tos-2023-03-section10.quoted.md")
AUG_07 = fixture_text("zoom/tos-2023-08-07-section10.quoted.md")
SETTINGS = ("[general]\nwelcome_shown = true\n\n[detection]\ninterval_seconds = 0.5\n\n"
            "[terms]\nnetwork_enabled = true\narchive_enabled = false\n")
# The tray's own checks never fall due while the test runs: what it tells comes from the command line.
LOOP = {"poll_seconds": 3600, "first_check_seconds": 3600, "look_seconds": 0.2}


@pytest.fixture(autouse=True)
def _local_test_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain HTTP to this computer's test server: from the environment, as the command line reads it."""
    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")


def check_in_a_terminal() -> str:
    checked = run_cli("terms", "check", "acme", timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return checked.stdout


def seen_by_the_tray(shell, paths) -> bool:  # type: ignore[no-untyped-def]
    """Whether the tray's last look saw the store as it is now."""
    with blocking_ok():
        now = store_stamp(TermsStore.open(paths))
    mark = shell.terms._mark
    return mark is not None and mark.stamp == now and not shell.jobs.busy("terms-look")


def test_a_change_the_command_line_stores_is_told_once(qtbot, shells, world):  # type: ignore[no-untyped-def]
    from guard.services import Services

    world.settings(SETTINGS)
    folder = declarations_dir(world.paths.config_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with TermsServer() as server:
        (folder / "Acme.json").write_text(json.dumps(
            {"name": "Acme", "terms": {"Terms of Service": {"fetch": server.url("/terms"), "select": "main"}}}),
            encoding="utf-8")
        server.routes["/terms"] = page(plain_page(MARCH))
        assert "new version" in check_in_a_terminal()  # the first version: nothing to compare with

        shell = shells.make(world.paths, loop_options=LOOP)
        shell.show_ui()
        with blocking_ok():
            services = Services(world.paths)
        told: list = []
        shell.terms.terms_changed.connect(told.extend)
        shell.use_services(services)
        shell.detection.stop()
        qtbot.waitUntil(lambda: seen_by_the_tray(shell, world.paths), timeout=20000)
        assert told == [] and not shell.unseen_terms, "versions stored before the tray started are not news"

        server.routes["/terms"] = page(plain_page(AUG_07))  # Zoom's 7 August 2023 addition on AI training
        assert "new version" in check_in_a_terminal()
        qtbot.waitUntil(lambda: len(told) == 1, timeout=30000)
        assert told[0].provider_id == "acme" and any("ai-training" in c.topics for c in told[0].changes)
        (notice,) = [n for n in shell.notices.values() if n.key.startswith("terms:")]
        assert notice.key.endswith(told[0].new_sha256)
        assert len(shell.unseen_terms) == 1

        check_in_a_terminal()  # the same page again: the store is written (the fetch log), nothing changed
        qtbot.waitUntil(lambda: seen_by_the_tray(shell, world.paths), timeout=20000)
        assert len(told) == 1, "a change is told once"
