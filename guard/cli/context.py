"""What every subcommand gets: its environment, the app's folders and settings, and how to print.

Human output goes through :meth:`CliContext.print`, which spells out control characters
(see :mod:`guard.cli.output`); JSON goes through :meth:`CliContext.print_json`. Errors and
warnings (:meth:`CliContext.error`, :meth:`CliContext.warn`) are one line each, of at most
:data:`MAX_MESSAGE` characters, whatever outside text they quote. Settings
load on first use, so a command that needs none starts faster.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from guard.cli.env import Environment
from guard.cli.output import json_safe, terminal_safe
from guard.text_controls import quoted

if TYPE_CHECKING:
    from guard.catalog.loader import Catalog
    from guard.paths import AppPaths
    from guard.settings import Settings

MAX_MESSAGE = 2_000  # characters of one error or warning line: a message quoting a file's or a ledger's
# value must not become a 2 MB line, nor several lines that read as the program's own


class CliContext:
    """One command run: streams, folders, settings."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.out: TextIO = env.stdout
        self.err: TextIO = env.stderr
        self._settings: Settings | None = None
        self._paths: AppPaths | None = None

    # --- folders and settings --------------------------------------------------------------

    @property
    def base_paths(self) -> AppPaths:
        """The folders before the ``data_dir`` setting applies (the settings file lives here)."""
        return self.env.app_paths()

    @property
    def settings(self) -> Settings:
        """The user's settings; problems in the file are reported once, on stderr."""
        if self._settings is None:
            from guard.settings import SettingsStore

            store = SettingsStore(self.base_paths.settings_file)
            self._settings = store.load()
            for issue in store.issues:
                self.error(f"warning: {issue.message(store.path)}")
        return self._settings

    @property
    def paths(self) -> AppPaths:
        """The app's folders, with the data folder the settings name."""
        if self._paths is None:
            data_dir = self.settings.general.data_dir
            self._paths = self.base_paths.with_data_dir(Path(data_dir) if data_dir else None)
        return self._paths

    def now(self) -> datetime:
        """The current time (UTC, aware), from the environment's clock."""
        return self.env.now()

    # --- output --------------------------------------------------------------------------------

    def print(self, text: str = "") -> None:
        """One or more lines of human output, control characters spelt out."""
        self.out.write(terminal_safe(text) + "\n")

    def print_json(self, value: Any) -> None:
        """One JSON document (or line), UTF-8, stable key order as given; values JSON has no type for
        (dates, paths) as their ``str()``. (Not orjson: importing it imports json, uuid and platform.)"""
        import json

        self.out.write(json_safe(json.dumps(value, ensure_ascii=False, default=str)) + "\n")
        self.out.flush()

    def error(self, text: str) -> None:
        """One line on stderr: line breaks and runs of white space as one space, cut with "…"."""
        self.err.write(f"meeting-guard: {terminal_safe(quoted(text, MAX_MESSAGE))}\n")

    def warn(self, text: str) -> None:
        self.error(f"warning: {text}")

    def catalog_or_none(self) -> Catalog | None:
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
