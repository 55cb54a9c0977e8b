"""Output locations checked before any work starts, so a bad ``--out`` costs one line, not a run's time."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from chukmath.errors import OutputError, output_error


def _nearest_existing(path: Path, option: str) -> Path:
    """The closest ancestor of ``path`` that exists; OutputError when a file or a dead link stands in the way."""
    for parent in path.parents:
        try:
            info = os.stat(parent)
        except FileNotFoundError:
            if parent.is_symlink():
                raise OutputError(f"{path}: {parent} is a symbolic link that leads nowhere; fix it or choose "
                                  f"another {option}") from None
            continue
        except OSError as exc:  # ELOOP, EACCES on the way
            raise output_error(path, exc, "cannot be reached") from None
        if not stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{path}: {parent} is a file, not a folder; choose another {option}")
        return parent
    return Path(".")


def check_output(path: str | Path, *, option: str = "--out", folder: bool = False, special_ok: bool = True) -> None:
    """Raise OutputError naming what is wrong with writing ``path`` (a file, or a folder when ``folder``).

    Refused: a dead or looping symbolic link, a file where a folder is needed or the other way round, a device
    when ``special_ok`` is false, and a read-only or (for users other than root) unwritable nearest folder. What
    only the attempt can tell (an immutable folder, a full disk) is reported by the writers themselves.
    """
    path = Path(path)
    if str(path) == "-":
        return
    if path.is_symlink() and not path.exists():
        raise OutputError(f"{path}: a symbolic link that leads nowhere (a loop or a missing target); fix the link "
                          f"or choose another {option}")
    if path.exists():
        if folder and not path.is_dir():
            raise OutputError(f"{path}: exists and is not a folder; choose another {option}")
        if not folder and path.is_dir():
            raise OutputError(f"{path}: is a folder; give a file name (e.g. {path / 'out.jsonl'})")
        if not folder and not path.is_file():
            if special_ok:
                return  # a device or pipe (/dev/null, a FIFO) is written in place: its folder does not matter
            raise OutputError(f"{path}: not a regular file (a device or pipe); {option} must be a file it can append "
                              "to and read back")
        target = path if folder else path.parent if str(path.parent) else Path(".")
    else:
        target = _nearest_existing(path, option)
    if os.statvfs(target).f_flag & os.ST_RDONLY:
        raise output_error(path, OSError(errno.EROFS, os.strerror(errno.EROFS)))
    if not os.access(target, os.W_OK | os.X_OK):
        raise output_error(path, OSError(errno.EACCES, f"{target} is not writable"))
