"""The installed PySide6 must keep Python's reference counts: PySide6 6.12.0 on Python 3.11
drops a reference to None on every void method call and to True on every Signal.emit(), and
the app aborts ("none_dealloc") after a few thousand calls. Runs in a child process, so a
broken PySide6 fails this test instead of crashing the test run."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
import PySide6

app = QApplication([])
label = QLabel()

class Relay(QObject):
    value = Signal(int)

relay = Relay()
none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
for number in range(500):
    label.setText(str(number))
    app.processEvents()
    relay.value.emit(number)
print(PySide6.__version__, sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
"""


def test_qt_calls_and_signal_emits_keep_none_and_true_alive():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    version, none_drift, true_drift = result.stdout.split()
    assert abs(int(none_drift)) < 100, f"PySide6 {version} loses references to None (use another version)"
    assert abs(int(true_drift)) < 100, f"PySide6 {version} loses references to True (use another version)"


LINECACHE_SCRIPT = """
import linecache, sys
import PySide6.QtCore
import ui  # applies the work-arounds
import difflib, http.client, guard.terms.analysis  # modules imported after PySide6, as the app does
from ui.qt_fixes import _uses_pyside
print(len([name for name in linecache.cache if not name.startswith("<")]),
      _uses_pyside(sys.modules["ui.qt_fixes"]), _uses_pyside(sys.modules["difflib"]))
"""


def test_importing_modules_after_pyside_keeps_no_source_lines():
    """PySide6 reads every later-imported module's source; the app must not keep those lines
    (10 MB of the idle tray app), and must still tell modules that use PySide6 from others."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run([sys.executable, "-c", LINECACHE_SCRIPT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": root}, cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    cached, ui_uses, difflib_uses = result.stdout.split()
    assert int(cached) == 0, f"{cached} source files kept in linecache after imports"
    assert (ui_uses, difflib_uses) == ("True", "False")
