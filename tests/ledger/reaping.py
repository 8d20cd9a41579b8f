"""No test leaves a process behind (issue 16 item 6): writers a test starts are killed and
waited for when the test ends, whether it passed, failed or timed out."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator, Sequence


@contextlib.contextmanager
def reaped(processes: Sequence[subprocess.Popen[str]]) -> Iterator[Sequence[subprocess.Popen[str]]]:
    """Yield ``processes``; on the way out kill any still running and wait for all of them."""
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
