"""The bibliography: every source the shipped presets and packs cite, by id.

``data/bibliography.json`` lists each source once (id, title, URL, date, publisher, evidence
class). A preset or pack cites sources by id (:class:`Citation`), and every id must resolve
here (or, in a user's rule pack, in that pack's own ``sources`` map).

>>> bib = bibliography()
>>> src = bib["OFAC401"]
>>> src.evidence, src.url
('official', 'https://ofac.treasury.gov/faqs/401')
>>> bib.render(Citation(sources=("OFAC401",), text="Example 2", evidence="official"))
'OFAC401: Example 2 [O]'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .evidence import Evidence, evidence_of, short_tag

__all__ = ["Bibliography", "Citation", "Source", "bibliography"]


class Source(BaseModel):
    """One source. ``title`` is the document's title where the research gives one, otherwise
    the research note's description of it; ``date`` is the date the research gives for the
    document (``None`` when it gives none; ``note`` says what the date is when not plain)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    date: _dt.date | None = None
    publisher: str = Field(min_length=1)
    evidence: Evidence
    note: str = ""
    research: str = ""

    def describe(self) -> str:
        """``title (publisher, date), url`` with the parts that are known."""
        meta = ", ".join(p for p in (self.publisher, self.date and self.date.isoformat()) if p)
        return f"{self.title} ({meta})" + (f", {self.url}" if self.url else "")


class Citation(BaseModel):
    """A cited statement: the sources by bibliography id, a pinpoint or quotation, and the
    evidence class of the statement (a secondary source quoting official text verbatim
    can support an ``official_copy`` statement). A plain string is accepted as a citation
    with text only (a user's own note, citing nothing in the bibliography)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sources: tuple[str, ...] = ()
    text: str = ""
    evidence: Evidence | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @field_validator("evidence", mode="before")
    @classmethod
    def _old_tags(cls, value: Any) -> Any:
        return evidence_of(value) if isinstance(value, str) else value

    def __str__(self) -> str:
        head = ", ".join(self.sources)
        body = f"{head}: {self.text}" if head and self.text else head or self.text
        return body + (f" [{short_tag(self.evidence)}]" if self.evidence else "")


class Bibliography(BaseModel):
    """The validated bibliography (ids unique)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str = ""
    sources: tuple[Source, ...]
    _by_id: dict[str, Source] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_id.update((s.id, s) for s in self.sources)

    @field_validator("sources")
    @classmethod
    def _unique(cls, value: tuple[Source, ...]) -> tuple[Source, ...]:
        seen: set[str] = set()
        for s in value:
            if s.id in seen:
                raise ValueError(f"duplicate source id {s.id!r}")
            seen.add(s.id)
        return value

    @property
    def by_id(self) -> Mapping[str, Source]:
        return self._by_id

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.by_id

    def __getitem__(self, source_id: str) -> Source:
        try:
            return self.by_id[source_id]
        except KeyError:
            raise KeyError(f"{source_id!r} is not in the bibliography") from None

    def unknown(self, ids: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
        """The ids in *ids* that resolve neither here nor in *extra*, in order."""
        known = set(extra)
        return [i for i in ids if i not in self.by_id and i not in known]

    def render(self, citation: Citation) -> str:
        """A citation as one line (``ids: text [tag]``)."""
        return str(citation)

    def resolve(self, ids: Iterable[str], own: Mapping[str, str] | None = None) -> str:
        """``id = title (publisher, date), url`` for each id, ``; ``-joined; an id found
        only in *own* (a user pack's ``sources``) is shown with that text."""
        parts = []
        for i in dict.fromkeys(ids):
            if own and i in own:
                parts.append(f"{i} = {own[i]}")
            elif i in self.by_id:
                parts.append(f"{i} = {self.by_id[i].describe()}")
            else:
                parts.append(i)
        return "; ".join(parts)


@cache
def bibliography() -> Bibliography:
    """The shipped bibliography (``knowledge/data/bibliography.json``), validated once."""
    from ._files import shipped_text

    return Bibliography.model_validate_json(shipped_text("bibliography.json"))
