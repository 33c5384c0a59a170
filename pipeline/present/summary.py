"""Pure: a run's counts (documents by format and status, rows, warnings, drops, quarantine) and their text.

The counts come from the run's ``OutputView``: rows from its profiles, the rest from its tallies.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.output.view import OutputView, Tally

NULL = "∅"


def _by_key(tally: Tally) -> dict[str, int]:
    """Rows per key, the key's parts joined ``a / b`` (a null part is ``∅``), in key order."""
    return dict(sorted((" / ".join(key), n) for key, n in tally.as_text(NULL).items()))


def summarise(view: OutputView, manifest: dict[str, Any], formats: dict[str, int]) -> dict[str, Any]:
    documents = view.tallies["documents"]
    return {
        "output": manifest.get("output_dir"),
        "documents": view.profiles["documents"].rows,
        "by_format_and_status": _by_key(documents.of("format", "status").filled(format="rejected")),
        "rejected_by_code": _by_key(documents.where("status", "rejected").of("reject_code")),
        "skipped_by_code": dict(sorted(Counter(e["code"] for e in manifest.get("skipped", [])).items())),
        "rows": {name: profile.rows for name, profile in sorted(view.profiles.items())},
        "warnings_by_code": _by_key(view.tallies["warnings"]),
        "dropped_by_rule": _by_key(view.tallies["dropped"]),
        "quarantined_by_reason": _by_key(view.tallies["quarantine"]),
        "mean_coverage": view.coverage.mean,
    }


def render(summary: dict[str, Any]) -> str:
    """The summary as the lines ``python -m pipeline run`` prints."""
    lines = [f"documents: {summary['documents']}"]
    for title, key in (
        ("by format / status", "by_format_and_status"),
        ("rejected by code", "rejected_by_code"),
        ("skipped (not read, in manifest.json) by code", "skipped_by_code"),
        ("rows per table", "rows"),
        ("warnings by code", "warnings_by_code"),
        ("dropped by rule", "dropped_by_rule"),
        ("quarantined by table / reason", "quarantined_by_reason"),
    ):
        counts = summary[key]
        lines.append(f"{title}:" + ("" if counts else " none"))
        lines.extend(f"  {name:<40} {count:>8}" for name, count in counts.items())
    if summary.get("mean_coverage") is not None:
        lines.append(f"mean coverage: {summary['mean_coverage']:.4f}")
    return "\n".join(lines)
