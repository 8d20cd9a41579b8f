"""Emit Qt signals from Python without PySide6 6.12's stolen reference.

``SignalInstance.emit()`` in PySide6 6.12.0 returns ``True`` without a new reference, so each
emit made from Python takes one reference away from ``True``. On Python 3.11, where ``True``
is an ordinary object, the process aborts ("bool_dealloc: deallocating True or False") after
a few thousand emits (a long-running tray app gets there). :func:`emit` finds out once
whether the installed PySide6 does this and, only then, gives the reference back, so it is
right with a fixed PySide6 too. Every emit in ui/settings goes through it.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_steals: bool | None = None


class _Probe(QObject):
    ping = Signal()


def _emit_steals_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.ping.emit()
    return sys.getrefcount(True) <= before - 10


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, returning the reference PySide6 may have taken from ``True``."""
    global _steals
    if _steals is None:
        _steals = _emit_steals_a_reference()
    result = signal.emit(*args)
    if _steals and result is True:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
