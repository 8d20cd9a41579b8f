"""One headless sway session (and, for the KWin tests, one KWin) shared by the tests of this
package: compositors take seconds to start, and CI has a budget (see tests/support/wayland.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.detect.world import Processes
from tests.support.wayland import WaylandSession, WaylandUnavailable

pytestmark = pytest.mark.desktop


def _start(compositor: str, *, tray: bool = True) -> WaylandSession:
    try:
        return WaylandSession.start(compositor, tray=tray)
    except WaylandUnavailable as error:
        if os.environ.get("MPG_REQUIRE_DESKTOP") == "1":
            pytest.fail(f"the {compositor} session did not start: {error}")
        pytest.skip(f"no {compositor} session: {error}")


@pytest.fixture(scope="package")
def sway() -> Iterator[WaylandSession]:
    """Headless sway with waybar (tray) and mako (notifications) on its own session bus."""
    session = _start("sway")
    yield session
    session.stop()


@pytest.fixture
def processes() -> Iterator[Processes]:
    started = Processes()
    yield started
    started.stop_all()
