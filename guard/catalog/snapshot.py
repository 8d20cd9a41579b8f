"""A snapshot of the validated catalog, so commands that need only part of it start fast.

Validating the catalog means importing pydantic and building its models, which costs several
times a whole ``scan``. After a full load, :func:`load_snapshot` keeps what ``scan`` and the
``providers`` list need (each provider's summary and detection data, and the problems found)
as JSON in the cache folder, with the browser table (resources/detect/browsers.toml, as data,
so ``scan`` needs no TOML parser), keyed by a fingerprint of every one of those files. While no
file changes, the snapshot is read back without pydantic; any change, or a snapshot that does
not read back cleanly, means a full load and a new snapshot. :class:`LazyCatalog` stands in for
the :class:`~guard.catalog.loader.Catalog` and loads it in full only when a provider's
details are first needed. An event that ``scan`` prints needs only a few of one provider's facts;
they are kept beside the snapshot too (guard.catalog.event_facts), so a scan that finds a client
running prints its event without pydantic either.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guard import __version__
from guard.catalog.event_facts import EVENTS_FILE_NAME as EVENTS_FILE_NAME  # importable from here, as before
from guard.catalog.event_facts import EventFacts as EventFacts
from guard.catalog.event_facts import EventsFile, events_file_text, read_cache_file
from guard.paths import resources_dir

try:  # the C module hashlib wraps: hashlib itself loads OpenSSL, a few ms this path does not need
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha256

if TYPE_CHECKING:
    from guard.catalog.loader import Catalog
    from guard.catalog.models import Provider
    from guard.detect.browsers import BrowserTable

log = logging.getLogger(__name__)

FORMAT = 3  # 2: with the browser table; 3: with the events' facts
FILE_NAME = "catalog-snapshot.json"
# Every provider in full (model_dump), read only when an event needs one provider's details:
# validating that one provider costs far less than parsing and validating every catalog file.
FULL_FILE_NAME = "catalog-providers.json"
# The events' facts (guard.catalog.event_facts, EVENTS_FILE_NAME) are written with the snapshot, under
# its fingerprint.


def provider_summary(provider: Provider) -> dict[str, Any]:
    """One line of ``meeting-guard providers``: who, what kind, how much is recorded and unverified."""
    from guard.catalog.history import unverified_count

    return {
        "id": provider.id, "name": provider.name, "vendor": provider.vendor, "kind": str(provider.kind),
        "features": len(provider.ai_features), "clauses": len(provider.clauses),
        "unverified": unverified_count(provider), "detection_verified": provider.detect.verified,
    }


class ProviderEntry:
    """What the snapshot keeps of one provider: its summary and its ``detect`` table, as JSON values."""

    __slots__ = ("detect", "summary")

    def __init__(self, summary: dict[str, Any], detect: dict[str, Any]) -> None:
        self.summary, self.detect = summary, detect

    @property
    def id(self) -> str:
        return str(self.summary["id"])

    @property
    def kind(self) -> str:
        return str(self.summary["kind"])


class CatalogSnapshot:
    """Plain classes here, not dataclasses: this module is on the path of the fastest commands."""

    def __init__(self, fingerprint: str, providers: tuple[ProviderEntry, ...], problems: tuple[str, ...],
                 browsers: dict[str, Any] | None = None) -> None:
        self.fingerprint = fingerprint
        self.providers = providers  # in the catalog's order (by name)
        self.problems = problems  # each broken file's message, as the full load said it
        self.browsers = browsers  # browsers.toml's data, or None: read the file when it is needed

    def name_of(self, provider_id: str) -> str:
        """The provider's name, or its id when the catalog no longer has it."""
        return next((str(e.summary["name"]) for e in self.providers if e.id == provider_id), provider_id)

    def detection(self) -> list[Any]:
        """The providers' detection data for :meth:`DetectionRules.from_data`."""
        from guard.detect.matching import ProviderDetection

        return [ProviderDetection(entry.id, entry.kind, entry.detect) for entry in self.providers]

    def browser_table(self) -> BrowserTable:
        """The browser table from the snapshot's data (checked when the snapshot was made, so its
        patterns compile on first use), or from browsers.toml when the snapshot has none."""
        from guard.detect.browsers import browser_table, load_browsers
        from guard.detect.observation import DetectError

        if self.browsers is not None:
            try:
                return browser_table(self.browsers, checked=True)
            except DetectError as error:  # a damaged snapshot: the file decides
                log.info("The catalog snapshot's browser table is not usable (%s); reading the file", error)
        return load_browsers()

    def to_json(self) -> str:
        import json

        return json.dumps({"format": FORMAT, "fingerprint": self.fingerprint,
                           "providers": [{"summary": e.summary, "detect": e.detect} for e in self.providers],
                           "problems": list(self.problems), "browsers": self.browsers},
                          ensure_ascii=False, default=_iso_date)

    @classmethod
    def from_catalog(cls, catalog: Catalog, fingerprint: str) -> CatalogSnapshot:
        from guard.detect.browsers import read_browser_data
        from guard.detect.observation import DetectError
        from guard.detect.matching import detection_dict

        try:
            browsers: dict[str, Any] | None = read_browser_data()
        except DetectError:  # said again where the table is needed
            browsers = None
        return cls(fingerprint, tuple(ProviderEntry(provider_summary(p), _matched(detection_dict(p))) for p in catalog),
                   tuple(p.message() for p in catalog.problems), browsers)


def _iso_date(value: object) -> str:
    """TOML dates (the browser table's ``checked``) in JSON; read back by :func:`_browser_dates`."""
    from datetime import date

    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def _browser_dates(data: object) -> dict[str, Any] | None:
    """The browser table as read back from JSON, its sources' ``checked`` dates made dates again."""
    if not isinstance(data, dict):
        return None
    from datetime import date

    for item in data.get("browser", ()):
        for source in item.get("sources", ()) if isinstance(item, dict) else ():
            if isinstance(source, dict) and isinstance(source.get("checked"), str):
                try:
                    source["checked"] = date.fromisoformat(source["checked"])
                except ValueError:
                    pass
    return data


# The code whose output the snapshot keeps: a change to the models or the loader (a new field, a
# new default) must not be answered from a snapshot made before it, even at the same version.
_CODE = ("models.py", "model_base.py", "detect_models.py", "contacts_models.py", "loader.py", "history.py",
         "snapshot.py", "event_facts.py")


def _matched(detect: dict[str, Any]) -> dict[str, Any]:
    """The parts of a ``detect`` table that matching reads (per-OS names and titles, web patterns, bots'
    display names, in-meeting notice words), without its sources and notes."""
    return {key: value for key, value in detect.items()
            if key in ("linux", "windows", "macos", "web", "participant_names", "notices")}


def fingerprint(shipped: Path, user: Path | None) -> str:
    """SHA-256 over the app version and the identity of the catalog code, every catalog file and
    the browser table.

    A file's identity is its inode, size, and modification and change times in nanoseconds, as
    git's index keeps them: any write changes the change time, which no tool can set back, so an
    edit that keeps the size and the modification time is still seen. Nothing is read.
    """
    digest = sha256(f"{FORMAT} {__version__}\n".encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update(f"code {name} {_identity(here / name)}\n".encode())
    # the browser table's file (guard.detect.browsers.browsers_path, without importing detection)
    digest.update(f"browsers {_identity(resources_dir() / 'detect' / 'browsers.toml')}\n".encode())
    for tag, folder in (("shipped", shipped), ("user", user)):
        digest.update(f"{tag} {folder}\n".encode())
        if folder is None:
            continue
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(".toml"))
        except OSError as error:
            digest.update(f"unlistable {error.errno}\n".encode())
            continue
        for name in names:
            digest.update(f"{name} {_identity(folder / name)}\n".encode())
    return str(digest.hexdigest())


def _identity(path: Path) -> str:
    try:
        info = os.stat(path)
    except OSError as error:
        return f"unreadable {error.errno}"
    return f"{info.st_dev} {info.st_ino} {info.st_mode:o} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}"


def _read(path: Path, expected: str) -> CatalogSnapshot | None:
    import json

    try:
        data = json.loads(read_cache_file(path))
        if data.get("format") != FORMAT or data.get("fingerprint") != expected:
            return None
        providers = tuple(ProviderEntry(dict(p["summary"]), dict(p["detect"])) for p in data["providers"])
        if not all(isinstance(p.summary.get("id"), str) and isinstance(p.summary.get("name"), str)
                   and isinstance(p.summary.get("kind"), str) and _detect_shaped(p.detect) for p in providers):
            return None
        return CatalogSnapshot(expected, providers, tuple(str(p) for p in data["problems"]),
                               _browser_dates(data.get("browsers")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):  # nested 100,000 deep
        return None


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


_FLAGS = frozenset({"links_need_media"})  # the yes-or-no keys of a detect table's web part
_BY_LANGUAGE = frozenset({"lobby_texts"})  # the web part's tables of lists of text, one per language


def _by_language(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) and _texts(item) for key, item in value.items())


def _detect_shaped(detect: dict[str, Any]) -> bool:
    """The ``detect`` table has the shape :func:`_matched` writes (per-OS and web tables of lists of
    text and the web table's yes-or-no flags and per-language lists, bots' names, ``[feature, words]``
    notices): a snapshot another program wrote with the right fingerprint but another shape is not read,
    so matching never meets a number where it reads a list."""
    for key, value in detect.items():
        if key == "participant_names":
            ok = _texts(value)
        elif key == "notices":
            ok = isinstance(value, list) and all(_texts(item) and len(item) == 2 for item in value)
        elif key in ("linux", "windows", "macos", "web"):
            ok = isinstance(value, dict) and all(_texts(item) or (name in _FLAGS and isinstance(item, bool))
                                                 or (name in _BY_LANGUAGE and _by_language(item))
                                                 for name, item in value.items())
        else:
            ok = True  # not read by matching
        if not ok:
            return False
    return True


def load_snapshot(cache_dir: Path | None, shipped: Path | None = None, user: Path | None = None,
                  ) -> tuple[CatalogSnapshot, Catalog | None]:
    """The snapshot for the catalog files as they are now, and the full Catalog when it had to be
    loaded to make one (None when the snapshot was current). Raises CatalogError like the loader."""
    shipped = shipped if shipped is not None else resources_dir() / "catalog"
    expected = fingerprint(shipped, user)
    path = cache_dir / FILE_NAME if cache_dir is not None else None
    if path is not None:
        snapshot = _read(path, expected)
        if snapshot is not None:
            for problem in snapshot.problems:
                log.warning("%s", problem)
            return snapshot, None
    from guard.catalog.loader import load_catalog

    catalog = load_catalog(shipped=shipped, user=user)
    snapshot = CatalogSnapshot.from_catalog(catalog, expected)
    if path is not None:
        try:
            import json

            from guard.fsutil import atomic_write_text

            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            full = {"format": FORMAT, "fingerprint": expected,
                    "providers": {p.id: p.model_dump(mode="json") for p in catalog}}
            atomic_write_text(path.with_name(FULL_FILE_NAME), json.dumps(full, ensure_ascii=False))
            atomic_write_text(path.with_name(EVENTS_FILE_NAME), events_file_text(catalog, FORMAT, expected))
            atomic_write_text(path, snapshot.to_json())  # last: it vouches for the other file's fingerprint
        except OSError as error:  # a read-only cache only costs speed
            log.info("Could not keep the catalog snapshot %s: %s", path, error)
    return snapshot, catalog


class LazyCatalog:
    """Stands in for the Catalog where only :meth:`get` is used. A provider is validated from the
    full snapshot when that is current (``snapshot`` and ``cache_dir`` given), else the whole
    catalog is loaded, once, on first use."""

    def __init__(self, shipped: Path | None, user: Path | None, loaded: Catalog | None = None,
                 snapshot: CatalogSnapshot | None = None, cache_dir: Path | None = None) -> None:
        self._shipped = shipped
        self._user = user
        self._catalog = loaded
        self._fingerprint = snapshot.fingerprint if snapshot is not None else None
        self._full_path = cache_dir / FULL_FILE_NAME if cache_dir is not None else None
        self._events = EventsFile(cache_dir / EVENTS_FILE_NAME if cache_dir is not None else None, FORMAT,
                                  self._fingerprint)
        self._read: dict[Path, dict[str, Any]] = {}  # each per-provider file's ``providers``, read once
        self._providers: dict[str, Provider] = {}

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from guard.catalog.loader import load_catalog

            self._catalog = load_catalog(shipped=self._shipped, user=self._user)
        return self._catalog

    def get(self, provider_id: str) -> Provider | None:
        if self._catalog is None:
            provider = self._from_snapshot(provider_id)
            if provider is not None:
                return provider
        return self.catalog.get(provider_id)

    def event_facts(self, provider_id: str) -> EventFacts | None:
        """What an event says of the provider, None when the catalog has no such provider: from the
        snapshot when it is current and has them (no pydantic), else from the provider's model."""
        if self._catalog is None:
            facts = self._events.facts(provider_id)
            if facts is not None:
                return facts
        provider = self.get(provider_id)
        return EventFacts.of(provider) if provider is not None else None

    def _from_snapshot(self, provider_id: str) -> Provider | None:
        if provider_id in self._providers:
            return self._providers[provider_id]
        dumps = self._full_dumps()
        if provider_id not in dumps:
            return None
        from guard.catalog.models import Provider

        try:
            provider = Provider.model_validate(dumps[provider_id])
        except ValueError as error:  # pydantic's ValidationError: a damaged cache, so load the files
            log.info("Catalog snapshot entry %s did not validate (%s); loading the catalog", provider_id, error)
            return None
        self._providers[provider_id] = provider
        return provider

    def _full_dumps(self) -> dict[str, Any]:
        return self._current(self._full_path)

    def _current(self, path: Path | None) -> dict[str, Any]:
        """A per-provider file's ``providers``, read once: empty unless the file was written with
        the snapshot that is current now."""
        if path is None or self._fingerprint is None:
            return {}
        if path not in self._read:
            import json

            self._read[path] = {}
            try:
                data = json.loads(read_cache_file(path))
                if data.get("format") == FORMAT and data.get("fingerprint") == self._fingerprint \
                        and isinstance(data.get("providers"), dict):
                    self._read[path] = data["providers"]
            except (OSError, ValueError, AttributeError, RecursionError):
                pass
        return self._read[path]
