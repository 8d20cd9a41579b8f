"""Where the browser hosts keep their state files (no heavy imports: ``scan`` reaches this at start)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

SUFFIX = ".json"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the hosts keep their files: ``$MEETING_GUARD_HOME/run/browser`` or the user's runtime folder."""
    from guard.paths import HOME_ENV

    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV)
    if home:
        return Path(home).expanduser() / "run" / "browser"
    import platformdirs

    from guard import APP_ID

    return Path(platformdirs.user_runtime_dir(APP_ID, appauthor=False)) / "browser"


def has_state_files(folder: Path) -> bool:
    """Whether any host has written a file (one folder listing; no file is read)."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(SUFFIX) for entry in entries)
    except OSError:
        return False
