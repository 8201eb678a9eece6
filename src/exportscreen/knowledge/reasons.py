"""Finding-reason templates per rule: the legal wording of a finding's reason, as data.

Each ownership preset carries a ``reasons`` object. The engine writes the facts of a
finding itself (who owns what, the threshold); the sentence that says *which law* makes a
branch share its head's listing, or what an unknown stake means, comes from here, so each
jurisdiction's findings cite its own law. Where the research has no source for a
statement, the text says so instead of citing one.

Templates use ``str.format`` fields; each template may use only the fields listed for it
(``branch_of_listed``: ``{entity}``, ``{head}``; ``unknown_stake``: none).
"""

from __future__ import annotations

from string import Formatter
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["FindingReasons", "ReasonTemplate"]


class ReasonTemplate(BaseModel):
    """A reason sentence and the bibliography ids it rests on (empty: no source)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    sources: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    def fields(self) -> set[str]:
        try:
            return {f for _, f, _, _ in Formatter().parse(self.text) if f is not None}
        except ValueError as exc:
            raise ValueError(f"bad template {self.text!r}: {exc}") from None


_NO_SOURCE = "no source for this under this rule is recorded in exportscreen's research"


class FindingReasons(BaseModel):
    """The per-rule reason sentences used in affiliate findings.

    * ``branch_of_listed``: the sentence for a branch of a listed party
      (fields ``{entity}``, ``{head}``).
    * ``unknown_stake``: the sentence closing an ``undetermined`` finding.

    The defaults (used by a custom rule that gives none) cite nothing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    FIELDS: ClassVar[dict[str, set[str]]] = {
        "branch_of_listed": {"entity", "head"},
        "unknown_stake": set(),
    }

    branch_of_listed: ReasonTemplate = ReasonTemplate(
        text="{entity} is a branch (not a separate legal person) of listed party {head}, so it "
             f"shares that party's listing ({_NO_SOURCE}).")
    unknown_stake: ReasonTemplate = ReasonTemplate(
        text=f"Establish the percentages ({_NO_SOURCE}).")

    @model_validator(mode="after")
    def _check_fields(self) -> FindingReasons:
        for name, allowed in self.FIELDS.items():
            used = getattr(self, name).fields()
            if used - allowed:
                raise ValueError(
                    f"{name}: unknown field(s) {', '.join(sorted(used - allowed))}; allowed: "
                    f"{', '.join(sorted(allowed)) or 'none'}")
        return self

    def branch(self, entity: str, head: str) -> str:
        return self.branch_of_listed.text.format(entity=entity, head=head)

    def unknown(self) -> str:
        return self.unknown_stake.text.format()

    def cited_ids(self) -> list[str]:
        return [*self.branch_of_listed.sources, *self.unknown_stake.sources]
