"""Settings-window link benchmark: ``python -m tests.bench.bench_snapshot_link``.

The tray app sends the monitor's snapshot to the settings window's process as one line of JSON
(:mod:`ui.settings_link`) each time it changes; the window reads it back checked shape by shape
(:mod:`guard.snapshot_json`). Timed on a busy snapshot, 30 meetings in progress and 30 ended, each
with five pieces of evidence (two with a translatable sentence, one nested) and two things seen in
the meeting, plus 10 running apps:

* ``pack_ms``: the snapshot to JSON data (the tray app's side);
* ``unpack_ms``: the data back to a checked snapshot (the window's side);
* ``line_ms``: the whole trip, encode → bytes → decode → unpack, as the socket carries it.

Medians of 200 runs after 20 warm-up runs; also the line's size. Prints one JSON object.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from guard.detect.observation import ProbeState, ProbeStatus
from guard.events import Evidence, MeetingSession, RunningApp, SeenInMeeting, Signal
from guard.i18n import N_, Text
from guard.monitor import Snapshot
from ui.settings_link import TO_WINDOW, decode, encode, pack, unpack

MEETINGS = 30
RUNS = 200


def busy_snapshot(meetings: int = MEETINGS) -> Snapshot:
    """``meetings`` meetings in progress and as many ended, as a long day's monitor would hold."""
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def meeting(index: int, ended: bool) -> MeetingSession:
        seen = start + timedelta(minutes=index)
        said = Text.of(N_("{app} uses the microphone ({detail})"), app="zoom",
                       detail=Text.of(N_("{count} stream"), count=index + 1))
        evidence = (Evidence(Signal.MEETING_PROCESS, "zoom", seen, pid=1000 + index),
                    Evidence(Signal.WINDOW_TITLE, f"Zoom Meeting {index}", seen),
                    Evidence(Signal.MICROPHONE, "zoom uses the microphone", seen, pid=1000 + index, said=said),
                    Evidence(Signal.BROWSER_TAB, f"https://zoom.us/j/{index}", seen, tab=f"chromium/{index}",
                             said=Text.of(N_("a tab of {browser}"), browser="Chromium")),
                    Evidence(Signal.SOCKET, "zoom.us:443", seen, pid=1000 + index))
        return MeetingSession(
            id=f"m{index}-{ended}", provider_id="zoom", started_at=seen, evidence=evidence,
            title=f"Weekly sync {index} — Zoom Meeting", url=f"https://zoom.us/j/{index}", tab=f"chromium/{index}",
            window=f"x11:0x{index:x}", ended_at=seen + timedelta(minutes=30) if ended else None,
            seen=(SeenInMeeting(Signal.PARTICIPANT, "otter", "Otter.ai Notetaker", seen),
                  SeenInMeeting(Signal.AI_NOTICE, "zoom", "AI Companion is on", seen, "ai-companion")))

    apps = tuple(RunningApp(f"a{index}", "zoom", start, (Evidence(Signal.PROCESS, "zoom", start, pid=index),))
                 for index in range(10))
    probes = tuple(ProbeStatus(name, ProbeState.OK, "", "linux") for name in ("process", "window", "microphone"))
    return Snapshot(start, True, None, apps, tuple(meeting(i, False) for i in range(meetings)), probes,
                    tuple(meeting(i, True) for i in range(meetings)))


def median_ms(action: Callable[[], Any]) -> float:
    for _ in range(20):
        action()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 3)


def main() -> None:
    snapshot = busy_snapshot()
    data = pack(snapshot)
    line = encode("snapshot", data=data)
    assert unpack(decode(line, TO_WINDOW)["data"]) == snapshot
    print(json.dumps({
        "bench": "snapshot_link", "meetings": MEETINGS, "ended": MEETINGS, "line_bytes": len(line),
        "pack_ms": median_ms(lambda: pack(snapshot)),
        "unpack_ms": median_ms(lambda: unpack(data)),
        "line_ms": median_ms(lambda: unpack(decode(encode("snapshot", data=pack(snapshot)), TO_WINDOW)["data"])),
    }))


if __name__ == "__main__":
    main()
