"""Work-arounds for bugs in the Qt binding, applied once when ``ui`` is imported.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference, so
every emit from Python drops one reference to ``True``; a long-running app (a snapshot every
two seconds) eventually frees ``True`` and Python aborts ("bool_dealloc"). The probe below
finds out whether this binding has the bug and, only then, wraps ``emit`` to add the
missing reference. A fixed binding is left alone.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

log = logging.getLogger(__name__)

_PROBES = 16


def _incref(value: object) -> None:
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def emit_drops_a_reference() -> bool:
    """Whether ``emit()`` hands back a result it holds no reference for (measured, not assumed)."""

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True) + sys.getrefcount(False)
    results = [probe.ping.emit() for _ in range(_PROBES)]
    held = sys.getrefcount(True) + sys.getrefcount(False) - before
    broken = held < _PROBES // 2  # a correct binding: the list holds one reference per result
    if broken:
        for result in results:  # give back what the probe itself took
            _incref(result)
    return broken


def apply() -> bool:
    """Patch ``SignalInstance.emit`` when needed; True when it was patched (now or before)."""
    if getattr(SignalInstance.emit, "_mpg_fixed", False):
        return True
    if not emit_drops_a_reference():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        _incref(result)
        return result

    emit._mpg_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    log.debug("PySide6 emit() reference bug worked around")
    return True
