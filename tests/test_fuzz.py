"""Structure-aware fuzzing: mutated seeds and invented documents keep every invariant.

Documents come from ``tests.fuzzdocs`` (lines and characters inserted, deleted,
duplicated, markup and Unicode debris, CRLF, long lines), one document per run of the
whole pipeline and of the row/validation path (``tests.fuzzrun``). Seeded and bounded:
the same examples on every run, in a few seconds.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core import process_document
from pipeline.output.validate import validate_all
from pipeline.run.batch import assemble, run_batch
from pipeline.run.sources import source_from_bytes
from pipeline.tables import KeysAsIds, doc_rows
from tests.fuzzdocs import base_texts, fuzz_document
from tests.fuzzrun import check_documents
from tests.provenance import surface_ok

BASES = base_texts()


@settings(derandomize=True, max_examples=40, deadline=None, database=None)
@given(st.randoms(use_true_random=False))
def test_fuzzed_documents_keep_every_invariant(rng: random.Random) -> None:
    text = fuzz_document(rng, BASES)
    found = check_documents([text])
    assert found.exceptions == []
    assert found.coverage == []
    assert found.spans == []
    assert found.duplicate_keys == []
    assert found.duplicate_quarantine == []


def test_the_generator_mutates_and_is_reproducible() -> None:
    first = [fuzz_document(random.Random(7), BASES) for _ in range(3)]
    again = [fuzz_document(random.Random(7), BASES) for _ in range(3)]
    assert first == again
    documents = [fuzz_document(random.Random(seed), BASES) for seed in range(50)]
    assert sum(d not in BASES for d in documents) > 40


# Regression cases: each bug the fuzzing found, as a small invented document.


def _rows(text: str) -> dict[str, list[dict]]:
    return doc_rows(process_document(source_from_bytes("case.txt", text.encode())), KeysAsIds())


def _bad_spans(text: str, rows: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    tables = ("person_names", "facts", "infobox", "sections", "links", "dropped", "categories")
    removed = sorted((d["char_start"], d["char_end"]) for d in rows["dropped"])
    return [(t, r) for t in tables for r in rows[t] if not surface_ok(t, pd.Series(r), text, removed)]


def _persons(text: str) -> list[dict]:
    """The persons table of one document run as a batch (where persons are assembled)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "case.txt").write_text(text, encoding="utf-8")
        tables = validate_all(assemble([run_batch([str(Path(tmp) / "case.txt")], tmp, 1 << 24)]))
    return tables["persons"].to_dict("records")


def _shown(text: str, row: dict) -> str:
    return text[int(row["char_start"]) : int(row["char_end"])]


def test_a_sentence_written_twice_gives_each_copy_its_own_facts() -> None:
    text = (
        "Éloïse Marchand\n\nÉloïse Marchand (c. 1850 – 1921) was a French seamstress.\n\n"
        "She died in Lyon in 1921.\nShe died in Lyon in 1921.\n"
    )
    found = check_documents([text])
    assert found.duplicate_keys == [] and found.duplicate_quarantine == []
    body = [f for f in _rows(text)["facts"] if f["rule"] == "body-death_place-sentence"]
    second = text.rindex("Lyon")
    assert sorted(f["char_start"] for f in body) == [text.index("Lyon in"), second]


def test_lead_names_are_read_from_the_lead_not_the_name_line_above_it() -> None:
    text = (
        "= Teodora Vukčević =\n\nТеодора Вукчевић\n- Born: 12 March 1868\n\n"
        "Teodora Vukčević (Serbian Cyrillic: Те“одора Вукчевић; 12 March 1868 – 3 April 1921) was a teacher.\n"
    )
    rows = _rows(text)
    lead_at = text.index("Teodora Vukčević (")
    natives = [n for n in rows["person_names"] if n["kind"] == "native" and n["char_start"] >= lead_at]
    assert natives, rows["person_names"]
    assert _bad_spans(text, rows) == []
    keys = [(n["person_id"], n["char_start"], n["kind"]) for n in rows["person_names"]]
    assert len(keys) == len(set(keys))


def test_a_heading_right_after_the_infobox_leaves_the_title_section_its_span() -> None:
    text = "= Jane Roe =\n\nJane Roe\n- Born: 1 May 1900\n== Career ==\n- Died: 1970\n\nJane Roe was a writer.\n"
    rows = _rows(text)
    title = rows["sections"][0]
    assert title["heading"] == "Jane Roe"
    assert text[title["char_start"] : title["char_end"]].startswith("= Jane Roe =")
    assert _bad_spans(text, rows) == []


def test_a_name_line_right_above_the_lead_is_not_glued_to_the_full_name() -> None:
    text = "= Jane Roe =\n\nJane Roe\nJane Mary Roe (1 May 1900 – 1970) was a writer.\n"
    rows = _rows(text)
    full = [n["name"] for n in rows["person_names"] if n["kind"] == "full"]
    assert full == ["Jane Mary Roe"]
    assert _bad_spans(text, rows) == []


def test_an_anchor_with_wiki_quotes_gives_a_name_without_them() -> None:
    seed = next(t for t in BASES if "\nMark Zborowski\n" in t)
    text = seed.replace("\nMark Zborowski\n", "\nMa''rk Zborowski\n", 1)
    rows = _rows(text)
    assert [n["name"] for n in rows["person_names"] if "''" in n["name"]] == []
    assert _bad_spans(text, rows) == []


def test_a_merge_names_the_name_its_span_shows() -> None:
    lead = "Radka Stoeva Mincheva (4 April 1884 – 19 November 1952) was a Bulgarian photographer.\n"
    first = lead + "\nMincheva was born in Stara Zagora.\n"
    second = lead + "\nShe worked in Plovdiv.\n"
    found = check_documents([first, second])
    assert [t for t, _ in found.spans] == []
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate((first, second)):
            (Path(tmp) / f"{i}.txt").write_text(text, encoding="utf-8")
        paths = sorted(str(p) for p in Path(tmp).iterdir())
        matches = validate_all(assemble([run_batch(paths, tmp, 1 << 24)]))["person_matches"]
    assert list(matches["merged_name"]) == ["Radka Stoeva Mincheva"]


def test_markup_removed_from_a_rendered_infobox_value_is_logged_where_it_stood() -> None:
    text = (
        "Arkady Volkonsky Explained\n\nArkady Volkonsky\nNative Name:Аркадий[[ Волконский\n"
        "Birth Place:Tver,** Russian Empire\nSpouse:Maria]] Volkonskaya\n\n"
        "Arkady Volkonsky (Russian: Аркадий Волконский; 14 June 1872 – 30 November 1944) was a Russian engineer.\n"
    )
    rows = _rows(text)
    values = {r["raw_key"]: r["value"] for r in rows["infobox"]}
    assert values["Birth Place"] == "Tver, Russian Empire" and values["Spouse"] == "Maria Volkonskaya"
    dropped = {(d["text"], d["rule"], d["char_start"]) for d in rows["dropped"]}
    assert ("[[", "leaked-wikilink", text.index("[[")) in dropped
    assert ("**", "markdown-bold", text.index("**")) in dropped
    assert _bad_spans(text, rows) == []
    assert check_documents([text]).spans == []


def test_a_lead_name_with_markup_inside_is_named_where_it_is_written() -> None:
    text = "Jane[[ Mary''' Roe[a] (1 May 1900 – 1970) was a Norwegian writer of novels and stories.\n"
    (subject,) = _persons(text)
    assert subject["full_name"] == "Jane Mary Roe"
    assert _shown(text, subject) == "Jane[[ Mary''' Roe"
    full = [n for n in _rows(text)["person_names"] if n["kind"] == "full"]
    assert [(n["name"], _shown(text, n)) for n in full] == [("Jane Mary Roe", "Jane[[ Mary''' Roe")]
    assert check_documents([text]).spans == []


def test_combining_marks_composed_by_nfc_keep_the_span_of_the_letters_they_came_from() -> None:
    text = "Jose\u0301 Marti\u0301 Perez (born 12 May()\u0301 1853 – 1895) was a Cuban poet and essayist.\n"
    (subject,) = _persons(text)
    assert subject["name"] == "José Martí Perez"  # NFC: one character each
    assert _shown(text, subject) == "Jose\u0301 Marti\u0301 Perez"  # the letters and marks as written
    rows = _rows(text)
    assert "12 Maý 1853" in rows["sections"][0]["text"]  # "()" out, the mark joins the "y" before it
    assert _bad_spans(text, rows) == []
    assert check_documents([text]).spans == []


def test_a_lead_name_rejoined_across_a_gloss_names_no_one() -> None:
    text = (
        "Éloïse Marchand\nHana Dvořáková (17 September 1931 – 2 March 2015) was a Czech film editor ...\n"
        "Miroslav Pavlík\nMiroslav Pavlík (born 1950) is a Czech film director and screenwriter ...\n"
        ". She trained in Prague.\n"
    )
    names = {p["name"] for p in _persons(text)}
    assert names == {"Hana Dvořáková", "Miroslav Pavlík"}  # not "Éloïse Marchand Miroslav Pavlík"
    assert check_documents([text]).spans == []


def test_a_gloss_person_is_named_where_the_gloss_names_them_not_over_the_whole_gloss() -> None:
    text = (
        "Olga Lepeshinskaya (28 September 1916 – 20 December 2008) was a Soviet ballerina who danced with\n"
        "Asaf Messerer\nAsaf“ Mikhailovich Messerer (19 November 1903 – 7 March 1992) was a Soviet dancer ...\n"
        "in the 1940s.\n"
    )
    gloss_person = next(p for p in _persons(text) if p["name"] == "Asaf Mikhailovich Messerer")
    assert _shown(text, gloss_person) == "Asaf“ Mikhailovich Messerer"
    assert check_documents([text]).spans == []


def test_words_either_side_of_a_link_stay_apart_when_markup_or_a_space_inside_it_parts_them() -> None:
    text = (
        "= Jane Roe =\n\nJane Roe (1 May 1900 – 1970) was a writer from[[ Oslo]].\n\n"
        "== Life ==\nShe studied under [[Frits Thaulow]]'' from 1890.\n"
    )
    rows = _rows(text)
    assert [s["text"] for s in rows["sections"]] == [
        "Jane Roe (1 May 1900 – 1970) was a writer from Oslo.",
        "She studied under Frits Thaulow from 1890.",
    ]
    assert [(link["anchor"], _shown(text, link)) for link in rows["links"]] == [
        ("Oslo", "Oslo"),
        ("Frits Thaulow", "Frits Thaulow"),
    ]
    assert _bad_spans(text, rows) == []


def test_a_native_name_written_twice_in_the_lead_gives_each_copy_its_own_row() -> None:
    text = "= Mori Kazuhiro =\n\nMori Kazuhiro (森 和弘 (森 和弘, 5 February 1902 – 1977) was an engineer.\n"
    natives = [n for n in _rows(text)["person_names"] if n["kind"] == "native"]
    first = text.index("森 和弘")
    assert sorted(n["char_start"] for n in natives) == [first, text.index("森 和弘", first + 1)]
    found = check_documents([text])
    assert found.duplicate_keys == [] and found.spans == []


def test_a_name_line_that_opens_like_the_lead_is_not_taken_for_the_lead() -> None:
    text = (
        "= Tamar Kvaratskhelia =\nTamar Kvaratskhelia (Georgian: თამარ კვარაცხელია)\n- Occupation: Painter\n\n"
        "Tamar Kvaratskhelia (Georgian: თამარ კვარაცხ; 3 March 1894 – 1968) was a Georgian painter.\n"
    )
    lead_at = text.index("Tamar Kvaratskhelia (Georgian: თამარ კვარაცხ;")
    names = [(n["kind"], n["char_start"]) for n in _rows(text)["person_names"]]
    assert ("full", lead_at) in names and ("native", text.index("თამარ კვარაცხ;")) in names
    found = check_documents([text])
    assert found.duplicate_keys == [] and found.spans == []


def test_a_sentence_broken_over_two_lines_reads_its_values_from_itself_not_from_a_later_copy() -> None:
    text = (
        "= Mori Kazuhiro =\n\nMori Kazuhiro (5 February 1902 – 1977) was an engineer.\n\n== Biography ==\n"
        "He died\nin Tokyo in 1977. Mori lived in Kanazawa. He died in Tokyo in 1977.\n"
    )
    deaths = [f for f in _rows(text)["facts"] if f["rule"] == "body-death-sentence"]
    first = text.index("1977.")
    assert sorted(f["char_start"] for f in deaths) == [first, text.index("1977.", first + 1)]
    found = check_documents([text])
    assert found.duplicate_keys == [] and found.spans == []


def test_a_rendered_born_place_joins_only_consecutive_lines_not_a_table_line_between_them() -> None:
    text = (
        "Teodora Vukčević Explained\n\nTeodora Vukčević\nBorn\n12 March 1868\nKragujevac, Principality of Serbia\n"
        "|||\n(now Serbia)\n\n"
        "Teodora Vukčević (12 March 1868 – 3 April 1921) was a Serbian teacher and suffragist.\n"
    )
    rows = _rows(text)
    places = [r["value"] for r in rows["infobox"] if r["key"] == "birth_place"]
    assert places == ["Kragujevac, Principality of Serbia", "(now Serbia)"]  # "|||" is table-markup only
    assert _bad_spans(text, rows) == []


def test_a_sentence_holding_the_next_one_s_opening_words_does_not_lend_it_its_place() -> None:
    text = (
        "= Jane Roe =\n\nJane Roe (1 May 1900 – 1970) was a writer.\n\n== Life ==\n"
        "She was a delegate in 1879. \x1b She died in Lyon in 1921. She died in Lyon in 1921.\n"
    )
    places = [f for f in _rows(text)["facts"] if f["rule"] == "body-death_place-sentence"]
    first = text.index("Lyon")
    assert sorted(f["char_start"] for f in places) == [first, text.index("Lyon", first + 1)]
    found = check_documents([text])
    assert found.duplicate_keys == [] and found.spans == []


def test_a_link_whose_anchor_is_a_surname_is_one_mention_not_two() -> None:
    text = (
        "Anna Orlova\n\nAnna Orlova (1 May 1900 – 1970) was a Soviet ballerina. She was a pupil of\n"
        "Ivan Petrov\nIvan Petrov (1870 – 1950) was a Russian ballet teacher ...\n"
        "and later of\nPetrov\nIvan Petrov (1870 – 1950) was a Russian ballet teacher ...\n"
        "in Moscow.\n"
    )
    found = check_documents([text])
    assert found.duplicate_keys == [] and found.duplicate_quarantine == [] and found.spans == []
