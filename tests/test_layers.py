"""The package's layers import only downward, and no module imports itself back.

Layers, bottom to top (docs/architecture.md): knowledge -> io -> domain (lists, names,
ownership, rareearth) -> screening (and testing) -> report (and spark) -> cli. Every import
statement counts: at module level, inside functions and under ``TYPE_CHECKING``. A lazy
import inside a function may keep start-up fast, never hide a cycle or an upward import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "exportscreen"

# top-level part of the package -> layer; higher layers may import lower ones only
LAYERS: dict[str, int] = {
    "_version": -2, "errors": -2, "_lazy": -2, "_jsonfile": -1,  # the base every layer may use
    "knowledge": 0,
    "io": 1,
    "lists": 2, "names": 2, "ownership": 2, "rareearth": 2,
    "screening": 3, "decisions": 6,  # decisions: the old import path of screening.decisions
    "testing": 3,
    # spark sits beside report: its screen_names runs screening.screen on each batch (one
    # implementation of the row results); it imports neither report nor cli
    "report": 4, "spark": 4,
    "cli": 5, "__main__": 6,
    "__init__": 6,  # the public facade re-exports every layer but cli
}
# inside the domain layer, which package may use which (no cycles between them)
DOMAIN_USES: dict[str, set[str]] = {
    "lists": set(), "ownership": set(), "rareearth": set(), "names": {"lists"},
}
# what may print, parse arguments or write files (the domain never does)
ARGPARSE_ALLOWED = {"cli"}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported exportscreen module, line) for every import statement in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "exportscreen":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "exportscreen":
                continue
            for alias in node.names:  # `from . import names` imports the module names
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), node.lineno


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for name, path in MODULES.items():
        graph.add_node(name)
        for target, line in _imports(name, path):
            while target not in MODULES:  # `exportscreen.x.y.Name` -> exportscreen.x.y
                target = target.rpartition(".")[0]
            if target != name:
                graph.add_edge(name, target, line=line)
    return graph


def test_every_part_of_the_package_has_a_layer() -> None:
    assert sorted({_part(m) for m in MODULES} - set(LAYERS)) == []


def test_no_upward_import() -> None:
    graph = _graph()
    wrong = []
    for source, target, line in graph.edges(data="line"):
        a, b = _part(source), _part(target)
        if a == b:
            continue
        if LAYERS[b] > LAYERS[a] or (
            LAYERS[a] == LAYERS[b] == 2 and b not in DOMAIN_USES[a]
        ) or (LAYERS[a] == LAYERS[b] and LAYERS[a] != 2):
            wrong.append(f"{MODULES[source].relative_to(PACKAGE)}:{line} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert cycles == []


@pytest.mark.parametrize("forbidden", ["argparse"])
def test_only_the_cli_parses_arguments(forbidden: str) -> None:
    users = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if forbidden in names and _part(name) not in ARGPARSE_ALLOWED:
                users.append(name)
    assert users == []


def test_the_domain_neither_prints_nor_writes_files() -> None:
    offenders = []
    for name, path in MODULES.items():
        if LAYERS[_part(name)] != 2:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            writes = called in {"write_text", "write_bytes", "to_csv", "to_excel"} or (
                called == "open" and any(
                    isinstance(a, ast.Constant) and isinstance(a.value, str)
                    and any(m in a.value for m in "wax")
                    for a in [*node.args[1:2], *(k.value for k in node.keywords
                                                  if k.arg == "mode")]))
            if called == "print" or writes:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {called}")
    assert offenders == []
