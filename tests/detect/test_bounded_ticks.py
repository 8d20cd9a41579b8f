"""No tick does unbounded work, whatever the world holds (issue 14, "Bounded ticks").

A hostile world: 5,000 real X11 windows owned by a browser, 200 of them with 100 kB titles,
and browser processes started with 100 kB arguments; catalog patterns include one that
backtracks catastrophically under Python's ``re``. The assertions count work (titles read
from the X server, titles matched, characters examined by patterns), never time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psutil
import pytest

from guard.detect.detector import NEW_TITLES_PER_TICK, Detector
from guard.detect.matching import DetectionRules
from guard.detect.platform import Backends
from guard.detect.process_table import ARG_CHARS, ARGS_KEPT, ProcessTable
from guard.detect.sockets import Unsupported
from guard.detect.windows.linux_x11 import READS_PER_CALL, TITLE_BYTES, X11WindowLister
from guard.patterns import COUNTER, TEXT_LIMIT
from guard.settings import DetectionSettings
from tests.detect.world import provider_toml, script_client, write_catalog, x11_windows

pytestmark = pytest.mark.desktop

WINDOWS = 5_000
HUGE = 100_000


def _work(detector: Detector, lister: X11WindowLister) -> tuple[int, int, int, int]:
    """One tick: (titles read from X, titles matched, pattern calls, characters examined)."""
    reads, before = lister.reads, COUNTER.snapshot()
    detector.run(datetime.now(UTC))
    calls, chars = (now - then for now, then in zip(COUNTER.snapshot(), before, strict=True))
    return lister.reads - reads, detector.title_matches, calls, chars


def test_a_tick_on_a_hostile_world_stays_bounded(tmp_path, processes, desktop):
    catalog = write_catalog(tmp_path / "catalog", {
        "meet": provider_toml("meet", "Meet", "browser-meeting", url_patterns=[r"^https://meet\.example/[a-z]+$"],
                              web_titles=[r"^Meet - [a-z]{3}-[a-z]{4}-[a-z]{3}$", r"^(a+)+$", r"(x+x+)+y"]),
    })
    huge_arg = "--flag=" + "a" * HUGE
    browser = processes.start([str(script_client(tmp_path / "bin", "chromium")), *[huge_arg] * 3,
                               *[f"--arg{i}" for i in range(200)], "https://meet.example/room"])
    spec = [("a" * HUGE + "!" if i % 25 == 0 else f"Document {i} " + "x" * 200 + " - Chromium", browser.pid)
            for i in range(WINDOWS - 1)]
    spec.append(("Meet \u2013 abc-defg-hij - Chromium", browser.pid))
    x11_windows(processes, spec, tmp_path / "windows", env=desktop.child_env())

    lister = X11WindowLister(env=desktop.child_env())
    off = Unsupported("off", "not used in this test")
    # The world is this test's processes: whatever else starts on the machine meanwhile (CI jobs, other
    # browsers) would be new work the detector rightly does, and is not what this test counts.
    mine = {process.pid for process in processes.started}
    table = ProcessTable(pids=lambda: [pid for pid in psutil.pids() if pid in mine])
    detector = Detector(DetectionRules.from_catalog(catalog, "linux"), Backends(lister, off, off, off),
                        DetectionSettings(), table=table)
    detector.links.grace = timedelta(days=1)  # however long the windows took to map, the browser is "opening"
    try:
        first = detector.run(datetime.now(UTC))
        assert ("meet", "command-line") in {(o.provider_id, o.signal.value) for o in first.observations}, \
            "the link after 100 kB arguments is found"
        ticks = [_work(detector, lister) for _ in range(WINDOWS // READS_PER_CALL + 3)]
        for reads, matched, _calls, chars in ticks:
            assert reads <= READS_PER_CALL, "titles read from the X server per tick"
            assert matched <= NEW_TITLES_PER_TICK, "titles matched per tick"
            # per matched title: a few candidate page titles × 3 patterns, each text cut to TEXT_LIMIT;
            # plus, once, the browser's command line: each argument cut to ARG_CHARS
            assert chars <= matched * 10 * 3 * TEXT_LIMIT + ARGS_KEPT * ARG_CHARS
        assert max(len(title) for title in lister._titles.values()) <= TITLE_BYTES + 8
        assert len(lister._titles) >= WINDOWS, "every window was read in the end"
        steady = _work(detector, lister)
        assert steady == (0, 0, 0, 0), "an unchanged world costs no title reads and no matching"
        pass_ = detector.run(datetime.now(UTC))
        found = {(obs.provider_id, obs.signal.value) for obs in pass_.observations}
        assert ("meet", "window-title") in found, "the one meeting window among 5,000 is found"
    finally:
        lister.close()
