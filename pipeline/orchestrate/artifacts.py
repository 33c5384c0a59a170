"""Prefect artifacts of a run: a markdown summary and a table of counts (pure builders, one thin publisher).

``summary_markdown`` and ``count_rows`` are pure and tested without Prefect;
``publish_artifacts`` only hands their results to Prefect, under stable keys,
so every run of the flow adds a new version of the same two artifacts.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from pipeline.output.view import OutputView

SUMMARY_KEY = "run-summary"
COUNTS_KEY = "run-counts"
NONE = "(none)"

# Summary groups shown in the markdown, in order: (heading, summary key, column heading).
SUMMARY_GROUPS = (
    ("Documents by layout and status", "by_format_and_status", "layout / status"),
    ("Rejected documents by reason code", "rejected_by_code", "reason code"),
    ("Rows per table", "rows", "table"),
    ("Warnings by code", "warnings_by_code", "warning code"),
    ("Dropped text by rule", "dropped_by_rule", "rule"),
    ("Quarantined rows by table and reason", "quarantined_by_reason", "table / reason code"),
)

# Counted in ``count_rows``: (measure, tally and table, column, only where status is).
COUNTED = (
    ("format", "documents", "format", None),
    ("status", "documents", "status", None),
    ("reject-code", "documents", "reject_code", "rejected"),
    ("warning-code", "warnings", "code", None),
    ("drop-rule", "dropped", "rule", None),
)


def _cell(text: Any) -> str:
    """Text safe inside a markdown table cell: pipes escaped, line breaks flattened."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(heading: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return ["none", ""]
    lines = [f"| {_cell(heading)} | count |", "| --- | ---: |"]
    lines += [f"| {_cell(name)} | {int(count):,} |" for name, count in counts.items()]
    return [*lines, ""]


def summary_markdown(summary: dict[str, Any]) -> str:
    """The run summary (as ``pipeline.present.summary.summarise`` returns it) as a markdown document."""
    coverage = summary.get("mean_coverage")
    rejected = sum(summary.get("rejected_by_code", {}).values())
    quarantined = sum(summary.get("quarantined_by_reason", {}).values())
    lines = [
        "# Biography datasets: run summary",
        "",
        f"- **documents:** {int(summary.get('documents', 0)):,}",
        f"- **rejected:** {rejected:,}",
        f"- **quarantined rows:** {quarantined:,}",
        f"- **mean coverage:** {'n/a' if coverage is None else f'{coverage:.2%}'}",
    ]
    if summary.get("output"):
        lines.append(
            f"- **output:** `{_cell(summary['output'])}` (see `report.html` and `manifest.json` there)"
        )
    lines.append("")
    for title, key, heading in SUMMARY_GROUPS:
        lines += [f"## {title}", "", *_table(heading, summary.get(key) or {})]
    return "\n".join(lines).rstrip() + "\n"


def count_rows(view: OutputView) -> list[dict[str, Any]]:
    """Counts as rows ``{measure, table, key, count}``: rows per table, then documents per layout,
    status and reject code, warnings per code, drops per rule, quarantined rows per table and reason.

    Sorted within each measure by key; a null key is ``(none)`` (a rejected document has no layout).
    """
    out: list[dict[str, Any]] = [
        {"measure": "rows", "table": name, "key": "", "count": profile.rows}
        for name, profile in sorted(view.profiles.items())
    ]
    for measure, table, column, status in COUNTED:
        tally = view.tallies[table]
        if status is not None:
            tally = tally.where("status", status)
        out += [
            {"measure": measure, "table": table, "key": key[0], "count": n}
            for key, n in sorted(tally.of(column).as_text(NONE).items())
        ]
    out += [
        {"measure": "quarantine-reason", "table": key[0], "key": key[1], "count": n}
        for key, n in sorted(view.tallies["quarantine"].as_text(NONE).items())
    ]
    return out


def publish_artifacts(summary: dict[str, Any], view: OutputView) -> dict[str, UUID]:
    """Publish the summary (``run-summary``) and the counts (``run-counts``) to the current Prefect run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    summary_id = create_markdown_artifact(
        summary_markdown(summary), key=SUMMARY_KEY, description="What this run read, wrote and set aside."
    )
    counts_id = create_table_artifact(
        count_rows(view),
        key=COUNTS_KEY,
        description="Rows per table; documents per layout, status and reject code; "
        "warnings, drops and quarantined rows per reason.",
    )
    return {SUMMARY_KEY: cast(UUID, summary_id), COUNTS_KEY: cast(UUID, counts_id)}
