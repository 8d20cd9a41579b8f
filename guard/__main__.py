"""``python -m guard`` runs the same command as ``meeting-guard``."""

import sys

from guard.cli.main import main

if __name__ == "__main__":  # not when a helper process (multiprocessing spawn) imports this module
    sys.exit(main())
