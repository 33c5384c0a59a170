"""Frozen records passed between the pipeline's stages.

Every record that comes from text carries spans: offsets (Python ``str``
indices, end exclusive) into the decoded, otherwise untouched source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One input file, read and decoded (or not) at the edge."""

    doc_id: str
    source_name: str
    sha256: str
    n_bytes: int
    encoding: str | None
    text: str | None
    reject_code: str | None = None
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    code: str
    message: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class InfoboxEntry:
    ordinal: int
    raw_key: str | None
    key: str | None
    value: str
    span: Span  # the whole source line
    value_span: Span


@dataclass(frozen=True, slots=True)
class Section:
    section_no: int
    level: int
    heading: str | None
    parent_no: int | None
    text: str
    span: Span  # heading line (if any) to the end of the section body
    pieces: tuple[Span, ...]  # the source pieces the heading and text were built from
    heading_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Link:
    link_no: int
    section_no: int
    anchor: str
    target: str
    gloss: str | None
    gloss_truncated: bool
    kind: str  # inline | see_also | bibliography
    span: Span  # the anchor
    gloss_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Category:
    category: str
    kind: str  # births | deaths | other
    year: int | None
    span: Span


@dataclass(frozen=True, slots=True)
class BibEntry:
    entry_no: int
    authors: tuple[str, ...]
    title: str | None
    publisher: str | None
    year: int | None
    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class Dropped:
    span: Span
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a format parser read from one document: structure, not yet people."""

    format: str
    evidence: str
    title: str | None = None
    title_span: Span | None = None
    infobox: tuple[InfoboxEntry, ...] = ()
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()
    categories: tuple[Category, ...] = ()
    bibliography: tuple[BibEntry, ...] = ()
    sort_key: str | None = None
    sort_key_span: Span | None = None
    dropped: tuple[Dropped, ...] = ()
    claimed: tuple[
        Span, ...
    ] = ()  # spans owned by the parse but by no row above (e.g. a heading with no prose)
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date at the precision the text gives; never filled in."""

    edtf: str
    precision: str  # day | month | year
    year: int
    qualifier: str | None = None  # approximate | uncertain
    calendar_note: str | None = None  # julian-converted


@dataclass(frozen=True, slots=True)
class Fact:
    person_key: str  # "subject" or a gloss person's canonical name, resolved to ids later
    field: str
    value: str
    raw: str
    source_kind: str  # infobox | lead | body | category | gloss
    rule: str
    span: Span
    date: DateValue | None = None
    parts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonName:
    person_key: str
    name: str
    kind: str  # title | full | alias | variant | native | birth_name | sort_key
    script: str
    span: Span


@dataclass(frozen=True, slots=True)
class Person:
    person_key: str
    name: str
    full_name: str | None
    description: str | None
    is_subject: bool
    span: Span  # where the person's name is stated


@dataclass(frozen=True, slots=True)
class Extracted:
    persons: tuple[Person, ...] = ()
    names: tuple[PersonName, ...] = ()
    facts: tuple[Fact, ...] = ()
    links: tuple[Link, ...] = ()  # the parsed links with their targets inferred from the gloss
    link_people: tuple[tuple[int, str], ...] = ()  # (link_no, person_key) for links to a person
    dropped: tuple[Dropped, ...] = ()
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything the pure core made of one document."""

    source: SourceDoc
    parsed: Parsed | None
    extracted: Extracted = field(default_factory=Extracted)
    coverage: float | None = None
