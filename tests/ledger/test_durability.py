"""A record whose append returned is never lost, even when the writer is killed with SIGKILL
at a random moment; two processes appending at once keep one intact chain."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from guard.ledger import Ledger
from tests.ledger.reaping import reaped

KILL_RUNS = 200
RUNS_PER_LEDGER = 25  # a fresh ledger every 25 runs, so some kills land while one is created


class ForkServer:
    """``python -m tests.ledger.writer fork-server``: forks one writer per run (see writer.py)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen([sys.executable, "-u", "-m", "tests.ledger.writer", "fork-server"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1)
        self.pending: list[str] = []

    def line(self) -> str:
        if self.pending:
            return self.pending.pop(0)
        text = self.process.stdout.readline()
        assert text, f"the fork server exited (code {self.process.poll()})"
        return text.rstrip("\n")

    def start(self, path: Path) -> int:
        self.process.stdin.write(f"run {path}\n")
        self.process.stdin.flush()
        # The child's "ready" and the server's "forked" share one pipe, in either order.
        early: list[str] = []
        while not (line := self.line()).startswith("forked"):
            early.append(line)
        self.pending.extend(early)
        return int(line.split()[1])

    def close(self, child: int | None = None) -> None:
        """``child``: a writer not yet reported dead (a failed run may leave it appending)."""
        if child is not None:  # stop it so the server's waitpid, and so close(), returns
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        with reaped([self.process]):  # the server exits once its stdin closes; killed if it does not
            self.process.stdin.close()
            self.process.wait(timeout=30)


def test_sigkilled_writers_never_lose_a_returned_record(tmp_path):
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    server = ForkServer(env)
    rng = random.Random(20261123)
    returned: dict[Path, list[str]] = {}
    pid: int | None = None
    try:
        for run in range(KILL_RUNS):
            path = tmp_path / f"ledger-{run // RUNS_PER_LEDGER}" / "ledger.sqlite3"
            pid = server.start(path)
            ids = returned.setdefault(path, [])
            if run % 5 == 0:  # kill anywhere from start-up (creating, migrating, keying) onwards
                time.sleep(rng.uniform(0, 0.03))
            else:  # kill in the middle of appending
                line = server.line()
                assert line.startswith("ready"), line
                if run % 5 > 1:  # after at least one append returned, however slow the machine is
                    line = server.line()
                    assert line.startswith("id "), line
                    ids.append(line[3:])
                time.sleep(rng.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
            while not (line := server.line()).startswith("dead"):
                assert not line.startswith("error"), f"run {run}: the writer failed: {line}"
                if line.startswith("id "):
                    ids.append(line[3:])
            pid = None  # reaped: its number may soon belong to another program, never signal it again
            if not ids and not path.exists():
                continue  # killed before the ledger file was linked into place
            with Ledger.open(path) as ledger:
                report = ledger.verify()
                assert report.ok, f"run {run}: {report.summary()}"
                stored = {record.id for record in ledger.iter()}
            missing = set(ids) - stored
            assert not missing, f"run {run}: {len(missing)} record(s) whose append returned are gone"
    finally:
        server.close(pid)
    # Not a throughput check (slow writers are not lost records): three runs in five wait for a
    # returned append before the kill, so the check above always had records to look for.
    assert sum(len(ids) for ids in returned.values()) >= KILL_RUNS * 3 // 5


def test_two_processes_appending_at_once_keep_the_chain_intact(path, secret_service):
    """Both writers open the (new) ledger, then append 300 records each at the same time."""
    writers = [subprocess.Popen([sys.executable, "-u", "-m", "tests.ledger.writer", "append", str(path), "300",
                                 f"writer-{n}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for n in range(2)]
    with reaped(writers):
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready"
        for writer in writers:  # release both together
            writer.stdin.write("go\n")
            writer.stdin.flush()
        outputs = [writer.communicate(timeout=300)[0].splitlines() for writer in writers]
    assert all(w.returncode == 0 for w in writers) and all(out[-1] == "done" for out in outputs)
    ids = [[line[3:] for line in out if line.startswith("id ")] for out in outputs]
    with Ledger.open(path) as ledger:
        report = ledger.verify()
        assert report.ok, report.summary()
        assert report.count == 600 and report.records_vouched == 600
        records = list(ledger.iter())
        assert ledger.key_status().message() == "keyring: Secret Service"
    assert [r.seq for r in records] == list(range(1, 601))
    by_id = {r.id: r for r in records}
    for writer_ids, n in zip(ids, range(2), strict=True):
        assert len(writer_ids) == 300
        assert [by_id[i].note for i in writer_ids] == [f"writer-{n} {i}" for i in range(300)]
    assert len({r.key_id for r in records}) == 1  # one key, created once, used by both
