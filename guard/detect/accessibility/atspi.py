"""The Linux reader: a meeting client's accessibility tree over AT-SPI2 (D-Bus, with jeepney).

The accessibility bus's address comes from the session bus (``org.a11y.Bus.GetAddress``, or
``AT_SPI_BUS_ADDRESS`` when set); the registry lists the registered applications, and
``GetConnectionUnixProcessID`` tells which one is a client's process. Only those applications are
read, breadth first, one node at a time (``GetAll`` of its properties, its role name, its
children by index), within :class:`~guard.detect.accessibility.Limits`: a huge or hostile tree
costs the same per tick as a small one, and the walk goes on where it stopped on the next tick.
What is read is matched at once (:mod:`.found`) and forgotten; nothing read is logged.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from guard.detect.accessibility import ClientInMeeting, Limits, Work
from guard.detect.accessibility.found import LIST_ROLES, Matcher
from guard.detect.observation import Observation, ProbeUnavailable

if TYPE_CHECKING:
    from jeepney.io.blocking import DBusConnection

    from guard.detect.matching import DetectionRules

log = logging.getLogger(__name__)

REGISTRY = "org.a11y.atspi.Registry"
ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
PROPERTIES = "org.freedesktop.DBus.Properties"
NULL_PATH = "/org/a11y/atspi/null"
FEW_CHILDREN = 50  # up to this many children are listed in one call; more are looked up one by one
NEW_APPS_PER_TICK = 64  # registered applications whose pid is asked for per tick (the rest next tick)
REST_TICKS = 5  # ticks a client is left alone after it did not answer in time
NODE_CALLS = 4  # calls one node's visit may take: name, role, child count, its children's list
OFFSETS_KEPT = 256  # long child lists per client whose reading position is kept between passes


class _Slow(Exception):
    """A client did not answer within the limit's timeout."""


@dataclass(frozen=True)
class _Node:
    bus: str
    path: str
    depth: int
    in_list: bool


@dataclass
class _Children:
    """A node's children still to look up, one call each (for a node with many): indexes ``next``
    up to (not including) ``stop``."""

    bus: str
    path: str
    depth: int
    in_list: bool
    stop: int
    next: int = 0


@dataclass
class _Walk:
    """One client's pass over its tree, kept between ticks."""

    bus: str
    pending: deque[_Node | _Children] = field(default_factory=deque)
    nodes: int = 0
    rest: int = 0
    # (bus, path) of a node with more children than a pass looks at → where the next pass starts,
    # so a long participant list is read a window at a time, pass after pass
    offsets: dict[tuple[str, str], int] = field(default_factory=dict)

    def restart(self) -> None:
        self.pending = deque([_Node(self.bus, ROOT, 0, False)])
        self.nodes = 0


class AtSpiReader:
    """Reads meeting clients over the AT-SPI bus; one connection, kept while it works."""

    name = "at-spi"

    def __init__(self, environ: Mapping[str, str] | None = None, limits: Limits | None = None) -> None:
        self.environ = environ if environ is not None else os.environ
        self.limits = limits or Limits()
        self.work = Work()  # the last tick's
        self._conn: DBusConnection | None = None
        self._pids: dict[str, int | None] = {}  # application bus name → its process id
        self._walks: dict[int, _Walk] = {}  # client pid → its walk
        self._matcher = Matcher()
        self._turn = 0

    # -- the tick --------------------------------------------------------------------------------
    def observations(self, clients: Sequence[ClientInMeeting], rules: DetectionRules,
                     at: datetime) -> list[Observation]:
        self.work = Work()
        wanted = {client.pid for client in clients}
        for pid in [pid for pid in self._walks if pid not in wanted]:
            del self._walks[pid]
        if not clients:
            return []
        conn = self._connection()
        matcher = self._matcher.using(rules)
        found: list[Observation] = []
        try:
            apps = self._applications(conn, wanted)
            self._turn += 1
            start = self._turn % len(clients)  # the budget goes round the clients, a different one first each tick
            for client in (*clients[start:], *clients[:start]):
                bus = apps.get(client.pid)
                if bus is None:
                    self._walks.pop(client.pid, None)  # not registered (yet): look again next tick
                    continue
                walk = self._walks.get(client.pid)
                if walk is None or walk.bus != bus:
                    walk = self._walks[client.pid] = _Walk(bus)
                    walk.restart()
                if walk.rest > 0:
                    walk.rest -= 1
                    continue
                found += self._step(conn, walk, client, matcher, at)
                if self.work.calls + NODE_CALLS > self.limits.calls_per_tick:
                    break
        except (OSError, EOFError) as error:  # the bus went away (ConnectionError is an OSError)
            self.close()
            raise ProbeUnavailable(f"lost the connection to the accessibility bus: {error}") from error
        return found

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except OSError:
                pass
            self._conn = None
        self._pids.clear()
        self._walks.clear()

    # -- the bus ---------------------------------------------------------------------------------
    def _connection(self) -> DBusConnection:
        if self._conn is not None:
            return self._conn
        from jeepney.io.blocking import open_dbus_connection

        address = self.environ.get("AT_SPI_BUS_ADDRESS") or self._a11y_address()
        try:
            self._conn = open_dbus_connection(bus=address)
        except (OSError, ValueError, RuntimeError) as error:
            raise ProbeUnavailable(f"cannot connect to the accessibility bus at {address[:200]}: {error}") from error
        return self._conn

    def _a11y_address(self) -> str:
        """The accessibility bus's address, asked of the session bus (which starts it on demand)."""
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        session = self.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not session:
            raise ProbeUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no "
                                   "accessibility bus to read meeting clients from")
        try:
            with open_dbus_connection(bus=session) as conn:
                reply = conn.send_and_get_reply(new_method_call(
                    DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus"), "GetAddress"), timeout=5)
        except (OSError, ValueError, RuntimeError, TimeoutError) as error:
            raise ProbeUnavailable(f"cannot ask the session bus for the accessibility bus: {error}") from error
        if reply.header.message_type == MessageType.error or not reply.body or not reply.body[0]:
            why = reply.header.fields.get(4, "no address")  # 4: the error name
            raise ProbeUnavailable(f"the session has no accessibility bus ({why}); install at-spi2-core")
        address: str = reply.body[0]
        return address

    def _call(self, conn: DBusConnection, bus: str, path: str, interface: str, method: str,
              signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        """One call's first reply value; None when the object answered with an error (it is gone)."""
        from jeepney import DBusAddress, MessageType, new_method_call

        self.work.calls += 1
        message = new_method_call(DBusAddress(path, bus, interface), method, signature, body)
        try:
            reply = conn.send_and_get_reply(message, timeout=self.limits.timeout)
        except TimeoutError as error:
            self.work.timeouts += 1
            raise _Slow from error
        if reply.header.message_type == MessageType.error or not reply.body:
            return None
        return reply.body[0]

    def _applications(self, conn: DBusConnection, wanted: set[int]) -> dict[int, str]:
        """Client pid → the bus name of its registered application, for the wanted pids only."""
        from jeepney.bus_messages import message_bus

        try:
            listed = self._call(conn, REGISTRY, ROOT, ACCESSIBLE, "GetChildren") or []
        except _Slow:
            raise ProbeUnavailable("the accessibility registry did not answer in time") from None
        names = {str(bus) for bus, _path in listed}
        for gone in [bus for bus in self._pids if bus not in names]:
            del self._pids[gone]
        asked = 0
        for bus in sorted(names - self._pids.keys()):
            if asked >= NEW_APPS_PER_TICK:
                break
            asked += 1
            self.work.calls += 1
            reply = conn.send_and_get_reply(message_bus.GetConnectionUnixProcessID(bus), timeout=self.limits.timeout)
            self._pids[bus] = int(reply.body[0]) if reply.body and isinstance(reply.body[0], int) else None
        return {pid: bus for bus, pid in self._pids.items() if pid in wanted}

    # -- one client's walk -----------------------------------------------------------------------
    def _step(self, conn: DBusConnection, walk: _Walk, client: ClientInMeeting, matcher: Matcher,
              at: datetime) -> list[Observation]:
        """Go on with ``client``'s walk until the tick's budget is spent or the pass ends."""
        limits = self.limits
        found: list[Observation] = []
        try:
            while walk.pending:
                item = walk.pending[0]
                need = 1 if isinstance(item, _Children) else NODE_CALLS
                if self.work.calls + need > limits.calls_per_tick:
                    break  # the tick's budget is spent: this item waits for the next tick
                walk.pending.popleft()
                if isinstance(item, _Children):
                    self._next_child(conn, walk, item)
                    continue
                if walk.nodes >= limits.nodes_per_pass:
                    walk.pending.clear()
                    break
                found += self._visit(conn, walk, item, client, matcher, at)
        except _Slow:
            walk.rest = REST_TICKS
            log.info("%s (pid %d) did not answer accessibility calls within %.1f s; left alone for %d ticks",
                     client.name, client.pid, limits.timeout, REST_TICKS)
            walk.restart()
            return found
        if not walk.pending:  # the pass is over: the next tick starts again from the top
            self.work.passes_completed += 1
            walk.restart()
        return found

    def _visit(self, conn: DBusConnection, walk: _Walk, node: _Node, client: ClientInMeeting,
               matcher: Matcher, at: datetime) -> list[Observation]:
        # Properties one by one: Qt's bridge answers Get but not GetAll.
        variant = self._call(conn, node.bus, node.path, PROPERTIES, "Get", "ss", (ACCESSIBLE, "Name"))
        if variant is None:
            return []  # the node is gone
        name = _value(variant, str) or ""
        role = self._call(conn, node.bus, node.path, ACCESSIBLE, "GetRoleName")
        role = role if isinstance(role, str) else ""
        walk.nodes += 1
        self.work.nodes += 1
        name = name[: self.limits.max_text]
        self.work.characters += len(name)
        found = matcher.observations(client, name, node.in_list, role, at) if name else []
        self.work.matched += bool(found)
        count = _value(self._call(conn, node.bus, node.path, PROPERTIES, "Get", "ss", (ACCESSIBLE, "ChildCount")),
                       int) or 0
        if count > 0 and node.depth < self.limits.max_depth:
            in_list = node.in_list or role in LIST_ROLES
            if count <= FEW_CHILDREN:
                children = self._call(conn, node.bus, node.path, ACCESSIBLE, "GetChildren") or []
                for bus, path in children[:FEW_CHILDREN]:
                    self._queue(walk, str(bus), str(path), node.depth + 1, in_list)
            else:
                walk.pending.append(self._window(walk, node, in_list, count))
        return found

    def _window(self, walk: _Walk, node: _Node, in_list: bool, count: int) -> _Children:
        """The children of ``node`` this pass looks at: all of them, or the next ``max_children``
        after those the last pass read (starting again at the first after the last)."""
        most = self.limits.max_children
        if count <= most:
            return _Children(node.bus, node.path, node.depth + 1, in_list, count)
        key = (node.bus, node.path)
        start = walk.offsets.get(key, 0)
        start = start if start < count else 0
        stop = min(start + most, count)
        if key in walk.offsets or len(walk.offsets) < OFFSETS_KEPT:
            walk.offsets[key] = stop if stop < count else 0
        return _Children(node.bus, node.path, node.depth + 1, in_list, stop, start)

    def _next_child(self, conn: DBusConnection, walk: _Walk, item: _Children) -> None:
        ref = self._call(conn, item.bus, item.path, ACCESSIBLE, "GetChildAtIndex", "i", (item.next,))
        item.next += 1
        if item.next < item.stop:
            walk.pending.appendleft(item)  # go on with these children before the next node's
        if isinstance(ref, tuple) and len(ref) == 2:
            self._queue(walk, str(ref[0]), str(ref[1]), item.depth, item.in_list)

    @staticmethod
    def _queue(walk: _Walk, bus: str, path: str, depth: int, in_list: bool) -> None:
        if path != NULL_PATH and bus:
            walk.pending.append(_Node(bus, path, depth, in_list))


def _value(variant: Any, kind: type) -> Any:
    """The value in a property ``Get``'s (signature, value) variant, if it has the expected type."""
    value = variant[1] if isinstance(variant, tuple) and len(variant) == 2 else None
    return value if isinstance(value, kind) and not isinstance(value, bool) else None
