"""A process that ends while its command line is read is gone, not an error that ends the scan.

Seen in the full suite under load: ``scan`` died with ProcessLookupError (ESRCH) from reading
``/proc/PID/cmdline`` of a process that exited between ``open`` and ``read``. The test arranges exactly
that timing with a real process and the real /proc file: the process is killed and reaped right after
the file is opened, so the kernel's own ESRCH reaches the reader.
"""

from __future__ import annotations

import builtins
import subprocess
import sys

import psutil
import pytest

from guard.detect import process_table

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")


def test_a_process_that_ends_between_open_and_read_is_no_such_process(monkeypatch):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    real_open = builtins.open

    def open_then_end(path, *args, **kwargs):
        handle = real_open(path, *args, **kwargs)
        if str(path) == f"/proc/{child.pid}/cmdline":
            child.kill()
            child.wait()
        return handle

    monkeypatch.setattr(builtins, "open", open_then_end)
    proc = psutil.Process(child.pid)
    with pytest.raises(psutil.NoSuchProcess):
        process_table._linux_cmdline(proc)
