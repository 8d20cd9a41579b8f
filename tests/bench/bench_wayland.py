"""Wayland window-title benchmark: ``python -m tests.bench.bench_wayland``. Prints one JSON object.

  (a) sway: wall and CPU time of one ``SwayWindowLister.windows()`` call (one GET_TREE on the IPC
      socket, the tree parsed and walked) with 1 and with 40 native Wayland windows (foot) open
      in a headless sway;
  (b) KWin: the same for ``KWinWindowLister.windows()`` (a script loaded, run, answered over
      D-Bus and unloaded) with 10 Qt Wayland windows in ``kwin_wayland --virtual``;
  (c) the time from starting ``meeting-guard scan --json`` to its JSON on the sway session.
The detector calls one of these per detection pass (every 2 s by default). Nothing asserts here.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.detect.windows.kwin_script import KWinWindowLister  # noqa: E402
from guard.detect.windows.sway_ipc import SwayWindowLister  # noqa: E402
from tests.detect.world import Processes  # noqa: E402
from tests.support.wayland import WaylandSession  # noqa: E402
from tests.wayland.clients import qt_window, views  # noqa: E402

CALLS = 50


def timed(lister: Any, calls: int = CALLS) -> dict[str, float]:
    """Median and p95 wall time and mean CPU time per call, in milliseconds."""
    walls: list[float] = []
    cpu_before = time.process_time()
    for _ in range(calls):
        start = time.perf_counter()
        lister.windows()
        walls.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu_before) * 1000 / calls
    walls.sort()
    return {"median_ms": round(statistics.median(walls), 2), "p95_ms": round(walls[int(0.95 * len(walls)) - 1], 2),
            "cpu_ms": round(cpu, 2), "calls": calls}


def wait_views(session: WaylandSession, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(views(session)) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: only {len(views(session))} of {count} windows appeared")
        time.sleep(0.3)


def sway_figures(processes: Processes) -> dict[str, Any]:
    session = WaylandSession.start("sway", tray=False)
    figures: dict[str, Any] = {}
    try:
        foot = shutil.which("foot") or "foot"
        processes.start([foot, "--title", "Zoom Meeting", "sleep", "600"], env=session.child_env())
        wait_views(session, 1)
        lister = SwayWindowLister(env=session.child_env())
        figures["sway_1_window"] = timed(lister)
        for n in range(39):
            processes.start([foot, "--title", f"Window {n} " + "x" * 200, "sleep", "600"], env=session.child_env())
        wait_views(session, 40)
        figures["sway_40_windows"] = timed(lister)
        lister.close()
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "guard", "scan", "--json"], env=session.child_env(),
                                capture_output=True, text=True, timeout=300)
        figures["scan_json_s"] = round(time.perf_counter() - start, 2)
        figures["scan_ok"] = result.returncode == 0
    finally:
        processes.stop_all()
        session.stop()
    return figures


def kwin_figures(processes: Processes) -> dict[str, Any]:
    session = WaylandSession.start("kwin")
    try:
        for n in range(10):
            qt_window(processes, session, f"Teams meeting {n}")
        lister = KWinWindowLister(env=session.child_env())
        deadline = time.monotonic() + 120
        while len(lister.windows()) < 10:
            if time.monotonic() > deadline:
                raise SystemExit("bench: the Qt windows did not appear in KWin")
            time.sleep(0.3)
        figures = {"kwin_10_windows": timed(lister, 30)}
        lister.close()
        return figures
    finally:
        processes.stop_all()
        session.stop()


def main() -> None:
    processes = Processes()
    figures = {"benchmark": "wayland-window-titles", **sway_figures(processes), **kwin_figures(processes)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
