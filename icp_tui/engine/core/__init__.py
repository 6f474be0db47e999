"""Shared ground: reading tables and values, the safe condition language, TOML helpers, atomic writes, errors, accounts."""
