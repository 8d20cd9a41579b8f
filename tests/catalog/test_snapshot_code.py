"""The catalog snapshot is keyed by the code that writes it: after an edit to any module whose
output the snapshot or its event facts keep, ``scan`` must not answer from files written before."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import guard.catalog.contacts_models
import guard.catalog.detect_models
import guard.catalog.event_facts
import guard.catalog.history
import guard.catalog.loader
import guard.catalog.model_base
import guard.catalog.models
import guard.catalog.snapshot
from guard.catalog.snapshot import fingerprint
from guard.paths import resources_dir


@pytest.mark.parametrize("module", [
    guard.catalog.event_facts, guard.catalog.snapshot, guard.catalog.models, guard.catalog.model_base,
    guard.catalog.detect_models, guard.catalog.contacts_models, guard.catalog.loader, guard.catalog.history,
], ids=lambda m: m.__name__)
def test_an_edit_to_the_code_behind_the_snapshot_makes_a_new_one(module):
    source = Path(module.__file__)
    before = fingerprint(resources_dir() / "catalog", None)
    info = source.stat()
    os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns))  # same times; the change time moves on, as in an edit
    assert fingerprint(resources_dir() / "catalog", None) != before, f"an edit to {source.name} is not seen"
