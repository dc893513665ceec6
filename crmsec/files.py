"""The one way crmsec touches files: capped reads of regular files and atomic, symlink-safe writes.

Reads (`read_regular`, `open_regular`): every file a user hands us (evidence, report, envelope, profile,
inputs, keys, exports) is opened once without blocking, then `fstat`ed on the open descriptor. A FIFO,
device (`/dev/zero`), socket or directory raises `error(message)` naming the file instead of hanging or
filling memory, and no more than the cap (plus one byte, to notice an oversized file) is ever read.

Writes (`write_atomic`): a fresh temporary file is created next to the target with `mkstemp` (O_EXCL, a
random name, so an existing or planted `.NAME.tmp` is never reused or followed), given its mode before the
first byte, written, fsynced and renamed over the target. A symlink at the target is replaced, never written
through. On any failure the temporary file is removed and the target keeps its old content.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from crmsec.errors import InputError

ErrorFactory = Callable[[str], Exception]


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _open_descriptor(path: Path, *, limit: int | None, error: ErrorFactory) -> int:
    """An open, blocking descriptor on a regular file no larger than `limit`; anything else raises `error`.

    The open itself does not block (O_NONBLOCK), so a FIFO without a writer is refused, not waited on.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as problem:
        raise error(f"{path}: cannot read ({_reason(problem)})") from problem
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise error(f"{path}: not a regular file")
        if limit is not None and status.st_size > limit:
            raise error(f"{path}: {status.st_size} bytes is over the {limit}-byte limit")
        os.set_blocking(descriptor, True)
    except OSError as problem:
        os.close(descriptor)
        raise error(f"{path}: cannot read ({_reason(problem)})") from problem
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_regular(path: Path, *, limit: int, error: ErrorFactory) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; other files, or larger ones, raise `error`.

    The size is checked on the open descriptor and again while reading, so a file that grows between
    the two is still refused rather than read without bound.
    """
    descriptor = _open_descriptor(path, limit=limit, error=error)
    try:
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as problem:
        raise error(f"{path}: cannot read ({_reason(problem)})") from problem
    if len(data) > limit:
        raise error(f"{path}: over the {limit}-byte limit")
    return data


@contextlib.contextmanager
def open_regular(path: Path, *, limit: int | None, error: ErrorFactory) -> Iterator[BinaryIO]:
    """A binary handle on a regular file of at most `limit` bytes (None: any size), for streaming readers.

    Refuses what `read_regular` refuses; the caller reads at its own pace and must still stop at `limit`
    if the file may grow (`capped_chunks` does).
    """
    descriptor = _open_descriptor(path, limit=limit, error=error)
    with os.fdopen(descriptor, "rb") as handle:
        yield handle


def capped_chunks(
    handle: BinaryIO, path: Path, *, limit: int, error: ErrorFactory, size: int = 1 << 20
) -> Iterator[bytes]:
    """The handle's content in chunks; more than `limit` bytes in total raises `error`."""
    total = 0
    while chunk := handle.read(size):
        total += len(chunk)
        if total > limit:
            raise error(f"{path}: over the {limit}-byte limit")
        yield chunk


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace `path` with `data` atomically, the new file having `mode` from creation on.

    A symlink at `path` is replaced by the new file (its target is left alone). Raises `OSError`
    (the caller names the file in its own error); the target is unchanged when that happens.
    """
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable; some filesystems and platforms cannot open or fsync a directory."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_output(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """`write_atomic` for files the user asked for: a failure raises `InputError` naming the file."""
    try:
        write_atomic(path, data, mode=mode)
    except OSError as problem:
        raise InputError(
            f"{path}: cannot write ({_reason(problem)})", hint="check that the output folder is writable"
        ) from problem
