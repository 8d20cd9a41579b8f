"""Accessibility probe benchmark: ``python -m tests.bench.bench_accessibility``. Prints JSON lines.

In a private desktop session (Xvfb, D-Bus, the real AT-SPI bus), a real Qt client
(tests/detect/a11y_client.py) shows a meeting window with a participant list, a "Recording has
started." alert and a bot. The AT-SPI reader reads it tick after tick, as the detector does while
a meeting is in progress; then the same for a hostile client (10,000 participants, ten of them
100 kB long, and a 100 kB label). For each: per tick, the accessibility calls and nodes read, the
wall time and the reader's CPU time (p50/p95/max), the full passes made, and the CPU the client
itself spent answering. Nothing here asserts: the figures are for people to read.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.detect.accessibility import ClientInMeeting, Limits  # noqa: E402
from guard.detect.accessibility.atspi import AtSpiReader  # noqa: E402
from guard.detect.matching import DetectionRules  # noqa: E402
from tests.detect.a11y_world import BOT_PROVIDER, FEATURE, TITLE, QtClient, qt_env  # noqa: E402
from tests.detect.world import Processes, provider_toml, unique, write_catalog  # noqa: E402
from tests.support.desktop import DesktopSession  # noqa: E402

TICKS = 30


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(case: str, client: QtClient, rules: DetectionRules, limits: Limits) -> dict[str, object]:
    reader = AtSpiReader(limits=limits)
    target = (ClientInMeeting(client.pid, "bench-client", ("a11ybench",)),)
    at = datetime.now(UTC)
    for _ in range(50):  # until the registry lists the client
        reader.observations(target, rules, at)
        if reader.work.nodes:
            break
        time.sleep(0.2)
    walls, cpus, calls, nodes, passes, found = [], [], [], [], 0, 0
    client_cpu = psutil.Process(client.pid).cpu_times()
    for _ in range(TICKS):
        wall, cpu = time.perf_counter(), time.process_time()
        seen = reader.observations(target, rules, at)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        calls.append(reader.work.calls)
        nodes.append(reader.work.nodes)
        passes += reader.work.passes_completed
        found = max(found, len(seen))
    after = psutil.Process(client.pid).cpu_times()
    reader.close()
    return {
        "bench": "accessibility", "case": case, "ticks": TICKS, "limits": {
            "calls_per_tick": limits.calls_per_tick, "nodes_per_pass": limits.nodes_per_pass,
            "max_children": limits.max_children, "max_text": limits.max_text},
        "calls_per_tick_max": max(calls), "nodes_per_tick_max": max(nodes),
        "nodes_per_tick_mean": round(statistics.mean(nodes), 1), "passes_completed": passes,
        "observations_max": found,
        "tick_ms_p50": round(_percentile(walls, 0.5), 2), "tick_ms_p95": round(_percentile(walls, 0.95), 2),
        "tick_ms_max": round(max(walls), 2),
        "reader_cpu_ms_p50": round(_percentile(cpus, 0.5), 2), "reader_cpu_ms_p95": round(_percentile(cpus, 0.95), 2),
        "client_cpu_ms_per_tick": round((after.user + after.system - client_cpu.user - client_cpu.system)
                                        * 1000 / TICKS, 2),
    }


def main() -> None:
    desktop = DesktopSession.start()
    os.environ.update(desktop.env)
    processes = Processes()
    try:
        with tempfile.TemporaryDirectory(prefix="mpg-bench-a11y-") as folder:
            work = Path(folder)
            catalog = write_catalog(work / "catalog", {"a11ybench": provider_toml(
                "a11ybench", "A11y bench", processes=["bench"], meeting_window_titles=[f"^{TITLE}$"], extra=FEATURE),
                "a11ybot": BOT_PROVIDER})
            rules = DetectionRules.from_catalog(catalog, "linux")
            limits = Limits()
            client = QtClient(processes, work / "client", unique("mpgbench"), qt_env(desktop))
            client.send("notice Recording has started.")
            client.send("participant Fireflies.ai Notetaker (Ann)")
            print(json.dumps(measure("qt-client-in-meeting", client, rules, limits)), flush=True)
            hostile = QtClient(processes, work / "hostile", unique("mpghostile"), qt_env(desktop))
            hostile.send("hostile 10000 100000")
            print(json.dumps(measure("qt-client-hostile-10000-items-100kB", hostile, rules, limits)), flush=True)
    finally:
        processes.stop_all()
        desktop.stop()


if __name__ == "__main__":
    main()
