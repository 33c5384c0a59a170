"""CLI entry: ``python -m pipeline run [--input DIR|ARCHIVE|FILE.jsonl|URL] [--output DIR]`` and ``publish --version V``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, cast

from pipeline.orchestrate.settings import configure_prefect
from pipeline.run.batch import DEFAULT_BATCH_SIZE, DEFAULT_DOC_TIMEOUT


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the Prefect flow: documents in, validated datasets out")
    run.add_argument(
        "--input",
        default="seeds",
        help="folder of documents, or a .zip, .tar, .tar.gz, .tgz or .jsonl file; a path or an fsspec URL (default: seeds)",
    )
    run.add_argument("--output", default="output", help="folder for the datasets (default: output)")
    run.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help=f"documents per Prefect task (default: {DEFAULT_BATCH_SIZE})",
    )
    run.add_argument(
        "--max-bytes",
        type=int,
        default=16 * 1024 * 1024,
        help="larger files are rejected as too-large (default: 16 MiB)",
    )
    run.add_argument(
        "--doc-timeout",
        type=float,
        default=DEFAULT_DOC_TIMEOUT,
        help=f"seconds one document may take; a slower one is rejected as timeout (default: {DEFAULT_DOC_TIMEOUT:g})",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes of the run, or of --dask local (default: cores, max 4)",
    )
    run.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS",
        help="run the per-document work and the corpus stage's steps on the dask.distributed scheduler at "
        "ADDRESS (tcp://host:8786), or on a LocalCluster started here with 'local'",
    )
    run.add_argument(
        "--cache", default=".pipeline-cache", help="per-document cache (default: .pipeline-cache)"
    )
    run.add_argument("--full", action="store_true", help="ignore the caches: parse every document again")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="read links that lead out of the input folder (by default they are rejected as outside-input)",
    )
    run.add_argument(
        "--wait", action="store_true", help="if another run is writing the output, wait for it instead of failing"
    )
    serve = commands.add_parser("serve", help="serve the flow as a Prefect deployment on a schedule")
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='cron schedule, e.g. "0 3 * * *"')
    when.add_argument("--interval", type=float, help="seconds between runs")
    serve.add_argument(
        "--input", default="seeds", help="folder, archive or JSON Lines file, as for run (default: seeds)"
    )
    serve.add_argument("--output", default="output", help="folder for the datasets (default: output)")
    serve.add_argument("--name", default="nightly", help="deployment name (default: nightly)")
    publish = commands.add_parser("publish", help="turn an output folder into an immutable release folder")
    publish.add_argument("--version", required=True, help="release version, the folder's name (e.g. 1.0.0)")
    publish.add_argument("--from", dest="source", default="output", help="output folder (default: output)")
    publish.add_argument(
        "--to", dest="releases", default="releases", help="releases folder (default: releases)"
    )
    publish.add_argument("--licence", default=None, help="licence: SPDX id or URL (default: CC-BY-SA-4.0)")
    commands.add_parser("codes", help="print every code the pipeline writes, by family, as markdown tables")
    return parser.parse_args(argv)


def publish_command(args: argparse.Namespace) -> int:
    """Write releases/<version>/ (no Prefect involved); a refusal is an error message and exit code 1."""
    from pathlib import Path

    from pipeline.release.datapackage import LICENCE
    from pipeline.release.publish import PublishError, publish

    try:
        release = publish(args.version, Path(args.source), Path(args.releases), args.licence or LICENCE)
    except PublishError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    since = f"changes since {release.previous}" if release.previous else "first release"
    print(f"published {release.path}/ ({len(release.files)} files; CHANGES.md: {since})")
    return 0


def run_command(args: argparse.Namespace) -> int:
    from pipeline.present.summary import render
    from pipeline.run.containers import InputError, input_problem

    problem = input_problem(args.input)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from pathlib import Path

    from pipeline.output.write import output_problem

    problem = output_problem(Path(args.output))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from pipeline.run.ownership import Busy, owned
    from pipeline.run.watchdog import guarded

    try:
        # refused at once, before Prefect's server starts; its workers and server die with the run
        with owned(Path(args.output), wait=args.wait), guarded():
            summary = _run_flow(args)
    except Busy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 3
    except InputError as error:  # the input changed between the check above and the flow's look at it
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2, ensure_ascii=False) if args.json else render(summary))
    if summary.get("unchanged"):
        print(
            f"{args.output}/ is current: inputs and pipeline unchanged since it was written (--full rebuilds)"
        )
    else:
        print(f"wrote {args.output}/ (manifest.json lists every file with its sha256)")
    return 0


def _run_flow(args: argparse.Namespace) -> dict[str, Any]:
    from pipeline.orchestrate.flow import build_datasets

    return cast(
        dict[str, Any],
        build_datasets(
            input_dir=args.input,
            output_dir=args.output,
            batch_size=args.batch_size,
            max_bytes=args.max_bytes,
            doc_timeout=args.doc_timeout,
            follow_symlinks=args.follow_symlinks,
            workers=args.workers,
            dask=args.dask,
            cache_dir=None if args.full else args.cache,
            show_progress=True,
            wait=args.wait,
        ),
    )


def serve_command(args: argparse.Namespace) -> int:
    from pipeline.orchestrate.schedule import serve_deployment

    if not os.environ.get("PREFECT_API_URL"):
        print(
            "error: scheduled runs need a Prefect server (the embedded one cannot schedule).\n"
            "  start one:  PREFECT_SERVER_UI_ENABLED=false prefect server start --host 127.0.0.1 &\n"
            "  then:       PREFECT_API_URL=http://127.0.0.1:4200/api python -m pipeline serve ...",
            file=sys.stderr,
        )
        return 2
    serve_deployment(args.name, args.input, args.output, cron=args.cron, interval=args.interval)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "publish":
        return publish_command(args)
    if args.command == "codes":
        from pipeline.codes import code_tables

        print(code_tables(), end="")
        return 0
    configure_prefect()
    return {"run": run_command, "serve": serve_command}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
