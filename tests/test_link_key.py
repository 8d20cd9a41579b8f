"""The install's link key: made once, kept private, read the same by every process; unreadable means no pseudonym."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from guard import link_key
from guard.detect.redaction import redact_url


@pytest.fixture(autouse=True)
def fresh():
    link_key.forget()
    yield
    link_key.forget()


def test_the_key_is_made_once_private_and_another_process_reads_the_same_pseudonym():
    shown = redact_url("https://zoom.us/my/ada.lovelace")
    path = link_key.key_file()
    assert path.stat().st_mode & 0o777 == 0o600 and len(path.read_text().strip()) == 64
    assert "lovelace" not in shown and len(shown.rsplit("/", 1)[1]) == len("redacted-") + 16
    other = subprocess.run([sys.executable, "-c", "from guard.detect.redaction import redact_url;"
                            "print(redact_url('https://zoom.us/my/Ada.Lovelace'))"],
                           capture_output=True, text=True, env=dict(os.environ), check=True, timeout=60)
    assert other.stdout.strip() == shown, "the command line, the detector and the host give one name one pseudonym"


def test_another_install_gives_the_same_name_another_pseudonym(tmp_path, monkeypatch):
    mine = redact_url("https://acme.webex.com/meet/jane.doe")
    monkeypatch.setenv("MEETING_GUARD_HOME", str(tmp_path / "other"))
    theirs = redact_url("https://acme.webex.com/meet/jane.doe")
    assert mine != theirs and theirs.startswith("https://acme.webex.com/meet/redacted-")


@pytest.mark.parametrize("damage", ["short", "link", "folder"])
def test_an_unreadable_key_redacts_the_name_with_no_pseudonym_at_all(damage, tmp_path, caplog):
    path = link_key.key_file()
    path.parent.mkdir(parents=True, mode=0o700)
    if damage == "short":
        path.write_text("00ff\n")
    elif damage == "link":
        (tmp_path / "elsewhere").write_text("ab" * 32)
        path.symlink_to(tmp_path / "elsewhere")
    else:
        path.mkdir()
    assert redact_url("https://zoom.us/my/ada.lovelace?pwd=1") == "https://zoom.us/my/redacted?pwd=…"
    assert str(path) in caplog.text and "no pseudonym" in caplog.text


def test_threads_asking_at_once_share_one_key():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        shown = set(pool.map(lambda _: redact_url("https://zoom.us/my/ada.lovelace"), range(32)))
    assert len(shown) == 1 and shown != {"https://zoom.us/my/redacted"}
