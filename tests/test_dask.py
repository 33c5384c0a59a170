"""End to end on a real Dask cluster: the flow's work on a ``LocalCluster`` of two worker processes
gives the same bytes as the run on this machine's processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from pipeline.orchestrate.flow import build_datasets
from pipeline.run.cluster import dask_workers

pytestmark = pytest.mark.e2e

VARIATIONS = Path(__file__).parent / "cases" / "variations"


def _inputs(folder: Path, seed_paths: list[Path]) -> Path:
    folder.mkdir()
    for path in [*seed_paths, *sorted(VARIATIONS.glob("*.txt"))]:
        shutil.copy(path, folder / path.name)
    return folder


def test_the_flow_on_a_dask_cluster_writes_the_bytes_of_a_local_run(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    inputs = _inputs(tmp_path / "inputs", seed_paths)
    local, on_dask = tmp_path / "local", tmp_path / "dask"
    build_datasets(input_dir=str(inputs), output_dir=str(local), batch_size=7, workers=2, cache_dir=None)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        build_datasets(
            input_dir=str(inputs),
            output_dir=str(on_dask),
            batch_size=7,
            workers=2,
            cache_dir=None,
            dask=cluster.scheduler_address,
        )
        ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert "process_chunk" in ran  # the documents were parsed on the cluster
    assert "corpus_step" in ran  # and the corpus stage's steps ran there
    names = sorted(p.name for p in local.iterdir() if p.name != "manifest.json")
    assert names == sorted(p.name for p in on_dask.iterdir() if p.name != "manifest.json")
    for name in names:
        assert (local / name).read_bytes() == (on_dask / name).read_bytes(), name


def test_a_local_cluster_has_the_workers_asked_for_and_keeps_the_order(tmp_path: Path) -> None:
    with dask_workers("local", 2) as workers:
        assert workers.count == 2
        assert workers.map_shared(lambda shared, item: shared + item, 10, [3, 1, 2], tmp_path) == [13, 11, 12]
        assert list(workers.executor.map(abs, [-2, 1, -3])) == [2, 1, 3]
