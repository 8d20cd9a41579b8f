"""Fixtures for the detection tests: processes started by the test and stopped after it."""

from __future__ import annotations

import pytest

from tests.detect.world import Processes, close_monitors


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


@pytest.fixture(autouse=True)
def _close_monitors():
    yield
    close_monitors()
