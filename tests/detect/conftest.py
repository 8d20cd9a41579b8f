"""Fixtures for the detection tests: processes started by the test and stopped after it."""

from __future__ import annotations

import pytest

from tests.detect.world import Processes


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()
