"""Prefect's settings, set before Prefect is imported: offline and quiet, no telemetry, no update
checks, and enough time for the embedded server to migrate a fresh database on a slow machine."""

from __future__ import annotations

import os

PREFECT_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure_prefect() -> None:
    """Our defaults for every setting the environment does not set already."""
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
