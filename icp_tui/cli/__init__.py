"""The ``icp`` command: no subcommand opens the app; subcommands run the engine headless."""

from icp_tui.cli.main import entry, main

__all__ = ["entry", "main"]
