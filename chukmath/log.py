"""Diagnostics through :mod:`logging`: the library logs to ``logging.getLogger("chukmath")`` and never prints.

A program using chukmath as a library sees its warnings through its own logging setup (or, with none, Python's
last-resort handler prints warnings and errors on stderr). The ``chukmath`` command installs one stderr handler
with :func:`configure_cli` and sets the level from ``-v``/``-q``; progress bars and tables are not diagnostics
and stay with the CLI.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

LOGGER_NAME = "chukmath"
logger = logging.getLogger(LOGGER_NAME)


def get_logger(name: str) -> logging.Logger:
    """The logger of module ``name`` (``chukmath.x.y``), a child of ``chukmath``'s."""
    return logging.getLogger(name if name.startswith(LOGGER_NAME) else f"{LOGGER_NAME}.{name}")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment of the record (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # StreamHandler.__init__ sets it; the property always answers the current stderr


class _CliFormatter(logging.Formatter):
    """``warning: message`` (the form the CLI's own one-line messages use); ``-vv`` adds the logger name."""

    def __init__(self, with_names: bool) -> None:
        super().__init__()
        self.with_names = with_names

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        where = f"[{record.name}] " if self.with_names else ""
        return f"{record.levelname.lower()}: {where}{text}"


def cli_level(verbose: int = 0, quiet: bool = False) -> int:
    """The level ``-v`` (info), ``-vv`` (debug) and ``-q`` (errors only) choose; warnings by default."""
    if quiet:
        return logging.ERROR
    return {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)


def configure_cli(verbose: int = 0, quiet: bool = False) -> None:
    """Send ``chukmath`` log records to stderr at the level the flags choose; calling again replaces the setup."""
    for handler in list(logger.handlers):
        if isinstance(handler, _StderrHandler):
            logger.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(_CliFormatter(with_names=verbose >= 2 and not quiet))
    logger.addHandler(handler)
    logger.setLevel(cli_level(verbose, quiet))
