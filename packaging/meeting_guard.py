"""Entry script of the frozen app: runs exactly what the ``meeting-guard`` command runs.

No arguments start the tray app; subcommands (``--version``, ``settings``, ``scan``, ...) work
as in a source install.
"""

import sys

from guard.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
