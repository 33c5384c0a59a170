"""Tests for publishing: release folder, Frictionless package, data dictionary, SHA256SUMS, CHANGES.md."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pandas as pd
import pyarrow as pa
import pytest

from pipeline.__main__ import main
from pipeline.output.validate import validate_all
from pipeline.output.write import write_outputs
from pipeline.release.changes import changes_text, compare_table
from pipeline.release.datapackage import (
    FOREIGN_KEYS,
    ForeignKey,
    broken_foreign_keys,
    field_type,
    foreign_keys,
    licence_descriptor,
)
from pipeline.release.publish import PublishError, previous_release, publish, version_order
from pipeline.run.batch import assemble, run_batch
from pipeline.run.sources import list_inputs
from schemas import COLUMNS, PRIMARY_KEYS, SCHEMAS, arrow_schema, descriptions

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXTRA_FILES = {"datapackage.json", "README.md", "CHANGES.md", "SHA256SUMS", "manifest.json"}
CHANGED_DOC = "001_f790db666717b375.txt"


def make_output(input_dir: Path, out_dir: Path) -> dict[str, Any]:
    """The pure pipeline (no Prefect) from a folder of documents to an output folder."""
    paths = [str(p) for p in list_inputs(input_dir)]
    tables = validate_all(assemble([run_batch(paths, str(input_dir), 16 * 1024 * 1024)]))
    inputs = [
        {"source_name": r.source_name, "doc_id": r.doc_id, "sha256": r.sha256, "bytes": int(r.bytes)}  # type: ignore[arg-type]
        for r in tables["documents"].itertuples()
    ]
    return write_outputs(tables, out_dir, {"inputs": inputs})


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Seeds' output published as 1.0.0, and an output with one document edited (not yet published)."""
    root = tmp_path_factory.mktemp("publish")
    make_output(SEEDS, root / "output")
    release = publish("1.0.0", root / "output", root / "releases").path
    edited = root / "seeds-edited"
    shutil.copytree(SEEDS, edited)
    doc = edited / CHANGED_DOC
    text = doc.read_text(encoding="utf-8")
    assert "Birthplace: Odessa, Russian Empire" in text
    doc.write_text(
        text.replace("Birthplace: Odessa, Russian Empire", "Birthplace: Kiev, Russian Empire"), "utf-8"
    )
    make_output(edited, root / "output-2")
    return {"root": root, "release": release, "releases": root / "releases", "output2": root / "output-2"}


@pytest.fixture(scope="module")
def release(workspace: dict[str, Path]) -> Path:
    return workspace["release"]


@pytest.fixture(scope="module")
def package(release: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    return data


# The release folder ------------------------------------------------------------------------------


def test_release_holds_every_table_in_both_formats_and_the_package_files(release: Path) -> None:
    expected = {f"{t}.{ext}" for t in SCHEMAS for ext in ("parquet", "csv")} | EXTRA_FILES
    assert {p.name for p in release.iterdir()} == expected
    assert not [p for p in release.parent.iterdir() if p.name.startswith(".")], "a temp folder was left"


def test_data_files_are_byte_copies_of_the_output(workspace: dict[str, Path], release: Path) -> None:
    for table in SCHEMAS:
        for ext in ("parquet", "csv"):
            name = f"{table}.{ext}"
            assert (release / name).read_bytes() == (workspace["root"] / "output" / name).read_bytes()


def test_frictionless_validates_the_package(release: Path) -> None:
    report = frictionless.validate(release / "datapackage.json")
    errors = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors
    tabular = {t.name for t in report.tasks if t.type == "table"}
    assert tabular == set(SCHEMAS)
    checked = {t.name: t.stats.get("rows") for t in report.tasks if t.type == "table"}
    assert checked["persons"] and checked["facts"], checked  # rows were really read


def _tampered_copy(release: Path, tmp_path: Path, table: str, edit: Any) -> Path:
    """A copy of the release whose ``table`` CSV is edited (its hash and size dropped from the package).

    Only the edited table and the tables it references stay in the package.
    """
    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    target = copy / f"{table}.csv"
    target.chmod(0o644)
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    path = copy / "datapackage.json"
    path.chmod(0o644)
    data = json.loads(path.read_text(encoding="utf-8"))
    keep = {table, "documents", "persons"}  # the edited table and what it references: faster to validate
    data["resources"] = [r for r in data["resources"] if r["name"] in keep]
    for resource in data["resources"]:
        if resource["name"] == table:
            del resource["hash"], resource["bytes"]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("table", "old", "new", "error"),
    [
        ("facts", '"nahum-eitingon"', '"nobody-known"', "foreign-key"),  # person_id → persons
        ("sections", '"0bb669b868a7e485"', '"0000000000000000"', "foreign-key"),  # doc_id → documents
        ("person_names", '"Latn"', '"latin"', "constraint-error"),  # pattern from the schema
        ("links", '"see_also"', '"footnote"', "constraint-error"),  # enum from the schema
        ("facts", ",true,", ",yes,", "type-error"),  # booleans are true/false
        ("bibliography", '"[""John Costello""', '"[John Costello', "type-error"),  # lists are JSON arrays
    ],
)
def test_frictionless_catches_what_the_package_declares(
    release: Path, tmp_path: Path, table: str, old: str, new: str, error: str
) -> None:
    def edit(text: str) -> str:
        assert old in text, f"fixture drift: {old} not in {table}.csv"
        return text.replace(old, new, 1)

    report = frictionless.validate(_tampered_copy(release, tmp_path, table, edit))
    assert not report.valid
    assert error in {e.type for t in report.tasks for e in t.errors}


def test_every_parquet_resource_loads_with_pandas_and_duckdb(release: Path, package: dict[str, Any]) -> None:
    parquet = [r for r in package["resources"] if r["format"] == "parquet"]
    assert {r["path"] for r in parquet} == {f"{t}.parquet" for t in SCHEMAS}
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    for resource in parquet:
        table = resource["path"].removesuffix(".parquet")
        path = release / resource["path"]
        frame = pd.read_parquet(path)
        assert list(frame.columns) == list(COLUMNS[table])
        assert len(frame) == manifest["tables"][table]["rows"]
        con = duckdb.connect()
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
        names = [d[0] for d in con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)]).description]
        assert rows == len(frame) and names == list(COLUMNS[table])
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


# Refusals ----------------------------------------------------------------------------------------


def test_a_second_publish_of_the_same_version_is_refused(workspace: dict[str, Path], release: Path) -> None:
    before = {p.name: p.read_bytes() for p in release.iterdir()}
    with pytest.raises(PublishError, match=r"already exists.*new --version"):
        publish("1.0.0", workspace["output2"], workspace["releases"])
    assert {p.name: p.read_bytes() for p in release.iterdir()} == before


def test_cli_refusal_says_what_to_do(workspace: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["publish", "--version", "1.0.0", "--from", str(workspace["output2"]),
                 "--to", str(workspace["releases"])])  # fmt: skip
    assert code == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("version", ["", "../escape", ".hidden", "a/b", "1.0 final"])
def test_unusable_version_names_are_refused(workspace: dict[str, Path], version: str) -> None:
    with pytest.raises(PublishError, match="not a usable folder name"):
        publish(version, workspace["output2"], workspace["releases"])


def test_an_altered_output_is_refused_and_leaves_no_trace(workspace: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "output"
    shutil.copytree(workspace["root"] / "output", out)
    with (out / "facts.csv").open("a", encoding="utf-8") as f:
        f.write("tampered\n")
    with pytest.raises(PublishError, match=r"does not match manifest\.json"):
        publish("9.9.9", out, tmp_path / "releases")
    assert list((tmp_path / "releases").iterdir()) == []


def test_a_folder_without_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublishError, match="python -m pipeline run"):
        publish("1.0.0", tmp_path / "empty", tmp_path / "releases")


# SHA256SUMS, data dictionary, descriptions ------------------------------------------------------


def test_sha256sums_lists_every_other_file_with_its_hash(release: Path) -> None:
    lines = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    parsed: dict[str, str] = {}
    for line in lines:
        match = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        assert match, f"not sha256sum format: {line!r}"
        parsed[match.group(2)] = match.group(1)
    assert set(parsed) == {p.name for p in release.iterdir()} - {"SHA256SUMS"}
    for name, digest in parsed.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest
    if shutil.which("sha256sum"):
        run = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def _section(readme: str, table: str) -> str:
    match = re.search(rf"^## {re.escape(table)}\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert match, f"no section for {table}"
    return match.group(1)


def test_data_dictionary_lists_every_column_with_type_meaning_and_example(release: Path) -> None:
    readme = (release / "README.md").read_text(encoding="utf-8")
    for table in SCHEMAS:
        section = _section(readme, table)
        rows = {
            m.group(1): [c.strip() for c in m.group(2).split(" | ")]
            for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", section, re.M)
        }
        assert list(rows) == list(COLUMNS[table]), table
        for column, (kind, required, meaning, _constraints, example) in rows.items():
            assert kind and required in ("yes", "no")
            assert meaning == descriptions(table)[column].replace("|", "\\|")
            assert example, f"{table}.{column} has no example cell"
    first = pd.read_parquet(release / "persons.parquet")["person_id"].iloc[0]
    assert f"| `person_id` | string | yes | {descriptions('persons')['person_id']} | pattern" in readme
    assert f"| `{first}` |" in _section(readme, "persons")  # examples come from the data


def test_every_schema_column_has_a_description() -> None:
    missing = [f"{t}.{c}" for t in SCHEMAS for c, text in descriptions(t).items() if not text.strip()]
    assert not missing, f"add pa.Field(description=...) to: {missing}"


def test_package_fields_carry_the_schemas_descriptions_types_and_keys(package: dict[str, Any]) -> None:
    tables = {r["name"]: r for r in package["resources"] if r["type"] == "table"}
    for table in SCHEMAS:
        schema = tables[table]["schema"]
        assert [f["name"] for f in schema["fields"]] == list(COLUMNS[table])
        assert {f["name"]: f["description"] for f in schema["fields"]} == descriptions(table)
        assert schema["primaryKey"] == list(PRIMARY_KEYS[table])
    persons = {f["name"]: f for f in tables["persons"]["schema"]["fields"]}
    assert persons["birth_place_parts"]["type"] == "array"
    assert persons["birth_date"]["type"] == "string" and "pattern" in persons["birth_date"]["constraints"]
    assert persons["is_subject"]["trueValues"] == ["true"]
    assert persons["birth_date_year"]["type"] == "integer"
    assert package["licenses"][0]["name"] == "CC-BY-SA-4.0"
    assert len(package["sources"]) == 3


# Types, keys, licence (pure) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrow_type", "expected"),
    [
        (pa.string(), "string"),
        (pa.int16(), "integer"),
        (pa.int64(), "integer"),
        (pa.float64(), "number"),
        (pa.bool_(), "boolean"),
        (pa.list_(pa.string()), "array"),
        (pa.date32(), "date"),
    ],
)
def test_arrow_types_map_to_table_schema_types(arrow_type: pa.DataType, expected: str) -> None:
    assert field_type(arrow_type)["type"] == expected


def test_foreign_keys_skip_missing_tables() -> None:
    assert foreign_keys("facts", ["facts"]) == []
    assert {fk.ref_table for fk in foreign_keys("facts", list(SCHEMAS))} == {"documents", "persons"}
    assert any(fk.table == "mentions" for fk in FOREIGN_KEYS)
    assert foreign_keys("mentions", ["facts"]) == []  # skipped while the table does not exist
    assert {fk.ref_table for fk in foreign_keys("person_links", list(SCHEMAS))} == {"documents", "persons"}
    assert ForeignKey("facts", "doc_id", "documents", "doc_id") in FOREIGN_KEYS


def test_broken_foreign_keys_are_reported() -> None:
    documents = pa.table({name: pa.array([None] * 0, arrow_schema("documents").field(name).type)
                          for name in COLUMNS["documents"]})  # fmt: skip
    facts = pa.table(
        {name: pa.array([None], arrow_schema("facts").field(name).type) for name in COLUMNS["facts"]}
    )
    facts = facts.set_column(0, "doc_id", pa.array(["0123456789abcdef"]))
    problems = broken_foreign_keys({"documents": documents, "facts": facts})
    assert problems == ["facts.doc_id: 1 value(s) not in documents.doc_id: 0123456789abcdef"]


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("CC-BY-SA-4.0", {"name": "CC-BY-SA-4.0", "path": "https://creativecommons.org/licenses/by-sa/4.0/"}),
        ("CC0-1.0", {"name": "CC0-1.0"}),
        ("LicenseRef-internal", {"name": "LicenseRef-internal"}),
        ("https://example.org/terms", {"path": "https://example.org/terms"}),
    ],
)
def test_licence_descriptor(licence: str, expected: dict[str, str]) -> None:
    assert expected.items() <= licence_descriptor(licence).items()


# CHANGES.md ---------------------------------------------------------------------------------------


def test_first_release_says_so(release: Path) -> None:
    text = (release / "CHANGES.md").read_text(encoding="utf-8")
    assert text.startswith("# Changes in 1.0.0\n") and "First release" in text and " since " not in text
    assert all(f"- {t}: " in text for t in SCHEMAS)


def test_second_release_names_added_removed_and_changed_keys(
    workspace: dict[str, Path], release: Path
) -> None:
    second = publish("1.1.0", workspace["output2"], workspace["releases"])
    assert second.previous == "1.0.0"
    text = (second.path / "CHANGES.md").read_text(encoding="utf-8")
    old = json.loads((release / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    new = json.loads((second.path / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    old_id = next(i["doc_id"] for i in old if i["source_name"] == CHANGED_DOC)
    new_id = next(i["doc_id"] for i in new if i["source_name"] == CHANGED_DOC)
    assert f"changed `{CHANGED_DOC}`" in text
    documents = _section(text, "documents")
    assert re.search(rf"Added:\n- `doc_id={new_id}`", documents)
    assert re.search(rf"Removed:\n- `doc_id={old_id}`", documents)
    persons = _section(text, "persons")
    assert "`person_id=genrikh-lyushkov`" in persons
    assert "`birth_place`: Odessa, Russian Empire → Kiev, Russian Empire" in persons
    unchanged_doc = next(i["doc_id"] for i in new if i["source_name"] != CHANGED_DOC)
    assert unchanged_doc not in documents
    assert frictionless.validate(second.path / "datapackage.json").valid


def _arrow(rows: list[tuple[Any, ...]]) -> pa.Table:
    return pa.table({"k": [r[0] for r in rows], "v": [r[1] for r in rows]})


@pytest.mark.parametrize(
    ("old", "new", "added", "removed", "changed"),
    [
        ([("a", 1)], [("a", 1)], [], [], []),
        ([("a", 1)], [("a", 2)], [], [], [("a",)]),
        ([("a", 1)], [("a", 1), ("b", 2)], [("b",)], [], []),
        ([("a", 1), ("b", 2)], [("b", 2)], [], [("a",)], []),
        ([("a", None)], [("a", None)], [], [], []),  # null equals null
        ([("a", float("nan"))], [("a", float("nan"))], [], [], []),
        ([(None, 1)], [(None, 2)], [], [], [(None,)]),  # a null key part still matches
        ([("a", [1])], [("a", [1, 2])], [], [], [("a",)]),
    ],
)
def test_compare_table_by_key(
    old: list[tuple[Any, ...]],
    new: list[tuple[Any, ...]],
    added: list[Any],
    removed: list[Any],
    changed: list[Any],
) -> None:
    result = compare_table("t", ["k"], _arrow(old), _arrow(new))
    assert list(result.added) == added and list(result.removed) == removed
    assert [c.key for c in result.changed] == changed
    assert (result.n_added, result.n_removed, result.n_changed) == (len(added), len(removed), len(changed))


def test_changes_text_counts_beyond_the_examples() -> None:
    result = compare_table("t", ["k"], _arrow([]), _arrow([(f"k{i:02d}", i) for i in range(12)]), examples=3)
    text = changes_text("2", "1", [result])
    assert "0 → 12 rows: 12 added" in text and "Added (and 9 more):" in text and "`k=k02`" in text
    assert "`k=k03`" not in text


def test_new_and_dropped_tables_are_reported() -> None:
    new = compare_table("t", ["k"], None, _arrow([("a", 1)]))
    gone = compare_table("u", ["k"], _arrow([("a", 1)]), None)
    text = changes_text("2", "1", [new, gone])
    assert "New table: 1 rows." in text and "Table removed: it had 1 rows." in text


def test_a_changed_primary_key_counts_everything_as_removed_and_added() -> None:
    old = pa.table({"a": ["x", "y"], "v": [[1], [2]]})
    new = pa.table({"b": ["x"], "v": [[1]]})
    result = compare_table("t", ["b"], old, new)
    assert (result.n_removed, result.n_added) == (2, 1) and "primary key" in result.note
    assert "primary key" in changes_text("2", "1", [result])
    whole_row = compare_table("t", ["a", "v"], old, old.slice(1))  # a list column in the key
    assert whole_row.removed == (("x", (1,)),)


def test_previous_release_is_the_newest_older_version(tmp_path: Path) -> None:
    for name in ("1.2.0", "1.10.0", "1.9.0", ".1.11.0.tmp-x", "2.0.0"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "datapackage.json").write_text("{}")
    assert version_order("1.10.0") > version_order("1.9.0")
    assert previous_release(tmp_path, "1.11.0") == "1.10.0"
    assert previous_release(tmp_path, "1.0.0") is None
