"""Linux and other free desktops: org.freedesktop.Notifications on the session bus, with a
default action (clicking the notification), a button for it, one button per choice (the
answers a notice offers), and the ActionInvoked and NotificationClosed signals handled.

The bus is spoken through jeepney (pure Python, already required by keyring on Linux), not
QtDBus: PySide6 cannot build the UINT32 ``replaces_id`` that ``Notify`` requires (a Python
int goes out as INT32 or UINT16 and servers reject the call), and servers such as dunst and
Plasma send ActionInvoked only to the connection that sent the notification. jeepney's
router reads the bus on its own thread; replies and signals come back to the GUI thread as
queued Qt signals, so nothing here blocks the GUI.
"""

from __future__ import annotations

import html
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import Signal

from guard import APP_NAME, APP_RDNS_ID
from guard.presentation.icons import state_icon_path
from guard.presentation.notices import Notice
from ui.notifications.base import NotificationsUnavailable, Notifier

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
DEFAULT_ACTION = "default"
BUTTON_ACTION = "open"
CALL_TIMEOUT = 5.0


class _SignalQueue:
    """Stands in for the queue.Queue a jeepney filter fills: hands each message to a Qt signal."""

    def __init__(self, emit: Any) -> None:
        self._emit = emit

    def put_nowait(self, message: Any) -> None:
        self._emit(message)


class FreedesktopNotifier(Notifier):
    name = "freedesktop"

    _bus_signal = Signal(object)  # a jeepney Message, from the router's thread
    _reply = Signal(str, object)  # (notice key, Future of the Notify call)

    def __init__(self, icon: str = "", bus: str = "SESSION") -> None:
        super().__init__()
        try:
            from jeepney import DBusAddress, MatchRule, message_bus
            from jeepney.io.threading import DBusRouter, open_dbus_connection
        except ImportError as error:
            raise NotificationsUnavailable(f"jeepney is not installed ({error})") from None
        try:
            self._conn = open_dbus_connection(bus)
        except Exception as error:  # noqa: BLE001 - no bus address, socket refused, auth failed: all say "unavailable"
            raise NotificationsUnavailable(f"no session bus ({error})") from None
        self._router = DBusRouter(self._conn)
        self._address = DBusAddress(PATH, bus_name=BUS_NAME, interface=INTERFACE)
        self._icon = icon
        self._ids: dict[int, str] = {}
        self._early: list[tuple[str, tuple[Any, ...]]] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify")
        try:
            self.capabilities = set(self._call("GetCapabilities")[0])
            self.server = tuple(self._call("GetServerInformation"))
            rules = [MatchRule(type="signal", interface=INTERFACE, path=PATH, member=member)
                     for member in ("ActionInvoked", "NotificationClosed")]
            for rule in rules:  # servers that broadcast their signals need a match rule
                self._router.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - any failure here means no usable server
            self._shutdown()
            raise NotificationsUnavailable(f"no notification server on the session bus ({error})") from None
        self._bus_signal.connect(self._on_bus_signal)
        self._reply.connect(self._on_reply)
        self._filters = [self._router.filter(rule, queue=_SignalQueue(self._bus_signal.emit)) for rule in rules]
        log.info("Notifications: %s %s (%s)", self.server[0] if self.server else "?",
                 self.server[2] if len(self.server) > 2 else "", ", ".join(sorted(self.capabilities)))

    def _call(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        from jeepney import new_method_call
        from jeepney.wrappers import unwrap_msg

        reply = self._router.send_and_get_reply(new_method_call(self._address, method, signature, body),
                                                timeout=CALL_TIMEOUT)
        return tuple(unwrap_msg(reply))

    def show(self, notice: Notice) -> None:
        body = html.escape(notice.body, quote=False) if "body-markup" in self.capabilities else notice.body
        actions: list[str] = []
        if "actions" in self.capabilities:
            actions = [DEFAULT_ACTION, notice.action_label, BUTTON_ACTION, notice.action_label]
            for choice in notice.choices:
                actions += [choice.id, choice.label]
        icon = str(state_icon_path(notice.state))  # the icon the tray shows for what this notice is about
        hints = {"desktop-entry": ("s", APP_RDNS_ID), "image-path": ("s", icon)}
        args = (APP_NAME, 0, icon, notice.title, body, actions, hints, -1)
        future = self._executor.submit(self._call, "Notify", "susssasa{sv}i", args)
        future.add_done_callback(lambda done, key=notice.key: self._reply.emit(key, done))

    def _on_reply(self, key: str, future: Future) -> None:
        try:
            notification_id = int(future.result()[0])
        except Exception as error:  # noqa: BLE001 - a refused notification is logged and reported, never fatal
            log.warning("The notification server refused a notification: %s", error)
            self.failed.emit(str(error))
            return
        self._ids[notification_id] = key
        log.info("Notification %d sent: %s", notification_id, key)
        self.sent.emit(key)
        early, self._early = self._early, []
        for member, body in early:  # a click that beat the reply to the GUI thread
            self._handle(member, body)

    def _on_bus_signal(self, message: Any) -> None:
        from jeepney import HeaderFields

        self._handle(message.header.fields.get(HeaderFields.member), tuple(message.body))

    def _handle(self, member: str, body: tuple[Any, ...]) -> None:
        notification_id = int(body[0])
        key = self._ids.get(notification_id)
        if key is None:
            if len(self._early) < 50:
                self._early.append((member, body))
            return
        if member == "ActionInvoked":
            log.info("Notification %d clicked (%s)", notification_id, body[1])
            self.activated.emit(key, "" if body[1] in (DEFAULT_ACTION, BUTTON_ACTION) else str(body[1]))
        elif member == "NotificationClosed":
            self._ids.pop(notification_id, None)
            self.closed.emit(key)

    def close(self) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        for handle in getattr(self, "_filters", []):
            handle.close()
        self._filters = []
        self._executor.shutdown(wait=False, cancel_futures=True)
        try:
            self._router.close()
        finally:
            self._conn.close()
