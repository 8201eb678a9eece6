"""The Python examples in README.md and docs/*.md run, so the guide cannot go stale.

Every ```python fenced block of a page runs, in order, in one namespace per page,
with the repository root as the working directory (examples use ``fixtures/``).
A block whose first line is ``# not run: <reason>`` is skipped, with the reason
shown in the test id; use it only for examples that need the network or a user's
own files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(page: Path) -> list[str]:
    return FENCE.findall(page.read_text(encoding="utf-8"))


PAGES_WITH_CODE = [p for p in PAGES if python_blocks(p)]


def test_some_pages_carry_examples() -> None:
    assert PAGES_WITH_CODE, "the docs should show runnable Python examples"


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: p.relative_to(REPO).as_posix())
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("EXPORTSCREEN_EXAMPLE_OUT", str(tmp_path))
    namespace: dict[str, object] = {"__name__": f"docs_example_{page.stem}"}
    ran = 0
    for number, block in enumerate(python_blocks(page), start=1):
        if block.lstrip().startswith("# not run:"):
            continue
        code = compile(block, f"{page.relative_to(REPO)} (example {number})", "exec")
        exec(code, namespace)
        ran += 1
    assert ran > 0 or all(b.lstrip().startswith("# not run:") for b in python_blocks(page))
    assert os.getcwd() == str(REPO)
