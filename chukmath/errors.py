"""The exception hierarchy. The CLI turns any ChukmathError into a one-line message and exit code 2."""

from __future__ import annotations

import errno
import os


class ChukmathError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(ChukmathError):
    """A user file (problems, requests, journal, recipe) is malformed; the message names file and line."""


class ConfigError(ChukmathError):
    """An option or config value is invalid; the message names the key, the value and what is allowed."""


class TemplateError(ChukmathError):
    """A prompt template is missing, broken or unsafe; the message names the template and line."""


class TeacherError(ChukmathError):
    """A teacher cannot run at all (no key, bad base URL); per-request failures go into the journal."""


class OutputError(ChukmathError):
    """An output location cannot be used (it holds a different run, it is not writable, the disk is full)."""


# What the user can do about each way the operating system refuses an output; errors not named here get the
# system's own words and "choose another location".
_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run the same command again",
    errno.EDQUOT: "the disk quota is used up: free some space and run the same command again",
    errno.EFBIG: "the file reached the size limit (ulimit -f or the file system's): raise the limit and run the "
    "same command again",
    errno.EACCES: "permission denied: choose a folder you can write to, or fix its permissions",
    errno.EPERM: "not permitted (an immutable or protected folder?): choose a folder you can write to",
    errno.EROFS: "the file system is read-only: choose a location on a writable one",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another location",
    errno.EEXIST: "a file of that name is in the way (a folder is needed there): choose another location",
    errno.EISDIR: "that is a folder: give a file name",
    errno.ELOOP: "too many levels of symbolic links (a symlink loop?): fix the link or choose another location",
    errno.ENAMETOOLONG: "the name is too long: choose a shorter path",
    errno.EIO: "the device reported an I/O error: check the disk and run the same command again",
}


def os_advice(exc: OSError) -> str:
    """What went wrong and what to do, in words, for an operating-system error on an output."""
    advice = _ADVICE.get(exc.errno or 0)
    if advice is not None:
        return advice
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return f"{reason}: choose another location"


def output_error(path: object, exc: OSError, doing: str = "cannot write") -> OutputError:
    """An OutputError for ``exc`` met while writing ``path``: ``<path>: cannot write (<reason>): <what to do>``."""
    reason = exc.strerror or str(exc)
    advice = os_advice(exc)
    said = f" ({reason})" if not advice.lower().startswith(reason.lower()) else ""
    return OutputError(f"{path}: {doing}{said}; {advice}")


def environment_message(exc: OSError) -> str | None:
    """One line for an OSError that is about the machine (disk full, permissions, a bad path), else None (a bug)."""
    if exc.errno not in _ADVICE:
        return None
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}; {os_advice(exc)}"
