"""Reading the data files of the script readers (``names/data/``)."""

from __future__ import annotations

from importlib import resources

__all__ = ["data_lines"]


def data_lines(name: str) -> list[str]:
    """The non-empty, non-comment lines of ``names/data/<name>``."""
    text = resources.files("exportscreen.names").joinpath("data").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
