"""Every code the pipeline writes, one registry per family: stable kebab-case identifiers.

- ``Reject``: why a whole document could not be parsed (``documents.reject_code``);
  ``SKIPPED``: why an entry of the input folder was not read (``manifest.json`` ``skipped``).
- ``Warn``: something a reviewer should look at (``warnings.code``).
- ``Drop``: why a reader removed a stretch of text (``dropped.rule``).
- ``Quarantine``: why a row failed validation (``quarantine.reason_code``).

``MESSAGES`` holds the message templates of rejections and warnings; ``MEANINGS`` one
line per code of every family, from which ``code_tables`` makes the README's tables
(``python -m pipeline codes``). ``tests/test_codes.py`` checks that every code the
pipeline emits is registered here and that the README shows these tables.
"""

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
    ARCHIVE_LINK = "archive-link"
    INVALID_JSON = "invalid-json"
    NO_TEXT = "no-text-field"


class Warn(StrEnum):
    """Something a reviewer should look at; the document is still parsed."""

    UNKNOWN_LAYOUT = "unknown-layout"
    NON_UTF8_ENCODING = "non-utf8-encoding"
    REPLACEMENT_CHARACTERS = "replacement-characters"
    CONTROL_CHARACTERS = "control-characters"
    LONG_LINE = "long-line"
    NO_SUBJECT = "no-subject"
    LIFESPAN_OVER_120 = "lifespan-over-120"
    FACT_CONFLICT = "fact-conflict"
    AMBIGUOUS_LIFESPAN = "ambiguous-lifespan"
    UNPARSED_DATE = "unparsed-date"
    DUPLICATE_CONTENT = "duplicate-content"
    UNDECODABLE_FILE_NAME = "undecodable-file-name"
    UNCOVERED_TEXT = "uncovered-text"
    GLOSS_END_UNCERTAIN = "gloss-end-uncertain"
    CATEGORY_SUSPECT = "category-suspect"


SKIPPED = {
    "hidden": "a hidden file or folder (name starting with `.`), in a folder or an archive: not read, listed in the manifest",
    "blank-line": "a line of a JSON Lines file with nothing but whitespace: no record, listed in the manifest",
}


class Drop(StrEnum):
    """Why a reader removed a stretch of text: markup, scrape debris, page chrome."""

    WIKI_ITALICS = "wiki-italics"
    WIKI_BOLD = "wiki-bold"
    WIKI_BOLD_ITALICS = "wiki-bold-italics"
    WIKI_QUOTES = "wiki-quotes"
    MARKDOWN_BOLD = "markdown-bold"
    HTML_TAG = "html-tag"
    HTML_COMMENT = "html-comment"
    LINK_MARKUP = "link-markup"
    LEAKED_WIKILINK = "leaked-wikilink"
    TEMPLATE_MARKUP = "template-markup"
    DEFAULTSORT_MARKUP = "defaultsort-markup"
    CATEGORY_MARKUP = "category-markup"
    LIST_BULLET = "list-bullet"
    EMPTY_BULLET = "empty-bullet"
    TABLE_MARKUP = "table-markup"
    FOOTNOTE_MARKER = "footnote-marker"
    EDITORIAL_TAG = "editorial-tag"
    FOOTNOTE_CARET = "footnote-caret"
    EDIT_LINK = "edit-link"
    EMPTY_PARENTHESES = "empty-parentheses"
    PARENTHESIS_SEPARATOR = "parenthesis-separator"
    ORPHAN_ELLIPSIS = "orphan-ellipsis"
    PAGE_FURNITURE = "page-furniture"
    SITE_CHROME = "site-chrome"
    TITLE_SUFFIX = "title-suffix"
    TABLE_OF_CONTENTS = "table-of-contents"
    EDITOR_NOTE = "editor-note"


class Quarantine(StrEnum):
    """Why a row failed validation and went to the quarantine (its table's other rows are written)."""

    NOT_IN_ALLOWED_SET = "not-in-allowed-set"
    IN_FORBIDDEN_SET = "in-forbidden-set"
    PATTERN_MISMATCH = "pattern-mismatch"
    NULL_NOT_ALLOWED = "null-not-allowed"
    OUT_OF_RANGE = "out-of-range"
    UNEXPECTED_VALUE = "unexpected-value"
    LENGTH_OUT_OF_RANGE = "length-out-of-range"
    DUPLICATE_KEY = "duplicate-key"
    NOT_NFC = "not-nfc"
    NOT_STRIPPED = "not-stripped"
    EMPTY_STRING = "empty-string"
    SPAN_INVALID = "span-invalid"
    IMPOSSIBLE_DATE = "impossible-date"
    PRECISION_MISMATCH = "precision-mismatch"
    YEAR_MISMATCH = "year-mismatch"
    QUALIFIER_MISMATCH = "qualifier-mismatch"
    CALENDAR_NOTE_WITHOUT_DATE = "calendar-note-without-date"
    RANGE_END_BEFORE_START = "range-end-before-start"
    BIRTH_AFTER_DEATH = "birth-after-death"
    PARENT_NOT_BEFORE_CHILD = "parent-not-before-child"
    DOC_ID_MISMATCH = "doc-id-mismatch"
    REJECT_CODE_MISMATCH = "reject-code-mismatch"
    COVERAGE_ON_REJECTED = "coverage-on-rejected"
    UNKNOWN_DOC_ID = "unknown-doc-id"
    UNKNOWN_PERSON_ID = "unknown-person-id"


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
    Reject.ARCHIVE_LINK: "a {kind} stored in the archive (to {target}): links in archives are never followed",
    Reject.INVALID_JSON: "the line is not a JSON object: {error}",
    Reject.NO_TEXT: "the JSON Lines record has no string `text` field (its fields: {fields})",
    Warn.UNKNOWN_LAYOUT: "no known layout recognised ({evidence}); parsed as plain text (title, paragraphs, dates)",
    Warn.NON_UTF8_ENCODING: "decoded as {encoding}, not UTF-8",
    Warn.REPLACEMENT_CHARACTERS: "the text holds {n} U+FFFD replacement characters: part of it was lost before us",
    Warn.CONTROL_CHARACTERS: "the text holds {n} control characters",
    Warn.LONG_LINE: "a line of {n} characters: probably not prose",
    Warn.NO_SUBJECT: "no subject person could be identified",
    Warn.LIFESPAN_OVER_120: "born {birth}, died {death}: a lifespan over 120 years",
    Warn.FACT_CONFLICT: "{field}: the candidates disagree ({values})",
    Warn.AMBIGUOUS_LIFESPAN: "a single date with no role in the lead parenthesis: not used as birth or death",
    Warn.UNPARSED_DATE: "{field} value {value!r} is not a date we can read",
    Warn.UNDECODABLE_FILE_NAME: "the file's name is not UTF-8; its bytes are {hex} (shown with \\xNN escapes)",
    Warn.DUPLICATE_CONTENT: "{name} holds the same bytes; its rows are this document's and are not repeated",
}


def message(code: str, **values: object) -> str:
    return MESSAGES[code].format(**values)


MEANINGS: dict[str, str] = {
    Reject.EMPTY_DOCUMENT: "no non-whitespace text",
    Reject.BINARY_CONTENT: "NUL bytes or mostly control bytes",
    Reject.UNDECODABLE: "none of UTF-8, UTF-16/32 (BOM or NUL pattern), or a legacy encoding charset-normalizer recognises",
    Reject.TOO_LARGE: "over `--max-bytes` (default 16 MiB; per file, archive member or JSON Lines line): never loaded; a file or a line is hashed as it streams by, an archive member is not even decompressed",
    Reject.UNREADABLE: "the file or archive member could not be read (permissions, I/O error; a damaged, encrypted or unsupported member)",
    Reject.OUTSIDE_INPUT: "a link that leads out of the input folder: not read, so nothing from elsewhere on the machine is published; `--follow-symlinks` reads it on purpose",
    Reject.DANGLING_LINK: "a link to nothing",
    Reject.LINK_LOOP: "a link that leads round in a loop",
    Reject.NOT_A_FILE: "a FIFO, socket or device (or a link to one), in a folder or a tar archive: never opened, so the run cannot block on it",
    Reject.TIMEOUT: "its pass (parse, extraction, rows) ran past `--doc-timeout` seconds (default 30); stopped there, the run goes on, never cached",
    Reject.ARCHIVE_LINK: "a symbolic or hard link stored in a zip or tar archive: never followed (links are how archives reach outside themselves); the file it names is read where the archive holds it",
    Reject.INVALID_JSON: "a line of a JSON Lines file that is not a JSON object (not JSON at all, truncated, or an array, string or number)",
    Reject.NO_TEXT: "a JSON Lines record without a string `text` field; its other fields are kept in `source_meta`",
    **SKIPPED,
    Warn.UNKNOWN_LAYOUT: "no known layout recognised: parsed as plain text",
    Warn.NON_UTF8_ENCODING: "decoded from a legacy encoding, not UTF-8",
    Warn.REPLACEMENT_CHARACTERS: "U+FFFD characters: part of the text was lost before us",
    Warn.CONTROL_CHARACTERS: "control characters in the text",
    Warn.LONG_LINE: "a very long line: probably not prose",
    Warn.NO_SUBJECT: "no subject person could be identified",
    Warn.LIFESPAN_OVER_120: "the chosen birth and death dates are over 120 years apart",
    Warn.FACT_CONFLICT: "candidate values of one fact disagree (the chosen one is marked in `facts`)",
    Warn.AMBIGUOUS_LIFESPAN: "a single date with no role in the lead parenthesis: used as neither birth nor death",
    Warn.UNPARSED_DATE: "a birth or death value that is no date we can read",
    Warn.DUPLICATE_CONTENT: "another file holds the very same bytes: one document, each copy named",
    Warn.UNDECODABLE_FILE_NAME: "the file's name is not UTF-8: `source_name` shows each such byte as `\\xNN`, the warning gives the name's bytes",
    Warn.UNCOVERED_TEXT: "a stretch of text no output row accounts for",
    Warn.GLOSS_END_UNCERTAIN: "where a link's hover gloss ends was guessed",
    Warn.CATEGORY_SUSPECT: "a line after a fragment's DEFAULTSORT that does not look like a category (kept as one)",
    Drop.WIKI_ITALICS: "wiki italics quotes (two apostrophes)",
    Drop.WIKI_BOLD: "wiki bold quotes (three apostrophes)",
    Drop.WIKI_BOLD_ITALICS: "wiki bold-italics quotes (five apostrophes)",
    Drop.WIKI_QUOTES: "a stray run of wiki quotes",
    Drop.MARKDOWN_BOLD: "markdown `**`",
    Drop.HTML_TAG: "an HTML tag",
    Drop.HTML_COMMENT: "an HTML comment",
    Drop.LINK_MARKUP: "the brackets and target of a wiki link (its anchor is kept)",
    Drop.LEAKED_WIKILINK: "wiki link brackets left in scraped text",
    Drop.TEMPLATE_MARKUP: "a `{{template}}`",
    Drop.DEFAULTSORT_MARKUP: "the markup round a DEFAULTSORT key (the key is kept)",
    Drop.CATEGORY_MARKUP: "the markup round a category (the category is kept)",
    Drop.LIST_BULLET: "a list bullet",
    Drop.EMPTY_BULLET: "a bullet with nothing after it",
    Drop.TABLE_MARKUP: "table pipes and rules",
    Drop.FOOTNOTE_MARKER: "a footnote marker (`[1]`, `[a]`)",
    Drop.EDITORIAL_TAG: "an editorial tag (`[citation needed]`)",
    Drop.FOOTNOTE_CARET: "a footnote back-link caret (`^`)",
    Drop.EDIT_LINK: "a rendered page's `[edit]` link",
    Drop.EMPTY_PARENTHESES: "parentheses left empty once their content went",
    Drop.PARENTHESIS_SEPARATOR: "a separator left alone inside parentheses",
    Drop.ORPHAN_ELLIPSIS: "an ellipsis left alone",
    Drop.PAGE_FURNITURE: "a line of site furniture (navigation, sharing, log-in)",
    Drop.SITE_CHROME: "a mirror site's header or footer",
    Drop.TITLE_SUFFIX: "the site's name after a page title",
    Drop.TABLE_OF_CONTENTS: "a rendered table of contents",
    Drop.EDITOR_NOTE: "an editor's note to readers (hatnote, maintenance banner)",
    Quarantine.NOT_IN_ALLOWED_SET: "a value outside the column's allowed set",
    Quarantine.IN_FORBIDDEN_SET: "a value in the column's forbidden set",
    Quarantine.PATTERN_MISMATCH: "a value that does not match the column's pattern",
    Quarantine.NULL_NOT_ALLOWED: "null in a column that must have a value",
    Quarantine.OUT_OF_RANGE: "a number outside the column's range",
    Quarantine.UNEXPECTED_VALUE: "a value other than the one the column requires",
    Quarantine.LENGTH_OUT_OF_RANGE: "a string too short or too long",
    Quarantine.DUPLICATE_KEY: "another row of the table has the same primary key",
    Quarantine.NOT_NFC: "text that is not Unicode NFC",
    Quarantine.NOT_STRIPPED: "text with leading or trailing whitespace",
    Quarantine.EMPTY_STRING: "the empty string where text or null is expected",
    Quarantine.SPAN_INVALID: "a span that is not 0 <= char_start <= char_end",
    Quarantine.IMPOSSIBLE_DATE: "an EDTF date that does not exist (30 February)",
    Quarantine.PRECISION_MISMATCH: "a date's precision column disagrees with the date",
    Quarantine.YEAR_MISMATCH: "a date's year column disagrees with the date",
    Quarantine.QUALIFIER_MISMATCH: "a date's qualifier column disagrees with the date",
    Quarantine.CALENDAR_NOTE_WITHOUT_DATE: "a calendar note on a missing date",
    Quarantine.RANGE_END_BEFORE_START: "an event whose end date is before its start",
    Quarantine.BIRTH_AFTER_DEATH: "a person born after their death",
    Quarantine.PARENT_NOT_BEFORE_CHILD: "a section whose parent does not come before it",
    Quarantine.DOC_ID_MISMATCH: "a doc_id that is not the start of the document's sha256",
    Quarantine.REJECT_CODE_MISMATCH: "a reject code on a parsed document, or none on a rejected one",
    Quarantine.COVERAGE_ON_REJECTED: "a coverage figure on a rejected document",
    Quarantine.UNKNOWN_DOC_ID: "a row naming a document with no valid `documents` row",
    Quarantine.UNKNOWN_PERSON_ID: "a row naming a person with no valid `persons` row",
}

FAMILIES: dict[str, tuple[str, list[str]]] = {
    "reject": ("`documents.reject_code` (status `rejected`)", [*Reject]),
    "skipped": ("`manifest.json` `skipped` (not read, counted in the summary)", [*SKIPPED]),
    "warning": ("`warnings.code` (the document is still parsed)", [*Warn]),
    "drop": ("`dropped.rule` (text a reader removed)", [*Drop]),
    "quarantine": ("`quarantine.reason_code` (a row that failed validation; the table's valid rows are still written)", [*Quarantine]),
}


def registered(family: str | None = None) -> set[str]:
    """Every code of one family, or of every family."""
    chosen = FAMILIES.values() if family is None else [FAMILIES[family]]
    return {code for _, codes in chosen for code in codes}


def code_tables() -> str:
    """The README's tables of codes, family by family, in registry order."""
    out: list[str] = []
    for family, (where, codes) in FAMILIES.items():
        out += [f"**{family}**: {where}", "", "| code | meaning |", "|---|---|"]
        out += [f"| `{code}` | {MEANINGS[code]} |" for code in codes]
        out.append("")
    return "\n".join(out)
