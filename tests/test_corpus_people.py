"""People across the seeds: identities, mentions, person links and events as the pipeline writes them."""

from __future__ import annotations

import random
import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.events import extract_events
from pipeline.extract.mentions import (
    _RUN_WORD,
    PARTICLES,
    NameRun,
    _clean_token,
    _raw_runs,
    _word_before,
    name_runs,
)
from pipeline.extract.textmap import Stream, build_stream
from pipeline.formats import wiki_markup
from pipeline.identity import runs
from pipeline.identity.runs import NAME_RUN_SCHEMA
from pipeline.output.validate import validate_all
from pipeline.records import Span
from pipeline.run.batch import assemble, run_batch
from pipeline.tables import PERSON_DRAFT_SCHEMA, preferred_views
from schemas import frame_from_rows
from tests.fuzzdocs import base_texts, fuzz_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tables(seed_paths: list[Path]) -> dict[str, pd.DataFrame]:
    return validate_all(
        assemble([run_batch([str(p) for p in seed_paths], str(seed_paths[0].parent), 1 << 24)])
    )


def _events(tables: dict[str, pd.DataFrame], person_id: str) -> set[tuple[str, str, str | None]]:
    ev = tables["events"][tables["events"]["person_id"] == person_id]
    return {(r.type, r.date, None if pd.isna(r.end_date) else r.end_date) for r in ev.itertuples()}


def test_one_identity_per_person_across_documents(tables: dict[str, pd.DataFrame]) -> None:
    persons = tables["persons"].set_index("person_id")
    n_docs = persons["n_docs"].to_dict()
    for person_id in (
        "lavrentiy-pavlovich-beria",
        "pavel-anatolyevich-sudoplatov",
        "abram-aronovich-slutsky",
        "alexander-orlov",
        "richard-sorge",
        "leon-trotsky",
        "yevgeny-miller",
    ):
        assert n_docs[person_id] >= 2, person_id
    assert not any("miller" in p for p in persons.index if p != "yevgeny-miller")
    assert not any(p.startswith("lavrenti") for p in persons.index if p != "lavrentiy-pavlovich-beria")


def test_namesakes_stay_apart(tables: dict[str, pd.DataFrame]) -> None:
    ids = set(tables["persons"]["person_id"])
    assert {"nahum-eitingon", "max-eitingon", "isaak-faivelovich-eitingon"} <= ids
    matches = tables["person_matches"]
    assert not set(matches["person_id"]) & {"nahum-eitingon", "max-eitingon", "isaak-faivelovich-eitingon"}


def test_every_merge_is_explained(tables: dict[str, pd.DataFrame]) -> None:
    matches = tables["person_matches"]
    miller = matches[matches["person_id"] == "yevgeny-miller"].iloc[0]
    assert miller["merged_name"] == "Evgenii Miller" and miller["rule"] == "romanisation-key"
    assert "evgeni miler" in miller["evidence"]
    merged_ids = set(matches["person_id"])
    multi = tables["persons"][tables["persons"]["n_docs"] > 1]
    assert merged_ids <= set(multi["person_id"])


def test_mentions_resolve_links_names_and_surnames(tables: dict[str, pd.DataFrame]) -> None:
    mentions = tables["mentions"]
    methods = set(mentions["method"])
    assert {"link", "name-match", "subject-surname", "surname-in-doc", "gloss-name-match"} <= methods
    beria = mentions[mentions["person_id"] == "lavrentiy-pavlovich-beria"]
    assert {"Lavrenti Beria", "Lavrentiy Beria", "Beria"} <= set(beria["surface"])
    eitingon = mentions[(mentions["surface"] == "Eitingon")]
    assert set(eitingon["person_id"]) == {"nahum-eitingon"}


def test_person_links_load_into_duckdb(tables: dict[str, pd.DataFrame]) -> None:
    import duckdb

    edges = tables["person_links"]
    got = duckdb.sql("select count(*) from edges where source_person_id = 'nahum-eitingon'").fetchall()[0][0]
    assert got >= 10
    assert not (edges["source_person_id"] == edges["target_person_id"]).any()


def test_seed_subject_events(tables: dict[str, pd.DataFrame]) -> None:
    assert {
        ("joined", "1920-05-10", None),
        ("graduated", "1924", None),
        ("arrested", "1951-10", None),
        ("sentenced", "1957-11", None),
        ("released", "1964", None),
        ("rehabilitated", "1992", None),
    } <= _events(tables, "nahum-eitingon")
    ev = tables["events"]
    sentenced = ev[(ev["person_id"] == "nahum-eitingon") & (ev["type"] == "sentenced")].iloc[0]
    assert sentenced["detail"] == "12 years in prison" and bool(sentenced["date_inherited"])
    assert ("other", "1938-02", "1938-06") in _events(tables, "sergey-spigelglas")
    assert {
        ("arrested", "1938-11-02", None),
        ("executed", "1941-01-29", None),
        ("rehabilitated", "1991", None),
    } <= _events(tables, "sergey-spigelglas")
    assert {("birth", "1900", None), ("defected", "1938-06-13", None)} <= _events(tables, "genrikh-lyushkov")


def test_gloss_dates_never_become_events(tables: dict[str, pd.DataFrame]) -> None:
    ev = tables["events"]
    spigelglas = ev[ev["person_id"] == "sergey-spigelglas"]
    for gloss_date in ("1900-03-12", "1929-11-03", "1953-12-23", "1895-05-01", "1938-05-23"):
        assert gloss_date not in set(spigelglas["date"])
    assert set(ev["person_id"]) <= set(tables["documents"]["subject_id"].dropna())


def test_gloss_persons_keep_gloss_dates(tables: dict[str, pd.DataFrame]) -> None:
    persons = tables["persons"].set_index("person_id")
    assert persons.loc["abram-aronovich-slutsky", "birth_date"] == "1898-07"
    assert persons.loc["abram-aronovich-slutsky", "death_date"] == "1938-02-17"
    assert pd.isna(persons.loc["nadezhda-vasilievna-plevitskaya", "birth_date"])
    assert pd.isna(persons.loc["nadezhda-vasilievna-plevitskaya", "death_date"])


def test_unknown_person_in_a_new_table_is_quarantined(tables: dict[str, pd.DataFrame]) -> None:
    bad = frame_from_rows(
        "mentions",
        [
            {
                "doc_id": tables["documents"]["doc_id"].iloc[0],
                "person_id": "nobody",
                "surface": "Nobody",
                "method": "name-match",
                "char_start": 0,
                "char_end": 6,
            }
        ],
    )
    out = validate_all({**tables, "mentions": pd.concat([tables["mentions"], bad], ignore_index=True)})
    assert "nobody" not in set(out["mentions"]["person_id"])
    assert "unknown-person-id" in set(out["quarantine"]["reason_code"])


DOC = "= Ivan Petrov =\n\n{body}\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Petrov joined the Red Army on 3 May 1919. He was arrested in March 1937.",
            {("joined", "1919-05-03"), ("arrested", "1937-03")},
        ),
        (
            "In 1940 the court sentenced him to 10 years. He was released in 1954.",
            {("sentenced", "1940"), ("released", "1954")},
        ),
        ("His brother was arrested in 1937.", set()),
        ("Stalin had Petrov executed on 2 June 1938.", {("executed", "1938-06-02")}),
        ("Petrov wrote ''The Year 1905'' in prison.", set()),
        (
            "Petrov was promoted to colonel in 1935, and he married Anna in 1936.",
            {("promoted", "1935"), ("married", "1936")},
        ),
    ],
)
def test_event_cases(body: str, expected: set[tuple[str, str]]) -> None:
    source = DOC.format(body=body)
    parsed = wiki_markup.parse(source)
    got = {(e.type, e.date.value.edtf) for e in extract_events(parsed, source, ["Ivan Petrov"])}
    assert got == expected


@pytest.mark.parametrize(
    ("body", "surface", "cue"),
    [
        ("He met General Evgenii Miller there.", "Evgenii Miller", "title"),
        ("He met the defector Georges Agabekov there.", "Georges Agabekov", "role"),
        ("His father, Isaak Faivelovich Petrov, was a clerk.", "Isaak Faivelovich Petrov", "kin"),
        ("He met Yevgeny Kiselyov there.", "Yevgeny Kiselyov", None),
        ("After Stalin's death he left.", "Stalin", None),
    ],
)
def test_name_run_cases(body: str, surface: str, cue: str | None) -> None:
    source = DOC.format(body=body)
    parsed = wiki_markup.parse(source)
    runs = {r.surface: r for r in name_runs(parsed, source, (), ["Ivan Petrov", "Stalin"])}
    assert surface in runs and runs[surface].cue == cue
    r = runs[surface]
    assert " ".join(source[r.span.start : r.span.end].split()) == surface


def test_a_name_run_holds_the_name_run_columns_in_their_order() -> None:
    # name_run_table transposes runs into columns by position
    assert ("doc_id", *NameRun._fields) == tuple(NAME_RUN_SCHEMA.names)


def test_name_runs_repeated_names_keep_their_own_spans_and_cues() -> None:
    # the per-word caches hold no offsets; one-token runs are placed in the source only when kept
    body = "General Ivan Orlov met Ivan Orlov's son. Later the defector Ivan Orlov fled, and Orlov hid with Kuzmin."
    source = DOC.format(body=body)
    runs = name_runs(wiki_markup.parse(source), source, (), ["Ivan Petrov"])
    assert [(r.surface, r.cue) for r in runs] == [
        ("Ivan Orlov", "title"),
        ("Ivan Orlov", None),
        ("Ivan Orlov", "role"),
        ("Orlov", None),
    ]
    assert len({r.span for r in runs}) == 4
    assert all(source[r.span.start : r.span.end] == r.surface for r in runs)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.,'\u2019 \t\n\x1c\u00a0\u2028", max_size=40))
def test_word_before_is_the_last_word_followed_by_whitespace(text: str) -> None:
    found = regex.search(r"(\S+)\s+$", text[-30:])  # the plain definition, searched from the left
    assert _word_before(text, len(text)) == (found.group(1) if found else "")


_ANY_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’′\-]*(?:\.(?=\s|$))?")


def test_the_run_words_are_every_word_but_the_lower_case_ones() -> None:
    """``_RUN_WORD`` finds what a scan of every word keeps, at the same offsets, on the seeds, the
    invented documents, fuzzed documents and a line of edge cases (marks, quotes, particles)."""
    folders = (ROOT / "seeds", ROOT / "tests" / "cases" / "variations", ROOT / "tests" / "cases" / "gate")
    texts = [
        p.read_text(encoding="utf-8", errors="replace") for d in folders for p in sorted(d.glob("*.txt"))
    ]
    rng = random.Random(11)
    texts += [fuzz_document(rng, base_texts()) for _ in range(60)]
    texts.append("'Abc -Def ‘Ghi de della del. deX x.Y ªbc ʰa e\u0301Abc \u0301Abc 3Abc _Abc a'B a-B von Le")
    for text in texts:
        every = [
            (m.start(), m.group())
            for m in _ANY_WORD.finditer(text)
            if not (unicodedata.category(m.group()[0]) == "Ll" and m.group() not in PARTICLES)
        ]
        assert [(m.start(), m.group()) for m in _RUN_WORD.finditer(text)] == every


def _segment(stream: Stream, i: int) -> int:
    return max(0, sum(1 for s in stream.starts if s <= i) - 1)


def _runs_by_definition(stream: Stream) -> list[list[tuple[str, int, int, bool]]]:
    """Runs as first written: a token joins the run when the gap before it is whitespace and it lies
    in the copied segment of the run's last token's start (a segment search per token)."""
    runs, run = [], []
    text = stream.text
    for m in _RUN_WORD.finditer(text):
        raw = m.group(0)
        if raw[0].islower() and raw not in PARTICLES:
            if run:
                runs.append(run)
                run = []
            continue
        token, possessive, stop, name_like = _clean_token(raw)
        if not token:
            continue
        start, end = m.start(), m.start() + len(token)
        if (
            run
            and not run[-1][3]
            and (name_like or token in PARTICLES)
            and not text[run[-1][2] : start].strip()
            and _segment(stream, run[-1][1]) == _segment(stream, end - 1)
        ):
            run.append((token, start, end, possessive or stop))
            continue
        if run:
            runs.append(run)
        run = [(token, start, end, possessive or stop)] if name_like else []
    if run:
        runs.append(run)
    return runs


_RUN_PIECES = [
    "Ivan",
    "Orlov",
    "de",
    "la",
    "von",
    "M.",
    "Gen.",
    "Orlov's",
    "Paris.",
    "met",
    " ",
    "  ",
    ", ",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_RUN_PIECES), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 30)), max_size=6),
)
def test_runs_stay_in_one_copied_segment_of_the_stream(
    pieces: list[str], cuts: list[tuple[int, int]]
) -> None:
    """``_raw_runs`` finds the runs of the definition (a segment search per token) on streams of many
    segments: pieces of a source with debris between them, each replaced by one space."""
    words = [p if p.strip() in ("", ",") else p + " " for p in pieces]
    source = "".join(words)
    spans, at = [], 0
    for gap_at, length in sorted(cuts):
        if gap_at > at and gap_at < len(source):
            spans.append(Span(at, gap_at))
            at = min(len(source), gap_at + 1 + length)
    spans.append(Span(at, len(source)))
    debris = "".join(c if any(s.start <= i < s.end for s in spans) else "#" for i, c in enumerate(source))
    stream = build_stream(debris, spans)
    assert [list(r) for r in _raw_runs(stream)] == _runs_by_definition(stream)


_DRAFT = st.fixed_dictionaries(
    {
        "person_id": st.sampled_from(["a", "b", "c"]),
        "doc_id": st.sampled_from(["0" * 16, "1" * 16, "2" * 16]),
        "is_subject": st.booleans(),
        "prose": st.booleans(),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_DRAFT, max_size=12), st.lists(st.integers(0, 12), max_size=3))
def test_preferred_views_are_the_preferred_row_of_each_person_batch_by_batch_or_at_once(
    drafts: list[dict[str, object]], cuts: list[int]
) -> None:
    rows = [draft | {"name": f"view {n}"} for n, draft in enumerate(drafts)]  # which row won
    table = pa.Table.from_pylist(rows, schema=PERSON_DRAFT_SCHEMA)
    expected = {}
    for person_id in {r["person_id"] for r in rows}:
        group = [r for r in rows if r["person_id"] == person_id]
        best = sorted(group, key=lambda r: (not r["is_subject"], r["prose"], r["doc_id"]))[0]  # stable
        expected[person_id] = (best["name"], any(r["is_subject"] for r in group))

    def found(views: pa.Table) -> dict[object, tuple[object, object]]:
        return {r["person_id"]: (r["name"], r["is_subject"]) for r in views.to_pylist()}

    assert found(preferred_views(table)) == expected
    bounds = [0, *sorted(min(cut, len(rows)) for cut in cuts), len(rows)]
    parts = [preferred_views(table.slice(a, b - a)) for a, b in pairwise(bounds)]  # batch by batch
    assert found(preferred_views(pa.concat_tables(parts))) == expected
    assert preferred_views(table).num_rows == len(expected)


def test_a_full_memo_of_cuts_is_emptied_without_changing_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """``identity.runs`` empties a full memo of ties and cuts (``MEMO_ENTRIES``): with room for one
    entry, so it is emptied at nearly every run, the corpus stage gives the same tables."""
    folder = ROOT / "tests" / "cases" / "variations"
    paths = [str(p) for p in sorted(folder.glob("*.txt"))]
    usual = assemble([run_batch(paths, str(folder), 1 << 24)])
    monkeypatch.setattr(runs, "MEMO_ENTRIES", 1)
    cleared = []
    original = runs._remember

    def remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
        cleared.append(len(memo) >= runs.MEMO_ENTRIES)
        return original(memo, key, value)

    monkeypatch.setattr(runs, "_remember", remember)
    tight = assemble([run_batch(paths, str(folder), 1 << 24)])
    assert sum(cleared) > 10  # the memo was emptied again and again
    assert usual.keys() == tight.keys()
    for name, frame in usual.items():
        pd.testing.assert_frame_equal(frame, tight[name], check_exact=True)
