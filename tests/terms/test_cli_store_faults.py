"""A fault of the terms store itself exits 3 (STORAGE) from every ``terms`` action, as the ledger's
do, with a message naming the file and what to do; a version the user named that is not there
stays bad usage (2). Real files: an index that is a folder, a damaged index on a read-only bind
mount, a full tmpfs under the data folder while ``terms check`` stores a new version fetched from
a real local server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from guard.cli.status import ExitStatus
from guard.errors import StorageFaultError
from guard.terms.errors import TermsStorageFault, TermsStoreError
from guard.terms.store import TermsStore
from tests.support.disks import fill, mounted_tmpfs, needs_root
from tests.terms.support.pages import plain_page
from tests.terms.support.server import TermsServer, page

def settings(app_home: Path, network: bool) -> None:
    config = app_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(
        f"[terms]\nnetwork_enabled = {'true' if network else 'false'}\n",
        encoding="utf-8")

@pytest.fixture(autouse=True)
def _local_test_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain HTTP to this computer's test servers: from the environment, never the settings file."""
    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")



def test_an_index_that_cannot_be_opened_exits_3_from_every_action_naming_the_file(cli, app_home: Path,
                                                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    index = app_home / "data" / "terms" / "terms.sqlite3"
    index.mkdir(parents=True)  # something that is not a database file where the index must be
    for action in (("log", "zoom"), ("diff", "zoom"), ("check", "zoom"), ("import", "zoom", "--git", str(tmp_path))):
        result = cli("terms", *action)
        said = result.stdout + result.stderr
        assert result.returncode == ExitStatus.STORAGE, (action, result.returncode, said)
        assert f"Check that {index} is a file you can read and write" in said and "try again" in said, said
        assert "Traceback" not in said
    assert index.is_dir(), "nothing was moved or overwritten"


def test_a_folder_in_the_way_of_the_store_says_which_folder(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    (app_home / "data").mkdir(parents=True)
    (app_home / "data" / "terms").write_text("not a folder", encoding="utf-8")
    result = cli("terms", "log", "zoom")
    assert result.returncode == ExitStatus.STORAGE
    assert f"Cannot create the terms store folder {app_home / 'data' / 'terms'}" in result.stderr
    assert "is a folder you can read and write" in result.stderr


def test_a_version_that_is_not_there_stays_bad_usage(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    bad_ref = cli("terms", "diff", "zoom", "terms", "--from", "xyz")
    assert bad_ref.returncode == ExitStatus.USAGE and "not a version" in bad_ref.stderr
    with pytest.raises(TermsStoreError) as caught:
        TermsStore(app_home / "data" / "terms", {}, []).resolve("zoom", "terms", "xyz")
    assert not isinstance(caught.value, StorageFaultError), "the user's input is not a storage fault"


@pytest.fixture
def read_only_damaged_store(app_home: Path) -> Iterator[Path]:
    terms = app_home / "data" / "terms"
    terms.mkdir(parents=True)
    (terms / "terms.sqlite3").write_bytes(b"this is not a database" * 100)
    subprocess.run(["mount", "--bind", str(terms), str(terms)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(terms)], check=True)
        yield terms
    finally:
        subprocess.run(["umount", "-l", str(terms)], check=False)


@needs_root
def test_a_damaged_index_that_cannot_be_set_aside_exits_3_saying_what_to_do(
        cli, app_home: Path, read_only_damaged_store: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=False)
    for action in (("log",), ("diff", "zoom"), ("check", "zoom")):
        result = cli("terms", *action)
        said = result.stdout + result.stderr
        assert result.returncode == ExitStatus.STORAGE, (action, said)
        assert f"{read_only_damaged_store / 'terms.sqlite3'} is damaged" in said
        assert f"make {read_only_damaged_store} writable, or move the file away yourself" in said
    assert (read_only_damaged_store / "terms.sqlite3").read_bytes().startswith(b"this is not a database")


@pytest.fixture
def small_data_disk(app_home: Path) -> Iterator[Path]:
    """The app's data folder on a 2 MB tmpfs (config and cache stay on the roomy disk)."""
    with mounted_tmpfs("mpg-terms-cli-full-") as mount_point:
        app_home.mkdir(parents=True, exist_ok=True)
        (app_home / "data").symlink_to(mount_point)
        yield mount_point


@needs_root
def test_a_full_disk_while_storing_a_new_version_exits_3(cli, app_home: Path, tmp_path: Path,
                                                          small_data_disk: Path) -> None:  # type: ignore[no-untyped-def]
    settings(app_home, network=True)
    with TermsServer() as server:
        declaration = tmp_path / "Acme.json"
        declaration.write_text(json.dumps({"name": "Acme", "terms": {"Terms of Service": {
            "fetch": server.url("/terms"), "select": "main"}}}), encoding="utf-8")
        server.routes["/terms"] = page(plain_page("1. First terms.\n"))
        first = cli("terms", "check", "acme", "--declaration", str(declaration), "--json")
        assert first.returncode == ExitStatus.OK, first.stderr
        fill(small_data_disk / "filler")
        server.routes["/terms"] = page(plain_page("2. Second terms, much longer. " * 3000))
        full = cli("terms", "check", "acme", "--declaration", str(declaration), "--json")
    assert full.returncode == ExitStatus.STORAGE, full.stdout + full.stderr
    (check,) = json.loads(full.stdout)["checks"]
    assert check["result"] == "failed" and "is full" in check["message"] and "Free some space" in check["message"]
    (small_data_disk / "filler").unlink()
    documents = json.loads(cli("terms", "log", "--json").stdout)["documents"]
    kept = [v for d in documents if d["provider_id"] == "acme" for v in d["versions"]]
    assert len(kept) == 1, "the version stored before is still there"


def test_every_store_fault_is_a_storage_fault() -> None:
    assert issubclass(TermsStorageFault, StorageFaultError) and issubclass(TermsStorageFault, TermsStoreError)
