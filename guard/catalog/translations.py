"""Translations of the catalog's descriptive texts (what an AI feature does, what participants are
shown), one file per language: ``resources/catalog/translations/<lang>.toml``.

Each entry names the provider, the feature, the field and a SHA-256 prefix of the English text it
translates. When the catalog's English changes, the prefix no longer matches and the English is
shown again: a stale translation is never shown as if it were current. Entries say whether a
machine made them (``machine = true``), and the app says so beside the text. Feature names stay as
the provider names them, and quotes of what a provider shows (``notices``) are never translated:
they are evidence. A broken file or entry is logged (file and entry) and skipped: English shows.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path

from guard.fsutil import NotRegularFile, read_regular

log = logging.getLogger(__name__)

TRANSLATED_FIELDS = ("description", "participant_notice")
KEY_LENGTH = 16  # hex characters of the English text's SHA-256: enough to notice any change
MAX_FILE_BYTES = 2_000_000
MAX_TEXT = 4000


@dataclass(frozen=True)
class CatalogText:
    """A translated text and whether a machine made it."""

    text: str
    machine: bool


def english_key(english: str) -> str:
    """The key a translation carries of the English it translates."""
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:KEY_LENGTH]


class CatalogTranslations:
    """One language's translations, looked up by provider, feature, field and the English text."""

    def __init__(self, entries: dict[tuple[str, str, str], tuple[str, CatalogText]] | None = None) -> None:
        self._entries = entries or {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, provider_id: str, feature_id: str, field: str, english: str) -> CatalogText | None:
        """The translation of ``english``, or None when there is none or it translates another
        (older or newer) English text."""
        found = self._entries.get((provider_id, feature_id, field))
        if found is None or found[0] != english_key(english):
            return None
        return found[1]


def translations_dir() -> Path:
    from guard.paths import resources_dir

    return resources_dir() / "catalog" / "translations"


@functools.cache
def catalog_translations(language: str) -> CatalogTranslations:
    """The shipped translations into ``language`` (none for English or a language without a file)."""
    path = translations_dir() / f"{language}.toml"
    if language == "en" or not language.isalpha() or not path.exists():
        return CatalogTranslations()
    return read_translations(path)


def read_translations(path: Path) -> CatalogTranslations:
    """Read one translations file; a file that cannot be read gives none, an entry that is wrong is
    skipped, each said in the log with what to fix."""
    try:
        data, _info = read_regular(path, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raise ValueError(f"it is larger than {MAX_FILE_BYTES:,} bytes")
        raw = tomllib.loads(data.decode("utf-8"))
    except (OSError, NotRegularFile, ValueError, UnicodeDecodeError) as error:
        log.warning("Catalog translations %s cannot be read (%s); the catalog's English is shown.", path, error)
        return CatalogTranslations()
    entries: dict[tuple[str, str, str], tuple[str, CatalogText]] = {}
    items = raw.get("text", [])
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        problem = _problem(item)
        if problem:
            log.warning("Catalog translations %s, [[text]] number %d: %s; it is skipped.", path, number, problem)
            continue
        key = (item["provider"], item["feature"], item["field"])
        entries[key] = (item["english"], CatalogText(item["text"].strip(), bool(item.get("machine", True))))
    return CatalogTranslations(entries)


def _problem(item: object) -> str | None:
    if not isinstance(item, dict):
        return "not a table"
    for name in ("provider", "feature", "field", "english", "text"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            return f"'{name}' is missing or not text"
    if item["field"] not in TRANSLATED_FIELDS:
        return f"field '{item['field'][:40]}' is not one of {', '.join(TRANSLATED_FIELDS)}"
    if len(item["english"]) != KEY_LENGTH or any(c not in "0123456789abcdef" for c in item["english"]):
        return f"'english' must be the first {KEY_LENGTH} hex characters of the English text's SHA-256"
    if len(item["text"]) > MAX_TEXT:
        return f"'text' is longer than {MAX_TEXT} characters"
    if not isinstance(item.get("machine", True), bool):
        return "'machine' must be true or false"
    return None
