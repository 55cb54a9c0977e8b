"""Every exception class of the package, in one tree. The CLI turns any ChukmathError into a one-line message and
exit code 2; the HTTP ones are per-request failures the teachers record in the journal, never shown raw.

::

    ChukmathError                     raised on purpose, caught by the CLI (one line, exit 2)
    ├── InputError                    a user file is malformed (file:line)
    │   └── UnsafeExpression          an expression outside chukmath.safe_expr's whitelist
    ├── ConfigError                   an option or config value is invalid (key, value, what is allowed)
    ├── TemplateError                 a prompt template is missing, broken or unsafe
    │   ├── TemplateFileError         ... at a known file and line
    │   └── TemplateRenderError       ... while rendering one problem
    ├── TeacherError                  a teacher cannot run at all (no key, bad base URL)
    │   └── FleetDown                 every server of a fleet is out
    ├── OutputError                   an output location cannot be used (another run, not writable, disk full)
    └── WorkerError                   a generator worker process failed or died
    HTTPError                         one request's transport failed (chukmath.teach.http_client)
    ├── HTTPTimeout
    ├── HTTPConnectionError
    │   ├── HTTPConnectError          no connection could be made
    │   └── HTTPTLSError              the certificate could not be verified
    └── HTTPProtocolError             the bytes are not valid HTTP/1.1 within the bounds
    BadBody                           a 200 answer that is not a usable completion (recorded as bad_body)
    NotSent                           a request never sent because the run is stopping (nothing recorded)
    RequestError                      a request the rewards server refuses (status + message)
    ValueError
    └── AnswerFailure                 a [source] row's answer cannot be read as an exact value

Left where they are, because they never leave the module (or the verify package) that raises and catches them:
the verifier's parse signals (``ParseFailure``, ``TooComplex``, ``EvalFailure`` in ``chukmath.verify``), the
families' ``NotPolynomial`` and ``Unsupported``, and private control-flow signals named with a leading underscore.
"""

from __future__ import annotations

import errno
import os
from http import HTTPStatus
from pathlib import Path


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


class UnsafeExpression(InputError):
    """An expression uses syntax, a name or a size outside the whitelist."""


class TemplateFileError(TemplateError):
    """A template file is broken at a known place; ``str()`` is ``path:line: detail``."""

    def __init__(self, path: Path, line: int, detail: str) -> None:
        self.path = path
        self.line = line
        self.detail = detail
        where = f"{path}:{line}" if line > 0 else str(path)
        super().__init__(f"{where}: {detail}")


class TemplateRenderError(TemplateError):
    """Rendering failed for one problem; ``line`` is the template line (0 if unknown), ``cause`` the error."""

    def __init__(self, path: Path, line: int, name: str, problem_id: str, cause: Exception) -> None:
        self.path = path
        self.line = line
        self.cause = cause
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: template '{name}' failed on problem {problem_id}: {type(cause).__name__}: {cause}")


class FleetDown(TeacherError):
    """Every server of the fleet has been out for longer than the retry budget."""


class WorkerError(ChukmathError):
    """A generator worker process failed or died; the message says which stream and candidates."""


class HTTPError(Exception):
    """A transport-level failure of one request (never carries request headers, so never the key)."""


class HTTPTimeout(HTTPError):
    """No complete response within the timeout."""


class HTTPConnectionError(HTTPError):
    """The connection could not be made, or closed before a complete response."""


class HTTPConnectError(HTTPConnectionError):
    """No connection could be made (refused, unreachable, reset during the handshake); ``reason`` says why."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class HTTPTLSError(HTTPConnectionError):
    """The server's TLS certificate could not be verified (a configuration problem, not a transient one)."""


class HTTPProtocolError(HTTPError):
    """The server's bytes are not a valid HTTP/1.1 response within the size bounds."""


class BadBody(Exception):
    """A 200 response whose body is not a usable chat completion."""


class NotSent(Exception):
    """Raised by ``answer`` for a request it never sent because the run is stopping: nothing to record."""


class RequestError(Exception):
    """A request the server refuses: an HTTP status and a message for the client."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class AnswerFailure(ValueError):
    """The row's answer cannot be read as an exact value (the message says why)."""


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
