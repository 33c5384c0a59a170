"""Benchmark: documents per second and peak memory of the pipeline, rerunnable.

    .venv/bin/python benchmarks/bench_pipeline.py --docs 2000 [--workers 2] [--batch-size 500] [--flow [--pairs N]] [--no-core] [--no-memory]

Builds a corpus of ``--docs`` documents from the seeds with invented subjects (surnames
from 64,000, given names, years; the native names in Cyrillic follow the subject's; the persons
the glosses name recur, as famous people do), so no two files share bytes, then times

- ``core``: the whole per-document pass, one process, in the chunks a worker takes
  (``pipeline.run.batch.process_chunk``: read, parse, every row, name run and draft persons row,
  stacked as Arrow tables);
- ``staged``: the flow's stages without Prefect (``pipeline.run.batch.run_local``):
  batches of ``--batch-size`` on ``--workers`` processes, staged on disk, then the
  corpus stage, validation and writing, batch by batch; docs/s end to end and per
  stage (parse, corpus, validate + write);
- ``flow`` (with ``--flow``): the real Prefect flow, timed after a trivial flow has started
  the embedded server, so the figure is the flow's own cost over the staged run (the server's
  start is printed apart); ``--pairs N`` times the two in turn N times and prints the flow's
  cost pair by pair and its median, as the machine's speed drifts between runs.

``staged`` and ``flow`` each run in a fresh Python process, as a user runs one or the other.
Peak memory is the largest sum of the PSS (shared pages counted once) of that process and every
process it started (pool workers, Prefect's server), sampled from this process
(``benchmarks/memory.py``), printed with when it came (the stage of a staged run) and how it
splits between the run's own process and the others; ``benchmarks/bench_memory.py`` runs this at
growing corpus sizes.
Sampling slows the flow's run more than the staged one, so the flow's own cost is read from a
run with ``--no-memory``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from pipeline.run.batch import DEFAULT_BATCH_SIZE, chunk_size, plan_inputs, process_chunk, run_local
from pipeline.run.sources import list_inputs

try:
    from benchmarks.memory import PeakMemory
except ImportError:  # run as a script from benchmarks/
    from memory import PeakMemory  # type: ignore[no-redef]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GIVEN = {  # Latin: the Cyrillic the seeds' native names are written in
    "Ivan": "Иван",
    "Pyotr": "Пётр",
    "Anna": "Анна",
    "Olga": "Ольга",
    "Mikhail": "Михаил",
    "Yelena": "Елена",
    "Boris": "Борис",
    "Sofia": "София",
    "Grigory": "Григорий",
    "Vera": "Вера",
}
SYLLABLES = [
    ("ba", "ба"),
    ("ko", "ко"),
    ("ra", "ра"),
    ("vin", "вин"),
    ("sel", "сел"),
    ("mor", "мор"),
    ("ta", "та"),
    ("pel", "пел"),
    ("dru", "дру"),
    ("ni", "ни"),
    ("zha", "жа"),
    ("lov", "лов"),
    ("gor", "гор"),
    ("shen", "шен"),
    ("tu", "ту"),
    ("mi", "ми"),
    ("bek", "бек"),
    ("dan", "дан"),
    ("ost", "ост"),
    ("rud", "руд"),
]
SURNAME_ENDINGS = [
    ("ov", "ов"),
    ("ova", "ова"),
    ("in", "ин"),
    ("ina", "ина"),
    ("sky", "ский"),
    ("enko", "енко"),
    ("ich", "ич"),
    ("ek", "ек"),
]
SUBJECTS = [  # each seed subject's surname and given name, in Latin and in Cyrillic (None: not written so)
    (("Eitingon", "Эйтингон"), ("Nahum", "Наум")),
    (("Lyushkov", "Люшков"), ("Genrikh", "Генрих")),
    (("Spigelglas", None), ("Sergey", None)),
]


def surname(rng: random.Random) -> tuple[str, str]:
    """One of 64,000 invented surnames, in Latin and in Cyrillic: a corpus of biographies is about
    many different people."""
    parts = [rng.choice(SYLLABLES) for _ in range(3)] + [rng.choice(SURNAME_ENDINGS)]
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts).capitalize()


def make_corpus(folder: Path, n_docs: int, seed: int = 7) -> None:
    """Seeds with invented subjects (surnames and given names, in Latin and in the native names' Cyrillic;
    years); the persons their glosses name recur."""
    rng = random.Random(seed)
    born = random.Random(
        seed + 1
    )  # the third seed's birth year: a stream of its own leaves the draws above as they were
    templates = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n_docs):
        text = templates[i % len(templates)]
        for (old, old_native), _ in SUBJECTS:
            latin, native = surname(rng)
            text = text.replace(old, latin)
            text = text.replace(old_native, native) if old_native else text
        for _, (old, old_native) in SUBJECTS:
            given = rng.choice(list(GIVEN))
            text = text.replace(old, given)
            text = text.replace(old_native, GIVEN[given]) if old_native else text
        text = text.replace("1899", str(1850 + rng.randrange(80))).replace(
            "1900", str(1850 + rng.randrange(80))
        )
        text = text.replace("1897", str(1850 + born.randrange(80)))
        text += f"\n\nVariant {i}.\n"
        (folder / f"doc_{i:06d}.txt").write_text(text, encoding="utf-8")


def _timed_side(side: str, corpus: Path, out: Path, batch_size: int, workers: int) -> dict[str, Any]:
    """One timed run in this process: the staged run (``run_local``) or the real flow after a
    trivial flow has started Prefect's embedded server (timed apart)."""
    if side == "staged":
        started = time.perf_counter()
        manifest = run_local(corpus, out, out.parent / f"{out.name}.stage", batch_size, workers)
        seconds = time.perf_counter() - started
        rows = sum(info["rows"] for info in manifest["tables"].values())
        return {"seconds": seconds, "rows": rows, "stage_seconds": manifest["stage_seconds"]}
    from pipeline.orchestrate.settings import configure_prefect

    configure_prefect()
    from prefect import flow as prefect_flow

    from pipeline.orchestrate.flow import build_datasets

    started = time.perf_counter()
    prefect_flow(name="bench-server-start")(lambda: None)()  # the embedded server starts here
    server = time.perf_counter() - started
    build_datasets(
        input_dir=str(corpus), output_dir=str(out), batch_size=batch_size, workers=workers, cache_dir=None
    )
    return {"seconds": time.perf_counter() - started - server, "server_start_s": server}


def _one_side(side: str, corpus: Path, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    """``_timed_side`` in a fresh Python process, its peak memory sampled from this process (a
    sampler thread inside the run would take its interpreter's lock every 50 ms) unless
    ``--no-memory``: reading every process's PSS walks its page tables, and the flow's run
    measured slower sampled than not (8,000 documents: +8 % against −8 % over the staged run)."""
    command = [sys.executable, __file__, "--side", side, "--corpus", str(corpus), "--out", str(tmp / side)]
    command += ["--workers", str(args.workers), "--batch-size", str(args.batch_size)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    with nullcontext() if args.no_memory else PeakMemory(interval=0.25, root=child.pid) as memory:
        stdout, _ = child.communicate()
    lifetime = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"the {side} run failed (exit code {child.returncode})")
    figures = dict(json.loads(stdout.strip().splitlines()[-1]))
    if memory is None:
        return figures | {"peak_mb": None}
    at = memory.peak_at - (lifetime - figures["seconds"])  # the process's start-up (imports) taken off
    where = f"{max(at, 0):.0f} s into the run{_stage_at(at, figures)}: {memory.split_text()}"
    return figures | {"peak_mb": memory.mb, "peak_where": where}


def _stage_at(seconds: float, figures: dict[str, Any]) -> str:
    """``, in the corpus stage``: the stage running ``seconds`` into the run (the staged run's
    stages; nothing for the flow)."""
    elapsed = 0.0
    for stage, took in figures.get("stage_seconds", {}).items():
        elapsed += took
        if seconds <= elapsed:
            return f", in the {stage} stage"
    return ""


def _peak(side: dict[str, Any]) -> str:
    if side["peak_mb"] is None:
        return "not sampled (--no-memory)"
    return f"{side['peak_mb']:.0f} MB ({side['peak_where']})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--flow", action="store_true", help="also time the real Prefect flow")
    parser.add_argument(
        "--pairs", type=int, default=1, help="with --flow: time the staged run and the flow this many times in turn"
    )
    parser.add_argument("--no-core", action="store_true", help="skip the one-process core timing")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line too")
    parser.add_argument(
        "--no-memory", action="store_true", help="time the runs without sampling their memory"
    )
    parser.add_argument("--side", choices=["staged", "flow"], help=argparse.SUPPRESS)  # see _one_side
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        print(json.dumps(_timed_side(args.side, args.corpus, args.out, args.batch_size, args.workers)))
        return
    figures: dict[str, float | None] = {"docs": args.docs}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        paths = list_inputs(corpus)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} documents, {size_mb:.1f} MB")
        if not args.no_core:
            files = plan_inputs(paths, corpus)
            size = chunk_size(args.batch_size, args.workers)
            started = time.perf_counter()
            for start in range(0, len(files), size):
                process_chunk(files[start : start + size], corpus, 1 << 24, None, None)
            figures["core_docs_s"] = len(paths) / (time.perf_counter() - started)
            print(f"core (1 process, rows included): {figures['core_docs_s']:8.0f} docs/s")
        staged_side = _one_side("staged", corpus, Path(tmp), args)
        staged, rows = staged_side["seconds"], staged_side["rows"]
        figures |= {
            "staged_s": staged,
            "staged_docs_s": len(paths) / staged,
            "rows": rows,
            "peak_rss_mb": staged_side["peak_mb"],
        }
        print(
            f"staged ({args.workers} workers, batches of {args.batch_size}): {len(paths) / staged:8.0f} docs/s"
            f" ({staged:.1f} s, {rows} rows), peak memory (PSS) of all processes {_peak(staged_side)}"
        )
        for stage, seconds in staged_side["stage_seconds"].items():
            figures[f"{stage}_s"] = seconds
            print(f"  {stage:<15} {len(paths) / seconds:8.0f} docs/s ({seconds:.1f} s)")
        if args.flow:
            flow_side = _one_side("flow", corpus, Path(tmp), args)
            flow, server = flow_side["seconds"], flow_side["server_start_s"]
            figures |= {
                "server_start_s": server,
                "flow_s": flow,
                "flow_docs_s": len(paths) / flow,
                "flow_cost": flow / staged - 1,
                "flow_peak_rss_mb": flow_side["peak_mb"],
            }
            print(
                f"Prefect flow, its server already up: {len(paths) / flow:8.0f} docs/s ({flow:.1f} s; the server's"
                f" start before it, a trivial flow: {server:.1f} s), peak memory (PSS) of all processes"
                f" {_peak(flow_side)}"
            )
            print(f"  the flow's own cost over the staged run: {flow / staged - 1:+.1%}")
            costs = [flow / staged - 1]
            for _ in range(args.pairs - 1):  # more pairs, each side in turn: the machine drifts
                pair_staged = _one_side("staged", corpus, Path(tmp), args)["seconds"]
                costs.append(_one_side("flow", corpus, Path(tmp), args)["seconds"] / pair_staged - 1)
            if len(costs) > 1:
                figures["flow_cost_median"] = statistics.median(costs)
                listed = ", ".join(f"{c:+.1%}" for c in costs)
                print(f"  pair by pair: {listed}; median {statistics.median(costs):+.1%}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
