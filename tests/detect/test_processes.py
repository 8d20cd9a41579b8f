"""Process and command-line detection against real processes started by the test."""

import os
import subprocess
import sys

import psutil
import pytest

from guard.events import Signal
from tests.detect.world import (
    client_copy,
    collect_until,
    has,
    new_monitor,
    of_kind,
    provider_toml,
    script_client,
    unique,
    write_catalog,
)


@pytest.fixture
def names():
    return {"client": unique("zoom"), "helper": unique("zmhelper"), "notes": unique("otter"),
            "long": "meetinghostproc-" + unique("x")[-6:]}


@pytest.fixture
def catalog(tmp_path, names):
    return write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[names["client"], names["long"]],
                              meeting_processes=[names["helper"]],
                              url_patterns=[r"^zoommtg://([a-z0-9-]+\.)?zoom\.us/join\?"]),
        "otter": provider_toml("otter", "Otter.ai", "notetaker", processes=[names["notes"]]),
    })


def test_client_start_and_stop_are_events_with_the_process_as_evidence(tmp_path, processes, catalog, names):
    monitor = new_monitor(catalog)
    monitor.tick()
    client = processes.start([str(client_copy(tmp_path / "bin", names["client"])), "300"])
    events = collect_until(monitor, has("app-started", "zoom"))
    (started,) = of_kind(events, "app-started", "zoom")
    (evidence,) = started.event.evidence
    assert evidence.signal == Signal.PROCESS and evidence.pid == client.pid
    assert names["client"] in evidence.detail
    assert started.provider.name == "Zoom Workplace"
    assert [a.provider_id for a in monitor.snapshot().apps] == ["zoom"]

    processes.stop(client)
    events = collect_until(monitor, has("app-stopped", "zoom"))
    (stopped,) = of_kind(events, "app-stopped", "zoom")
    assert stopped.event.session_id == started.event.session_id
    assert monitor.snapshot().apps == ()


def test_a_running_client_alone_is_never_a_meeting(tmp_path, processes, catalog, names):
    monitor = new_monitor(catalog)
    processes.start([str(client_copy(tmp_path / "bin", names["client"])), "300"])
    events = collect_until(monitor, lambda _events: False, timeout=2.5)
    assert of_kind(events, "app-started", "zoom")
    assert of_kind(events, "meeting-started") == []
    assert monitor.snapshot().meetings == ()


def test_a_meeting_only_process_starts_and_ends_a_meeting(tmp_path, processes, catalog, names):
    monitor = new_monitor(catalog)
    helper = processes.start([str(client_copy(tmp_path / "bin", names["helper"])), "300"])
    events = collect_until(monitor, has("meeting-started", "zoom"))
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    assert [(e.signal, e.pid) for e in meeting.event.evidence] == [(Signal.MEETING_PROCESS, helper.pid)]
    processes.stop(helper)
    events = collect_until(monitor, has("meeting-ended", "zoom"))
    (ended,) = of_kind(events, "meeting-ended", "zoom")
    assert ended.event.started_at == meeting.event.at
    assert ended.event.session_id == meeting.event.session_id


def test_long_client_names_match_although_linux_cuts_them_to_15_characters(tmp_path, processes, catalog, names):
    assert len(names["long"]) > 15
    monitor = new_monitor(catalog)
    client = processes.start([str(client_copy(tmp_path / "bin", names["long"])), "300"])
    events = collect_until(monitor, has("app-started", "zoom"))
    (started,) = of_kind(events, "app-started", "zoom")
    assert [(e.pid, names["long"] in e.detail) for e in started.event.evidence] == [(client.pid, True)]


def test_a_client_started_with_a_meeting_link_is_in_a_meeting(tmp_path, processes, catalog, names):
    monitor = new_monitor(catalog)
    link = "zoommtg://zoom.us/join?action=join&confno=81234567890&pwd=s3cret"
    client = processes.start([str(script_client(tmp_path / "bin", names["client"])), f"--url={link}"])
    events = collect_until(monitor, has("meeting-started", "zoom"))
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    (evidence,) = meeting.event.evidence
    assert evidence.signal == Signal.COMMAND_LINE and evidence.pid == client.pid
    assert "confno=81234567890" in meeting.event.meeting_url and "s3cret" not in meeting.event.meeting_url
    assert "s3cret" not in evidence.detail


def test_a_notetaker_running_is_reported_as_notetaker_seen(tmp_path, processes, catalog, names):
    monitor = new_monitor(catalog)
    notes = processes.start([str(client_copy(tmp_path / "bin", names["notes"])), "300"])
    events = collect_until(monitor, has("notetaker-seen", "otter"))
    (seen,) = of_kind(events, "notetaker-seen", "otter")
    assert seen.event.evidence[0].pid == notes.pid
    assert of_kind(events, "app-started", "otter") == []


def test_a_launcher_that_execs_the_client_is_noticed(tmp_path, processes, catalog, names):
    real = client_copy(tmp_path / "bin", names["client"])
    launcher = tmp_path / "bin" / "launcher.sh"
    launcher.write_text(f"#!/bin/sh\nsleep 0.7\nexec {real} 300\n")
    launcher.chmod(0o755)
    monitor = new_monitor(catalog)
    process = processes.start([str(launcher)])
    events = collect_until(monitor, has("app-started", "zoom"))
    (started,) = of_kind(events, "app-started", "zoom")
    assert started.event.evidence[0].pid == process.pid


def test_a_120_kb_argument_costs_a_bounded_read_once(tmp_path, processes, catalog, names):
    """Issue 16.11: one 120 kB argument made every scan take 54 s (quadratic link search, every tick).
    Now the command line is read cut to size, searched once per process, and the link after it is found."""
    from guard.detect.process_table import ARG_CHARS, ProcessTable
    from guard.patterns import COUNTER

    link = "zoommtg://zoom.us/join?action=join&confno=81234567890"
    huge = "--data=" + "a1b2c3" * 20_000
    client = processes.start([str(script_client(tmp_path / "bin", names["client"])), huge, huge, f"--url={link}"])
    # The world is this test's client: a process other work starts on the machine meanwhile is new, and
    # searched once, rightly; it is not what this test counts (it made the test fail under load).
    table = ProcessTable(pids=lambda: [pid for pid in psutil.pids() if pid == client.pid])
    monitor = new_monitor(catalog, table=table)
    before = COUNTER.snapshot()
    events = collect_until(monitor, has("meeting-started", "zoom"))
    assert [e.pid for e in of_kind(events, "meeting-started", "zoom")[0].event.evidence] == [client.pid]
    calls, chars = (now - then for now, then in zip(COUNTER.snapshot(), before, strict=True))
    assert chars <= 3 * ARG_CHARS + 4096 * calls and chars < 60_000, "each argument is examined cut to size"
    before = COUNTER.snapshot()
    for _ in range(3):
        monitor.tick()
    assert COUNTER.snapshot() == before, "later ticks search no command line again"


def test_linux_client_names_from_the_issue_are_recognised(tmp_path, processes):
    """Issue 14: teams-for-linux, CiscoCollabHost (Webex), Zoom's in-meeting aomhost, Telegram's
    16-character telegram-desktop (Linux shows 'telegram-deskto'), and an Electron app run by a
    shared Electron ('electron31 .../element/app.asar', as distributions package Element)."""
    import shutil as _shutil

    catalog = write_catalog(tmp_path / "catalog", {
        "teams": provider_toml("teams", "Teams", processes=["teams-for-linux"]),
        "webex": provider_toml("webex", "Webex", processes=["CiscoCollabHost"]),
        "zoom": provider_toml("zoom", "Zoom", processes=["zoom"], meeting_processes=["aomhost"]),
        "telegram": provider_toml("telegram", "Telegram", "chat-with-calls", processes=["telegram-desktop"]),
        "element": provider_toml("element", "Element", "chat-with-calls", processes=["element-desktop", "element"]),
    })
    asar = tmp_path / "lib" / "element" / "app.asar"
    asar.parent.mkdir(parents=True)
    asar.write_text("")
    electron = tmp_path / "bin" / "electron31"
    electron.parent.mkdir(parents=True, exist_ok=True)
    _shutil.copy2("/usr/bin/tail", electron)  # a runtime that takes the app's path as an argument
    started = {
        "teams": processes.start([str(client_copy(tmp_path / "bin", "teams-for-linux")), "300"]),
        "webex": processes.start([str(client_copy(tmp_path / "bin", "CiscoCollabHost")), "300"]),
        "telegram": processes.start([str(client_copy(tmp_path / "bin", "telegram-desktop")), "300"]),
        "element": processes.start([str(electron), "-f", str(asar)]),
    }
    meeting = processes.start([str(client_copy(tmp_path / "bin", "aomhost")), "300"])
    # The world is the processes this test started, by pid: another session on the machine may run its own
    # 'aomhost' or 'teams-for-linux' (it made the test fail whenever one did); those are not this test's.
    ours = {process.pid for process in [*started.values(), meeting]}
    from guard.detect.process_table import ProcessTable
    table = ProcessTable(pids=lambda: [pid for pid in psutil.pids() if pid in ours])
    monitor = new_monitor(catalog, table=table)
    wanted = {(provider, process.pid) for provider, process in started.items()}

    def seen(events):
        return {(e.provider.id, ev.pid) for e in of_kind(events, "app-started") for ev in e.event.evidence}

    events = collect_until(monitor, lambda ev: wanted <= seen(ev) and has("meeting-started", "zoom")(ev))
    assert wanted <= seen(events)
    element = next(e for e in of_kind(events, "app-started", "element")
                   if e.event.evidence[0].pid == started["element"].pid)
    assert "element (electron31)" in element.event.evidence[0].detail
    telegram = next(e for e in of_kind(events, "app-started", "telegram"))
    assert "telegram-desktop" in telegram.event.evidence[0].detail, "the full name, not the 15-character cut"
    (zoom,) = of_kind(events, "meeting-started", "zoom")
    assert (Signal.MEETING_PROCESS, meeting.pid) in {(e.signal, e.pid) for e in zoom.event.evidence}


# Another account's process: named like a client (PR_SET_NAME), then that user's (the tests run as root).
_OTHER_USER = """
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(15, sys.argv[1].encode(), 0, 0, 0)
os.setgroups([])
os.setresgid(65534, 65534, 65534)
os.setresuid(65534, 65534, 65534)
libc.prctl(4, 1, 0, 0, 0)
print("ready", flush=True)
time.sleep(300)
"""


def test_another_users_client_and_meeting_process_are_not_this_users_meeting(processes, catalog, names):
    """On a shared computer every account's processes show in the process table. Another user's
    client started with a meeting link, or their meeting-only process, is their meeting: counted, it
    told this user they were in a meeting (and anyone can start a process so named with any link)."""
    if os.getuid() != 0:
        pytest.skip("starting another user's process needs root")
    link = "zoommtg://zoom.us/join?action=join&confno=81234567890"
    theirs = [processes.start([sys.executable, "-c", _OTHER_USER, name, *args], stdout=subprocess.PIPE, text=True)
              for name, args in ((names["client"], [f"--url={link}"]), (names["helper"], []))]
    for process in theirs:
        assert process.stdout.readline().strip() == "ready"
        assert psutil.Process(process.pid).uids().real == 65534
    mine = processes.start([sys.executable, "-c", _OTHER_USER.split("os.setgroups")[0] + "print('ready', flush=True)\n"
                            "time.sleep(300)\n", names["helper"]], stdout=subprocess.PIPE, text=True)
    assert mine.stdout.readline().strip() == "ready"
    ours = {mine.pid, *(process.pid for process in theirs)}
    from guard.detect.process_table import ProcessTable
    monitor = new_monitor(catalog, table=ProcessTable(pids=lambda: [pid for pid in psutil.pids() if pid in ours]))

    events = collect_until(monitor, has("meeting-started", "zoom"))
    their_pids = {process.pid for process in theirs}
    assert not [e for e in events for evidence in e.event.evidence if evidence.pid in their_pids], \
        "another user's client is not running for this user"
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    assert [(e.signal, e.pid) for e in meeting.event.evidence] == [(Signal.MEETING_PROCESS, mine.pid)]
    assert meeting.event.meeting_url is None, "another user's meeting link is not this user's meeting"
