"""The ``meeting-guard`` command line: the tray app with no arguments, headless subcommands otherwise."""
