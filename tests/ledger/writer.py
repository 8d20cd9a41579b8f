"""A real writer process for the crash and concurrency tests.

``python -m tests.ledger.writer append PATH N LABEL``: open the ledger, print ``ready``, wait
for a line on stdin, append N records (notes ``LABEL i``) and print each returned id
(``id <uuid>``) as it returns.

``python -m tests.ledger.writer append-hold PATH N``: open the ledger, append N records
(printing each id), print ``held`` and keep the ledger open, unclosed, until killed.

``python -m tests.ledger.writer fork-server``: import the ledger once, then for each
``run PATH`` line on stdin fork a child that opens PATH and appends until it is killed,
printing ``ready <pid>`` and each returned id; the server prints ``forked <pid>`` and, once
the child is dead, ``dead <pid> <status>`` (it reaps the child only at the next ``run``, so the
pid is never another program's while the test may signal it). Forking saves the interpreter
start-up per run, so 200 SIGKILL runs take seconds, not minutes. Every line is one unbuffered
write.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from guard.ledger import Ledger, RecordDraft


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def append(path: Path, count: int, label: str) -> None:
    with Ledger.open(path) as ledger:
        say("ready")
        sys.stdin.readline()
        for i in range(count):
            record = ledger.append(RecordDraft(provider_id="writer-test", decision="given", note=f"{label} {i}"))
            say(f"id {record.id}")
            time.sleep(0.001)  # a breath between appends lets the other writer in
    say("done")


def append_hold(path: Path, count: int) -> None:
    ledger = Ledger.open(path)
    for i in range(count):
        record = ledger.append(RecordDraft(provider_id="zoom", decision="withdrawn" if i == 2 else "given",
                                           note=f"held {i}"))
        say(f"id {record.id}")
    say("held")
    sys.stdin.readline()  # killed before this returns


def child(path: Path) -> None:
    try:
        ledger = Ledger.open(path)
        say(f"ready {os.getpid()}")
        for i in range(100_000):
            record = ledger.append(RecordDraft(provider_id="crash-test", decision="given", note=f"append {i}"))
            say(f"id {record.id}")
    except BaseException as error:  # noqa: BLE001  (report, so the test fails with the reason)
        say(f"error {error!r}")
        os._exit(3)
    os._exit(0)


def fork_server() -> None:
    """A dead child is reaped only when the next ``run`` line (or the end of stdin) comes, so
    its pid cannot be reused by another program while the test might still signal it."""
    dead: int | None = None
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command != "run":
            continue
        if dead is not None:
            os.waitpid(dead, 0)
        pid = os.fork()
        if pid == 0:
            child(Path(argument))
        say(f"forked {pid}")
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # dead, but its pid still held
        dead = pid
        say(f"dead {pid} {info.si_status if info is not None else '?'}")
    if dead is not None:
        os.waitpid(dead, 0)


if __name__ == "__main__":
    if sys.argv[1] == "append":
        append(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "writer")
    elif sys.argv[1] == "append-hold":
        append_hold(Path(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "fork-server":
        fork_server()
