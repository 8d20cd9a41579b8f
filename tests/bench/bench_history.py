"""Consent history benchmark: ``python -m tests.bench.bench_history``.

A ledger of 100,000 realistic records (tests/ui/settings/world.py, ``append_many``) is opened
in the settings window's history tab. Timed, each from the user's action to the table painted
with its rows: the tab reads the count and the pages on the job runner, so the clock stops once
the count and the rows on screen have arrived and ``QWidget.grab()`` painted them:

* opening the history tab: target under 300 ms;
* applying a filter (provider; decision + date range; text search; sorting by provider);
  target under 300 ms each;
* jumping to the middle and the end of the table (a page read at a deep offset);
* the chart's counts, which run on a worker thread (reported, not part of the targets);
* opening the whole window (all five tabs) on the same ledger.

The key lives in the key file (keyring ``fail`` backend), so no D-Bus round trip is measured.
Qt runs offscreen unless QT_QPA_PLATFORM says otherwise. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication  # noqa: E402

TARGET_MS = 300.0
RECORDS = 100_000


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def shown(app, tab, row: int = 0) -> None:
    """Process events until the table's count and the page holding ``row`` have arrived."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        app.processEvents()
        model = tab.model
        if model.ready and (model.rowCount() == 0 or model.row(min(row, model.rowCount() - 1)) is not None):
            tab.grab()
            return
        time.sleep(0.001)
    raise TimeoutError("the history table did not fill within 60 s")


def median_of(action, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        os.environ["MEETING_GUARD_HOME"] = str(Path(tmp) / "home")
        from guard.paths import app_paths
        from guard.services import Services
        from tests.ui.settings.world import fill_ledger
        from ui.jobs import JobRunner
        from ui.settings.history import HistoryTab
        from ui.settings.window import SettingsWindow

        services = Services(app_paths())
        started = time.perf_counter()
        records = fill_ledger(services.ledger(), services.catalog, services.terms_store, RECORDS, withdrawals=200)
        build_s = time.perf_counter() - started
        services.close()

        def fresh_tab() -> tuple[HistoryTab, float]:
            tasks = JobRunner()
            begin = time.perf_counter()
            tab = HistoryTab(services, tasks)
            tab.resize(1100, 700)
            tab.show()
            shown(app, tab)
            elapsed = time.perf_counter() - begin
            tasks.wait()
            return tab, elapsed

        services = Services(app_paths())
        services.ledger()  # opening the file is the app's start-up, not the tab's
        open_times = []
        for _ in range(5):
            tab, elapsed = fresh_tab()
            open_times.append(elapsed)
            rows = tab.model.rowCount()
            tab.close()
            tab.deleteLater()
            app.processEvents()
        open_s = statistics.median(open_times)
        assert rows == len(records), (rows, len(records))

        tab, _ = fresh_tab()
        zoom = tab.provider.findData("zoom")

        def apply(change) -> float:
            def action() -> None:
                tab.clear_filters()
                app.processEvents()
                tab.tasks.wait()  # the chart of the cleared view is done: time the change alone
                app.processEvents()

            def timed() -> float:
                action()
                begin = time.perf_counter()
                change()
                shown(app, tab)
                return time.perf_counter() - begin
            return statistics.median(timed() for _ in range(5))

        def by_provider() -> None:
            tab.provider.setCurrentIndex(zoom)

        first_day = min(r.occurred_at for r in records).astimezone().date()

        def by_decision_and_dates() -> None:
            tab.decision.setCurrentIndex(tab.decision.findData("refused"))
            tab.date_from.setDate(QDate(first_day + timedelta(days=60)))
            tab.date_to.setDate(QDate(first_day + timedelta(days=240)))
            tab.use_from.setChecked(True)
            tab.use_to.setChecked(True)

        def by_text() -> None:
            tab.search.setText("retrospective")
            tab.apply_filter()  # what the search box's short pause then does

        def sort_by_provider() -> None:
            tab.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)

        filters = {
            "provider": apply(by_provider),
            "decision_and_date_range": apply(by_decision_and_dates),
            "text_search": apply(by_text),
            "sort_by_provider": apply(sort_by_provider),
        }
        tab.set_order(tab.model.order.__class__("occurred-newest"))
        tab.clear_filters()
        matching = {"provider": 0}
        tab.provider.setCurrentIndex(zoom)
        shown(app, tab)
        matching["provider"] = tab.model.rowCount()
        tab.clear_filters()
        shown(app, tab)

        def jump(row: int) -> float:
            def action() -> None:
                tab.model.set_query()
                shown(app, tab)
                tab.table.scrollTo(tab.model.index(min(row, tab.model.rowCount() - 1), 0),
                                   QAbstractItemView.ScrollHint.PositionAtTop)
                shown(app, tab, row)
            return median_of(action, 3)

        middle_s = jump(RECORDS // 2)
        end_s = jump(RECORDS + 199)

        tasks = tab.tasks
        tasks.wait()
        begin = time.perf_counter()
        tab.apply_filter()
        tasks.wait()
        app.processEvents()
        chart_s = time.perf_counter() - begin
        bars = len(tab.chart.timeline.bars)
        tab.close()

        begin = time.perf_counter()
        window = SettingsWindow(services)
        window.show_tab("history")
        window.show()
        shown(app, window.history)
        window.grab()
        window_s = time.perf_counter() - begin
        window.shutdown()
        window.close()
        services.close()

    figures = {
        "benchmark": "history",
        "python": sys.version.split()[0],
        "qt_platform": os.environ.get("QT_QPA_PLATFORM"),
        "records": len(records),
        "open_history_tab_100k": {"ms": ms(open_s), "target_ms": TARGET_MS, "met": ms(open_s) < TARGET_MS},
        "filter_100k": {name: {"ms": ms(seconds), "target_ms": TARGET_MS, "met": ms(seconds) < TARGET_MS}
                        for name, seconds in filters.items()},
        "provider_filter_matching": matching["provider"],
        "jump_to_middle_ms": ms(middle_s),
        "jump_to_end_ms": ms(end_s),
        "chart_counts_on_worker_ms": ms(chart_s),
        "chart_bars": bars,
        "open_whole_window_on_history_ms": ms(window_s),
        "build_100k_s": round(build_s, 1),
    }
    figures["all_targets_met"] = figures["open_history_tab_100k"]["met"] and all(
        f["met"] for f in figures["filter_100k"].values())
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
