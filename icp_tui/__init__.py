"""icp-tui: a terminal workbench to define an Ideal Customer Profile from evidence."""

__version__ = "0.1.0"
