"""Deal history: deals, validation against won and lost deals, suggested weights, analysis, segments, tiers, coverage."""
