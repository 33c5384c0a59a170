"""Benchmark: the per-document pass on hostile inputs of growing size must take linear time.

    .venv/bin/python benchmarks/bench_hostile.py [--sizes 10000 100000 1000000] [--cap 120]
        [--families parens digits ...] [--layouts plain wiki_markup ...]

Each input family (one long line of ``(``/``)``, of ``[[``/``]]``, of ``''``, glued
dates, capitalised words with no verb, anchor + gloss pairs repeated, one huge
paragraph, deep nesting, …) is built at every size (characters of hostile text) and
set inside a small document of each layout (``plain``: the text alone; the others: the
text inside a lead, a section or a gloss of that layout), then run through
``pipeline.core.run_document`` (the whole per-document pass, rows included) in a
child process killed after ``--cap`` seconds (larger sizes of that family are then
skipped). The table gives seconds per size and the ratio between consecutive sizes:
for sizes ×10 apart it should stay near 10; a ratio above ``--flag`` (default 20) is
flagged as super-linear, and so is a run over the cap.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from multiprocessing.connection import Connection

from pipeline.core import run_document
from pipeline.run.sources import source_from_bytes


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


_WORDS = (
    "Alpha",
    "Boris",
    "Carpathian",
    "Dmitri",
    "Empire",
    "Fyodor",
    "Grand",
    "Hrodna",
    "Imperial",
    "Jewish",
)
_SENTENCE = (
    "In 1907 he moved to Odessa, where he joined the party and worked as a clerk in the town of Mosty, "
    "and on 3 May 1911 he was arrested by the police of the Russian Empire. "
)
_PAIR = (
    "Odessa\nOdessa is the third most populous city and municipality in Ukraine and a major seaside "
    "resort and port ...\n, where he lived.\n"
)

FAMILIES: dict[str, Callable[[int], str]] = {
    "parens": lambda n: "(" * (2 * n // 3) + ")" * (n - 2 * n // 3),
    "brackets": lambda n: "[[" * (n // 3) + "]]" * (n // 6),
    "quotes": lambda n: _repeat("''", n),
    "braces": lambda n: "{{" * (n // 3) + "}}" * (n // 6),
    "pipes": lambda n: _repeat("|", n),
    "stars": lambda n: _repeat("**", n),
    "digits": lambda n: _repeat("1893281893", n),
    "glued-dates": lambda n: _repeat("1 May 189328 December 1936", n),
    "capitals": lambda n: " ".join(_WORDS[(i * 7) % len(_WORDS)] for i in range(n // 7))[:n],
    "ellipses": lambda n: _repeat("...", n),
    "dots-words": lambda n: _repeat("Ann ... ", n),
    "gloss-pairs": lambda n: _repeat(_PAIR, n),
    "short-lines": lambda n: _repeat("Ann\nBo\n", n),
    "paragraph": lambda n: _repeat(_SENTENCE, n),
    "nesting": lambda n: "([[{{" * (n // 10) + "}}]])" * (n // 10),
    "link-nesting": lambda n: "[[a|" * (n // 6) + "]]" * (n // 6),
    "box-rows": lambda n: _repeat("Born | 1 May 1893 |\n", n),
    "headings": lambda n: _repeat("\n== Life ==\nHe wrote.\n", n),
    "bullets": lambda n: _repeat("\n- Born: 1 May 1893", n),
    "links": lambda n: "".join(f"[[Ivan Petrov{i}|Ivan P{i}]] " for i in range(n // 28))[:n],
    "names": lambda n: "".join(
        f"His brother Ivan Petrov{i} (1890 – 1940) was a poet. " for i in range(n // 50)
    )[:n],
}

_LEAD = "Ann Smith (1 May 1893 – 28 December 1936) was a Russian poet and translator."
LAYOUTS: dict[str, Callable[[str], str]] = {
    "plain": lambda h: h,
    "wiki_markup": lambda h: (
        f"= Ann Smith =\n\nAnn Smith\n- Born: 1 May 1893\n- Died: 28 December 1936\n\n{_LEAD} {h}\n\n"
        f"== Life ==\n{h}\n\n[[Category:1893 births]]\n"
    ),
    "wiki_fragment": lambda h: (
        f"{_LEAD[:-1]} in the\nSoviet\nThe Soviet Union was a transcontinental country that spanned much "
        f"of Eurasia from 1922 ...\nforeign service. {h}\n\nEarly life\n{h}\n1893 births\n1936 deaths\n"
    ),
    "rendered_page": lambda h: (
        f"Ann Smith Explained\nBorn | 1 May 1893 |\nDied | 28 December 1936 |\n\n**Ann Smith** (1 May 1893 – "
        f"28 December 1936) was a Russian poet. {h}\n\nLife[edit]\n{h}\nRetrieved from the archive\n"
    ),
}


def _run(text: str, conn: Connection) -> None:
    source = source_from_bytes("hostile.txt", text.encode())
    start = time.perf_counter()
    run_document(source)
    conn.send(time.perf_counter() - start)


def measure(text: str, cap: float) -> float | None:
    """Seconds for one document in a child process, or None when it ran past ``cap``."""
    parent, child = mp.Pipe(duplex=False)
    proc = mp.get_context("fork").Process(target=_run, args=(text, child))
    proc.start()
    child.close()
    try:
        seconds = parent.recv() if parent.poll(cap) else None
    except EOFError:  # the child raised: a bug, shown on stderr
        seconds = float("nan")
    proc.kill()
    proc.join()
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--cap", type=float, default=120.0, help="seconds before a run is killed")
    ap.add_argument("--flag", type=float, default=20.0, help="ratio between consecutive sizes to flag")
    ap.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    ap.add_argument("--layouts", nargs="+", default=list(LAYOUTS), choices=list(LAYOUTS))
    args = ap.parse_args()
    sizes = sorted(args.sizes)
    header = f"{'family':<13}{'layout':<15}" + "".join(f"{n:>11,}" for n in sizes) + "   ratios"
    print(header, flush=True)
    flagged = []
    for family in args.families:
        for layout in args.layouts:
            times: list[float | None] = []
            for n in sizes:
                if times and times[-1] is None:
                    times.append(None)
                    continue
                times.append(measure(LAYOUTS[layout](FAMILIES[family](n)), args.cap))
            ratios = []
            for (a, b), (m, n) in zip(pairwise(times), pairwise(sizes), strict=True):
                if a is None or b is None:
                    continue
                ratio = b / max(a, 0.01)  # below 10 ms a time is mostly noise
                ratios.append(ratio)
                if ratio > args.flag * (n / m) / 10:
                    flagged.append(f"{family}/{layout} {m:,}→{n:,}: ×{ratio:.0f}")
            if any(t is None for t in times):
                flagged.append(f"{family}/{layout}: over the {args.cap:.0f} s cap")
            cells = "".join(f"{t:>10.2f}s" if t is not None else f"{'>cap':>11}" for t in times)
            print(f"{family:<13}{layout:<15}{cells}   " + " ".join(f"×{r:.1f}" for r in ratios), flush=True)
    print()
    print("super-linear: " + ("; ".join(flagged) if flagged else "none"))
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
