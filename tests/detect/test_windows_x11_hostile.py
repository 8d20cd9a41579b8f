"""The X11 lister against clients that do not play by the rules: real windows on the test Xvfb,
made by a second X connection here, with properties of the wrong type or format, windows that
vanish between listing and reading, and two threads listing at once. Each odd window is skipped
(or read for what it honestly holds); the call never fails and the other windows are all listed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from Xlib import X, Xatom, display

from guard.detect.windows.linux_x11 import X11WindowLister

pytestmark = pytest.mark.desktop


class Client:
    """A second X client: makes top-level windows with whatever properties a test gives them."""

    def __init__(self, name: str) -> None:
        self.display = display.Display(name)
        self.root = self.display.screen().root
        self.made: list = []

    def atom(self, name: str) -> int:
        return self.display.intern_atom(name)

    def window(self, title: str | None = "", pid: int | None = None,
               properties: tuple[tuple[str, str, int, object], ...] = ()) -> int:
        """A mapped window; ``properties``: (name, type, format, data) set as given, unchecked."""
        screen = self.display.screen()
        window = self.root.create_window(0, 0, 40, 30, 0, screen.root_depth, X.InputOutput, X.CopyFromParent,
                                         background_pixel=screen.white_pixel)
        if title:
            window.change_property(self.atom("_NET_WM_NAME"), self.atom("UTF8_STRING"), 8, title.encode())
        if pid is not None:
            window.change_property(self.atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [pid])
        for name, kind, size, data in properties:
            window.change_property(self.atom(name), self.atom(kind), size, data)
        window.map()
        self.display.sync()
        self.made.append(window)
        return int(window.id)

    def destroy(self, wid: int) -> None:
        self.display.create_resource_object("window", wid).destroy()
        self.display.sync()

    def close(self) -> None:
        for window in self.made:
            window.destroy(onerror=lambda *_: None)
        self.display.sync()
        self.display.close()


@pytest.fixture
def client(desktop) -> Iterator[Client]:
    made = Client(desktop.env["DISPLAY"])
    yield made
    made.close()


@pytest.fixture
def lister(desktop) -> Iterator[X11WindowLister]:
    opened = X11WindowLister(env=desktop.child_env())
    yield opened
    opened.close()


def listed(lister: X11WindowLister) -> dict[int, tuple[str, int | None]]:
    return {w.window_id: (w.title, w.pid) for w in lister.windows()}


def test_properties_of_the_wrong_type_or_format_are_skipped_not_fatal(client, lister):
    good = client.window("Good window", 4242)
    wrong_type = client.window(None, properties=(("_NET_WM_NAME", "CARDINAL", 32, [1, 2, 3]),
                                                 ("WM_NAME", "STRING", 8, b"Fallback title")))
    wide_name = client.window(None, properties=(("_NET_WM_NAME", "UTF8_STRING", 16, [0x41, 0x42]),))
    wide_wm_name = client.window(None, properties=(("WM_NAME", "STRING", 32, [0x41424344]),))
    text_pid = client.window("Text pid", properties=(("_NET_WM_PID", "STRING", 8, b"1234"),))
    huge_pid = client.window("Huge pid", properties=(("_NET_WM_PID", "CARDINAL", 32, [0xFFFFFFFF]),))
    short_pid = client.window("Short pid", properties=(("_NET_WM_PID", "CARDINAL", 16, [77]),))
    found = listed(lister)
    assert found[good] == ("Good window", 4242)
    assert found[wrong_type] == ("Fallback title", None), "the title it does have is read"
    assert wide_name not in found and wide_wm_name not in found, "no text, no title"
    for wid, title in ((text_pid, "Text pid"), (huge_pid, "Huge pid"), (short_pid, "Short pid")):
        assert found[wid] == (title, None), "a _NET_WM_PID that is not one 32-bit pid names no owner"


def test_windows_that_vanish_between_listing_and_reading_are_skipped(client, lister, monkeypatch):
    windows = [client.window(f"Window {n}", 5000 + n) for n in range(12)]
    doomed = set(windows[::2])
    read = X11WindowLister._describe

    def closed_first(self, display_, wid):  # the client closes every other window just before it is read
        if wid in doomed:
            client.destroy(wid)
        return read(self, display_, wid)

    monkeypatch.setattr(X11WindowLister, "_describe", closed_first)
    found = listed(lister)
    assert {wid: found[wid] for wid in windows if wid not in doomed} == {
        wid: (f"Window {n}", 5000 + n) for n, wid in enumerate(windows) if wid not in doomed}
    assert doomed.isdisjoint(found)
    monkeypatch.undo()
    assert doomed.isdisjoint(listed(lister)), "and they stay gone"


def test_two_threads_listing_while_windows_come_and_go_never_fail(client, lister, desktop):
    steady = client.window("Steady window", 6000)
    churn = Client(desktop.env["DISPLAY"])
    stop = threading.Event()
    failures: list[BaseException] = []
    seen: list[bool] = []

    def come_and_go() -> None:
        while not stop.is_set():
            wid = churn.window("Brief window", 6001)
            churn.destroy(wid)
            churn.made.clear()

    def list_often() -> None:
        try:
            for _ in range(40):
                seen.append(listed(lister).get(steady) == ("Steady window", 6000))
        except BaseException as error:  # noqa: BLE001  (reported by the test below)
            failures.append(error)

    maker = threading.Thread(target=come_and_go)
    readers = [threading.Thread(target=list_often) for _ in range(2)]
    maker.start()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=120)
    stop.set()
    maker.join(timeout=30)
    churn.close()
    assert failures == [], failures
    assert len(seen) == 80 and all(seen), "the steady window is listed every time"


def test_a_hostile_client_list_on_the_root_window_is_not_trusted_blindly(client, lister):
    """Any client may write the root window's EWMH properties: a fake window manager check with a
    client list naming a window that does not exist, or a client list of bytes."""
    good = client.window("Listed window", 7000)
    check = client.window(None)
    root, wm_check, clients = client.root, client.atom("_NET_SUPPORTING_WM_CHECK"), client.atom("_NET_CLIENT_LIST")
    client.display.create_resource_object("window", check).change_property(wm_check, Xatom.WINDOW, 32, [check])
    try:
        root.change_property(wm_check, Xatom.WINDOW, 32, [check])
        root.change_property(clients, Xatom.WINDOW, 32, [0x7FFFFFF0, good, 0x7FFFFFF1])
        client.display.sync()
        assert listed(lister) == {good: ("Listed window", 7000)}
        assert lister.last_source == "ewmh"
        root.change_property(clients, Xatom.WINDOW, 8, b"\x01\x02\x03")
        client.display.sync()
        assert listed(lister)[good] == ("Listed window", 7000)
        assert lister.last_source == "tree", "a client list that is not 32-bit window ids is none"
    finally:
        root.delete_property(clients)
        root.delete_property(wm_check)
        client.display.sync()
