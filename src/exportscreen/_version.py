"""The library version (read by hatchling and written into every result's provenance)."""

__version__ = "0.1.0"
