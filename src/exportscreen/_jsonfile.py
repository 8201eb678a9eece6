"""Reading a user's JSON file with errors that name it: the one reader that both the shipped
knowledge (rule files, pack overlays) and the io layer (previous runs, decisions) use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["read_json_file"]


def read_json_file(path: str | Path, what: str = "file") -> Any:
    """Parse a user's JSON file (UTF-8, a BOM allowed); :class:`InputError` naming the file
    and the line when it is missing, unreadable or not JSON. *what* names the file's role
    in messages ("rule pack", "previous run", "rule file", ...)."""
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
