"""A real writer process for the crash and concurrency tests.

``python -m tests.ledger.writer append PATH N LABEL``: open the ledger, print ``ready``, wait
for a line on stdin, append N records (notes ``LABEL i``) and print each returned id
(``id <uuid>``) as it returns.

``python -m tests.ledger.writer append-hold PATH N``: open the ledger, append N records
(printing each id), print ``held`` and keep the ledger open, unclosed, until killed.

``python -m tests.ledger.writer fork-server``: import the ledger once, then for each
``run PATH`` line on stdin fork a child that opens PATH and appends until it is killed,
printing ``ready <pid>`` and each returned id; the server prints ``forked <pid>`` and, once
the child is dead, ``dead <pid> <status>``. Forking saves the interpreter start-up per run,
so 200 SIGKILL runs take seconds, not minutes. Every line is one unbuffered write.
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
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command != "run":
            continue
        pid = os.fork()
        if pid == 0:
            child(Path(argument))
        say(f"forked {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"dead {pid} {status}")


if __name__ == "__main__":
    if sys.argv[1] == "append":
        append(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "writer")
    elif sys.argv[1] == "append-hold":
        append_hold(Path(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "fork-server":
        fork_server()
