"""Reading the shipped data files and a user's JSON files."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError

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


def read_json_file(path: str | Path, what: str = "file") -> Any:
    """Parse a user's JSON file (UTF-8, a BOM allowed); :class:`InputError` naming the file
    and the line when it is missing, unreadable or not JSON. *what* names the file's role
    in messages ("rule pack", "rule file", ...)."""
    label = str(path)
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{what} not found", file=label)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc}", file=label) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the {what} is not UTF-8 text: {exc}", file=label) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the {what} is not valid JSON: {exc.msg} (column {exc.colno})", file=label,
            row=exc.lineno,
        ) from None
