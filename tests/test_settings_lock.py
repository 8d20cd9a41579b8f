"""Two saves of the settings file at once (the tray menu and the settings window, or two
processes): the version check and the write are under one lock, so one wins and the other is
told the file changed; nothing either wrote is lost unseen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from guard.file_lock import FileLocked, exclusive
from guard.settings import SettingsStore

# One saver: reads the file, waits for the start signal (busy, so both go within microseconds
# of each other), then saves its own check interval over the version it read.
SAVER = """
import os, sys
from pathlib import Path
from guard.settings import SettingsChangedError, SettingsStore
path, go, interval = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = SettingsStore(path)
settings = store.load()
settings.terms.check_interval_hours = interval
read = store.version
print("ready", flush=True)
while not os.path.exists(go):
    pass
try:
    store.save(settings, expected=read)
except SettingsChangedError as error:
    print("changed", error.found, flush=True)
else:
    print("saved", flush=True)
"""

ROUNDS = 12


def start(path: Path, go: Path, interval: int) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(go), str(interval)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n", process.stderr
    return process


def test_two_processes_saving_at_once_one_wins_and_the_other_is_told(tmp_path):
    path = tmp_path / "config" / "settings.toml"
    SettingsStore(path).save(SettingsStore(path).load())
    for round_ in range(ROUNDS):
        go = tmp_path / f"go-{round_}"
        first, second = start(path, go, 100 + round_), start(path, go, 200 + round_)
        go.touch()
        outcomes = {}
        for interval, process in ((100 + round_, first), (200 + round_, second)):
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            outcomes[interval] = out.split()
        saved = [interval for interval, out in outcomes.items() if out == ["saved"]]
        told = [interval for interval, out in outcomes.items() if out[:1] == ["changed"]]
        assert len(saved) == 1 and len(told) == 1, f"round {round_}: {outcomes}"
        store = SettingsStore(path)
        assert store.load().terms.check_interval_hours == saved[0]  # the winner's save is whole and kept
        assert outcomes[told[0]][1] == store.version  # the other was told the version it would write over
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.toml", "settings.toml.lock"]


def test_a_save_waits_for_the_lock_and_a_lock_held_too_long_is_said_plainly(tmp_path):
    path = tmp_path / "settings.toml"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
                               "from guard.file_lock import exclusive\nwith exclusive(Path(sys.argv[1])):\n"
                               "    print('held', flush=True)\n    time.sleep(2)\n    Path(sys.argv[2]).touch()\n",
                               str(path), str(tmp_path / "letting-go")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        try:
            with exclusive(path, wait_s=0.2):
                raise AssertionError("the lock was taken while another process held it")
        except FileLocked as error:
            assert str(path) in str(error) and "try again" in str(error) and "try again" in error.strerror
        SettingsStore(path).save(SettingsStore(path).load())  # waits until the holder lets go, then saves
        assert path.exists() and (tmp_path / "letting-go").exists()  # not before the holder let go
    finally:
        holder.kill()
        holder.wait()
