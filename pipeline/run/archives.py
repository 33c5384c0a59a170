"""The members of a zip or tar archive as entries: each regular file's bytes, or why it is not read.

Rules, in order, for each member:

1. a folder is walked (it is no entry); a member below a hidden folder, or itself hidden
   (a name part starting with ``.``), is skipped as ``hidden``, named up to that part;
2. a link (symbolic or hard) → ``archive-link``: never followed; a FIFO or device → ``not-a-regular-file``;
3. a declared size over ``max_bytes`` → ``too-large``: not decompressed at all (a zip bomb
   costs nothing), and no read ever asks for more than ``max_bytes + 1`` bytes;
4. a member that fails to decompress (bad CRC, encrypted, unsupported method) → ``unreadable``.

A zip is read through its central directory; a tar (plain, gzip, bzip2 or xz) as a stream,
member after member, so the archive is decompressed once. An archive that cannot be read
on raises ``DamagedInput``, after yielding the members read before the damage.
"""

from __future__ import annotations

import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, BinaryIO

from pipeline.codes import Reject, message
from pipeline.records import Notice
from pipeline.run.entries import DamagedInput, Entry
from pipeline.run.sources import name_warnings, utf8_name

_MEMBER_ERRORS = (
    zipfile.BadZipFile,
    tarfile.TarError,
    RuntimeError,
    NotImplementedError,
    OSError,
    EOFError,
    zlib.error,
)


def member_parts(raw: str) -> list[str]:
    """A member's path as its parts: no empty or ``.`` parts (``./people//a.txt`` → people, a.txt)."""
    return [part for part in raw.split("/") if part not in ("", ".")]


def hidden_prefix(parts: list[str]) -> str | None:
    """The path up to the first hidden part (``.git``, ``.DS_Store``), or None; ``..`` is not hidden."""
    for i, part in enumerate(parts):
        if part.startswith(".") and part != "..":
            return "/".join(parts[: i + 1])
    return None


def _named(raw: str) -> tuple[str, tuple[Notice, ...]] | Entry | None:
    """(name, name warnings) of a member to look at; a skip entry when hidden; None for no name at all."""
    parts = member_parts(raw)
    if not parts:
        return None
    hidden = hidden_prefix(parts)
    if hidden is not None:
        return Entry(utf8_name(hidden), skip="hidden")
    name = "/".join(parts)
    return utf8_name(name), name_warnings(name)


def _too_large(name: str, size: int, notes: tuple[Notice, ...]) -> Entry:
    return Entry(name, reject=Reject.TOO_LARGE, n_bytes=size, notes=notes)


def _unreadable(name: str, size: int, error: BaseException, notes: tuple[Notice, ...]) -> Entry:
    note = Notice(Reject.UNREADABLE, message(Reject.UNREADABLE, error=repr(error)))
    return Entry(name, reject=Reject.UNREADABLE, n_bytes=size, notes=(note, *notes))


def _link(name: str, kind: str, target: str, notes: tuple[Notice, ...]) -> Entry:
    note = Notice(Reject.ARCHIVE_LINK, message(Reject.ARCHIVE_LINK, kind=kind, target=target or "-"))
    return Entry(name, reject=Reject.ARCHIVE_LINK, notes=(note, *notes))


def _not_a_file(name: str, notes: tuple[Notice, ...]) -> Entry:
    return Entry(
        name, reject=Reject.NOT_A_FILE, notes=(Notice(Reject.NOT_A_FILE, message(Reject.NOT_A_FILE)), *notes)
    )


def _read_capped(handle: IO[bytes], name: str, size: int, max_bytes: int, notes: tuple[Notice, ...]) -> Entry:
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # the declared size lied (a tar cannot, a zip's CRC check would fail later)
        return _too_large(name, len(data), notes)
    return Entry(name, data=data, n_bytes=len(data), notes=notes)


def zip_entries(handle: BinaryIO, max_bytes: int) -> Iterator[Entry]:
    """Every member of the zip in ``handle`` (seekable), in the archive's order."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise DamagedInput(f"not a readable zip archive: {error}") from error
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            named = _named(info.filename)
            if not isinstance(named, tuple):
                if named is not None:
                    yield named
                continue
            name, notes = named
            mode = info.external_attr >> 16 if info.create_system == 3 else 0  # unix permission bits
            if stat.S_ISLNK(mode):
                yield _link(name, "symbolic link", "-", notes)
                continue
            if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                yield _not_a_file(name, notes)
                continue
            if info.file_size > max_bytes:
                yield _too_large(name, info.file_size, notes)
                continue
            yield _zip_member(archive, info, name, max_bytes, notes)


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, max_bytes: int, notes: tuple[Notice, ...]
) -> Entry:
    try:
        with archive.open(info) as member:
            return _read_capped(member, name, info.file_size, max_bytes, notes)
    except _MEMBER_ERRORS as error:
        return _unreadable(name, info.file_size, error, notes)


def tar_entries(handle: BinaryIO, max_bytes: int) -> Iterator[Entry]:
    """Every member of the tar in ``handle`` (plain or compressed), read as one stream, in the archive's order."""
    last = "its first member"
    with _open_tar(handle) as archive:
        members = iter(archive)
        while True:
            try:
                info = next(members)
            except StopIteration:
                return
            except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
                raise DamagedInput(f"the tar archive cannot be read past {last}: {error}") from error
            last = info.name
            entry = _tar_entry(archive, info, max_bytes)
            if entry is not None:
                yield entry


def _open_tar(handle: BinaryIO) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=handle, mode="r|*")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise DamagedInput(f"not a readable tar archive: {error}") from error


def _tar_entry(archive: tarfile.TarFile, info: tarfile.TarInfo, max_bytes: int) -> Entry | None:
    if info.isdir():
        return None
    named = _named(info.name)
    if not isinstance(named, tuple):
        return named
    name, notes = named
    if info.issym() or info.islnk():
        return _link(name, "symbolic link" if info.issym() else "hard link", info.linkname, notes)
    if not info.isreg():
        return _not_a_file(name, notes)
    if info.size > max_bytes:
        return _too_large(name, info.size, notes)
    try:
        member = archive.extractfile(info)
        if member is None:
            return _not_a_file(name, notes)
        with member:
            return _read_capped(member, name, info.size, max_bytes, notes)
    except _MEMBER_ERRORS as error:
        return _unreadable(name, info.size, error, notes)
