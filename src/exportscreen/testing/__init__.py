"""Hypothesis strategies for property-based tests of code built on exportscreen.

Install with ``pip install exportscreen[testing]`` (Hypothesis is an optional
dependency). Every strategy draws inputs in the same contracts the public API
accepts, with sizes kept small enough to shrink well::

    from hypothesis import given
    from exportscreen import apply_affiliates_rule
    from exportscreen.testing import ownership_graphs

    @given(ownership_graphs())
    def test_listed_parties_are_never_reported_as_affiliates(case):
        graph, listed = case
        result = apply_affiliates_rule(graph, listed, rule="us-ofac")
        assert not {f.id for f in result.findings} & set(listed)

See docs/testing.md for every strategy with an example test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

_LAZY: dict[str, str] = {
    "ownership_graphs": "exportscreen.testing.ownership",
    "ownership_cases": "exportscreen.testing.ownership",
    "list_entries": "exportscreen.testing.lists",
    "screening_lists": "exportscreen.testing.lists",
    "name_variants": "exportscreen.testing.names",
    "bom_frames": "exportscreen.testing.bom",
    "supplier_frames": "exportscreen.testing.suppliers",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


if TYPE_CHECKING:
    from .bom import bom_frames
    from .lists import list_entries, screening_lists
    from .names import name_variants
    from .ownership import ownership_cases, ownership_graphs
    from .suppliers import supplier_frames
