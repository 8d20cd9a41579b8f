"""The worker threads: real Services and Monitor off the GUI thread, signals on it."""

from __future__ import annotations

import threading

from guard.services import Services
from guard.terms import TermsWatcher
from guard.terms.fetch import FetchPolicy
from guard.terms.models import WatchedDocument
from tests.terms.support.pages import fixture_text, plain_page
from tests.terms.support.server import TermsServer, page
from tests.ui.conftest import start_client
from ui.worker import Worker

MARCH = fixture_text("zoom/tos-2023-03-section10.quoted.md")
AUG_07 = fixture_text("zoom/tos-2023-08-07-section10.quoted.md")


def kinds(events, provider_id):
    return [item.event.kind for item in events if item.provider.id == provider_id]


def test_worker_builds_services_off_the_gui_thread_and_reports_a_client(qtbot, world, processes):
    built_in: list[str] = []

    def factory() -> Services:
        built_in.append(threading.current_thread().name)
        return Services(world.paths)

    worker = Worker(factory)
    seen: list = []
    worker.events.connect(seen.extend)
    try:
        with qtbot.waitSignal(worker.ready, timeout=20000):
            worker.start()
        assert built_in and built_in[0] != threading.main_thread().name
        start_client(processes, world)
        qtbot.waitUntil(lambda: "app-started" in kinds(seen, "testmeet"), timeout=20000)
        with qtbot.waitSignal(worker.snapshot, timeout=5000) as snap:
            pass
        assert [app.provider_id for app in snap.args[0].apps if app.provider_id == "testmeet"] == ["testmeet"]
    finally:
        assert worker.stop()


def test_pause_and_resume_reach_the_monitor(qtbot, world):
    from datetime import datetime, timedelta, timezone

    worker = Worker(lambda: Services(world.paths))
    try:
        with qtbot.waitSignal(worker.snapshot, timeout=20000):
            worker.start()
        until = datetime.now(timezone.utc) + timedelta(hours=1)
        with qtbot.waitSignal(worker.snapshot, check_params_cb=lambda s: s.paused_until == until, timeout=5000):
            worker.pause(until)
        with qtbot.waitSignal(worker.snapshot, check_params_cb=lambda s: s.paused_until is None, timeout=5000):
            worker.resume()
    finally:
        assert worker.stop()


def test_stop_closes_the_monitor_and_ends_both_threads(qtbot, world):
    closed: list[bool] = []

    class ClosingServices(Services):
        def make_monitor(self):
            monitor = super().make_monitor()
            original = monitor.close
            monitor.close = lambda: (closed.append(True), original())[1]  # type: ignore[method-assign]
            return monitor

    worker = Worker(lambda: ClosingServices(world.paths))
    with qtbot.waitSignal(worker.snapshot, timeout=20000):
        worker.start()
    assert worker.stop()
    assert closed == [True]
    assert not worker._detection_thread.isRunning() and not worker._terms_thread.isRunning()


def test_check_terms_now_runs_in_the_terms_thread_and_reports_changes(qtbot, world, tmp_path):
    policy = FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0, connect_timeout=2,
                         read_timeout=2, total_deadline=5)
    checked_in: list[str] = []
    world.settings("[terms]\nnetwork_enabled = true\nallow_insecure_localhost = true\n")
    with TermsServer() as server:
        document = WatchedDocument("testmeet", "terms", "TestMeet Terms of Service", server.url("/terms"))

        class LocalTermsServices(Services):
            def make_terms_watcher(self) -> TermsWatcher:
                watcher = TermsWatcher.from_settings(self.terms, [document], self.settings.terms, policy=policy)
                check = watcher.check
                watcher.check = lambda *a, **k: (checked_in.append(threading.current_thread().name),  # type: ignore
                                                 check(*a, **k))[1]
                return watcher

        worker = Worker(lambda: LocalTermsServices(world.paths), terms_first_check_seconds=3600)
        changes: list = []
        worker.terms_changed.connect(changes.extend)
        try:
            with qtbot.waitSignal(worker.ready, timeout=20000):
                worker.start()
            server.routes["/terms"] = page(plain_page(MARCH))
            with qtbot.waitSignal(worker.terms_check_finished, timeout=20000) as first:
                worker.check_terms_now("testmeet")
            assert first.args[0].events == [] and len(first.args[0].checks) == 1
            server.routes["/terms"] = page(plain_page(AUG_07))
            with qtbot.waitSignal(worker.terms_check_finished, timeout=20000):
                worker.check_terms_now("testmeet")
            qtbot.waitUntil(lambda: len(changes) == 1, timeout=5000)
            assert changes[0].provider_id == "testmeet" and "ai-training" in changes[0].changes[0].topics
            assert checked_in and threading.main_thread().name not in checked_in
        finally:
            assert worker.stop()
