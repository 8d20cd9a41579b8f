"""Where the browser hosts keep their state files (no heavy imports: ``scan`` reaches this at start)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Mapping
from pathlib import Path

SUFFIX = ".json"

log = logging.getLogger(__name__)


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


class UnsafeStateFolder(PermissionError):
    """The state folder is not this user's alone: whoever else can write it can read, replace or
    plant the host's files (the browser's meeting tabs)."""


def private_state_folder(folder: Path) -> None:
    """Create ``folder`` and its parent (0700), or check them: folders, not links, owned by this
    user. One of this user's that others can write is made 0700 first (an older version, or a
    umask of 002, made it so); another user's, or a link, raises :class:`UnsafeStateFolder` naming
    it and what to do, and nothing is written. The parent too, so the folder cannot be swapped,
    except a shared folder with the sticky bit (``/tmp``): no one else can rename or remove what
    is ours in it, and it is never changed (it is everyone's; tightening it broke the machine)."""
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.mkdir(exist_ok=True, mode=0o700)
    if not hasattr(os, "getuid"):
        return  # Windows: the per-user profile folder; no POSIX owner or mode to check
    me = os.getuid()
    for place in (folder.parent, folder):
        info = os.lstat(place)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            why = "a link" if stat.S_ISLNK(info.st_mode) else "not a folder"
        elif place == folder.parent and info.st_mode & stat.S_ISVTX:
            continue  # shared and sticky: our folder in it cannot be swapped by others; left as it is
        elif info.st_uid != me:
            why = f"owned by another user (uid {info.st_uid})"
        else:
            if stat.S_IMODE(info.st_mode) & 0o022:
                os.chmod(place, 0o700)  # checked just now to be a folder of ours, not a link
                log.warning("%s was writable by others (mode %o); restricted it to 0700", place,
                            stat.S_IMODE(info.st_mode))
            continue
        raise UnsafeStateFolder(
            f"{place} is {why}; the browser host writes the browser's meeting tabs only into a folder of "
            "your own that no one else can write. Remove it, or set XDG_RUNTIME_DIR to your own runtime "
            "folder (such as /run/user/<your uid>), then restart the browser. Nothing was written.")
