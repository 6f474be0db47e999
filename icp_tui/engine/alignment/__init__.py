"""The functions' target lists: name keys, matching, overlap, the unified TAL."""
