"""Read Open Terms Archive declarations, so any service the archive covers can be watched.

A declaration is JSON: ``{"name": "Zoom", "terms": {"Terms of Service": {"fetch": URL,
"select": ..., "remove": ...}}}`` (older files say ``documents`` instead of ``terms``).
``select``/``remove`` may be a CSS selector, a range object (``startBefore``/``startAfter`` +
``endBefore``/``endAfter``) or a list of either. What this app cannot do is reported, not
ignored: ``filter`` (JavaScript functions in the archive's repository) is not applied,
``executeClientScripts`` pages may lack text without a browser, and multi-page ``combine``
documents are skipped.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard.terms.errors import DeclarationError
from guard.text_controls import quoted
from guard.terms.models import RangeSelector, SelectMode, Selector, WatchedDocument

_RANGE_KEYS = {"startBefore", "startAfter", "endBefore", "endAfter"}
_KNOWN_KEYS = {"fetch", "select", "remove", "filter", "executeClientScripts", "combine"}


@dataclass
class Declaration:
    """One declaration file: its service, the documents it can watch, and what was not supported."""

    path: Path | None
    name: str
    provider_id: str
    documents: list[WatchedDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """``"Terms of Service"`` → ``terms-of-service`` (the catalog's id rules: at most 100 characters)."""
    value = re.sub(r"[^a-z0-9.]+", "-", text.lower())[:100].strip("-.")
    return value or "unnamed"


MAX_DECLARATION = 1024 * 1024  # bytes; Open Terms Archive's declarations are a few kB
NAME_CHARS = 120  # of a service's name or a document type, as titles and problems show them


def load_declaration(path: Path, *, own: bool = False) -> Declaration:
    """Read one declaration file. Raises :class:`DeclarationError` when none of it is usable. With
    ``own`` (the user's declarations folder), only a file of this user's in a folder of theirs is read
    (POSIX): whoever owns it chooses pages the app fetches and the terms changes it announces."""
    from guard.fsutil import NotRegularFile, read_regular

    try:
        data, info = read_regular(Path(path), MAX_DECLARATION)  # a named pipe would wait for ever
        if own and hasattr(os, "getuid"):
            owner = next((uid for uid in (info.st_uid, os.lstat(Path(path).parent).st_uid) if uid != os.getuid()),
                         None)
            if owner is not None:
                raise DeclarationError(
                    f"Declaration {path} belongs to another user (uid {owner}), or is in a folder of theirs, so it "
                    "is not read: it would choose pages the app fetches and the terms changes it tells of. Move it "
                    "aside, or keep your declarations in a folder of your own.")
        if len(data) > MAX_DECLARATION:
            raise DeclarationError(f"Declaration {path} is larger than {MAX_DECLARATION} bytes; not read.")
        raw = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise DeclarationError(f"Declaration {path} does not exist.") from None
    except NotRegularFile as error:
        raise DeclarationError(f"Declaration {path} {error}; move it out of the folder.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DeclarationError(f"Declaration {path} cannot be read ({error}).") from None
    except json.JSONDecodeError as error:
        raise DeclarationError(f"Declaration {path} is not valid JSON (line {error.lineno}: {error.msg}).") from None
    except RecursionError:  # json recurses per nested array: 100,000 '[' are 100 kB
        raise DeclarationError(f"Declaration {path} is nested too deeply to be a declaration; fix or remove it.") \
            from None
    return parse_declaration(raw, path)


def parse_declaration(raw: Any, path: Path | None = None) -> Declaration:
    where = str(path) if path else "the declaration"
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: expected a JSON object with 'name' and 'terms'.")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DeclarationError(f"{where}: 'name' (the service's name) is missing.")
    terms = raw.get("terms", raw.get("documents"))
    if not isinstance(terms, dict) or not terms:
        raise DeclarationError(f"{where}: 'terms' must list at least one document, e.g. "
                               '{"Terms of Service": {"fetch": "https://...", "select": "main"}}.')
    name = quoted(name, NAME_CHARS)  # shown in titles and problems; a file may hold anything
    declaration = Declaration(path, name, slug(name))
    for doc_type, spec in terms.items():
        try:
            document = _document(declaration, str(doc_type), spec, where)
        except DeclarationError as error:
            declaration.problems.append(str(error))
            continue
        declaration.documents.append(document)
    if not declaration.documents:
        raise DeclarationError(f"{where}: no document can be watched. " + " ".join(declaration.problems))
    return declaration


def _document(declaration: Declaration, doc_type: str, spec: Any, where: str) -> WatchedDocument:
    doc_type = quoted(doc_type, NAME_CHARS)
    label = f"{where}, document '{doc_type}'"
    if not isinstance(spec, dict):
        raise DeclarationError(f"{label}: expected an object with 'fetch' and 'select'.")
    if "combine" in spec:
        raise DeclarationError(f"{label}: multi-page documents ('combine') are not supported; skipped.")
    url = spec.get("fetch")
    if not isinstance(url, str) or not url.strip():
        raise DeclarationError(f"{label}: 'fetch' (the page's URL) is missing.")
    select = _selectors(spec.get("select"), f"{label}, 'select'") or ("body",)
    remove = _selectors(spec.get("remove"), f"{label}, 'remove'")
    notes: list[str] = []
    if spec.get("filter"):
        filters = spec["filter"] if isinstance(spec["filter"], list) else [spec["filter"]]
        names = ", ".join(str(f.get("name", f)) if isinstance(f, dict) else str(f) for f in filters)
        notes.append(f"filters ({quoted(names, 300)}) are JavaScript functions of the archive and are not applied; "
                     "the text may contain parts the archive removes")
    if spec.get("executeClientScripts"):
        notes.append("the page builds its text with JavaScript in a browser; this app does not run scripts, "
                     "so the fetched text may be incomplete")
    unknown = sorted(set(spec) - _KNOWN_KEYS)
    if unknown:
        notes.append(f"unknown fields ignored: {quoted(', '.join(unknown), 300)}")
    for note in notes:
        declaration.problems.append(f"{label}: {note}.")
    return WatchedDocument(
        provider_id=declaration.provider_id, document_id=slug(doc_type), title=f"{declaration.name} {doc_type}",
        url=url.strip(), select=select, remove=remove, select_mode=SelectMode.ALL, origin="ota-declaration",
        notes=tuple(notes),
    )


def _selectors(value: Any, label: str) -> tuple[Selector, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    result: list[Selector] = []
    for item in items:
        if isinstance(item, str) and item.strip():
            result.append(item.strip())
        elif isinstance(item, dict):
            result.append(_range(item, label))
        else:
            raise DeclarationError(f"{label}: {quoted(repr(item)[:400], 200)} is neither a CSS selector nor a range "
                                   "object.")
    return tuple(result)


def _range(item: dict[str, Any], label: str) -> RangeSelector:
    unknown = set(item) - _RANGE_KEYS
    if unknown:
        raise DeclarationError(f"{label}: range keys {sorted(unknown)} are not supported "
                               "(use startBefore/startAfter and endBefore/endAfter).")
    starts = [key for key in ("startBefore", "startAfter") if item.get(key)]
    ends = [key for key in ("endBefore", "endAfter") if item.get(key)]
    if len(starts) != 1 or len(ends) != 1:
        raise DeclarationError(f"{label}: a range needs exactly one of startBefore/startAfter and one of "
                               "endBefore/endAfter.")
    for key in (*starts, *ends):
        if not isinstance(item[key], str):
            raise DeclarationError(f"{label}: range '{key}' must be a CSS selector string.")
    return RangeSelector(start_before=item.get("startBefore"), start_after=item.get("startAfter"),
                         end_before=item.get("endBefore"), end_after=item.get("endAfter"))


def declarations_dir(config_dir: Path) -> Path:
    """The user's folder of declarations (``<config>/declarations/*.json``)."""
    return config_dir / "declarations"


def load_declarations_dir(folder: Path) -> tuple[list[Declaration], list[str]]:
    """Every ``*.json`` in ``folder`` (history files skipped); broken files become problems."""
    declarations: list[Declaration] = []
    problems: list[str] = []
    if not folder.is_dir():
        return declarations, problems
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".history.json"):
            continue
        try:
            declaration = load_declaration(path, own=True)
        except DeclarationError as error:
            problems.append(quoted(str(error), 1000))
            continue
        declarations.append(declaration)
        problems.extend(quoted(problem, 1000) for problem in declaration.problems)
    return declarations, problems
