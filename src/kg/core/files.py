"""Writing files so that a failure never leaves half of one, and never outside the folder meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: bytes | str, *, create_folders: bool = False) -> None:
    """Write to a temporary file beside the target and rename: a failure leaves the old file.

    The data is complete in memory before the target is touched, so a serialiser that fails
    fails before any write; the temporary file is fsynced before the rename and the folder
    after it, so a crash leaves either the old bytes or the new, never a mix. The new file keeps
    the old one's permissions (mkstemp would make it private to the writer, hiding a shared
    graph file from the rest of the team), or gets the usual ones for a new file. A missing
    folder is refused, as the shell refuses `> missing/file` (a typo would otherwise leave the
    file somewhere nobody looks); `create_folders` is for folders kg owns (graph/added/).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path, create_folders=create_folders) as handle:
        handle.write(payload)


@contextmanager
def atomic_file(path: Path, *, create_folders: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write piece by piece that appears at `path` whole or not at all.

    For outputs too large to build in memory first (issue 19): the pieces go to a temporary
    file beside the target, renamed over it only when the block ends without an error; an
    error midway (a serialiser that fails, a full disk, an interrupt) removes the temporary
    file and leaves the old target as it was. Permissions, fsyncs and the refusal of a missing
    folder are write_atomic's.
    """
    import os
    import stat
    import tempfile

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(path))
    if create_folders:
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        check_output(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def check_output(path: Path) -> None:
    """Refuse, before any work, a file to write whose folder is missing or that is a folder."""
    from kg.core.errors import InputError

    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file", hint="name a file to write")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist",
                         hint="create it first: kg does not create folders, as the shell does not")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    import os

    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def safe_join(folder: Path, name: str) -> Path:
    """folder/name, refusing a name that would land outside folder (`../x`, `/etc/x`, a symlink).

    For every file name kg derives from data or from another file's name, so hostile input
    cannot make kg write where the user did not point it.
    """
    from kg.core.errors import InputError

    folder = Path(folder)
    candidate = folder / name
    if not name or Path(name).is_absolute() or not _inside(candidate, folder):
        raise InputError(f"refusing to write {name!r}: it would land outside {folder}",
                         hint="file names from data may not climb out of the output folder")
    return candidate


def inside(path: Path, folder: Path) -> bool:
    """True when path (resolved, symlinks followed) is folder or below it."""
    return _inside(Path(path), Path(folder))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
