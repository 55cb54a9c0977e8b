"""The teacher interface: anything that turns (request, sample index) into a journal Response."""

from __future__ import annotations

import asyncio
from typing import Protocol, runtime_checkable

from chukmath.records import Request, Response


@runtime_checkable
class Teacher(Protocol):
    """A teacher answers one sample of one request.

    ``answer`` never raises for a per-request failure: it returns a Response whose ``error`` says what went
    wrong (after its own retries). It raises :class:`chukmath.errors.TeacherError` only when the whole run
    cannot go on (e.g. the endpoint rejects the API key).
    """

    name: str
    model: str

    async def answer(self, request: Request, sample: int) -> Response:
        """The response for sample ``sample`` (0-based) of ``request``."""
        ...


class ClosableTeacher(Teacher, Protocol):
    """A teacher holding connections, closed with ``aclose()`` when the run ends."""

    async def aclose(self) -> None:
        """Release connections."""
        ...


@runtime_checkable
class InFlightLimited(Protocol):
    """A teacher that bounds its own requests in flight, and frees a slot while a request waits to be retried.

    The runner then keeps more requests in progress than in flight, so a request told to wait (a 429's
    Retry-After) does not hold up the others. Once ``stop`` is set, a request not yet sent is not sent
    (``answer`` raises :class:`NotSent`); requests already sent may still be retried.
    """

    def limit_in_flight(self, n: int, stop: asyncio.Event | None = None) -> None:
        """Send at most ``n`` requests at once, and no new one once ``stop`` is set."""
        ...
