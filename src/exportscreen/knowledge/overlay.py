"""User overlays: a user's JSON document merged over a shipped one, then validated.

One mechanism for the rare-earth pack's ``"extends": "default"`` and for a custom
ownership rule's ``"extends": "<preset id>"``. A :class:`MergePolicy` says how each
top-level key merges:

* keys in ``by_id``: a list of objects merged item by item on an id field (an item
  with a new id is added; one with a known id updates that item's keys);
* keys in ``one_level``: a dictionary merged one level deep (its keys replace the
  shipped keys, the others stay);
* every other key replaces the shipped value.

``"extends"`` itself is never copied. Errors are :class:`InputError` naming the file and
the field (``column``), e.g. ``pack.json, column 'suspensions.0.end': invalid rule pack:
Input should be a valid date``.

>>> merge({"a": 1, "d": {"x": 1, "y": 2}}, {"extends": "default", "d": {"y": 3}},
...       MergePolicy(one_level=frozenset({"d"})))
{'a': 1, 'd': {'x': 1, 'y': 3}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ._files import read_json_file

__all__ = ["MergePolicy", "OverlayError", "load_overlay", "merge", "validate"]

M = TypeVar("M", bound=BaseModel)


class OverlayError(ValueError):
    """A merge problem at *field* (a dotted path)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MergePolicy:
    """How the top-level keys of an overlay merge (see the module docstring)."""

    by_id: Mapping[str, str] = field(default_factory=dict)
    one_level: frozenset[str] = frozenset()


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any],
          policy: MergePolicy = MergePolicy()) -> dict[str, Any]:
    """*overlay* merged over *base* (neither is changed); raises :class:`OverlayError`."""
    merged = dict(base)
    for key, value in overlay.items():
        if key == "extends":
            continue
        if key in policy.by_id and isinstance(value, list):
            id_field = policy.by_id[key]
            old = base.get(key)
            by_id = {w[id_field]: dict(w) for w in (old if isinstance(old, list) else [])
                     if isinstance(w, dict) and id_field in w}
            for n, item in enumerate(value):
                if not isinstance(item, dict) or id_field not in item:
                    raise OverlayError(f"each item of {key!r} in an extending file needs an "
                                       f"{id_field!r}", f"{key}.{n}")
                by_id[item[id_field]] = {**by_id.get(item[id_field], {}), **item}
            merged[key] = list(by_id.values())
        elif key in policy.one_level and isinstance(value, dict) and isinstance(
                base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def validate(model: type[M], data: Any, *, label: str, what: str) -> M:
    """``model.model_validate(data)``; a validation error becomes an :class:`InputError`
    naming *label* (the file) and the first offending field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise InputError(f"invalid {what}: {first['msg']}", file=label, column=where) from None


def load_overlay(
    model: type[M],
    source: str | Path | Mapping[str, Any],
    *,
    what: str,
    shipped: Mapping[str, Mapping[str, Any]] | None = None,
    policy: MergePolicy = MergePolicy(),
    label: str | None = None,
    extra: Mapping[str, Any] | None = None,
    file_what: str | None = None,
) -> M:
    """Read a user's document (a JSON file path or a dictionary), merge it over the shipped
    document it ``"extends"`` (a key of *shipped*; without ``extends`` it stands alone),
    add *extra* keys and validate it as *model*. *what* names the document in messages
    ("rule pack"); *file_what* names the file when it cannot be read (default *what*).

    Errors name the file (*label* for a dictionary) and the field.
    """
    if isinstance(source, Mapping):
        raw: Any = dict(source)
        label = label or f"<{what} dict>"
    else:
        label = label or str(source)
        raw = read_json_file(source, file_what or what)
    if not isinstance(raw, dict):
        raise InputError(f"a {what} must be a JSON object", file=label)
    parent = raw.get("extends")
    if parent is not None:
        names = sorted(shipped or {})
        if not shipped or parent not in shipped:
            choices = " or ".join(f'"{n}"' for n in names) or "nothing"
            raise InputError(f"invalid {what}: 'extends' must be {choices}", file=label,
                             column="extends")
        try:
            raw = merge(shipped[parent], raw, policy)
        except OverlayError as exc:
            raise InputError(f"invalid {what}: {exc}", file=label, column=exc.field) from None
    if extra:
        raw = {**raw, **extra}
    return validate(model, raw, label=label, what=what)
