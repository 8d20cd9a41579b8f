"""Where the app keeps its files: config, data, cache and logs, per the OS's conventions.

Folders come from platformdirs (XDG on Linux, AppData on Windows, Library on macOS).
``MEETING_GUARD_HOME`` puts all four under one folder instead (portable installs, tests).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from guard import APP_ID

HOME_ENV = "MEETING_GUARD_HOME"


class AppPaths(NamedTuple):
    """The app's folders. Nothing is created until :meth:`ensure` is called.

    A NamedTuple rather than a dataclass: every command needs its folders, and ``dataclasses``
    alone costs the quickest commands a tenth of their start-up."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def user_catalog_dir(self) -> Path:
        """Where a user's own provider files add to or override the shipped catalog."""
        return self.config_dir / "catalog"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "meeting-guard.log"

    def ensure(self) -> AppPaths:
        """Create the folders, private to the user (0700, also when they already existed wider,
        e.g. made by an older version), and return self."""
        for folder in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _private(folder)
        return self

    def with_data_dir(self, data_dir: Path | None) -> AppPaths:
        """The same paths with the data folder moved (a user's preference)."""
        if data_dir is None:
            return self
        return AppPaths(self.config_dir, Path(data_dir).expanduser(), self.cache_dir, self.log_dir)


def _private(folder: Path) -> None:
    try:
        info = os.lstat(folder)
        if (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077
                and not info.st_mode & stat.S_ISVTX):  # a shared sticky folder (/tmp) is everyone's: never narrowed
            os.chmod(folder, 0o700)
    except OSError:
        pass  # not ours to change (or gone): the stores say what they cannot write


def app_paths(environ: Mapping[str, str] | None = None) -> AppPaths:
    """The folders for this user on this OS (``environ``: the variables to read, default the process's)."""
    home = (os.environ if environ is None else environ).get(HOME_ENV)
    if home:
        root = Path(home).expanduser()
        return AppPaths(root / "config", root / "data", root / "cache", root / "logs")
    import platformdirs  # only when MEETING_GUARD_HOME is not set: it costs start-up time

    dirs = platformdirs.PlatformDirs(APP_ID, appauthor=False)
    return AppPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        cache_dir=Path(dirs.user_cache_dir),
        log_dir=Path(dirs.user_log_dir),
    )


def resources_dir() -> Path:
    """The shipped ``resources/`` folder: ``guard/resources`` in an installed wheel (setup.py puts
    it there, under the app's own name), else the checkout's ``resources/`` beside ``guard/`` (a
    checkout, and the frozen app, which keeps that layout)."""
    here = Path(__file__).resolve().parent
    installed = here / "resources"
    return installed if installed.is_dir() else here.parent / "resources"
