"""docs/api.md is generated from the docstrings and must match the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import exportscreen

REPO = Path(__file__).resolve().parents[1]


def _generator():  # type: ignore[no-untyped-def]
    path = REPO / "tools" / "gen_api_reference.py"
    spec = importlib.util.spec_from_file_location("gen_api", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_name_resolves() -> None:
    for name in exportscreen.__all__:
        assert getattr(exportscreen, name) is not None, name


def test_api_reference_is_current() -> None:
    rendered = _generator().render()
    current = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    assert current == rendered, "docs/api.md is stale: run python tools/gen_api_reference.py"
