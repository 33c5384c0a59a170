"""Pure: a run's counts (documents by format and status, rows, warnings, drops, quarantine) and their text.

The counts come from the run's ``OutputView``: rows from its profiles, the rest from its small frames.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from pipeline.output.view import OutputView


def _counts(frame: pd.DataFrame, *columns: str) -> dict[str, int]:
    if frame.empty:
        return {}
    counted = Counter(frame[list(columns)].astype("string").fillna("∅").itertuples(index=False, name=None))
    return dict(sorted((" / ".join(key), n) for key, n in counted.items()))  # count first, join the few keys


def summarise(view: OutputView, manifest: dict[str, Any], formats: dict[str, int]) -> dict[str, Any]:
    documents = view.frames["documents"]
    return {
        "output": manifest.get("output_dir"),
        "documents": len(documents),
        "by_format_and_status": _counts(
            documents.assign(format=documents["format"].fillna("rejected")), "format", "status"
        ),
        "rejected_by_code": _counts(documents[documents["status"] == "rejected"], "reject_code"),
        "skipped_by_code": dict(sorted(Counter(e["code"] for e in manifest.get("skipped", [])).items())),
        "rows": {name: profile.rows for name, profile in sorted(view.profiles.items())},
        "warnings_by_code": _counts(view.frames["warnings"], "code"),
        "dropped_by_rule": _counts(view.frames["dropped"], "rule"),
        "quarantined_by_reason": _counts(view.frames["quarantine"], "table", "reason_code"),
        "mean_coverage": float(documents["coverage"].dropna().mean())
        if documents["coverage"].notna().any()
        else None,
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
