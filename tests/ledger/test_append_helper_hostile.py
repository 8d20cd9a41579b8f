"""Helper processes in a hostile working folder: ``multiprocessing``'s ``spawn`` starts them as
``python -c``, which puts the working folder first on the module path. A ``socket.py`` left in
the folder where the user ran ``meeting-guard`` (a download, a cloned repository) must never run
in the append, key-status or ledger-check helpers; the decision is appended by the helper as usual."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from guard.ledger import Ledger, RecordDraft, ledger_path
from guard.ledger.append_helper import NoAnswer, _answer, append_in_helper
from guard.ledger.background import BackgroundVerify
from guard.paths import app_paths
from guard.services.heavy import read_key_status
from guard.services.helper import run_in_helper
from guard.spawning import SAFE_PATH_ENV

pytestmark = pytest.mark.desktop

# Modules the spawned interpreter imports from the standard library before it takes the app's path.
PLANTED = ("socket", "pickle", "signal", "struct")


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder holds modules named like the standard library's; each, if run, leaves a mark."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in PLANTED:
        (folder / f"{name}.py").write_text(
            f"open({str(folder / ('RAN-' + name))!r}, 'w').write('ran')\nraise SystemExit(3)\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def marks(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("RAN-*"))


def test_modules_in_the_working_folder_never_run_in_a_helper(app_home, secret_service, planted):
    paths = app_paths().ensure()
    before = os.environ.get(SAFE_PATH_ENV)
    record_id = str(uuid.uuid4())
    record = append_in_helper(paths, RecordDraft(provider_id="zoom", decision="given", note="in a helper"),
                              record_id)  # NoAnswer if the helper died
    assert record.id == record_id and marks(planted) == []
    assert run_in_helper(read_key_status, paths).usable and marks(planted) == []
    with Ledger.open(ledger_path(paths)) as ledger:
        check = BackgroundVerify(ledger)
        assert check.result().ok
    assert marks(planted) == [], "a planted module ran in the ledger check's helper"
    assert os.environ.get(SAFE_PATH_ENV) == before, "this process's environment is left as it was"


def test_an_answer_nested_deep_is_no_answer_not_a_crash():
    """The app appends itself (same id) when the helper's answer cannot be read, however it is built."""
    record_id = str(uuid.uuid4())
    for answer in (b"[" * 100_000, b'{"record": ' + b"[" * 100_000, b'{"error": ' + b"{\"a\":" * 50_000,
                   json.dumps(["error"]).encode(), b"null", b"\xff\xfe not utf-8"):
        with pytest.raises(NoAnswer):
            _answer(answer, record_id)
