"""Write docs/api.md from the public API's signatures and docstrings.

Run ``python tools/gen_api_reference.py`` after changing a public name or its
docstring; ``tests/test_api_reference.py`` fails while docs/api.md is out of date.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MODULES = ("exportscreen", "exportscreen.testing")

HEADER = """\
# API reference

Generated from the docstrings by `tools/gen_api_reference.py`; do not edit by hand.
Everything listed here is public and stable within a minor version; anything else
(modules or names starting with `_`, or not re-exported here) may change.

"""


class _Shown:
    """A default value as the reference shows it (long reprs become ``TypeName()``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _signature(obj: Any) -> str:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = []
    for param in signature.parameters.values():
        default = param.default
        if (default is not inspect.Parameter.empty and len(repr(default)) > 60
                and type(default).__module__ != "builtins"):
            # tuning objects (e.g. ScoringParams) would make the page change with every tweak
            param = param.replace(default=_Shown(f"{type(default).__name__}()"))
        params.append(param)
    return str(signature.replace(parameters=params))


def _doc(obj: Any) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip()


def _public_methods(cls: type) -> list[tuple[str, Any]]:
    items = []
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, (classmethod, staticmethod)):
            member = member.__func__
        if isinstance(member, property) or inspect.isfunction(member):
            items.append((name, member))
    return items


def render() -> str:
    import importlib

    out = [HEADER]
    sections: list[tuple[str, Any, list[str]]] = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        sections.append((f"`{module_name}`", module, sorted(getattr(module, "__all__", []))))
        more = sorted(set(getattr(module, "_LAZY", {})) - set(module.__all__))
        if more:
            sections.append((f"More names importable from `{module_name}`", module, more))
    for title, module, names in sections:
        out.append(f"## {title}\n\n")
        for name in names:
            if name.startswith("_"):
                continue
            obj = getattr(module, name)
            if inspect.isclass(obj):
                out.append(f"### class `{name}{_signature(obj) if not _is_model(obj) else ''}`\n\n")
                doc = _doc(obj)
                if doc:
                    out.append(doc + "\n\n")
                if _is_model(obj):
                    fields = obj.model_fields
                    if fields:
                        out.append("| field | type | default |\n|---|---|---|\n")
                        for field_name, info in fields.items():
                            annotation = _type_text(info.annotation)
                            default = "required" if info.is_required() else repr(info.default)
                            if info.default_factory is not None:
                                default = f"{info.default_factory.__name__}()"
                            out.append(f"| `{field_name}` | `{annotation}` | `{default}` |\n")
                        out.append("\n")
                for method_name, member in _public_methods(obj):
                    if _is_model(obj) and method_name.startswith("model_"):
                        continue
                    if isinstance(member, property):
                        out.append(f"- property `{method_name}`")
                        doc = _doc(member)
                    else:
                        out.append(f"- `{method_name}{_signature(member)}`")
                        doc = _doc(member)
                    first = doc.split("\n\n")[0].replace("\n", " ") if doc else ""
                    out.append(f": {first}\n" if first else "\n")
                out.append("\n")
            elif callable(obj):
                out.append(f"### `{name}{_signature(obj)}`\n\n")
                doc = _doc(obj)
                if doc:
                    out.append(doc + "\n\n")
            else:
                out.append(f"### `{name}` = `{obj!r}`\n\n")
    return "".join(out).rstrip() + "\n"


def _is_model(obj: Any) -> bool:
    return hasattr(obj, "model_fields") and isinstance(getattr(obj, "model_fields", None), dict)


def _type_text(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return text or str(annotation).replace("typing.", "")


def main(argv: list[str]) -> int:
    target = REPO / "docs" / "api.md"
    text = render()
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("docs/api.md is out of date: run python tools/gen_api_reference.py")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
