"""Command-line start-up: ``python -m tests.bench.bench_cli``. Prints one JSON object.

Every figure is the median wall time of real processes, all measured in one run, interleaved
in a shuffled order each round so that a busy machine slows them alike. Targets (issue 18):
  * ``meeting-guard --version``   ≤ 2 × ``python -c pass``
  * ``meeting-guard scan --json`` ≤ 2.5 × a bare psutil scan of the same processes (one Python
    process reading name, create time, executable and command line of every process)
  * ``meeting-guard providers``   ≤ 3 × the same psutil scan. The issue names no baseline for this
    one; against ``python -c pass`` it is printed too, but that reading cannot be met with argparse
    and logging (their imports, with re and typing, alone take about 2 × ``python -c pass``).
``meeting-guard`` is the installed console script, run against this checkout (PYTHONPATH), in a
fresh MEETING_GUARD_HOME after one warm-up round. ``scan_json_with_client`` runs the same scan while a
process named like a meeting client (a copy of ``sleep`` called ``zoom``) runs, as when an evaluator
scans with Zoom open: its event prints the provider's AI features and clauses in force, read from the
catalog snapshot's event facts (no pydantic); same target, ≤ 2.5 × the psutil scan. (The first run
fills the app's caches and the byte-code cache, which an installed app has from pip;
PYTHONDONTWRITEBYTECODE is ignored here for that reason.)
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("BENCH_CLI_ROUNDS", "21"))
PSUTIL_SCAN = ("import psutil\n"
               "for p in psutil.process_iter(['name', 'create_time', 'exe', 'cmdline']): pass\n")
TARGETS = {"version_vs_python": 2.0, "scan_vs_psutil": 2.5, "scan_with_client_vs_psutil": 2.5,
           "providers_vs_psutil": 3.0}


def meeting_guard() -> list[str]:
    """The console script next to this Python, or the same entry point through ``-c``."""
    script = Path(sys.executable).with_name("meeting-guard")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from guard.cli.main import main; sys.exit(main())"]


def commands() -> dict[str, list[str]]:
    mg = meeting_guard()
    return {
        "python_pass": [sys.executable, "-c", "pass"],
        "psutil_scan": [sys.executable, "-c", PSUTIL_SCAN],
        "version": [*mg, "--version"],
        "help": [*mg, "--help"],
        "scan_json": [*mg, "scan", "--json"],
        "providers": [*mg, "providers"],
        "consent_list": [*mg, "consent", "list"],
    }


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    cpu = child_cpu()
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{argv} exited {result.returncode}: {result.stderr.decode(errors='replace')[-2000:]}")
    return elapsed, child_cpu() - cpu


def scan_found(env: dict[str, str]) -> dict[str, object]:
    """What the scan saw: with a client or meeting running, its events load the whole catalog."""
    result = subprocess.run([*meeting_guard(), "scan", "--json"], env=env, capture_output=True, text=True, check=True)
    report = json.loads(result.stdout)
    return {"apps": [a["provider_id"] for a in report["apps"]],
            "meetings": [m["provider_id"] for m in report["meetings"]], "events": len(report["events"])}


def with_client(home: Path) -> subprocess.Popen[bytes]:
    client = home / "bin" / "zoom"  # the shipped catalog's Linux process name for Zoom
    client.parent.mkdir(parents=True, exist_ok=True)
    if not client.exists():
        shutil.copy(shutil.which("sleep") or "/bin/sleep", client)
    return subprocess.Popen([str(client), "600"])


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    # Byte-code caches as an installed app has them (pip compiles on install), kept out of the checkout.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(MEETING_GUARD_HOME=str(home), PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(home / "pycache"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    names = [*commands(), "scan_json_with_client"]
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    try:
        for argv in commands().values():  # warm-up: disk caches, the app's own caches
            run_once(argv, env)
        seen = scan_found(env)
        for _ in range(ROUNDS):
            order = [*commands().items(), ("scan_json_with_client", commands()["scan_json"])]
            random.shuffle(order)
            for name, argv in order:
                client = with_client(home) if name == "scan_json_with_client" else None
                try:
                    elapsed, used = run_once(argv, env)
                finally:
                    if client is not None:
                        client.kill()
                        client.wait()
                wall[name].append(elapsed)
                cpu[name].append(used)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    def ratios(figures: dict[str, list[float]]) -> dict[str, float]:
        ms = {name: statistics.median(values) for name, values in figures.items()}
        return {"version_vs_python": ms["version"] / ms["python_pass"],
                "scan_vs_psutil": ms["scan_json"] / ms["psutil_scan"],
                "scan_with_client_vs_psutil": ms["scan_json_with_client"] / ms["psutil_scan"],
                "providers_vs_python": ms["providers"] / ms["python_pass"],
                "providers_vs_psutil": ms["providers"] / ms["psutil_scan"],
                "consent_list_vs_python": ms["consent_list"] / ms["python_pass"]}

    wall_ratios = ratios(wall)
    print(json.dumps({
        "rounds": ROUNDS,
        "processes": len([p for p in os.listdir("/proc") if p.isdigit()]) if os.path.isdir("/proc") else None,
        "scan_saw": seen,
        "median_wall_ms": {name: round(statistics.median(values) * 1000, 1) for name, values in wall.items()},
        "median_cpu_ms": {name: round(statistics.median(values) * 1000, 1) for name, values in cpu.items()},
        "ratios": {name: round(value, 2) for name, value in wall_ratios.items()},
        "cpu_ratios": {name: round(value, 2) for name, value in ratios(cpu).items()},
        "targets": TARGETS,
        "target_met": {name: wall_ratios[name] <= target for name, target in TARGETS.items()},
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
