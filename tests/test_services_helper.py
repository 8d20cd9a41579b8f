"""The helper process that runs exports and terms checks gives way to the app: a busy computer
serves the tray app's GUI thread (and the user's programs) before a 100,000-record export."""

from __future__ import annotations

import os
import sys
import time

import pytest

from guard.services.helper import HELPER_NICENESS, HelperFailed, run_in_helper


def _niceness(report):  # runs in the helper process
    report(1, 1)
    return os.nice(0)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX nice values")
def test_the_helper_process_runs_at_a_lower_priority_than_the_app():
    seen: list[tuple[int, int]] = []
    theirs = run_in_helper(_niceness, progress=lambda done, total: seen.append((done, total)) or True)
    assert theirs == min(os.nice(0) + HELPER_NICENESS, 19)
    assert seen == [(1, 1)]  # the answer and the progress still come back


def _sleeps(pid_file, report):  # runs in the helper process: never answers in time
    pid_file.write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(60)
    return "finished"


def test_a_helper_that_never_answers_is_killed_at_the_deadline(tmp_path):
    pid_file = tmp_path / "helper.pid"
    with pytest.raises(HelperFailed, match=r"did not finish within 3 s and was stopped"):
        run_in_helper(_sleeps, pid_file, deadline_s=3.0)
    pid = int(pid_file.read_text(encoding="utf-8"))
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left sleeping
        os.kill(pid, 0)
