"""Reason codes: stable kebab-case identifiers with one-line message templates."""

from __future__ import annotations

from enum import StrEnum


class Reject(StrEnum):
    """Why a whole document could not be parsed."""

    EMPTY_DOCUMENT = "empty-document"
    BINARY_CONTENT = "binary-content"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"
    OUTSIDE_INPUT = "outside-input"
    DANGLING_LINK = "dangling-link"
    LINK_LOOP = "link-loop"
    NOT_A_FILE = "not-a-regular-file"
    TIMEOUT = "timeout"


class Warn(StrEnum):
    """Something a reviewer should look at; the document is still parsed."""

    UNKNOWN_LAYOUT = "unknown-layout"
    NON_UTF8_ENCODING = "non-utf8-encoding"
    REPLACEMENT_CHARACTERS = "replacement-characters"
    CONTROL_CHARACTERS = "control-characters"
    LONG_LINE = "long-line"
    TRUNCATED = "truncated"
    NO_SUBJECT = "no-subject"
    LIFESPAN_OVER_120 = "lifespan-over-120"
    FACT_CONFLICT = "fact-conflict"
    AMBIGUOUS_LIFESPAN = "ambiguous-lifespan"
    UNMAPPED_INFOBOX_KEY = "unmapped-infobox-key"
    UNPARSED_DATE = "unparsed-date"
    DUPLICATE_CONTENT = "duplicate-content"
    UNDECODABLE_FILE_NAME = "undecodable-file-name"


MESSAGES: dict[str, str] = {
    Reject.EMPTY_DOCUMENT: "the file has no non-whitespace text",
    Reject.BINARY_CONTENT: "the file holds binary data (NUL bytes or mostly control bytes), not text",
    Reject.UNDECODABLE: "the bytes decode as none of UTF-8, UTF-16 (with BOM) or the supported legacy encodings",
    Reject.TOO_LARGE: "the file is larger than the configured limit ({limit} bytes); raise --max-bytes to read it",
    Reject.UNREADABLE: "the file could not be read: {error}",
    Reject.OUTSIDE_INPUT: "a link to {target}, outside the input folder: not read (--follow-symlinks reads it)",
    Reject.DANGLING_LINK: "a link to {target}, which does not exist",
    Reject.LINK_LOOP: "a link to {target} that leads round in a loop",
    Reject.NOT_A_FILE: "not a regular file (a FIFO, socket or device; or a link to one): never opened",
    Reject.TIMEOUT: "processing took longer than the {limit:g} s limit per document; raise --doc-timeout to parse it",
    Warn.UNKNOWN_LAYOUT: "no known layout recognised ({evidence}); parsed as plain text (title, paragraphs, dates)",
    Warn.NON_UTF8_ENCODING: "decoded as {encoding}, not UTF-8",
    Warn.REPLACEMENT_CHARACTERS: "the text holds {n} U+FFFD replacement characters: part of it was lost before us",
    Warn.CONTROL_CHARACTERS: "the text holds {n} control characters",
    Warn.LONG_LINE: "a line of {n} characters: probably not prose",
    Warn.TRUNCATED: "the document ends mid-sentence",
    Warn.NO_SUBJECT: "no subject person could be identified",
    Warn.LIFESPAN_OVER_120: "born {birth}, died {death}: a lifespan over 120 years",
    Warn.FACT_CONFLICT: "{field}: the candidates disagree ({values})",
    Warn.AMBIGUOUS_LIFESPAN: "a single date with no role in the lead parenthesis: not used as birth or death",
    Warn.UNMAPPED_INFOBOX_KEY: "infobox key {key!r} is not in the alias table",
    Warn.UNPARSED_DATE: "{field} value {value!r} is not a date we can read",
    Warn.UNDECODABLE_FILE_NAME: "the file's name is not UTF-8; its bytes are {hex} (shown with \\xNN escapes)",
    Warn.DUPLICATE_CONTENT: "{name} holds the same bytes; its rows are this document's and are not repeated",
}


def message(code: str, **values: object) -> str:
    return MESSAGES[code].format(**values)
