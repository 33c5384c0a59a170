"""EDGE: find input files, read their bytes, decode them, give each its doc_id.

Decoding is a pure function of the bytes (``decode``) so that every rule can be
tested without files. The order of the rules:

1. size over the limit → ``too-large`` (hashed by streaming, never loaded whole);
2. a byte-order mark decides UTF-8/UTF-16/UTF-32;
3. UTF-16 without a BOM is recognised by its NUL-byte pattern;
4. remaining NUL bytes or mostly control bytes → ``binary-content``;
5. strict UTF-8;
6. otherwise charset-normalizer picks a legacy encoding (cp1251, cp1252, …),
   flagged with ``non-utf8-encoding``; if it finds none → ``undecodable``;
7. nothing but whitespace → ``empty-document``.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from pipeline.codes import Reject, Warn, message
from pipeline.records import Notice, SourceDoc

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
READ_CHUNK = 1 << 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = {9, 10, 12, 13}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS)  # counted at C speed by ``translate``
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, newline, form feed, CR


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str | None
    encoding: str | None
    reject_code: str | None
    warnings: tuple[Notice, ...] = ()


def doc_id_of(sha256_hex: str) -> str:
    return sha256_hex[:16]


def source_name_of(path: Path, root: Path) -> str:
    """A file's name below ``root`` as the tables and the manifest carry it: always valid UTF-8.

    A name whose bytes are not UTF-8 (``bad\\xff.txt`` on disk) is shown with each such byte
    as ``\\xNN``; the document gets an ``undecodable-file-name`` warning with the name's bytes.
    """
    return utf8_name(path.relative_to(root).as_posix())


def utf8_name(name: str) -> str:
    """A name as decoded by the OS (undecodable bytes as surrogates) with each such byte as ``\\xNN``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace") if _has_surrogates(name) else name


def _has_surrogates(name: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in name)


def _walk(folder: Path) -> Iterator[tuple[Path, bool]]:
    """(entry, hidden) for every entry below ``folder`` but directories, which are walked
    (a linked directory is an entry: never walked, so no loop); hidden folders are not walked."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        hidden = entry.name.startswith(".")
        if entry.is_dir(follow_symlinks=False):
            if hidden:
                yield path, True
            else:
                yield from _walk(path)
        else:
            yield path, hidden


def list_inputs(folder: Path) -> list[Path]:
    """Every entry below ``folder`` that is a document or stands where one could be (a file, a link,
    a FIFO…), hidden ones excluded, in a stable order; ``entry_problem`` says which cannot be read."""
    return sorted(path for path, hidden in _walk(folder) if not hidden)


def hidden_entries(folder: Path) -> list[Path]:
    """The hidden files and folders below ``folder`` (``.DS_Store``, ``.git``): listed in the
    manifest as skipped, never read."""
    return sorted(path for path, hidden in _walk(folder) if hidden)


def entry_problem(path: Path, root: Path, follow_symlinks: bool = False) -> str | None:
    """Why the entry ``path`` below ``root`` is not read, as a reject code; None for a readable file.

    Looked at without opening anything: a FIFO is never opened (a read would block), a link
    is never followed out of the input folder unless ``follow_symlinks`` says so.
    """
    try:
        info = path.lstat()
    except OSError:
        return Reject.UNREADABLE
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return Reject.DANGLING_LINK
        except (RuntimeError, OSError):  # a loop of links (ELOOP), or a part of it unreadable
            return Reject.LINK_LOOP
        if not follow_symlinks and not target.is_relative_to(root.resolve()):
            return Reject.OUTSIDE_INPUT
        try:
            info = target.stat()
        except OSError:
            return Reject.UNREADABLE
    if not stat.S_ISREG(info.st_mode):
        return Reject.NOT_A_FILE
    return None


def _printable_share(text: str) -> float:
    sample = text[:4096]
    good = sum(1 for ch in sample if ch.isprintable() or ch in "\t\n\r\f")
    return good / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no BOM: NUL bytes present, and one byte order decodes to printable text."""
    if 0 not in data[:4096] or len(data) % 2:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            share = _printable_share(data[:8192].decode(encoding))
        except UnicodeDecodeError:
            continue
        if share > best_share:
            best, best_share = encoding, share
    return best if best_share >= 0.97 else None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if 0 in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.1 * len(sample)


def _decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(text, encoding, reject_code) for rules 2–6."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, None
            except UnicodeDecodeError:
                return None, None, Reject.UNDECODABLE
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16, None
        except UnicodeDecodeError:
            return None, None, Reject.UNDECODABLE
    if _looks_binary(data):
        return None, None, Reject.BINARY_CONTENT
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    best = _legacy_encoding(data)
    if best is None or best.encoding is None:
        return None, None, Reject.UNDECODABLE
    try:
        return data.decode(best.encoding), best.encoding, None
    except (UnicodeDecodeError, LookupError):
        return None, None, Reject.UNDECODABLE


LEGACY_PREFERENCE = ("cp1252", "cp1251", "cp1250", "iso8859_1", "iso8859_15", "koi8_r", "cp1257", "iso8859_2")
"""When charset-normalizer scores several encodings the same (cp1250, cp1252 and cp1257 often tie on
Western text), the most widely used one wins instead of the first listed."""


def _legacy_encoding(data: bytes) -> Any:
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]

    def rank(match: Any) -> int:
        encoding = match.encoding
        return LEGACY_PREFERENCE.index(encoding) if encoding in LEGACY_PREFERENCE else len(LEGACY_PREFERENCE)

    return min(tied, key=rank)


def _text_warnings(text: str, encoding: str) -> tuple[Notice, ...]:
    notes: list[Notice] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(Notice(Warn.NON_UTF8_ENCODING, message(Warn.NON_UTF8_ENCODING, encoding=encoding)))
    n_replacement = text.count("\ufffd")
    if n_replacement:
        notes.append(
            Notice(Warn.REPLACEMENT_CHARACTERS, message(Warn.REPLACEMENT_CHARACTERS, n=n_replacement))
        )
    n_controls = len(_CONTROL_CHARS.findall(text))
    if n_controls:
        notes.append(Notice(Warn.CONTROL_CHARACTERS, message(Warn.CONTROL_CHARACTERS, n=n_controls)))
    return tuple(notes)


def decode(data: bytes) -> Decoded:
    """Decode a document's bytes, or say why they cannot be read as text."""
    if not data.strip():
        return Decoded(None, None, Reject.EMPTY_DOCUMENT)
    text, encoding, reject = _decode_bytes(data)
    if reject or text is None or encoding is None:
        return Decoded(None, encoding, reject or Reject.UNDECODABLE)
    if not text.strip().strip("\ufeff").strip():
        return Decoded(None, encoding, Reject.EMPTY_DOCUMENT)
    return Decoded(text, encoding, None, _text_warnings(text, encoding))


def decode_utf8(data: bytes) -> Decoded:
    """Decode bytes known to be UTF-8 (a JSON Lines record's text): nothing to sniff, so only rules 4
    (NUL or mostly control bytes → ``binary-content``) and 7 (``empty-document``) can reject them."""
    if not data.strip():
        return Decoded(None, None, Reject.EMPTY_DOCUMENT)
    if _looks_binary(data):
        return Decoded(None, None, Reject.BINARY_CONTENT)
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    text = data.decode(encoding)
    if not text.strip():
        return Decoded(None, encoding, Reject.EMPTY_DOCUMENT)
    return Decoded(text, encoding, None, _text_warnings(text, encoding))


def source_from_bytes(name: str, data: bytes, utf8: bool = False) -> SourceDoc:
    """A SourceDoc for bytes in memory (an archive member, a JSON Lines record's text with ``utf8``; tests)."""
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode_utf8(data) if utf8 else decode(data)
    return SourceDoc(
        doc_id=doc_id_of(digest),
        source_name=name,
        sha256=digest,
        n_bytes=len(data),
        encoding=decoded.encoding,
        text=decoded.text,
        reject_code=decoded.reject_code,
        warnings=decoded.warnings,
    )


def hash_file(path: Path) -> tuple[str, int]:
    """(sha256 hex, size) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def content_sha256(path: Path, root: Path, follow_symlinks: bool = False) -> str:
    """The sha256 a file's ``doc_id`` comes from: of its bytes, or of its name when it cannot be read."""
    if entry_problem(path, root, follow_symlinks):
        return name_sha256(source_name_of(path, root))
    try:
        return hash_file(path)[0]
    except OSError:
        return name_sha256(source_name_of(path, root))


def name_sha256(name: str) -> str:
    """The sha256 of a document whose bytes are not read (unreadable, a link, too large in an archive):
    of its ``source_name``, so its ``doc_id`` is still stable and distinct."""
    return hashlib.sha256(name.encode()).hexdigest()


def read_source(
    path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, follow_symlinks: bool = False
) -> SourceDoc:
    """Read one file; a file we cannot use becomes a rejected SourceDoc, never an exception."""
    name = source_name_of(path, root)
    name_notes = _name_warnings(path, root)
    problem = entry_problem(path, root, follow_symlinks)
    if problem is not None and problem != Reject.UNREADABLE:  # unreadable: the read below says why
        digest = name_sha256(name)
        note = Notice(problem, message(problem, target=_link_target(path)))
        return SourceDoc(doc_id_of(digest), name, digest, 0, None, None, problem, (note, *name_notes))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            digest, size = hash_file(path)
            return SourceDoc(doc_id_of(digest), name, digest, size, None, None, Reject.TOO_LARGE)
        data = path.read_bytes()
    except OSError as error:
        digest = name_sha256(name)
        note = Notice(Reject.UNREADABLE, message(Reject.UNREADABLE, error=error))
        return SourceDoc(
            doc_id_of(digest), name, digest, 0, None, None, Reject.UNREADABLE, (note, *name_notes)
        )
    source = source_from_bytes(name, data)
    return replace(source, warnings=source.warnings + name_notes) if name_notes else source


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "-"


def _name_warnings(path: Path, root: Path) -> tuple[Notice, ...]:
    return name_warnings(path.relative_to(root).as_posix())


def name_warnings(raw: str) -> tuple[Notice, ...]:
    """The ``undecodable-file-name`` warning for a name whose bytes are not UTF-8, with those bytes."""
    if not _has_surrogates(raw):
        return ()
    return (
        Notice(Warn.UNDECODABLE_FILE_NAME, message(Warn.UNDECODABLE_FILE_NAME, hex=os.fsencode(raw).hex())),
    )
