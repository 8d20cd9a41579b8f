"""The terms as a user reads them while the window is open: a version the command line stores
(``meeting-guard terms check``, another process) shows in the Terms tab and the Overview without
reopening the window. Real window, real terms store, the real command line and a real HTTP server."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.terms.support.pages import plain_page
from tests.terms.support.server import TermsServer, page
from tests.ui.settings.conftest import wait_idle
from tests.ui.settings.world import AUG_07_2023, fixture_text


@pytest.fixture(autouse=True)
def _local_test_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain HTTP to this computer's test server: from the environment, as the command line reads it."""
    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")


def test_a_version_the_command_line_stores_shows_in_the_open_window(open_window, services, app_home, desktop,
                                                                    qtbot):
    window = open_window(tab="terms")
    wait_idle(qtbot, window)
    assert "Zoom: Zoom Terms of Service" not in " ".join(window.overview.browser.toPlainText().split())

    with TermsServer() as server:
        server.routes["/terms"] = page(plain_page(fixture_text(AUG_07_2023)))
        config = app_home / "config"
        (config / "catalog").mkdir(parents=True, exist_ok=True)
        (config / "catalog" / "zoom.toml").write_text(
            f'id = "zoom"\n\n[[documents]]\nid = "terms"\nurl = "{server.url("/terms")}"\nchecked = 2026-12-02\n',
            encoding="utf-8")
        (config / "settings.toml").write_text("[general]\nwelcome_shown = true\n\n[terms]\nnetwork_enabled = true\n"
                                              "archive_enabled = false\n", encoding="utf-8")
        checked = run_cli("terms", "check", "zoom", timeout=120)
        assert "zoom/terms: new version" in checked.stdout, checked.stdout + checked.stderr

    def zoom_terms_versions() -> int:
        return next((len(doc.versions) for doc in window.terms.documents
                     if (doc.provider_id, doc.document_id) == ("zoom", "terms")), 0)

    qtbot.waitUntil(lambda: zoom_terms_versions() == 2, timeout=20000)
    qtbot.waitUntil(lambda: "Zoom: Zoom Terms of Service" in " ".join(window.overview.browser.toPlainText().split()),
                    timeout=20000)
