"""Entry script of the frozen app: runs exactly what the ``meeting-guard`` command runs.

No arguments start the tray app; subcommands (``--version``, ``settings``, ``scan``, ...) work
as in a source install. One hidden entry is the launcher's own, not the command line's: the tray
app starts the settings window's process as ``<app> --settings-window SERVER DIRS... --tab T``
(:func:`ui.settings_remote.settings_command`), because a bundle has no ``python -m
ui.settings_process``. ``guard`` never imports ``ui``, so the dispatch lives here.
"""

import multiprocessing
import sys

from guard.cli.main import main
from ui.settings_link import WINDOW_FLAG  # the protocol's module: no Qt, loads nothing heavy


def launch(argv: list[str]) -> int:
    """The settings window's process for ``--settings-window ...``; otherwise the command line."""
    if argv[:1] == [WINDOW_FLAG]:
        from ui.settings_process import main as settings_window

        return settings_window(argv[1:])
    return main(argv)


if __name__ == "__main__":
    # A helper process (e.g. the ledger check during an export) starts this executable again;
    # freeze_support() makes it run the helper's work instead of the app.
    multiprocessing.freeze_support()
    sys.exit(launch(sys.argv[1:]))
