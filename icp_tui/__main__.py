from icp_tui.cli import entry

entry()
