"""One measured run of the tray app, in this process: ``python -m tests.bench.tray_session``.

Started by tests/bench/bench_tray.py under its private desktop, in an app home it prepared (a
ledger of 100,000 records, settings with detection every 0.5 s and the network on for a local
terms server whose address is in ``MPG_BENCH_TERMS_URL``). Prints one JSON object:

* ``rss_mb``: resident memory when idle (10 s after start), then after opening and closing
  every settings tab (the window runs in its own process, as in the app: ui/settings_remote.py),
  the consent dialog and an export through the door on the job runner (as the window's export
  panel runs it), and after the heavy phase below;
* ``settings_window_process_rss_mb``: the settings window's own process at its largest (with
  every tab opened), which the tray app no longer carries; ``settings_window_first_show_s``, from
  "Open settings" to the window shown (the price of the separate process);
  ``settings_window_exit_code``;
* ``stall_ms``: how late a 5 ms timer on the GUI thread fires (p50, p99, max) while detection
  passes, a terms check and an export of the 100,000 records run together;
* ``gui_cpu_ms``: of each such wait, the CPU time the GUI thread itself spent (p50, p99, max):
  a late firing with little GUI CPU was the machine (other processes, another thread holding
  the interpreter), not work the app put on its GUI thread; ``load_average_1m`` says how busy
  the machine was;
* ``control_stall_ms``: the same probe, at the same time, in a separate process that runs
  nothing but an empty Qt event loop: what the machine alone does to a 5 ms timer.

The app runs in Qt's event loop as it does for users (``QEventLoop.exec``), not in a polling
loop that would itself delay the probe.

Only the app's own modules are imported before the idle figure is taken.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import psutil
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from ui.jobs import Lane

if TYPE_CHECKING:
    from ui.shell import Shell

PROBE_MS = 5
IDLE_SECONDS = 10.0


def rss_mb() -> dict[str, float]:
    """RSS and USS, and RSS split (Linux) into ``anon`` (the heap: what the app itself holds) and
    ``file`` (pages of the program's files, mostly Qt's code: clean, shared with any other process
    running the same libraries, the first the kernel takes back when memory runs short)."""
    info = psutil.Process().memory_full_info()
    figures = {"rss": round(info.rss / 2**20, 1), "uss": round(info.uss / 2**20, 1)}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("RssAnon:", "RssFile:")):
                    figures[line[3:7].lower()] = round(int(line.split()[1]) / 1024, 1)
    except OSError:  # not Linux
        pass
    return figures


def spin(app: QApplication, seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def until(app: QApplication, done, timeout: float = 300.0) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop until ``done()`` (asked every 20 ms)."""
    end = time.monotonic() + timeout
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: (done() or time.monotonic() > end) and loop.quit())
    if not done():
        check.start()
        loop.exec()
        check.stop()
    if not done():
        raise TimeoutError("the tray session did not get there in time")


class Probe:
    """A 5 ms timer on the GUI thread; how late each firing came is how long the thread was busy."""

    def __init__(self) -> None:
        self.late: list[float] = []
        self.cpu: list[float] = []
        self._cpu_at = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._fired)

    def start(self) -> None:
        self.late.clear()
        self.cpu.clear()
        self._cpu_at = time.thread_time()
        self._clock.start()
        self._timer.start()

    def _fired(self) -> None:
        elapsed = self._clock.nsecsElapsed() / 1e6
        self._clock.restart()
        self.late.append(max(0.0, elapsed - PROBE_MS))
        cpu = time.thread_time()
        self.cpu.append((cpu - self._cpu_at) * 1000)
        self._cpu_at = cpu

    def stop(self) -> dict[str, float]:
        self._timer.stop()
        return _stats(self.late)


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"samples": len(ordered), "p50": round(statistics.median(ordered), 1),
            "p99": round(ordered[int(len(ordered) * 0.99) - 1], 1), "max": round(ordered[-1], 1)}


def main() -> int:
    if os.environ.get("MPG_BENCH_TRACE"):
        _instrument()
    from ui.memory import limit_arenas

    limit_arenas()  # as ui.app.run_app does
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    from guard.paths import app_paths
    from ui.shell import Shell

    terms_url = os.environ["MPG_BENCH_TERMS_URL"]

    def services():  # type: ignore[no-untyped-def]
        from guard.services import Services
        from guard.terms.models import WatchedDocument

        opened = Services(app_paths(), record_in_helper=True)  # as the tray app (ui/shell.py); the watched
        # documents live on the bench's local server
        opened.watched_documents = tuple(WatchedDocument("zoom", f"doc{i}", f"Doc {i}", f"{terms_url}/doc{i}")
                                         for i in range(6))
        return opened

    shell = Shell(app_paths(), services_factory=services, settings_process=True,
                  loop_options={"first_check_seconds": 3600})
    start_and_idle(app, shell)
    figures: dict[str, object] = {"rss_mb": {"idle": rss_mb()}}

    # Every settings tab (the window runs in its own process, as in the app), the consent dialog
    # and a small export through the door on the job runner, opened and closed.
    host = shell.settings_host
    shown: list[str] = []
    host.shown.connect(shown.append)
    window_rss: list[float] = []
    for tab in ("overview", "providers", "history", "terms", "preferences"):
        asked = time.monotonic()
        host.show(tab)
        until(app, lambda tab=tab: tab in shown, 120)  # type: ignore[misc]
        if tab == "overview":  # what the user waits for: the process starts, opens the data, shows the window
            figures["settings_window_first_show_s"] = round(time.monotonic() - asked, 2)
        spin(app, 0.5)
        if host.process is not None:
            window_rss.append(psutil.Process(host.process.processId()).memory_info().rss / 2**20)
    figures["settings_window_process_rss_mb"] = round(max(window_rss), 1) if window_rss else None
    ended: list[int] = []
    host.ended.connect(ended.append)
    host.close_window()
    until(app, lambda: bool(ended), 60)
    figures["settings_window_exit_code"] = ended[-1]
    export_dest = Path(os.environ["MEETING_GUARD_HOME"]) / "export.json"
    finished: list[str] = []
    export(shell, export_dest, finished.append, provider_id="zoom")
    until(app, lambda: bool(finished))
    figures["small_export"] = finished[-1][:120]
    dialog = shell.record_consent()
    spin(app, 0.5)
    dialog.close()
    spin(app, 2.0)  # the app gives the closed dialog's memory back (ui/memory.py)
    figures["saved_decision"] = save_decision(app, shell)
    figures["rss_mb"]["after_settings_dialog_export"] = rss_mb()  # type: ignore[index]

    # The heavy phase: detection (every 0.5 s), a terms check and a 100,000-record export at once.
    # How to fetch from the local server: the bench's own policy, which becomes a FetchPolicy only in
    # the helper process (its module brings the HTTP client, about 6 MB the app never loads).
    shell.services.fetch_policy = LocalServerPolicy()  # type: ignore[union-attr,assignment]
    control = subprocess.Popen([sys.executable, "-m", "tests.bench.tray_session", "--control"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    probe = Probe()
    probe.start()
    watch = StallWatch(probe) if os.environ.get("MPG_BENCH_TRACE") else None
    if watch is not None:
        watch.start()
    finished.clear()
    export_started = time.monotonic()
    only = os.environ.get("MPG_BENCH_ONLY", "")  # diagnosis: "detect", "export" or "terms" alone
    if only in ("", "export"):
        export(shell, export_dest, finished.append)
    else:
        finished.append("not run")
    checked: list[object] = []
    shell.terms.check_finished.connect(checked.append)
    if only in ("", "terms"):
        shell.check_terms_now()
    if only == "detect":
        spin(app, 10)
    until(app, lambda: bool(finished) and not shell.checking_terms, 600)
    export_s = time.monotonic() - export_started
    spin(app, 1.0)
    figures["stall_ms"] = probe.stop()
    control_out, _ = control.communicate("stop\n", timeout=60)
    figures["control_stall_ms"] = json.loads(control_out.strip().splitlines()[-1])
    figures["gui_cpu_ms"] = _stats(probe.cpu)
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    if watch is not None:
        figures["slowest_deliveries_ms"] = slowest_deliveries()
        figures["stalls_seen"] = watch.stop()
    report = checked[-1] if checked else None
    figures["heavy_phase"] = {"export_s": round(export_s, 1), "export": finished[-1][:120],
                              "terms_check_done": not shell.checking_terms,
                              "terms_documents_checked": len(getattr(report, "checks", ())),
                              "terms_documents_failed": len(getattr(report, "failures", ()))}
    spin(app, 2.0)
    figures["rss_mb"]["after_heavy_phase"] = rss_mb()  # type: ignore[index]
    figures["threads"] = psutil.Process().num_threads()
    clean = shell.shutdown()
    figures["clean_shutdown"] = clean
    print(json.dumps(figures))
    return 0


def save_decision(app: QApplication, shell) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Record one decision as the user does: the consent form about Zoom, "declined" chosen, Save
    pressed; the form saves through the door on the job runner and closes once the ledger has the
    record. RSS just before Save and 2 s after the form closed (the app gives the closed form's
    memory back: ui/memory.py), and the wait from Save to the ``recorded`` signal (when the app
    logs "Consent recorded")."""
    from guard.presentation.actions import RecordConsent

    dialog = shell.record_consent(RecordConsent(provider_id="zoom"))
    until(app, lambda: "Recorded with the terms in force" in dialog.terms_info.text()
          or "No terms version" in dialog.terms_info.text(), 60)
    dialog.decision_buttons["refused"].setChecked(True)
    spin(app, 0.5)
    gc.collect()
    before = rss_mb()
    recorded: list[object] = []
    dialog.recorded.connect(recorded.append)
    pressed = time.monotonic()
    dialog.save_button.click()
    until(app, lambda: bool(recorded) or dialog.error.isVisible(), 120)
    took = time.monotonic() - pressed
    spin(app, 2.0)
    gc.collect()
    error = dialog.error.text() if not recorded else None
    return {"rss_before_mb": before, "rss_after_mb": rss_mb(), "save_to_recorded_s": round(took, 3),
            "seq": getattr(recorded[0], "seq", None) if recorded else None, "error": error}


def start_and_idle(app: QApplication, shell: Shell) -> None:
    """Start the tray app and let it idle :data:`IDLE_SECONDS` from the start, as a user's would."""
    ready: list[object] = []
    shell.services_ready.connect(ready.append)
    started = time.monotonic()
    shell.start()
    until(app, lambda: bool(ready), 60)
    spin(app, max(0.0, IDLE_SECONDS - (time.monotonic() - started)))
    gc.collect()


def save_only(in_process: bool) -> int:
    """``--save [--in-process]``: the idle tray app in the app home given (no ledger loaded yet),
    then two decisions recorded one after the other through the consent form; prints RSS and
    delays as JSON. As the app does, each in a helper process; ``--in-process``: in the app itself,
    as before issue 18's memory work (the first save then loads the ledger's keyring and crypto)."""
    from ui.memory import limit_arenas

    limit_arenas()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    from guard.paths import app_paths
    from guard.services import Services
    from ui.shell import Shell

    shell = Shell(app_paths(), settings_process=True, loop_options={"first_check_seconds": 3600},
                  services_factory=lambda: Services(app_paths(), record_in_helper=not in_process))
    start_and_idle(app, shell)
    figures: dict[str, object] = {"idle_rss_mb": rss_mb(), "first_save": save_decision(app, shell),
                                  "second_save": save_decision(app, shell)}
    figures["load_average_1m"] = round(os.getloadavg()[0], 2)
    figures["clean_shutdown"] = shell.shutdown()
    print(json.dumps(figures))
    return 0


def local_server_policy():  # type: ignore[no-untyped-def]
    """The fetch policy for the bench's local server: no pacing, no retries."""
    from guard.terms.fetch import FetchPolicy

    return FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0)


class LocalServerPolicy:
    """Stands for :func:`local_server_policy` in the app and is made into it when the terms check's
    plan is unpickled in the helper process: the app itself never imports the fetcher."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (local_server_policy, ())


def export(shell, dest: Path, done, provider_id: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """An export through the door on the job runner's long lane, as the settings window's export
    panel runs it (the export itself runs in the door's helper process)."""
    from guard.services import ExportFormat, ExportRequest

    services = shell.services
    request = ExportRequest(ExportFormat("json"), dest, provider_id)
    shell.jobs.submit(lambda: services.export(request, lambda _done, _total: True),
                      lambda outcome: done(f"Exported {outcome.records:,} records to {outcome.dest}."),
                      lambda error: done(f"failed: {error}"), lane=Lane.LONG, key="export")


class StallWatch:
    """Trace mode: a thread that notes where the GUI thread (and the others) stand when the
    probe has not fired for 40 ms."""

    def __init__(self, probe: Probe) -> None:
        import threading

        self.probe = probe
        self.gui = threading.get_ident()
        self.seen: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        import traceback

        last = len(self.probe.late)
        quiet = 0
        while not self._stop.wait(0.01):
            now = len(self.probe.late)
            quiet = quiet + 1 if now == last else 0
            last = now
            if quiet == 4 and len(self.seen) < 12:
                frames = sys._current_frames()
                parts = []
                for ident, frame in frames.items():
                    stack = traceback.extract_stack(frame)[-4:]
                    tag = "GUI" if ident == self.gui else str(ident)[-5:]
                    parts.append(tag + ": " + " < ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}"
                                                         for f in reversed(stack)))
                self.seen.append(" || ".join(parts))

    def stop(self) -> list[str]:
        self._stop.set()
        return self.seen


def slowest_deliveries() -> list[tuple[float, str]]:
    """Which job results took longest to hand over on the GUI thread (for finding stalls)."""
    return sorted(_DELIVERIES, reverse=True)[:8]


_DELIVERIES: list[tuple[float, str]] = []


def _instrument() -> None:
    from ui.jobs import JobRunner

    original = JobRunner._deliver

    def timed(self, job):  # type: ignore[no-untyped-def]
        begin, cpu = time.perf_counter(), time.thread_time()
        original(self, job)
        took = (time.perf_counter() - begin) * 1000
        if took > 10:
            name = getattr(job.on_done, "__qualname__", "?") if job.error is None else "error"
            used = round((time.thread_time() - cpu) * 1000, 1)
            _DELIVERIES.append((round(took, 1), f"{job.key or job.lane}:{name} (GUI CPU {used} ms)"))

    JobRunner._deliver = timed  # type: ignore[method-assign]


def control() -> int:
    """The probe alone in an empty Qt event loop until stdin closes; prints its figures."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication(sys.argv[:1])
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    check = QTimer()
    check.timeout.connect(lambda: done.is_set() and app.quit())
    check.start(50)
    probe = Probe()
    probe.start()
    app.exec()
    print(json.dumps(probe.stop()))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--control"]:
        sys.exit(control())
    if sys.argv[1:2] == ["--save"]:
        sys.exit(save_only(in_process="--in-process" in sys.argv))
    sys.exit(main())
