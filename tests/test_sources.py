"""Decoding and rejection: every bad input gets a reason code, never an exception."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.codes import Reject, Warn
from pipeline.run.sources import decode, doc_id_of, list_inputs, read_source, source_from_bytes

RUSSIAN = "Наум Исаакович Эйтингон — советский разведчик, родился 6 декабря 1899 года в Шклове."


@pytest.mark.parametrize(
    ("data", "encoding", "reject"),
    [
        (b"", None, Reject.EMPTY_DOCUMENT),
        (b" \n\t\r\n ", None, Reject.EMPTY_DOCUMENT),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00" * 50, None, Reject.BINARY_CONTENT),
        (bytes(range(1, 9)) * 200, None, Reject.BINARY_CONTENT),
        (b"plain text", "utf-8", None),
        (codecs.BOM_UTF8 + b"with bom", "utf-8-sig", None),
        (codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), "utf-16", None),
        (codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be"), "utf-16", None),
        (RUSSIAN.encode("utf-16-le"), "utf-16-le", None),
        ("\ufeff   ".encode("utf-16"), None, Reject.EMPTY_DOCUMENT),
    ],
)
def test_decode_table(data: bytes, encoding: str | None, reject: str | None) -> None:
    decoded = decode(data)
    assert decoded.reject_code == reject
    if reject is None:
        assert decoded.encoding == encoding
        assert decoded.text is not None and decoded.text.strip()


def test_cp1251_is_decoded_and_flagged() -> None:
    decoded = decode((RUSSIAN + "\n").encode("cp1251") * 3)
    assert decoded.reject_code is None
    assert decoded.text is not None and "Эйтингон" in decoded.text
    assert decoded.encoding is not None and decoded.encoding.replace("_", "").lower() in {
        "cp1251",
        "windows1251",
    }
    assert Warn.NON_UTF8_ENCODING in [w.code for w in decoded.warnings]


def test_replacement_characters_are_flagged() -> None:
    decoded = decode("Eitingon \ufffd\ufffd born 1899".encode())
    assert [w.code for w in decoded.warnings] == [Warn.REPLACEMENT_CHARACTERS]


def test_doc_id_is_first_16_hex_of_sha256() -> None:
    source = source_from_bytes("a.txt", b"hello")
    assert source.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert source.doc_id == doc_id_of(source.sha256) == "2cf24dba5fb0a30e"


def test_too_large_is_rejected_without_loading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 5000)
    source = read_source(path, tmp_path, max_bytes=1000)
    assert source.reject_code == Reject.TOO_LARGE
    assert source.n_bytes == 5000 and source.text is None
    assert len(source.doc_id) == 16


def test_list_inputs_skips_hidden_and_is_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("c")
    assert [p.relative_to(tmp_path).as_posix() for p in list_inputs(tmp_path)] == [
        "a.txt",
        "b.txt",
        "sub/c.txt",
    ]


def test_a_file_name_that_is_not_utf8_is_carried_and_flagged(tmp_path: Path) -> None:
    """``bad\\xff.txt`` on disk: the run goes on; the name is shown escaped, its bytes in a warning."""
    import os

    from pipeline.output.validate import validate_all
    from pipeline.run.batch import assemble, run_batch

    raw = os.fsdecode(b"bad\xff.txt")
    (tmp_path / raw).write_text("= Ana Bad =\nAna Bad\n\nAna Bad (1900 – 1950) was a writer.\n", encoding="utf-8")
    tables = validate_all(assemble([run_batch([str(tmp_path / raw)], str(tmp_path), 1 << 24)]))
    documents, warnings = tables["documents"], tables["warnings"]
    assert list(documents["source_name"]) == ["bad\\xff.txt"]
    assert documents["status"].iloc[0] != "rejected"
    flagged = warnings[warnings["code"] == Warn.UNDECODABLE_FILE_NAME]
    assert len(flagged) == 1 and "626164ff2e747874" in flagged["message"].iloc[0]
    assert tables["quarantine"].empty


@pytest.mark.parametrize(
    ("controls", "binary"),
    [(100, False), (101, True), (0, False)],
)
def test_binary_is_more_than_a_tenth_control_bytes(controls: int, binary: bool) -> None:
    """Of 1,000 bytes without NUL, over 100 C0 controls (tab, newline, form feed and CR not counted) are binary."""
    text = b"\t\n\x0c\r" * 100  # text controls: never counted
    data = b"\x01\x1b" * (controls // 2) + b"\x07" * (controls % 2)
    data += text + b"a" * (1000 - len(data) - len(text))
    assert (decode(data).reject_code == Reject.BINARY_CONTENT) is binary
