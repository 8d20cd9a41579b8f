"""Check a ledger in a helper process while this one does other work.

A 100,000-record export spends about as long checking the hash chain as writing the file;
checking in a second process uses another core, so the export takes the longer of the two
instead of their sum. The helper opens the same file read-only in effect (verify writes
nothing) and loads the key the same way this process did. If it cannot start or fails, the
check runs here instead: a result is always returned, never guessed.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from guard.ledger.store import Ledger
from guard.ledger.verify import VerifyReport
from guard.spawning import safe_module_path

log = logging.getLogger(__name__)


def _verify_file(path: str) -> VerifyReport:
    """Runs in the helper process."""
    with Ledger.open(Path(path)) as ledger:
        return ledger.verify()


class BackgroundVerify:
    """``Ledger.verify()`` started now, in a helper process; :meth:`result` waits for it."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._report: VerifyReport | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[VerifyReport] | None = None
        try:
            # spawn everywhere: a fork of a process with threads (the app's GUI, SQLite) is unsafe.
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            with safe_module_path():  # the worker starts here; no module from the working folder runs in it
                self._future = self._pool.submit(_verify_file, str(ledger.path))
        except (OSError, RuntimeError) as error:
            log.info("Checking the ledger in this process (no helper process: %s)", error)
            self._close_pool()

    def result(self) -> VerifyReport:
        if self._report is None:
            self._report = self._from_helper() or self._ledger.verify()
        return self._report

    def _from_helper(self) -> VerifyReport | None:
        if self._future is None:
            return None
        try:
            return self._future.result()
        except Exception as error:  # noqa: BLE001  (a broken helper must not cost the user the check)
            log.warning("The ledger check in a helper process failed (%s); checking here instead.", error)
            return None
        finally:
            self._close_pool()

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._future = None
