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


def test_an_answer_holding_another_decision_than_asked_is_not_taken(path, no_keyring):
    """The tray shows the record the helper answers: one with the right id but another decision (a
    bug, or a helper that is not ours) is no answer, and the app appends the user's own with that id."""
    from datetime import UTC, datetime

    from guard.ledger.models import Meeting, Notice

    asked = RecordDraft(provider_id="zoom", decision="refused", feature_id="meeting-summary", note="n" * 100_000,
                        meeting=Meeting(title="T" * 20_000), notice=Notice(text="AI Companion is on",
                                                                           seen_at=datetime.now(UTC)))
    record_id = str(uuid.uuid4())
    with Ledger.open(path) as ledger:
        real = ledger.append(asked, record_id=record_id)  # what an honest helper stores and answers
    assert real.cut, "long texts are cut as the ledger cuts them, and still match"
    honest = json.dumps({"record": real.model_dump(mode="json")}).encode()
    assert _answer(honest, record_id, asked.model_dump_json()) == real
    for change in ({"decision": "given"}, {"provider_id": "teams"}, {"feature_id": None}, {"note": "other"}):
        forged = json.dumps({"record": {**real.model_dump(mode="json"), **change}}).encode()
        with pytest.raises(NoAnswer, match="another decision"):
            _answer(forged, record_id, asked.model_dump_json())
