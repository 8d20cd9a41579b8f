"""A notification server of the tests' own on a private session bus (a real dbus-daemon), for
what dunst does not do: repeat a press, or press a notification of an earlier run. Its
Notify always answers id 7."""

from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ui.notifications.freedesktop import INTERFACE, PATH

NOTIFICATION_ID = 7


class FakeNotificationServer:
    """Serves GetCapabilities, GetServerInformation and Notify; sends ActionInvoked for each
    ``press(id, action)``, and ``presses_per_notify`` times for every notification shown."""

    def __init__(self, address: str, name: str, *, action: str = "", presses_per_notify: int = 0) -> None:
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)
        self.conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
        self.name, self.action, self.presses_per_notify = name, action, presses_per_notify
        self.presses: queue.SimpleQueue[tuple[int, str]] = queue.SimpleQueue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def press(self, notification_id: int, action: str) -> None:
        self.presses.put((notification_id, action))

    def _serve(self) -> None:
        from jeepney import DBusAddress, MessageType, new_method_return, new_signal

        address = DBusAddress(PATH, interface=INTERFACE)
        while not self.stop.is_set():
            while not self.presses.empty():
                self.conn.send(new_signal(address, "ActionInvoked", "us", self.presses.get()))
            try:
                message = self.conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if message.header.message_type != MessageType.method_call:
                continue
            member = message.header.fields.get(3)
            if member == "GetCapabilities":
                self.conn.send(new_method_return(message, "as", (["actions", "body"],)))
            elif member == "GetServerInformation":
                self.conn.send(new_method_return(message, "ssss", (self.name, "test", "1", "1.2")))
            elif member == "Notify":
                self.conn.send(new_method_return(message, "u", (NOTIFICATION_ID,)))
                for _ in range(self.presses_per_notify):
                    self.conn.send(new_signal(address, "ActionInvoked", "us", (NOTIFICATION_ID, self.action)))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.conn.close()


@contextmanager
def private_bus() -> Iterator[str]:
    """A session bus of its own (a real dbus-daemon); yields its address."""
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert daemon.stdout is not None
        yield daemon.stdout.readline().strip()
    finally:
        daemon.terminate()
        daemon.wait(10)
