"""``python -m guard`` runs the same command as ``meeting-guard``."""

from guard.cli.main import main

raise SystemExit(main())
