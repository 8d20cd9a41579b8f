"""A stored text replaced by something that is not a file: a named pipe made the Terms tab, the
overview and every terms check wait for ever for a writer; a link to /dev/zero made them read for
ever. Each reads as a damaged version, named and skipped, and the one before it stays current."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from guard.terms.errors import TermsStoreError
from guard.terms.models import HttpMeta
from guard.terms.store import TermsStore
from tests.support.bounded import bounded

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
META = HttpMeta(status=200, content_type="text/html", final_url="https://example.com/terms")


@pytest.mark.parametrize("kind", ["named pipe", "link to /dev/zero"])
def test_a_stored_text_that_is_not_a_file_is_a_damaged_version(tmp_path: Path, kind: str) -> None:
    store = TermsStore(tmp_path / "store", {}, [])
    good, _ = store.record_version("acme", "terms", "1. Good.\n", "https://example.com/terms", META, T0)
    odd, _ = store.record_version("acme", "terms", "1. Later.\n", "https://example.com/terms", META,
                                  T0 + timedelta(days=1))
    path = store.object_path(odd.sha256)
    path.unlink()
    if kind == "named pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    current = bounded(lambda: store.current("acme", "terms"))
    assert current.sha256 == good.sha256
    raised = bounded(lambda: store.get_text(odd.sha256))
    assert isinstance(raised, TermsStoreError) and str(path) in str(raised)
