"""Linux and other free desktops: org.freedesktop.Notifications on the session bus, with a
default action (clicking the notification), a button for it, one button per choice (the
answers a notice offers), and the ActionInvoked and NotificationClosed signals handled.

The bus is spoken through jeepney (pure Python, already required by keyring on Linux), not
QtDBus: PySide6 cannot build the UINT32 ``replaces_id`` that ``Notify`` requires (a Python
int goes out as INT32 or UINT16 and servers reject the call), and servers such as dunst and
Plasma send ActionInvoked only to the connection that sent the notification. One reader
thread (:mod:`ui.notifications.bus`) reads the bus; replies and signals come back to the GUI
thread through :func:`ui.gui_inbox.gui_inbox` (never a Qt call from those threads, which can
deadlock against the GUI thread), so nothing here blocks the GUI.

On Wayland a window may take the focus only with an xdg-activation token. Servers that have
one for the click (mako, Plasma) send it in ``ActivationToken`` just before ``ActionInvoked``
(Desktop Notifications Specification 1.2); it is put in ``XDG_ACTIVATION_TOKEN`` while the click
is handled, where Qt's Wayland plugin takes it when the window the click opens or raises asks to
be activated (``QWaylandXdgSurface::requestActivate``, qtwayland
src/plugins/shellintegration/xdg-shell/qwaylandxdgshell.cpp at commit 0023dea034ac53ee409bf1160aa39fbf4ed86d99).

A notification outlives the app that showed it, buttons and all. The ids shown are kept in a file
(``shown_file``, :mod:`guard.services.shown_notifications`) and closed at the next start where the
server allows (CloseNotification); a button pressed on a notification this app did not show (an
id it does not know, with no notification of its own on its way) is never passed on as an
answer: ``unknown(choice)`` says it, and the app opens the form instead.
"""

from __future__ import annotations

import html
import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from guard import APP_NAME, APP_RDNS_ID
from guard.presentation.icons import state_icon_path
from guard.presentation.notices import Notice
from ui.notifications.base import NotificationsUnavailable, Notifier
from ui.gui_inbox import gui_inbox, post_if_alive
from ui.notifications.bus import BusClient

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
DEFAULT_ACTION = "default"
BUTTON_ACTION = "open"
CALL_TIMEOUT = 5.0
# Notify is sent from a worker thread, so waiting does not hold the app up; a busy server that answers after
# CALL_TIMEOUT has still shown the notification, and its reply (the id its buttons come back with) would be
# lost. Wait as long as D-Bus itself waits for a reply by default (libdbus's 25 s), as libnotify does.
NOTIFY_TIMEOUT = 25.0
TOKEN_LIMIT = 512  # characters of an activation token kept (they are short opaque strings)


class FreedesktopNotifier(Notifier):
    name = "freedesktop"

    def __init__(self, icon: str = "", bus: str = "SESSION", shown_file: Path | None = None) -> None:
        super().__init__()
        try:
            from jeepney import DBusAddress, MatchRule, message_bus
        except ImportError as error:
            raise NotificationsUnavailable(f"jeepney is not installed ({error})") from None
        try:
            self._bus = BusClient(bus)
        except Exception as error:  # noqa: BLE001 - no bus address, socket refused, auth failed: all say "unavailable"
            raise NotificationsUnavailable(f"no session bus ({error})") from None
        self._address = DBusAddress(PATH, bus_name=BUS_NAME, interface=INTERFACE)
        self._icon = icon
        self._ids: dict[int, str] = {}
        self._servers: dict[int, str] = {}  # notification id → unique bus name of the server that showed it
        self._tokens: dict[int, str] = {}  # notification id → xdg-activation token for its click
        self._answered: set[int] = set()  # notifications whose choice (a decision) was passed on already
        self._early: list[tuple[str, str, tuple[Any, ...]]] = []
        self._notifying = 0  # Notify calls whose reply has not reached the GUI thread yet
        self._shown_file = shown_file
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify")
        try:
            self.capabilities = set(self._call("GetCapabilities")[0])
            self.server = tuple(self._call("GetServerInformation"))
            self._bus_id = str(self._bus.call(message_bus.GetId(), CALL_TIMEOUT).body[0])
            self._server_name = str(self._bus.call(message_bus.GetNameOwner(BUS_NAME), CALL_TIMEOUT).body[0])
            rules = [MatchRule(type="signal", interface=INTERFACE, path=PATH, member=member)
                     for member in ("ActionInvoked", "NotificationClosed", "ActivationToken")]
            for rule in rules:  # servers that broadcast their signals need a match rule
                self._bus.call(message_bus.AddMatch(rule), CALL_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - any failure here means no usable server
            self._shutdown()
            raise NotificationsUnavailable(f"no notification server on the session bus ({error})") from None
        # Bus signals and Notify replies are handed to the GUI thread; made here, so the reader's and
        # the caller's threads touch no Qt object.
        self._reply_to_gui = post_if_alive(gui_inbox().post, self._on_reply)
        on_bus_signal = post_if_alive(gui_inbox().post, self._on_bus_signal)
        for rule in rules:
            self._bus.on_signal(rule, on_bus_signal)
        log.info("Notifications: %s %s (%s)", self.server[0] if self.server else "?",
                 self.server[2] if len(self.server) > 2 else "", ", ".join(sorted(self.capabilities)))
        self._close_earlier()

    def _close_earlier(self) -> None:
        """Close the notifications an earlier run of the app left on screen (on the notify
        thread): only ids this bus and this server gave, as the file says."""
        from guard.services import read_shown

        if self._shown_file is None:
            return
        earlier = read_shown(self._shown_file)
        self._remember()  # none of ours on screen yet
        if earlier is None or (earlier.bus_id, earlier.server) != (self._bus_id, self._server_name):
            return
        self._executor.submit(self._close_ids, earlier.ids)

    def _close_ids(self, ids: tuple[int, ...]) -> None:
        from jeepney import new_method_call
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        closed = 0
        for notification_id in ids:
            try:
                unwrap_msg(self._bus.call(new_method_call(self._address, "CloseNotification", "u",
                                                          (notification_id,)), CALL_TIMEOUT))
                closed += 1
            except DBusErrorResponse as error:  # closed already, or the server lets only its sender close it
                log.debug("Notification %d left from an earlier run not closed: %s", notification_id, error)
            except Exception as error:  # noqa: BLE001 - a bus that went away: nothing more to close
                log.warning("Could not close the notifications an earlier run left: %s", error)
                return
        log.info("Closed %d of %d notification(s) an earlier run of the app left on screen", closed, len(ids))

    def _remember(self) -> None:
        """Note the ids on screen in the file (on the notify thread, in order)."""
        from guard.services import ShownNotifications, write_shown

        if self._shown_file is None:
            return
        shown = ShownNotifications(self._bus_id, self._server_name, tuple(self._ids))
        try:
            self._executor.submit(write_shown, self._shown_file, shown)
        except RuntimeError:  # closed (the app is stopping): a reply that came after it is not noted
            log.debug("Notifications on screen not noted: the notifier is closed")

    def _call(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        from jeepney import new_method_call
        from jeepney.wrappers import unwrap_msg

        reply = self._bus.call(new_method_call(self._address, method, signature, body), CALL_TIMEOUT)
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
        self._notifying += 1
        future = self._executor.submit(self._notify, args)
        reply = self._reply_to_gui
        future.add_done_callback(lambda done, key=notice.key: reply(key, done))

    def _notify(self, args: tuple[Any, ...]) -> tuple[int, str]:
        """Send one notification: its id, and the unique bus name of the server that took it."""
        from jeepney import HeaderFields, new_method_call
        from jeepney.wrappers import unwrap_msg

        reply = self._bus.call(new_method_call(self._address, "Notify", "susssasa{sv}i", args),  # i18n-ok: D-Bus
                               NOTIFY_TIMEOUT)
        return int(unwrap_msg(reply)[0]), str(reply.header.fields.get(HeaderFields.sender, ""))

    def _on_reply(self, key: str, future: Future) -> None:
        self._notifying -= 1
        try:
            notification_id, server = future.result()
        except Exception as error:  # noqa: BLE001 - a refused notification is logged and reported, never fatal
            log.warning("The notification server refused a notification: %s", error)
            self.failed.emit(str(error))
        else:
            self._ids[notification_id] = key
            self._servers[notification_id] = server
            log.info("Notification %d sent: %s", notification_id, key)
            self._remember()
            self.sent.emit(key)
        early, self._early = self._early, []
        for sender, member, body in early:  # a click that beat the reply to the GUI thread
            self._handle(sender, member, body)

    def _on_bus_signal(self, message: Any) -> None:
        from jeepney import HeaderFields

        fields = message.header.fields
        self._handle(str(fields.get(HeaderFields.sender, "")), fields.get(HeaderFields.member), tuple(message.body))

    def _handle(self, sender: str, member: str, body: tuple[Any, ...]) -> None:
        if not body or not isinstance(body[0], int):
            return
        notification_id = int(body[0])
        key = self._ids.get(notification_id)
        if key is None:
            if self._notifying > 0:  # perhaps one of ours whose id has not reached this thread yet
                if len(self._early) < 50:
                    self._early.append((sender, member, body))
            elif member == "ActionInvoked" and sender == self._server_name and len(body) > 1:
                # Not shown by this app (one left from before a restart): its button is no answer
                # to anything here, and recording it blindly could record it twice or for the wrong meeting.
                choice = "" if body[1] in (DEFAULT_ACTION, BUTTON_ACTION) else str(body[1])[:64]
                log.warning("Ignored %r pressed on notification %d, which this run of the app did not show",
                            choice or "a click", notification_id)
                self.unknown.emit(choice)
            return
        if sender != self._servers.get(notification_id):
            # Any program on the bus can send these signals; only the server that showed the
            # notification may say it was clicked (a forged "I consent" would be recorded).
            log.warning("Ignored %s for notification %d from %s, which did not show it", member, notification_id,
                        sender or "an unknown sender")
            return
        if member == "ActivationToken":
            if isinstance(body[1], str) and body[1]:
                self._tokens[notification_id] = body[1][:TOKEN_LIMIT]
        elif member == "ActionInvoked":
            choice = "" if body[1] in (DEFAULT_ACTION, BUTTON_ACTION) else str(body[1])
            if choice and notification_id in self._answered:
                # One notification, one decision: a server that sends the same press twice (or a
                # second button after the first) would otherwise have the decision recorded twice.
                log.warning("Ignored a second answer (%s) on notification %d", choice, notification_id)
                return
            if choice:
                self._answered.add(notification_id)
            token = self._tokens.pop(notification_id, None)
            log.info("Notification %d clicked (%s)%s", notification_id, body[1],
                     " with an activation token" if token else "")
            if token:
                os.environ["XDG_ACTIVATION_TOKEN"] = token  # Qt activates the window the click opens with it
            try:
                self.activated.emit(key, choice)
            finally:
                os.environ.pop("XDG_ACTIVATION_TOKEN", None)  # one click, one use: never a later window's
        elif member == "NotificationClosed":
            self._ids.pop(notification_id, None)
            self._servers.pop(notification_id, None)
            self._tokens.pop(notification_id, None)
            self._answered.discard(notification_id)
            self._remember()
            self.closed.emit(key)

    def close(self) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._bus.close()
