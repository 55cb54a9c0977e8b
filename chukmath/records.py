"""Typed records that cross stage boundaries. Dicts appear only at the I/O edge (``to_dict``/``from_dict``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

from chukmath.errors import InputError

Message = dict[str, str]


def _require(data: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise InputError(f"{where}: missing field(s) {', '.join(missing)}")


@dataclass(slots=True, frozen=True)
class Problem:
    """One generated problem with its exact answer (``str()`` of the sympy value).

    The field list below is the only one: ``FIELDS``, ``to_dict``, ``from_dict`` and the generator's rows
    (:func:`problem_row`) are derived from it.
    """

    id: str
    generator: str
    difficulty: int
    seed: int
    index: int
    question: str
    expression: str
    answer: str
    meta: dict[str, Any] = field(default_factory=dict)

    FIELDS: ClassVar[tuple[str, ...]]
    REQUIRED: ClassVar[tuple[str, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "problem") -> Problem:
        _require(data, cls.REQUIRED, where)
        try:
            return cls(**{name: read(data.get(name)) for name, read in _PROBLEM_READERS})
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: bad field value ({exc})") from exc


def _read_meta(value: Any) -> dict[str, Any]:
    return dict(value or {})


# How from_dict reads each field, by the type the dataclass declares (annotations are strings here).
_READERS: dict[str, Callable[[Any], Any]] = {"str": str, "int": int, "dict[str, Any]": _read_meta}
_PROBLEM_READERS = tuple((f.name, _READERS[str(f.type)]) for f in fields(Problem))
Problem.FIELDS = tuple(name for name, _ in _PROBLEM_READERS)
Problem.REQUIRED = tuple(f.name for f in fields(Problem) if f.default is MISSING and f.default_factory is MISSING)


def problem_row(*values: Any) -> dict[str, Any]:
    """A problem as the dict :meth:`Problem.to_dict` makes, from its field values in ``Problem.FIELDS`` order (the
    generator's hot path builds rows without a dataclass per problem)."""
    return dict(zip(Problem.FIELDS, values, strict=True))


@dataclass(slots=True, frozen=True)
class Request:
    """One teacher request: the chat messages rendered from a problem by a template.

    ``id`` is the content hash of what would be sent, so it is stable across runs and is the journal key.
    """

    id: str
    problem_id: str
    template: str
    template_hash: str
    messages: list[Message]

    FIELDS = ("id", "problem_id", "template", "template_hash", "messages")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "problem_id": self.problem_id,
            "template": self.template,
            "template_hash": self.template_hash,
            "messages": self.messages,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "request") -> Request:
        _require(data, cls.FIELDS, where)
        messages = data["messages"]
        if not isinstance(messages, list) or not all(
            isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)
            for m in messages
        ):
            raise InputError(f"{where}: 'messages' must be a list of {{role, content}} strings")
        return cls(
            id=str(data["id"]),
            problem_id=str(data["problem_id"]),
            template=str(data["template"]),
            template_hash=str(data["template_hash"]),
            messages=messages,
        )


@dataclass(slots=True)
class Response:
    """One journal line: a teacher's answer (or failure) for sample ``sample`` of request ``request_id``.

    ``error`` is None on success, else ``{"kind": ..., "message": ...}``; kinds include ``http_429``,
    ``http_5xx``, ``http_4xx``, ``timeout``, ``connection``, ``bad_body``.
    ``finish_reason == "length"`` is a truncated success, not an error.
    """

    request_id: str
    sample: int
    teacher: str
    model: str
    content: str | None
    reasoning_content: str | None = None
    finish_reason: str | None = None
    usage: dict[str, int] | None = None
    error: dict[str, str] | None = None
    attempts: int = 1
    latency_s: float = 0.0
    created: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def key(self) -> tuple[str, int]:
        return (self.request_id, self.sample)

    def to_dict(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "sample": self.sample,
            "teacher": self.teacher,
            "model": self.model,
            "content": self.content,
            "reasoning_content": self.reasoning_content,
            "finish_reason": self.finish_reason,
            "usage": self.usage,
            "error": self.error,
            "attempts": self.attempts,
            "latency_s": self.latency_s,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "response") -> Response:
        _require(data, ("request_id", "sample", "content"), where)
        try:
            return cls(
                request_id=str(data["request_id"]),
                sample=int(data["sample"]),
                teacher=str(data.get("teacher") or ""),
                model=str(data.get("model") or ""),
                content=data["content"] if isinstance(data["content"], str) else None,
                reasoning_content=data.get("reasoning_content")
                if isinstance(data.get("reasoning_content"), str)
                else None,
                finish_reason=data.get("finish_reason"),
                usage=data.get("usage"),
                error=data.get("error"),
                attempts=int(data.get("attempts") or 1),
                latency_s=float(data.get("latency_s") or 0.0),
                created=float(data.get("created") or 0.0),
            )
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: bad field value ({exc})") from exc
