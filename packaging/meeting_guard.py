"""Entry script of the frozen app: runs exactly what the ``meeting-guard`` command runs.

No arguments start the tray app; subcommands (``--version``, ``settings``, ``scan``, ...) work
as in a source install.
"""

import multiprocessing
import sys

from guard.cli.main import main

if __name__ == "__main__":
    # A helper process (e.g. the ledger check during an export) starts this executable again;
    # freeze_support() makes it run the helper's work instead of the app.
    multiprocessing.freeze_support()
    sys.exit(main())
