"""Work-arounds for bugs in the Qt binding, applied once when ``ui`` is imported.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference, so
every emit from Python drops one reference to ``True``; a long-running app (a snapshot every
two seconds) eventually frees ``True`` and Python aborts ("bool_dealloc"). The probe below
finds out whether this binding has the bug and, only then, wraps ``emit`` to add the
missing reference. A fixed binding is left alone.

PySide6 (6.x, ``shibokensupport/feature.py``): for ``from __feature__ import ...`` it asks, for
every module imported after PySide6, whether the module uses PySide6, by
``inspect.getsource(module)``; ``linecache`` then keeps every one of those files' lines for the
life of the process (about 10 MB of the idle tray app's 100, more with each window opened).
:func:`stop_caching_sources` answers the same question from the file itself, without the cache.
"""

from __future__ import annotations

import ctypes
import linecache
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


def _uses_pyside(module: object) -> bool:
    """PySide6's own test ("PySide6" in the module's source), read from the file and not kept."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built in, compiled or frozen: PySide6's check finds no source either
    try:
        with open(path, "rb") as handle:
            return b"PySide6" in handle.read()
    except OSError:
        return False


def stop_caching_sources() -> bool:
    """Replace PySide6's per-import source check by one that keeps nothing; True when in place."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        log.debug("PySide6 has no per-import source check here; nothing to replace")
        return False
    feature._mod_uses_pyside = _uses_pyside
    linecache.clearcache()  # what the original check cached before it was replaced
    return True


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
