"""Helper processes that do not run modules from the folder the app was started in.

``multiprocessing`` starts a ``spawn`` helper (and its resource tracker) as ``python -c ...``,
which puts the working folder first on the module path before the helper restores the app's
own: a ``socket.py`` or ``pickle.py`` lying in the folder where the user ran ``meeting-guard``
(a download, a cloned repository) would run inside every export, terms check, ledger check and
append. ``PYTHONSAFEPATH`` (Python 3.11) tells the new interpreter not to add that folder; the
helper then takes the app's module path as the app has it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SAFE_PATH_ENV = "PYTHONSAFEPATH"
_lock = threading.Lock()  # one change of the environment at a time, undone after each start


@contextmanager
def safe_module_path() -> Iterator[None]:
    """Around starting ``spawn`` processes: they inherit ``PYTHONSAFEPATH=1``; this process's
    environment is as it was afterwards (its other children, the user's programs, are not changed)."""
    with _lock:
        before = os.environ.get(SAFE_PATH_ENV)
        os.environ[SAFE_PATH_ENV] = "1"
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(SAFE_PATH_ENV, None)
            else:
                os.environ[SAFE_PATH_ENV] = before
