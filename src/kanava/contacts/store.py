"""The Parquet event store: files written so that a crash leaves them whole or absent,
and read only when whole.

A file is written under a hidden ``.partial`` name, flushed to disk, renamed, and its
folder flushed, so after a power cut the store holds either the complete file or
none (and maybe a ``.partial`` leftover, removed by the next load of its source). A
file that is nonetheless damaged (truncated, overwritten) is named in the log and left
out of every figure, instead of failing them all.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq

log = logging.getLogger(__name__)
PARTIAL_SUFFIX = ".partial"


def _fsync(path: Path) -> None:
    """Flush a file's or folder's contents to the disk (a folder: its entries)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(final: Path, write: Callable[[Path], None]) -> Path:
    """Write ``final`` through ``write(partial)``: complete on disk, or not there at all."""
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.stem}{PARTIAL_SUFFIX}")
    try:
        write(partial)
        _fsync(partial)
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync(final.parent)
    return final


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the ``.partial`` files an interrupted load left behind in ``folder``.

    Call it only while no other load writes into the same folder (a load holds its
    source's lock)."""
    if not folder.is_dir():
        return []
    removed = sorted(folder.glob(f".*{PARTIAL_SUFFIX}"))
    for leftover in removed:
        leftover.unlink(missing_ok=True)
        log.warning("removed %s, left by an interrupted load", leftover)
    if removed:
        _fsync(folder)
    return removed


@lru_cache(maxsize=4096)
def _readable(path: str, size: int, modified_ns: int) -> bool:
    """Whether the file's Parquet footer and schema can be read; memoised per version of
    the file (its size and time), so each file is opened once, not on every figure."""
    try:
        pq.read_metadata(path)
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        log.error("left out of every figure: %s cannot be read as Parquet (%s)", path, error)
        return False
    return True


def event_files(parquet_dir: Path | None) -> list[str]:
    """The whole Parquet files of events: the demo year and bulk ingests (one folder
    each). A damaged file is logged by name and left out."""
    if parquet_dir is None:
        return []
    files = []
    for path in sorted(parquet_dir.rglob("*.parquet")):
        try:
            facts = path.stat()
        except OSError:  # removed meanwhile
            continue
        if _readable(str(path), facts.st_size, facts.st_mtime_ns):
            files.append(str(path))
    return files


def unreadable_files(parquet_dir: Path | None) -> list[str]:
    """The damaged files ``event_files`` leaves out, for a report."""
    if parquet_dir is None:
        return []
    readable = set(event_files(parquet_dir))
    return [str(p) for p in sorted(parquet_dir.rglob("*.parquet")) if str(p) not in readable]
