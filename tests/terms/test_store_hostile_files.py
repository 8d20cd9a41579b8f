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


@pytest.mark.parametrize("foreign", ["data folder", "store folder", "index"])
def test_a_terms_store_another_user_owns_is_refused(tmp_path: Path, foreign: str) -> None:
    """Audit 13: a data folder set to a shared place. Another user's terms store (or a folder of theirs it is in)
    was read and written as this user's: they could plant a provider's "newest version" (announced as a change
    to its AI terms, and cited as the terms in force) or hide a real change. The ledger there was refused
    already; the terms store is now too, saying whose it is and what to do, and writes nothing there."""
    from guard.storage_errors import StorageFault
    from guard.terms.errors import TermsStorageFault

    if os.getuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    data = tmp_path / "data"
    data.mkdir()
    theirs = TermsStore(data / "terms", {}, [])
    planted, _ = theirs.record_version("zoom", "terms", "1. We may train AI on your content.\n",
                                       "https://example.com/terms", META, T0)
    target = {"data folder": data, "store folder": data / "terms", "index": data / "terms" / "terms.sqlite3"}[foreign]
    os.chown(target, 65534, 65534)
    mine = TermsStore(data / "terms", {}, [])
    with pytest.raises(TermsStorageFault) as refused:
        mine.current("zoom", "terms")
    assert f"{target} belongs to another user (uid 65534)" in str(refused.value)
    assert refused.value.fault is StorageFault.PERMISSION
    before = sorted(str(path) for path in (data / "terms").rglob("*"))
    with pytest.raises(TermsStorageFault):
        TermsStore(data / "terms", {}, []).record_version("zoom", "terms", "1. Real.\n", "https://example.com/terms",
                                                         META, T0 + timedelta(days=1))
    assert sorted(str(path) for path in (data / "terms").rglob("*")) == before, "written into their store"
    assert planted.sha256
