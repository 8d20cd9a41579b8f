"""The catalog snapshot in the cache folder, written by another program: the fingerprint is no
secret (it is in the file, and any program of the user's can compute it), so a crafted file can
carry the current one. Whatever it holds, ``scan`` and ``providers`` must answer from the
catalog files, never end in a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from guard.catalog.snapshot import EVENTS_FILE_NAME, FILE_NAME, FULL_FILE_NAME, LazyCatalog, load_snapshot
from tests.support.bounded import bounded

NESTED = "[" * 100_000


def _first_detect(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        change(data["providers"][0]["detect"])
    return apply


SHAPES = {  # the current fingerprint, a detect table of another shape
    "a number for a platform": _first_detect(lambda d: d.update(linux=5)),
    "a number for a list": _first_detect(lambda d: d["linux"].update(processes=5)),
    "an object for a name": _first_detect(lambda d: d["linux"].update(processes=[{"x": 1}])),
    "a number for web patterns": _first_detect(lambda d: d["web"].update(url_patterns=7)),
    "a number for bots and notices": _first_detect(lambda d: d.update(participant_names=5, notices=5)),
    "a notice of one word": _first_detect(lambda d: d.update(notices=[["only-a-feature"]])),
}


@pytest.fixture
def current(cli, app_home: Path) -> dict[str, Any]:
    """The snapshot a first ``scan`` kept, as JSON."""
    assert cli("scan", "--json").returncode == 0
    return json.loads((app_home / "cache" / FILE_NAME).read_text(encoding="utf-8"))


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_a_snapshot_of_another_shape_is_rebuilt_not_fatal(cli, app_home, current, shape):
    SHAPES[shape](current)
    path = app_home / "cache" / FILE_NAME
    path.write_text(json.dumps(current), encoding="utf-8")
    result = cli("scan", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(path.read_text(encoding="utf-8")) != current, "rebuilt from the catalog files"


def test_a_snapshot_nested_deep_is_rebuilt_not_fatal(cli, app_home, current):
    path = app_home / "cache" / FILE_NAME
    path.write_text(NESTED, encoding="utf-8")
    for command in (("scan", "--json"), ("providers", "--json")):
        result = cli(*command)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (command, result.stderr)
    assert json.loads(path.read_text(encoding="utf-8"))["providers"], "rebuilt"


def test_event_facts_and_full_dumps_nested_deep_fall_back_to_the_files(tmp_path):
    snapshot, full = load_snapshot(tmp_path)
    assert full is not None
    events = tmp_path / EVENTS_FILE_NAME
    header = events.read_text(encoding="utf-8").splitlines()[0]
    events.write_text(f'{header}\n"zoom"\t{NESTED}\n', encoding="utf-8")  # a current header, a line nested deep
    (tmp_path / FULL_FILE_NAME).write_text(NESTED, encoding="utf-8")
    lazy = LazyCatalog(None, None, None, snapshot, tmp_path)
    facts = lazy.event_facts("zoom")
    assert facts is not None and facts.provider["name"] == full.get("zoom").name
    events.write_text(NESTED, encoding="utf-8")  # the header itself
    again = LazyCatalog(None, None, None, snapshot, tmp_path)
    assert again.get("zoom") == full.get("zoom")
    facts = again.event_facts("zoom")
    assert facts is not None and facts.provider["name"] == full.get("zoom").name


@pytest.mark.parametrize("kind", ["named pipe", "link to /dev/zero"])
def test_a_snapshot_that_is_not_a_file_is_rebuilt_not_waited_on(cli_process, app_home, kind):
    """A named pipe in the snapshot's place made 'scan' wait for ever for a writer; a link to
    /dev/zero made 'providers' read for ever. Each is a cache file not to be read: the catalog files decide."""
    import os

    assert cli_process("providers", "--json").returncode == 0
    cache = app_home / "cache"
    for name in (FILE_NAME, FULL_FILE_NAME, EVENTS_FILE_NAME):
        (cache / name).unlink()
        if kind == "named pipe":
            os.mkfifo(cache / name)
        else:
            (cache / name).symlink_to("/dev/zero")
    for command in (("scan", "--json"), ("providers", "--json")):
        result = cli_process(*command, timeout=30)  # a hang is a TimeoutExpired
        assert result.returncode == 0, result.stderr
    assert json.loads((cache / FILE_NAME).read_text(encoding="utf-8"))["providers"], "rebuilt as a file"


def test_a_current_events_file_that_is_a_pipe_falls_back_to_the_files(tmp_path):
    import os

    snapshot, full = load_snapshot(tmp_path)
    assert full is not None
    (tmp_path / EVENTS_FILE_NAME).unlink()
    os.mkfifo(tmp_path / EVENTS_FILE_NAME)
    (tmp_path / FULL_FILE_NAME).unlink()
    (tmp_path / FULL_FILE_NAME).symlink_to("/dev/zero")
    lazy = LazyCatalog(None, None, None, snapshot, tmp_path)
    facts = bounded(lambda: lazy.event_facts("zoom"), hang="waited for a writer to the pipe")
    assert not isinstance(facts, BaseException) and facts is not None
    assert facts.provider["name"] == full.get("zoom").name
