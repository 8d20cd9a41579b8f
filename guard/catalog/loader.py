"""Load the provider catalog: shipped files, then the user's own folder on top.

A broken file is reported with its name, the field at fault and why, and skipped; the
rest still load. A user file whose ``id`` matches a shipped provider overrides the fields
it names (lists of features, documents and clauses merge by ``id``).

Only regular files up to :data:`MAX_FILE_BYTES` are read, and at most :data:`MAX_USER_FILES`
of the user's: a named pipe called ``x.toml`` would block start-up, and a link to
``/dev/zero`` would be read forever.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from guard.catalog.models import FieldError, Provider, ProviderKind, pattern_cost
from guard.errors import GuardError
from guard.fsutil import NotRegularFile, read_regular
from guard.paths import resources_dir
from guard.text_controls import quoted

log = logging.getLogger(__name__)

_MERGE_BY_ID = ("ai_features", "documents", "clauses")
# What says a statement was checked, and where. A table or item a user file changes never keeps
# the shipped ones: the file's own statement would otherwise read as verified from the shipped source.
_PROVENANCE = ("sources", "source", "checked", "verified")
MAX_FILE_BYTES = 512 * 1024
MAX_USER_FILES = 1000
# All user files together (the whole shipped catalog is under 0.5 MB): 1,000 files of 500 kB each
# would be read, parsed and kept in memory at every start.
MAX_USER_BYTES = 4 * 1024 * 1024
# The detection patterns all user files together may add, in RE2 program size (guard.patterns.Pattern.cost):
# about what the whole shipped catalog uses (3,703 on 2026-12-01), so matching stays as cheap as it is.
USER_PATTERN_BUDGET = 4000


class CatalogError(GuardError):
    """The catalog cannot be used at all (e.g. the shipped folder is missing)."""


@dataclass(frozen=True)
class CatalogProblem:
    """One broken catalog file, said so its author can fix it."""

    file: Path
    field: str
    reason: str

    def message(self) -> str:
        """One line, of a sane length: the field and reason may quote whatever the file holds."""
        where = f", field '{quoted(self.field, 120)}'" if self.field else ""
        return (f"Catalog file {self.file}{where}: {quoted(self.reason, 600)}. The file was skipped; fix it and "
                "restart.")


@dataclass
class Catalog:
    providers: dict[str, Provider] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)
    user_files: dict[str, Path] = field(default_factory=dict)  # provider id → the user's file that added or changed it

    def __iter__(self) -> Iterator[Provider]:
        return iter(sorted(self.providers.values(), key=lambda p: p.name.lower()))

    def __len__(self) -> int:
        return len(self.providers)

    def get(self, provider_id: str) -> Provider | None:
        return self.providers.get(provider_id)

    def by_kind(self, kind: ProviderKind) -> list[Provider]:
        return [p for p in self if p.kind == kind]


def shipped_catalog_dir() -> Path:
    return resources_dir() / "catalog"


def load_catalog(shipped: Path | None = None, user: Path | None = None) -> Catalog:
    """Load every ``*.toml`` in ``shipped`` (default: resources/catalog), then ``user`` on top."""
    shipped = shipped if shipped is not None else shipped_catalog_dir()
    if not shipped.is_dir():
        raise CatalogError(f"The provider catalog folder {shipped} is missing; reinstall the app.")
    catalog = Catalog()
    raw_by_id: dict[str, dict[str, Any]] = {}
    for path in sorted(shipped.glob("*.toml")):
        loaded = _load_file(path, catalog.problems)
        if loaded is None:
            continue
        raw, provider = loaded
        if provider.id in catalog.providers:
            catalog.problems.append(CatalogProblem(path, "id", f"id '{provider.id}' is already used by another file"))
            continue
        catalog.providers[provider.id] = provider
        raw_by_id[provider.id] = raw
    if user is not None and user.is_dir():
        paths = sorted(user.glob("*.toml"))
        if len(paths) > MAX_USER_FILES:
            catalog.problems.append(CatalogProblem(user, "", f"holds {len(paths)} catalog files; only the first "
                                                   f"{MAX_USER_FILES} (by name) are read"))
        spent, read = 0, 0
        for path in paths[:MAX_USER_FILES]:
            try:
                size = path.stat().st_size if path.is_file() else 0
            except OSError:
                size = 0  # reading it will say why
            if read + size > MAX_USER_BYTES:
                catalog.problems.append(CatalogProblem(path, "", (
                    f"is {size:,} bytes and the user catalog's files together may hold at most {MAX_USER_BYTES:,} "
                    f"({read:,} already read from files before it by name); it was not read")))
                continue
            read += size
            spent = _apply_user_file(path, catalog, raw_by_id, spent)
    for problem in catalog.problems:
        log.warning("%s", problem.message())
    return catalog


def _apply_user_file(path: Path, catalog: Catalog, raw_by_id: dict[str, dict[str, Any]], spent: int) -> int:
    """Apply one user file; returns the pattern budget spent so far (see USER_PATTERN_BUDGET)."""
    raw = _read_toml(path, catalog.problems, own=True)
    if raw is None:
        return spent
    provider_id = raw.get("id")
    if not isinstance(provider_id, str):
        catalog.problems.append(CatalogProblem(path, "id", "missing: every provider file needs an id"))
        return spent
    base = raw_by_id.get(provider_id)
    merged = _merge(base, raw) if base is not None else raw
    provider = _validate(path, merged, catalog.problems)
    if provider is None:
        return spent
    previous = catalog.providers.get(provider.id)
    cost = max(0, pattern_cost(provider.detect) - (pattern_cost(previous.detect) if previous else 0))
    if spent + cost > USER_PATTERN_BUDGET:
        catalog.problems.append(CatalogProblem(path, "detect", (
            f"its detection patterns cost {cost:,} (RE2 program size) and the user catalog's patterns together may "
            f"cost at most {USER_PATTERN_BUDGET:,} (about what every shipped pattern costs), {spent:,} of it "
            "already used by files before it; matching is done on every title, so keep patterns few and short")))
        return spent
    catalog.providers[provider.id] = provider
    catalog.user_files[provider.id] = path
    raw_by_id[provider.id] = merged
    if base is None:
        log.info("User catalog file %s adds provider '%s'", path, provider.id)
    else:
        log.warning("User catalog file %s changes the shipped provider '%s' (%s)", path, provider.id,
                    ", ".join(sorted(key for key in raw if key != "id")) or "nothing")
    return spent + cost


def _load_file(path: Path, problems: list[CatalogProblem]) -> tuple[dict[str, Any], Provider] | None:
    raw = _read_toml(path, problems)
    if raw is None:
        return None
    provider = _validate(path, raw, problems)
    return None if provider is None else (raw, provider)


class _NotReadable(Exception):
    """A catalog path that is not a regular file of a sane size; the message says what it is."""


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES, *, own: bool = False) -> bytes:
    """The bytes of ``path`` if it is a regular file (a link to one is fine) of at most ``limit`` bytes
    (read as :func:`guard.fsutil.read_regular` reads: never blocking, never past the limit); with
    ``own`` (a user catalog file), only when it and its folder are this user's (POSIX)."""
    try:
        data, info = read_regular(path, limit)
    except NotRegularFile as error:
        raise _NotReadable(f"is {error.kind}, not a regular file; only regular files are read (remove it or "
                           "replace it with a file)") from None
    if own and hasattr(os, "getuid"):
        # Whoever owns a user catalog file (or its folder) decides what the app says about a provider:
        # a file that drops Zoom's AI features would silence every notice about them.
        folder = os.lstat(path.parent).st_uid
        if info.st_uid != os.getuid() or folder != os.getuid():
            owner = info.st_uid if info.st_uid != os.getuid() else folder
            raise _NotReadable(f"belongs to another user (uid {owner}), or is in a folder of theirs, so it is not "
                               "read: it could change what the app says about a provider. Move it aside, or keep "
                               "your own catalog files in a folder of your own")
    if len(data) > limit:
        if info.st_size > limit:
            raise _NotReadable(f"is {info.st_size:,} bytes; catalog files are read only up to {limit:,} bytes")
        raise _NotReadable(f"grew past {limit:,} bytes while it was read; catalog files are read only up to "
                           f"{limit:,} bytes")
    return data


def _read_toml(path: Path, problems: list[CatalogProblem], *, own: bool = False) -> dict[str, Any] | None:
    try:
        return tomllib.loads(read_bounded(path, own=own).decode("utf-8"))
    except _NotReadable as error:
        problems.append(CatalogProblem(path, "", str(error)))
    except tomllib.TOMLDecodeError as error:
        problems.append(CatalogProblem(path, "", f"not valid TOML ({error})"))
    except RecursionError:  # tomllib recurses once per nested array or table: 5,000 '[' fit in 10 kB
        problems.append(CatalogProblem(path, "", "nested too deeply to read (arrays or tables inside each other "
                                       "thousands of times; a catalog file needs a few levels)"))
    except UnicodeDecodeError as error:
        problems.append(CatalogProblem(path, "", f"not UTF-8 text ({error.reason} at byte {error.start})"))
    except OSError as error:
        problems.append(CatalogProblem(path, "", f"cannot be read ({error.strerror or error})"))
    return None


def _validate(path: Path, raw: dict[str, Any], problems: list[CatalogProblem]) -> Provider | None:
    try:
        return Provider.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        cause = (first.get("ctx") or {}).get("error")
        if isinstance(cause, FieldError):
            loc = (*loc, *cause.loc)
        problems.append(CatalogProblem(path, field_path(raw, loc), _reason(first)))
        return None


def field_path(raw: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """``("clauses", 2, "source")`` → ``clauses[tos-10-2].source`` (the item's id when it has one)."""
    parts: list[str] = []
    node: Any = raw
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and key < len(node) else None
            label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else key
            parts[-1] = f"{parts[-1]}[{label}]" if parts else f"[{label}]"
            node = item
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)


def _reason(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing (this field is required)"
    if kind == "extra_forbidden":
        return "not a known field (check its spelling against the catalog schema)"
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    value = error.get("input")
    if kind not in ("model_type", "tuple_type") and isinstance(value, (str, int, float, date)):
        return f"{message} (got {value!r})"
    return message


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge recursively, id'd lists merge by id, anything else is replaced. A table the
    override changes keeps none of the base's sources or verification (:data:`_PROVENANCE`):
    those come from the override, or the merged table is unverified (and, where the schema wants
    a source, refused with a message saying so)."""
    merged = {key: value for key, value in base.items() if key not in _PROVENANCE}
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = _merge(old, value)
        elif key in _MERGE_BY_ID and isinstance(old, list) and isinstance(value, list):
            items = {item.get("id"): item for item in old if isinstance(item, dict)}
            order = [item.get("id") for item in old if isinstance(item, dict)]
            for item in value:
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id in items:
                    items[item_id] = _merge(items[item_id], item)
                else:
                    items[item_id] = item
                    order.append(item_id)
            merged[key] = [items[item_id] for item_id in order]
        else:
            merged[key] = value
    return merged
