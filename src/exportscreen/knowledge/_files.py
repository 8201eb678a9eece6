"""Reading the shipped data files and a user's JSON files."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .._jsonfile import read_json_file

__all__ = ["data_path", "read_json_file", "read_shipped_json", "shipped_text"]


def data_path(*parts: str) -> Path:
    """Path of a shipped data file under ``exportscreen/knowledge/data``."""
    return Path(str(resources.files("exportscreen.knowledge").joinpath("data", *parts)))


@cache
def shipped_text(*parts: str) -> str:
    """The text of a shipped data file (read once)."""
    return data_path(*parts).read_text(encoding="utf-8")


def read_shipped_json(*parts: str) -> Any:
    """A fresh parsed copy of a shipped JSON file (callers may change it)."""
    return json.loads(shipped_text(*parts))


