"""What an event printed by ``scan`` says of its provider (:class:`EventFacts`), and the file
that keeps these facts for every provider beside the catalog snapshot, so a scan that finds a
client running prints its event without pydantic.

The file (``catalog-events.txt`` in the cache folder) is written with the snapshot
(guard.catalog.snapshot.load_snapshot) and read only while its header names the snapshot that is
current. A header line (format, fingerprint), then one line per provider: its id in JSON, a tab,
its facts in JSON (JSON text holds no raw tab or newline), so one provider's line is found and
parsed alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from guard.catalog.models import Provider

EVENTS_FILE_NAME = "catalog-events.txt"
CACHE_FILE_MAX = 64 * 2**20  # bytes of one cache file (the shipped catalog's are under 1 MB)


def read_cache_file(path: Path) -> bytes:
    """A cache file's bytes. Another program can put anything in its place: a named pipe (reading
    would wait for ever), a link to /dev/zero (would never end), a file of gigabytes; each raises
    OSError, so the catalog files decide, as for any unreadable cache file. So does a file of another
    user's, or one in a folder of theirs (POSIX): a snapshot they wrote with the right fingerprint would
    say what the app knows of each provider (its AI features gone) and what detection looks for."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        if hasattr(os, "getuid") and {info.st_uid, os.lstat(path.parent).st_uid} != {os.getuid()}:
            raise OSError(f"{path} belongs to another user, or is in a folder of theirs")
        chunks: list[bytes] = []
        size = 0
        while size <= CACHE_FILE_MAX:
            chunk = os.read(fd, CACHE_FILE_MAX + 1 - size)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        raise OSError(f"{path} is larger than {CACHE_FILE_MAX} bytes")
    finally:
        os.close(fd)


class EventFacts:
    """What an event printed by ``scan --json`` says of its provider, as JSON values: who (id,
    name, vendor, kind), its AI features and its clauses (of which the event lists those in force
    on its day). Made from the provider's model, or read back from the snapshot without pydantic."""

    __slots__ = ("ai_features", "clauses", "provider")

    def __init__(self, provider: dict[str, Any], ai_features: list[Any], clauses: list[dict[str, Any]]) -> None:
        self.provider, self.ai_features, self.clauses = provider, ai_features, clauses

    @classmethod
    def of(cls, provider: Provider) -> EventFacts:
        """As :class:`~guard.monitor.MonitorEvent` turns the provider's models into JSON."""
        return cls({"id": provider.id, "name": provider.name, "vendor": provider.vendor, "kind": str(provider.kind)},
                   [feature.model_dump(mode="json") for feature in provider.ai_features],
                   [clause.model_dump(mode="json") for clause in provider.clauses])

    @classmethod
    def from_json(cls, data: object) -> EventFacts | None:
        """Read back from the snapshot; None when it is not the shape :meth:`to_json` writes."""
        if not isinstance(data, dict):
            return None
        provider, features, clauses = data.get("provider"), data.get("ai_features"), data.get("clauses")
        if not (isinstance(provider, dict) and all(isinstance(provider.get(key), str) for key in
                                                   ("id", "name", "vendor", "kind"))
                and isinstance(features, list) and isinstance(clauses, list)):
            return None
        from datetime import date

        try:  # the dates decide which clauses are listed: a damaged one means the files decide
            for clause in clauses:
                date.fromisoformat(clause["effective_from"])
                if clause["effective_to"] is not None:
                    date.fromisoformat(clause["effective_to"])
        except (TypeError, KeyError, ValueError):
            return None
        return cls(provider, features, clauses)

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "ai_features": self.ai_features, "clauses": self.clauses}

    def clauses_in_force(self, day: date) -> list[Any]:
        """The clauses in force on ``day``, in file order (as :meth:`Clause.in_force_on` decides)."""
        from datetime import date as date_type

        def in_force(clause: dict[str, Any]) -> bool:
            until = clause["effective_to"]
            return date_type.fromisoformat(clause["effective_from"]) <= day and (
                until is None or day < date_type.fromisoformat(until))

        return [clause for clause in self.clauses if in_force(clause)]


def events_file_text(providers: Iterable[Provider], format_: int, fingerprint: str) -> str:
    """The events file for the snapshot ``fingerprint`` (of format ``format_``): every provider's facts."""
    import json

    facts = [json.dumps({"format": format_, "fingerprint": fingerprint}),
             *(f"{json.dumps(p.id)}\t{json.dumps(EventFacts.of(p).to_json(), ensure_ascii=False)}"
               for p in providers)]
    return "\n".join(facts) + "\n"


class EventsFile:
    """The events file of one snapshot, read once on first use. Counts as empty when it is
    missing, damaged, or another snapshot's (then each event's facts come from the models)."""

    def __init__(self, path: Path | None, format_: int, fingerprint: str | None) -> None:
        self._path = path
        self._format = format_
        self._fingerprint = fingerprint
        self._data: bytes | None = None  # the file when current, else b""

    def facts(self, provider_id: str) -> EventFacts | None:
        """The provider's facts from the file, or None (no current file, no such line, not their shape)."""
        return EventFacts.from_json(self.line(provider_id))

    def line(self, provider_id: str) -> object:
        """The provider's facts as the file keeps them (JSON values), or None (no current file, no such line)."""
        import json

        if self._data is None:
            self._data = b""
            if self._path is not None and self._fingerprint is not None:
                try:
                    data = read_cache_file(self._path)
                    header = json.loads(data[:data.index(b"\n")])
                    if header.get("format") == self._format and header.get("fingerprint") == self._fingerprint:
                        self._data = data
                except (OSError, ValueError, AttributeError, RecursionError):
                    pass
        start = self._data.find(b"\n" + json.dumps(provider_id).encode() + b"\t")
        if start < 0:
            return None
        start = self._data.index(b"\t", start) + 1
        end = self._data.find(b"\n", start)
        try:
            return json.loads(self._data[start:end if end >= 0 else None])
        except (ValueError, RecursionError):  # a line nested 100,000 deep
            return None
