"""Prefect deployments of the flow on a schedule (cron or interval)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pipeline.orchestrate.flow import build_datasets


def deployment(
    name: str, input_dir: str, output_dir: str, cron: str | None = None, interval: float | None = None
) -> Any:
    """The flow as a deployment that runs on ``cron`` or every ``interval`` seconds, incrementally."""
    if (cron is None) == (interval is None):
        raise ValueError("give exactly one of cron or interval")
    return build_datasets.to_deployment(
        name=name,
        cron=cron,
        interval=timedelta(seconds=interval) if interval is not None else None,
        parameters={"input_dir": input_dir, "output_dir": output_dir},
        description="Scheduled, incremental build of the biography datasets.",
        tags=["biodata"],
    )


def serve_deployment(
    name: str, input_dir: str, output_dir: str, cron: str | None = None, interval: float | None = None
) -> None:
    """Serve the deployment with Prefect's own ``serve`` until interrupted."""
    from prefect import serve

    serve(deployment(name, input_dir, output_dir, cron=cron, interval=interval))
