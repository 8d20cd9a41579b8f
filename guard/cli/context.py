"""What every subcommand gets: the app's folders, its settings, and how to print."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from guard.paths import AppPaths
from guard.settings import Settings


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
