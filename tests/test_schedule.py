"""The scheduled deployment: registered against a real Prefect API, schedule read back, never waited for."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from prefect.client.orchestration import get_client

from pipeline.orchestrate.schedule import deployment

pytestmark = pytest.mark.e2e


async def _read_back(deployment_id: Any) -> Any:
    async with get_client() as client:
        return await client.read_deployment(deployment_id)


def test_cron_deployment_is_registered_with_its_schedule() -> None:
    deployment_id = deployment("nightly-test", "seeds", "output", cron="0 3 * * *").apply()
    stored = asyncio.run(_read_back(deployment_id))
    assert stored.name == "nightly-test"
    assert [s.schedule.cron for s in stored.schedules] == ["0 3 * * *"]
    assert stored.parameters == {"input_dir": "seeds", "output_dir": "output"}


def test_interval_deployment_is_registered_with_its_schedule() -> None:
    deployment_id = deployment("hourly-test", "seeds", "output", interval=3600).apply()
    stored = asyncio.run(_read_back(deployment_id))
    assert [s.schedule.interval.total_seconds() for s in stored.schedules] == [3600]


def test_exactly_one_schedule_kind() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        deployment("bad", "seeds", "output")
