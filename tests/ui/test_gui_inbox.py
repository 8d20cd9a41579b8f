"""Work finished on other threads reaches the GUI thread without those threads calling into Qt.

A queued signal emitted from a worker takes Qt's pooled mutexes on the worker and may wait there
for Python's lock, while the GUI thread holds Python's lock and waits for the same mutex (a tray
menu rebuilt as a job finished froze the app this way). These tests watch every call a worker
thread makes into the binding, with Python's own profiler on that thread: there must be none.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import shiboken6
from PySide6.QtWidgets import QMenu

from ui.gui_inbox import GuiInbox
from ui.jobs import JobRunner, Lane


def _qt_calls_on_this_thread(seen: list[str], until: str) -> None:
    """From now on, note every call this thread makes into PySide6/shiboken6 until the frame
    of the function named ``until`` returns (then stop watching)."""

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "c_call":
            owner = getattr(arg, "__self__", None)
            module = f"{type(owner).__module__ if owner is not None else ''}.{getattr(arg, '__module__', '') or ''}"
            if "PySide6" in module or "shiboken" in module:
                seen.append(f"{type(owner).__name__}.{getattr(arg, '__name__', '?')}")
        elif event == "return" and frame.f_code.co_name == until:
            sys.setprofile(None)

    sys.setprofile(profile)


def test_a_finished_job_reaches_the_gui_thread_without_its_worker_calling_qt(qtbot):
    runner = JobRunner()
    seen: list[str] = []
    delivered: list[tuple[threading.Thread, int]] = []

    def work() -> int:
        _qt_calls_on_this_thread(seen, until="run")  # the QRunnable's run, which hands the job over
        return 7

    runner.submit(work, lambda result: delivered.append((threading.current_thread(), result)), lane=Lane.LONG)
    qtbot.waitUntil(lambda: bool(delivered), timeout=10000)
    assert delivered == [(threading.main_thread(), 7)]
    assert seen == [], f"the worker called into Qt while handing its result over: {seen}"
    assert runner.shutdown()


def test_progress_posted_from_a_job_arrives_on_the_gui_thread_in_order_without_a_qt_call(qtbot):
    runner = JobRunner()
    seen: list[str] = []
    progress: list[tuple[bool, int]] = []

    def work() -> str:
        _qt_calls_on_this_thread(seen, until="work")
        for step in range(50):
            runner.post(lambda n: progress.append((threading.current_thread() is threading.main_thread(), n)), step)
        sys.setprofile(None)
        return "done"

    result: list[str] = []
    runner.submit(work, result.append, lane=Lane.LONG)
    qtbot.waitUntil(lambda: result == ["done"] and len(progress) == 50, timeout=10000)
    assert progress == [(True, n) for n in range(50)]
    assert seen == []
    assert runner.shutdown()


def test_calls_posted_from_many_threads_all_run_on_the_gui_thread_in_each_threads_order(qtbot):
    inbox = GuiInbox()
    got: dict[int, list[int]] = {}
    on_gui: list[bool] = []

    def note(sender: int, n: int) -> None:
        on_gui.append(threading.current_thread() is threading.main_thread())
        got.setdefault(sender, []).append(n)

    senders = [threading.Thread(target=lambda s=s: [inbox.post(note, s, n) for n in range(2000)]) for s in range(6)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    # 12,000 wake-up bytes overflow the socket's buffer: the posts that found it full are still run.
    qtbot.waitUntil(lambda: sum(map(len, got.values())) == 12000, timeout=20000)
    assert all(on_gui)
    assert got == {s: list(range(2000)) for s in range(6)}
    inbox.close()


def test_a_failing_call_is_reported_and_the_calls_behind_it_still_run(qtbot, monkeypatch):
    inbox = GuiInbox()
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: reported.append(kind))
    ran: list[str] = []

    def fail() -> None:
        raise ValueError("a callback's own bug")

    inbox.post(fail)
    inbox.post(ran.append, "after")
    qtbot.waitUntil(lambda: ran == ["after"], timeout=5000)
    assert reported == [ValueError]
    inbox.close()


def test_a_closed_inbox_runs_nothing_more_and_gives_back_its_descriptors(qtbot):
    fds = Path("/proc/self/fd")
    before = len(list(fds.iterdir()))
    inbox = GuiInbox()
    assert len(list(fds.iterdir())) == before + 2
    ran: list[int] = []
    inbox.close()
    inbox.post(ran.append, 1)  # from a worker that finished late: dropped, no error
    qtbot.wait(100)
    assert ran == []
    assert len(list(fds.iterdir())) == before


def test_an_inbox_deleted_with_its_owner_gives_back_its_descriptors(qtbot):
    from PySide6.QtCore import QObject

    fds = Path("/proc/self/fd")
    before = len(list(fds.iterdir()))
    owner = QObject()
    GuiInbox(owner)
    assert len(list(fds.iterdir())) == before + 2
    shiboken6.delete(owner)  # a window closed, a runner dropped: Qt deletes the inbox with it
    assert len(list(fds.iterdir())) == before


def test_jobs_finishing_while_the_tray_menu_is_rebuilt_all_arrive(qtbot):
    """The situation that froze the tray: results landing while a menu's actions are deleted."""
    runner = JobRunner()
    menu = QMenu()
    arrived: list[int] = []
    rebuild: Callable[[], None]

    def rebuild() -> None:
        menu.clear()
        for _ in range(20):
            menu.addAction("item").triggered.connect(lambda checked=False: None)

    for round_ in range(100):
        for n in range(10):
            runner.submit(lambda n=n, r=round_: r * 10 + n, arrived.append, lane=Lane.IO)
        rebuild()
        qtbot.wait(1)
    qtbot.waitUntil(lambda: len(arrived) == 1000, timeout=30000)
    assert sorted(arrived) == list(range(1000))
    assert runner.shutdown()


def test_a_runner_dropped_before_its_result_arrives_is_freed_at_once_and_the_result_dropped(qtbot):
    """No cycle holds a runner (it would then be deleted by a garbage collection on whatever
    thread runs one, and a Qt object must be deleted on its own thread)."""
    import gc
    import weakref

    gc.disable()
    try:
        runner = JobRunner()
        delivered: list[str] = []
        runner.submit(lambda: "late", delivered.append, lane=Lane.LONG)
        gone = weakref.ref(runner)
        del runner  # deleting its pools waits for the job; its result then waits in the inbox
        assert gone() is None, "something still holds the runner"
        qtbot.wait(200)
        assert delivered == [], "a deleted runner's result was delivered"
    finally:
        gc.enable()
