"""Run fuzz documents through the whole pipeline and the row/validation path, and list what breaks.

``check_documents`` writes documents to a folder, runs ``pipeline.run.batch.run_batch``,
``assemble`` and ``pipeline.output.validate.validate_all`` on them, as a run does, and reports
every broken invariant: an exception, a coverage outside [0, 1], a span that does not
reproduce its text, a repeated primary key, a ``duplicate-key`` quarantine row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.output.validate import validate_all
from pipeline.run.batch import assemble, run_batch
from pipeline.run.sources import source_from_bytes
from tests.provenance import duplicate_keys, span_failures


@dataclass
class Findings:
    exceptions: list[str] = field(default_factory=list)
    coverage: list[float] = field(default_factory=list)  # values outside [0, 1]
    spans: list[tuple[str, dict]] = field(default_factory=list)
    duplicate_keys: list[tuple[str, dict]] = field(default_factory=list)
    duplicate_quarantine: list[dict] = field(default_factory=list)

    def broken(self) -> bool:
        return bool(
            self.exceptions or self.coverage or self.spans or self.duplicate_keys or self.duplicate_quarantine
        )


def check_documents(texts: Sequence[str], folder: Path | None = None) -> Findings:
    """Every broken invariant of ``texts`` run as one batch (in a temporary folder unless ``folder``)."""
    if folder is None:
        with tempfile.TemporaryDirectory() as tmp:
            return check_documents(texts, Path(tmp))
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"fuzz{i:05}.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        paths.append(str(path))
    found = Findings()
    try:
        raw = assemble([run_batch(paths, str(folder), 1 << 24)])
        tables = validate_all(raw)
    except Exception as error:  # our bug: reported, never raised past the check
        found.exceptions.append(repr(error))
        return found
    sources = {
        row.doc_id: source_from_bytes(row.source_name, (folder / row.source_name).read_bytes()).text or ""
        for row in tables["documents"].itertuples()
    }
    found.coverage = [c for c in tables["documents"]["coverage"].dropna() if not 0.0 <= c <= 1.0]
    found.spans = span_failures(tables, sources)
    found.duplicate_keys = duplicate_keys(raw)
    quarantine = tables["quarantine"]
    found.duplicate_quarantine = quarantine[quarantine["reason_code"] == "duplicate-key"].to_dict("records")
    return found
