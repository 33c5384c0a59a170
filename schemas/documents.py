"""Schema of the documents table: one row per distinct input document, parsed or rejected."""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa

from schemas.base import KEBAB, SHA256, SLUG, Float64, Int32, Int64, String, doc_id_field, passing, row_check

FORMATS = ("wiki_markup", "wiki_fragment", "rendered_page", "plain")
STATUSES = ("parsed", "parsed_with_warnings", "rejected")

COLUMNS = (
    "doc_id", "source_name", "sha256", "bytes", "encoding", "format", "format_evidence", "title",
    "subject_id", "status", "reject_code", "n_chars", "coverage", "n_warnings", "source_meta",
)  # fmt: skip
PRIMARY_KEY = ("doc_id",)


class DocumentsSchema(pa.DataFrameModel):
    """One row per distinct input document (a file, an archive member, a JSON Lines record)."""

    doc_id: String = doc_id_field(description="Document identifier: the first 16 hex digits of sha256.")
    source_name: String = pa.Field(
        description=(
            "Where the document came from: its file's path below the input folder; for an archive "
            "member <archive>:<member path> (corpus.zip:people/a.txt); for a JSON Lines record "
            "<file>:<line number> (people.jsonl:12)."
        )
    )
    sha256: String = pa.Field(
        str_matches=SHA256,
        description=(
            "SHA-256 of the document's bytes (a JSON Lines record's: the UTF-8 bytes of its text; a rejected "
            "line's: the line's), "
            "lowercase hex; of its source_name when its bytes could not be, or were not, hashed (an unreadable "
            "file, a link, an archive member over --max-bytes)."
        ),
    )
    bytes: Int64 = pa.Field(
        ge=0, description="Size of the document in bytes (a rejected JSON Lines record's: of its line)."
    )
    encoding: String = pa.Field(
        nullable=True,
        description="Text encoding the file was decoded with; null when it could not be decoded.",
    )
    format: String = pa.Field(
        nullable=True,
        isin=list(FORMATS),
        description=(
            "Layout detected: wiki_markup, wiki_fragment, rendered_page or plain; null "
            "when the file was rejected before detection."
        ),
    )
    format_evidence: String = pa.Field(
        nullable=True, description="What in the text decided the format (a short human-readable reason)."
    )
    title: String = pa.Field(nullable=True, description="The document's title (its subject's display name).")
    subject_id: String = pa.Field(
        nullable=True,
        str_matches=SLUG,
        description="person_id of the document's subject, when one was found.",
    )
    status: String = pa.Field(
        isin=list(STATUSES),
        description="parsed, parsed_with_warnings (see warnings) or rejected (see reject_code).",
    )
    reject_code: String = pa.Field(
        nullable=True,
        str_matches=KEBAB,
        description=(
            "Why the file was rejected (kebab-case, e.g. empty-document, binary-content); "
            "null unless rejected."
        ),
    )
    n_chars: Int64 = pa.Field(
        nullable=True, ge=0, description="Length of the decoded text in characters; null when not decoded."
    )
    coverage: Float64 = pa.Field(
        nullable=True,
        in_range={"min_value": 0.0, "max_value": 1.0},
        description=(
            "Share of the text's non-whitespace characters covered by some output row's span; "
            "null for rejected files."
        ),
    )
    n_warnings: Int32 = pa.Field(ge=0, description="Number of rows this document has in the warnings table.")
    source_meta: String = pa.Field(
        nullable=True,
        description=(
            "A JSON Lines record's fields other than text (id, name, …) as a JSON object; "
            "null for a document from a file or an archive member."
        ),
    )

    @row_check("reject_code_iff_rejected", column="reject_code", reason="reject-code-mismatch")
    def reject_code_iff_rejected(cls, df: pd.DataFrame) -> pd.Series:
        return passing((df["status"] == "rejected") == df["reject_code"].notna())

    @row_check("no_coverage_when_rejected", column="coverage", reason="coverage-on-rejected")
    def no_coverage_when_rejected(cls, df: pd.DataFrame) -> pd.Series:
        return passing((df["status"] != "rejected") | df["coverage"].isna())

    @row_check("doc_id_is_sha256_prefix", column="doc_id", reason="doc-id-mismatch")
    def doc_id_is_sha256_prefix(cls, df: pd.DataFrame) -> pd.Series:
        return passing(df["sha256"].str.slice(0, 16) == df["doc_id"])

    class Config:
        name = "documents"
        strict = True
        unique: ClassVar[list[str]] = list(PRIMARY_KEY)
