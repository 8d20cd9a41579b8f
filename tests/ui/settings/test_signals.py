"""Emitting many signals (as a tray app running for days does) must not wear out a reference
to True (PySide6 6.12 on Python 3.11 aborts the process when it does). Runs in a child
process, so a crash fails this test instead of the whole run."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot
from ui.settings.signals import emit

app = QCoreApplication([])

class Relay(QObject):
    value = Signal(int, object)
    def __init__(self):
        super().__init__()
        self.received = 0
        self.value.connect(self.got)
    @Slot(int, object)
    def got(self, number, payload):
        self.received += 1

relay = Relay()
before = sys.getrefcount(True)
def work():
    for number in range(20000):
        emit(relay.value, number, None)
work()
pool = QThreadPool()
pool.start(work)
pool.waitForDone()
app.processEvents()
print(relay.received, sys.getrefcount(True) - before)
"""


def test_forty_thousand_emits_leave_true_alone():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    received, drift = map(int, result.stdout.split())
    assert received == 40000
    assert abs(drift) < 50
