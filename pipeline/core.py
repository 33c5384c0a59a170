"""The whole pure pipeline for one document: no I/O, no Prefect. ``run_document`` gives
everything a document contributes to a run: the rows of every doc-scoped table (name runs
for the corpus stage included) and its draft persons rows; ``process_document`` the records
they are built from.

1. A rejected source (empty, binary, undecodable, too large) becomes a result with no parse.
2. ``detect`` picks the layout and says why.
3. The layout's parser reads structure (sections, infobox, links, glosses, categories…).
4. ``extract_people`` turns structure into persons, names and candidate facts.
5. Coverage: the share of non-whitespace characters that some row accounts for;
   every uncovered stretch is reported as an ``uncovered-text`` warning.
6. Rows (``pipeline.tables.document_output``): facts ranked once, events and name runs
   read from the subject's names; person ids are still person keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from pipeline import coverage
from pipeline.codes import Warn, message
from pipeline.detect import detect
from pipeline.extract.people import extract_people
from pipeline.formats import plain, rendered_page, wiki_fragment, wiki_markup
from pipeline.records import DocResult, Extracted, Notice, Parsed, SourceDoc, Span
from pipeline.tables import DocOutput, document_output

PARSERS: dict[str, Callable[[str], Parsed]] = {
    "wiki_markup": wiki_markup.parse,
    "wiki_fragment": wiki_fragment.parse,
    "rendered_page": rendered_page.parse,
    "plain": plain.parse,
}


def spans_of(parsed: Parsed, extracted: Extracted) -> Iterator[Span]:
    """Every source span some output row accounts for."""
    if parsed.title_span:
        yield parsed.title_span
    if parsed.sort_key_span:
        yield parsed.sort_key_span
    yield from parsed.claimed
    for entry in parsed.infobox:
        yield entry.span
    for section in parsed.sections:
        yield from section.pieces
    for link in parsed.links:
        yield link.span
        if link.gloss_span:
            yield link.gloss_span
    for category in parsed.categories:
        yield category.span
    for bib in parsed.bibliography:
        yield bib.span
    for drop in (*parsed.dropped, *extracted.dropped):
        yield drop.span
    for name in extracted.names:
        yield name.span
    for fact in extracted.facts:
        yield fact.span


def process_document(source: SourceDoc) -> DocResult:
    """Parse one decoded document into records; a rejected one passes through untouched."""
    if source.text is None or source.reject_code:
        return DocResult(source, None)
    text = source.text
    detection = detect(text)
    parsed = PARSERS[detection.format](text)
    notes = list(parsed.warnings)
    if detection.format == "plain":
        notes.append(Notice(Warn.UNKNOWN_LAYOUT, message(Warn.UNKNOWN_LAYOUT, evidence=detection.evidence)))
    parsed = replace(parsed, evidence=detection.evidence, warnings=tuple(notes))
    extracted = extract_people(text, parsed)
    spans = list(spans_of(parsed, extracted))
    gaps = coverage.uncovered(text, spans)
    if gaps:
        gap_notes = tuple(
            Notice(Warn.UNCOVERED_TEXT, f"no output row accounts for {text[g.start : g.end][:60]!r}", g)
            for g in gaps
        )
        parsed = replace(parsed, warnings=parsed.warnings + gap_notes)
    return DocResult(source, parsed, extracted, coverage.covered_share(text, gaps))


def run_document(source: SourceDoc) -> DocOutput:
    """Everything one decoded document gives a run: its rows, name runs and draft persons rows."""
    return document_output(process_document(source))
