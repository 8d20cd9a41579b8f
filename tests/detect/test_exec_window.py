"""A process caught in the middle of ``exec`` shows no command line yet: it is read again, not
remembered as having none.

Linux gives a new program its name before its arguments: for a moment ``/proc/PID/cmdline`` is
empty (seen on this machine just after ``Popen`` returned for ``/usr/bin/chromium``, a shell
script that execs the browser). A tick that came then remembered "no link" for that process
for good, and a browser started with a Meet link was never a meeting (the Chromium test in
tests/detect/test_browser.py failed so under load). Here the first read of the started
process's command line is made to answer as Linux does in that moment; everything else is real.
"""

from __future__ import annotations

import sys

import psutil
import pytest

import guard.detect.process_table as process_table
from tests.detect.world import collect_until, has, new_monitor, of_kind, provider_toml, script_client, unique, \
    write_catalog

LINK = "zoommtg://zoom.us/join?action=join&confno=81234567890"


@pytest.fixture
def names() -> dict[str, str]:
    return {"client": unique("zoom")}


@pytest.fixture
def catalog(tmp_path, names):
    return write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[names["client"]],
                              url_patterns=[r"^zoommtg://([a-z0-9-]+\.)?zoom\.us/join\?"]),
    })


@pytest.fixture
def mid_exec(monkeypatch):
    """``blank(pid)``: the next read of that process's command line is empty, as in the middle of exec."""
    real = process_table.read_cmdline
    pending: set[int] = set()
    reads: list[tuple[int, tuple[str, ...]]] = []

    def read(proc: psutil.Process) -> tuple[str, ...]:
        if proc.pid in pending:
            pending.discard(proc.pid)
            reads.append((proc.pid, ()))
            return ()
        args = real(proc)
        reads.append((proc.pid, args))
        return args

    monkeypatch.setattr(process_table, "read_cmdline", read)

    def blank(pid: int) -> list[tuple[int, tuple[str, ...]]]:
        pending.add(pid)
        return reads
    return blank


def test_a_link_read_in_the_middle_of_exec_is_read_again(tmp_path, processes, catalog, names, mid_exec):
    monitor = new_monitor(catalog)
    monitor.tick()
    client = processes.start([str(script_client(tmp_path / "bin", names["client"])), f"--url={LINK}"])
    reads = mid_exec(client.pid)
    events = collect_until(monitor, has("meeting-started", "zoom"), timeout=10)
    assert (client.pid, ()) in reads, "the monitor's first read was the empty one"
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    assert [(e.signal.value, e.pid) for e in meeting.event.evidence] == [("command-line", client.pid)]
    assert meeting.event.meeting_url.startswith("zoommtg://zoom.us/join")


def test_a_wrapped_app_read_in_the_middle_of_exec_is_recognised(tmp_path, processes, catalog, names, mid_exec):
    """A runtime (here Python) names the app only on its command line: an empty one is no verdict."""
    script = tmp_path / "bin" / f"{names['client']}.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("import time\nwhile True:\n    time.sleep(60)\n", encoding="utf-8")
    monitor = new_monitor(catalog)
    monitor.tick()
    client = processes.start([sys.executable, str(script)])
    reads = mid_exec(client.pid)
    events = collect_until(monitor, has("app-started", "zoom"), timeout=10)
    assert (client.pid, ()) in reads, "the monitor's first read was the empty one"
    (started,) = of_kind(events, "app-started", "zoom")
    assert [e.pid for e in started.event.evidence] == [client.pid]
