"""Baseline versions shipped with the app (resources/terms/<provider>/<document>.md + .json), so
terms can be shown on first start with no network. Each is dated (``version_date`` is an ISO
date, or ``"unknown"`` when the archived text states none) and says where its text came from; a
baseline whose text does not match its recorded SHA-256 is reported and skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from guard.paths import resources_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Baseline:
    provider_id: str
    document_id: str
    text: str
    sha256: str
    url: str
    version_date: date | None  # None: the archived text states no date (metadata says "unknown")
    obtained_from: str
    path: Path


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


UNKNOWN_DATE = "unknown"


def _version_date(value: object) -> date | None:
    return None if value == UNKNOWN_DATE else date.fromisoformat(str(value))


def shipped_baselines_dir() -> Path:
    return resources_dir() / "terms"


def load_baselines(folder: Path | None = None) -> tuple[dict[tuple[str, str], Baseline], list[str]]:
    """All baselines under ``folder`` and the problems found (one readable line each)."""
    folder = folder if folder is not None else shipped_baselines_dir()
    found: dict[tuple[str, str], Baseline] = {}
    problems: list[str] = []
    if not folder.is_dir():
        return found, problems
    for text_path in sorted(folder.glob("*/*.md")):
        meta_path = text_path.with_suffix(".json")
        provider_id, document_id = text_path.parent.name, text_path.stem
        try:
            text = text_path.read_text(encoding="utf-8")
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            baseline = Baseline(
                provider_id=provider_id, document_id=document_id, text=text, sha256=sha256_text(text),
                url=str(meta["url"]), version_date=_version_date(meta["version_date"]),
                obtained_from=str(meta["obtained_from"]), path=text_path,
            )
        except FileNotFoundError as error:
            problems.append(f"Baseline {text_path}: {error.filename} is missing; it was skipped.")
            continue
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, ValueError, TypeError) as error:
            problems.append(f"Baseline {text_path} or its .json cannot be used ({error!r}); it was skipped.")
            continue
        expected = meta.get("sha256")
        if expected and expected != baseline.sha256:
            problems.append(f"Baseline {text_path} does not match the SHA-256 in {meta_path.name} "
                            "(the file was changed or damaged); it was skipped.")
            continue
        found[(provider_id, document_id)] = baseline
    for problem in problems:
        log.warning("%s", problem)
    return found, problems
