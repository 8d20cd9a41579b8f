"""The one job runner, and the detection and terms loops on it: real Services, real Monitor,
a real terms server; work runs off the GUI thread and its results arrive on it."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QWidget

from guard.services import Services
from guard.terms.fetch import FetchPolicy
from guard.terms.models import WatchedDocument
from tests.terms.support.pages import fixture_text, plain_page
from tests.terms.support.server import TermsServer, page
from tests.ui.conftest import start_client
from ui.jobs import JobRunner, Lane
from ui.loops import DetectionLoop, TermsLoop

MARCH = fixture_text("zoom/tos-2023-03-section10.quoted.md")
AUG_07 = fixture_text("zoom/tos-2023-08-07-section10.quoted.md")


def kinds(events, provider_id):
    return [item.event.kind for item in events if item.provider.id == provider_id]


def test_work_runs_off_the_gui_thread_and_its_result_comes_back_on_it(qtbot):
    runner = JobRunner()
    ran_in, delivered_in = [], []
    runner.submit(lambda: ran_in.append(threading.current_thread()) or 42,
                  lambda result: delivered_in.append((threading.current_thread(), result)))
    qtbot.waitUntil(lambda: bool(delivered_in), timeout=5000)
    assert ran_in[0] is not threading.main_thread()
    assert delivered_in == [(threading.main_thread(), 42)]
    assert runner.shutdown()


def test_a_newer_job_with_the_same_key_drops_the_older_result_and_cancels_it(qtbot):
    runner = JobRunner()
    release = threading.Event()
    first_cancel = threading.Event()
    results = []
    runner.submit(lambda: release.wait(5) and "old", results.append, key="search", cancel=first_cancel)
    runner.submit(lambda: "new", results.append, key="search")
    release.set()
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)
    assert runner.wait(2000)
    qtbot.wait(50)
    assert results == ["new"], "the stale answer never overwrites the newer one"
    assert first_cancel.is_set()
    assert runner.shutdown()


def test_single_flight_starts_nothing_while_one_runs(qtbot):
    runner = JobRunner()
    release = threading.Event()
    assert runner.submit(lambda: release.wait(5), lane=Lane.DETECTION, key="detect", single=True) is not None
    assert runner.submit(lambda: None, lane=Lane.DETECTION, key="detect", single=True) is None
    assert runner.busy("detect")
    release.set()
    qtbot.waitUntil(lambda: not runner.busy("detect"), timeout=5000)
    assert runner.shutdown()


def test_a_result_for_a_closed_widget_is_dropped(qtbot):
    runner = JobRunner()
    widget = QWidget()
    release = threading.Event()
    delivered = []
    runner.submit(lambda: release.wait(5), delivered.append, owner=widget)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(widget), timeout=5000)
    release.set()
    assert runner.wait(5000)
    qtbot.wait(50)
    assert delivered == []
    assert runner.shutdown()


def test_a_long_lane_does_not_hold_up_a_quick_write(qtbot):
    runner = JobRunner()
    release = threading.Event()
    done = []
    for _ in range(3):
        runner.submit(lambda: release.wait(10), lane=Lane.LONG)
    runner.submit(lambda: "saved", done.append, lane=Lane.IO)
    qtbot.waitUntil(lambda: done == ["saved"], timeout=5000)
    release.set()
    assert runner.shutdown()


def test_errors_reach_the_gui_thread(qtbot):
    runner = JobRunner()
    errors = []
    runner.submit(lambda: 1 / 0, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)
    assert runner.shutdown()


def open_services(qtbot, runner: JobRunner, factory) -> Services:
    opened: list[Services] = []
    runner.submit(factory, opened.append, lane=Lane.IO)
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    return opened[0]


def test_detection_passes_run_on_their_lane_and_report_a_client(qtbot, world, processes):
    runner = JobRunner()
    built_in: list[threading.Thread] = []

    def factory() -> Services:
        built_in.append(threading.current_thread())
        return Services(world.paths)

    services = open_services(qtbot, runner, factory)
    assert built_in[0] is not threading.main_thread()
    loop = DetectionLoop(runner)
    seen: list = []
    loop.events.connect(seen.extend)
    try:
        loop.start(services)
        start_client(processes, world)
        qtbot.waitUntil(lambda: "app-started" in kinds(seen, "testmeet"), timeout=20000)
        with qtbot.waitSignal(loop.snapshot, timeout=5000) as snap:
            pass
        assert [app.provider_id for app in snap.args[0].apps if app.provider_id == "testmeet"] == ["testmeet"]
    finally:
        loop.stop()
        runner.submit(services.close, lane=Lane.IO)
        assert runner.shutdown()


def test_pause_and_resume_reach_the_monitor(qtbot, world):
    runner = JobRunner()
    services = open_services(qtbot, runner, lambda: Services(world.paths))
    loop = DetectionLoop(runner)
    try:
        with qtbot.waitSignal(loop.snapshot, timeout=20000):
            loop.start(services)
        until = datetime.now(UTC) + timedelta(hours=1)
        with qtbot.waitSignal(loop.snapshot, check_params_cb=lambda s: s.paused_until == until, timeout=5000):
            loop.pause(until)
        with qtbot.waitSignal(loop.snapshot, check_params_cb=lambda s: s.paused_until is None, timeout=5000):
            loop.resume()
    finally:
        loop.stop()
        runner.submit(services.close, lane=Lane.IO)
        assert runner.shutdown()


def test_stop_closes_the_monitor_on_its_own_lane(qtbot, world):
    closed_in: list[threading.Thread] = []
    runner = JobRunner()
    services = open_services(qtbot, runner, lambda: Services(world.paths))
    loop = DetectionLoop(runner)
    with qtbot.waitSignal(loop.snapshot, timeout=20000):
        loop.start(services)
    monitor = services._monitor
    original = monitor.close
    monitor.close = lambda: (closed_in.append(threading.current_thread()), original())[1]  # type: ignore[method-assign]
    loop.stop()
    assert runner.shutdown()
    assert len(closed_in) == 1 and closed_in[0] is not threading.main_thread()
    assert services._monitor is None


def test_check_terms_now_runs_in_a_helper_process_and_reports_changes(qtbot, world, monkeypatch):
    policy = FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0, connect_timeout=2,
                         read_timeout=2, total_deadline=5)
    monkeypatch.setenv("MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST", "1")  # the helper process inherits it
    world.settings("[general]\nwelcome_shown = true\n\n[terms]\nnetwork_enabled = true\n")
    runner = JobRunner()
    with TermsServer() as server:
        document = WatchedDocument("testmeet", "terms", "TestMeet Terms of Service", server.url("/terms"))

        def local() -> Services:
            services = Services(world.paths)
            services.watched_documents, services.fetch_policy = (document,), policy
            return services

        services = open_services(qtbot, runner, local)
        before = set(sys.modules)
        loop = TermsLoop(runner, first_check_seconds=3600)
        changes: list = []
        loop.terms_changed.connect(changes.extend)
        try:
            loop.start(services)
            server.routes["/terms"] = page(plain_page(MARCH))
            with qtbot.waitSignal(loop.check_finished, timeout=20000) as first:
                loop.check_now("testmeet")
            assert first.args[0].events == [] and len(first.args[0].checks) == 1
            server.routes["/terms"] = page(plain_page(AUG_07))
            with qtbot.waitSignal(loop.check_finished, timeout=20000):
                loop.check_now("testmeet")
            qtbot.waitUntil(lambda: len(changes) == 1, timeout=5000)
            assert changes[0].provider_id == "testmeet" and "ai-training" in changes[0].changes[0].topics
            assert len(server.seen) == 2
            assert "requests" not in set(sys.modules) - before or "requests" in before, \
                "the HTTP client loads in the helper process, not in the app"
        finally:
            loop.stop()
            runner.submit(services.close, lane=Lane.IO)
            assert runner.shutdown()


def test_shutdown_waits_for_all_lanes_within_one_deadline_and_for_decision_writes_first(qtbot):
    """Quitting (logout, SIGTERM) with work stuck in every lane waits at most the timeout in
    all, not the timeout once per lane (a desktop kills an app that takes too long to quit), and
    the lane that writes decisions is waited for first, with the whole budget."""
    runner = JobRunner()
    release = threading.Event()
    started = []
    for lane in Lane:
        runner.submit(lambda lane=lane: started.append(lane) or release.wait(30), lane=lane)
    qtbot.waitUntil(lambda: len(started) == len(Lane), timeout=5000)
    asked = []
    wait_lane = runner._wait_lane

    def recording(lane, timeout_ms):
        asked.append((lane, timeout_ms))
        return wait_lane(lane, timeout_ms)

    runner._wait_lane = recording
    try:
        assert not runner.shutdown(400), "stuck lanes are reported, not waited for"
    finally:
        release.set()
    assert {lane for lane, _ in asked} == set(Lane)
    assert asked[0][0] is Lane.IO
    assert sum(ms for _, ms in asked) <= 400 + len(Lane), asked
    assert runner.wait(5000)
