"""The ICP scorecard: its file, scoring and results, lint, editing, scored export and SQL."""
