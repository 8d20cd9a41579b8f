"""What every subcommand gets: the app's folders, its settings, and how to print."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from guard.paths import AppPaths
from guard.settings import Settings

if TYPE_CHECKING:
    from guard.catalog.loader import Catalog


@dataclass
class CliContext:
    paths: AppPaths
    settings: Settings
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def print_json(self, value: Any) -> None:
        """One JSON document (or line), UTF-8, stable key order as given."""
        print(json.dumps(value, ensure_ascii=False, indent=None, default=str), file=self.out)
        self.out.flush()

    def error(self, text: str) -> None:
        print(f"meeting-guard: {text}", file=self.err)

    def catalog_or_none(self) -> "Catalog | None":
        """The provider catalog (shipped + the user's), or None with a warning when it cannot be
        loaded at all: recording, exporting and letters still work, with provider names,
        contacts and terms versions unknown."""
        from guard.catalog.loader import load_catalog
        from guard.errors import GuardError

        try:
            return load_catalog(user=self.paths.user_catalog_dir)
        except GuardError as error:
            self.error(f"warning: the provider catalog could not be loaded ({error}); "
                       "provider names, privacy contacts and terms versions will be unknown")
            return None
