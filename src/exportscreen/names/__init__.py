"""Name screening."""
