"""Run ``meeting-guard`` in this process: ``main(argv, env)`` with string streams.

A test's ``cli("consent", "list", "--json")`` behaves like the real command started with this
test's environment, without paying for a Python start per call. ``env=`` is the environment
the command sees, as a child process would: it is put in ``os.environ`` for the call, ``TZ``
is applied (``time.tzset``), and ``PYTHON_KEYRING_BACKEND`` selects the keyring backend, all
restored afterwards. Signals, exit codes of the real process, broken pipes and the frozen
app are tested with real processes (``cli_process``).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from guard.cli.env import Environment
from guard.cli.main import main

KEYRING_ENV = "PYTHON_KEYRING_BACKEND"


@dataclass(frozen=True)
class CliResult:
    """What a run printed and returned (the shape of ``subprocess.CompletedProcess``)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


class _Stream(io.StringIO):
    """A text stream that can say it is a terminal."""

    def __init__(self, text: str = "", tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@contextmanager
def process_environ(environ: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` is ``environ`` inside the block (with its TZ and keyring backend)."""
    saved = dict(os.environ)
    keyring_changed = environ.get(KEYRING_ENV) != saved.get(KEYRING_ENV)
    previous_keyring = None
    if keyring_changed:
        import keyring
        import keyring.core

        previous_keyring = keyring.get_keyring()
    os.environ.clear()
    os.environ.update(environ)
    time.tzset()
    if keyring_changed:
        keyring.core.init_backend()  # reads PYTHON_KEYRING_BACKEND, as a new process would
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        time.tzset()
        if previous_keyring is not None:
            keyring.set_keyring(previous_keyring)


def run_main(*args: str, input: str | None = None, env: Mapping[str, str] | None = None,
             stdin_tty: bool = False, stderr_tty: bool = False, now: Callable[[], datetime] | None = None,
             platform: str | None = None, timeout: float | None = None) -> CliResult:
    """``meeting-guard ARGS`` in-process; ``timeout`` is accepted for the subprocess helper's signature."""
    environ = dict(os.environ if env is None else env)
    stdout, stderr = _Stream(), _Stream(tty=stderr_tty)
    extra: dict[str, object] = {}
    if now is not None:
        extra["now"] = now
    if platform is not None:
        extra["platform"] = platform
    with process_environ(environ):
        status = main(list(args), Environment(stdin=_Stream(input or "", tty=stdin_tty), stdout=stdout, stderr=stderr,
                                              environ=environ, **extra))  # type: ignore[arg-type]
    return CliResult(tuple(args), int(status), stdout.getvalue(), stderr.getvalue())
