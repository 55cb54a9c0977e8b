"""Family configs: dataclasses whose fields carry their own limits, built from a difficulty preset plus overrides.

A field's ``metadata`` holds ``help`` and the allowed values (``min``/``max`` for numbers, ``choices`` for
strings, ``chars`` for a string that is a set of characters such as the operations ``+-*/``). Validation and
the ``generators list --json`` description both come from that one declaration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from chukmath.errors import ConfigError

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def param(default: Any, help: str, **limits: Any) -> Any:
    """A config field with its default, one-line help and limits (``min``, ``max``, ``choices``, ``chars``)."""
    return dataclasses.field(default=default, metadata={"help": help, **limits})


def _kind(f: dataclasses.Field[Any]) -> str:
    return f.type if isinstance(f.type, str) else f.type.__name__


def allowed_text(f: dataclasses.Field[Any]) -> str:
    """What a field accepts, in words (used in errors and listings)."""
    meta, kind = f.metadata, _kind(f)
    if kind == "bool":
        return "true or false"
    if "choices" in meta:
        return "one of " + ", ".join(meta["choices"])
    if "chars" in meta:
        return f"a non-empty combination of the characters {meta['chars']}"
    noun = "an integer" if kind == "int" else "a number"
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and hi is not None:
        return f"{noun} from {lo} to {hi}"
    if lo is not None:
        return f"{noun} >= {lo}"
    return noun


def _coerce(f: dataclasses.Field[Any], value: Any) -> Any:
    """Turn a CLI string or a TOML value into the field's type; raise ValueError when it does not fit."""
    kind = _kind(f)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError
    if kind == "int":
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            return int(value.strip())
        raise ValueError
    if kind == "float":
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            return float(value.strip())
        raise ValueError
    if not isinstance(value, str):
        raise ValueError
    return value.strip()


def _check_field(f: dataclasses.Field[Any], value: Any) -> bool:
    meta = f.metadata
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != value:  # NaN
            return False
        if meta.get("min") is not None and value < meta["min"]:
            return False
        if meta.get("max") is not None and value > meta["max"]:
            return False
    if isinstance(value, str):
        if "choices" in meta and value not in meta["choices"]:
            return False
        if "chars" in meta:
            chars = meta["chars"]
            if not value or any(c not in chars for c in value) or len(set(value)) != len(value):
                return False
    return True


def build_config(
    family: str,
    cls: type[Any],
    preset: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    where: str = "",
) -> Any:
    """The config for one family: dataclass defaults, then the difficulty preset, then validated overrides.

    Raises ConfigError naming the key, the value and what is allowed.
    """
    prefix = f"{where}: " if where else ""
    by_name = {f.name: f for f in dataclasses.fields(cls)}
    values = dict(preset)
    for key, raw in (overrides or {}).items():
        f = by_name.get(key)
        if f is None:
            known = ", ".join(sorted(by_name))
            raise ConfigError(f"{prefix}{family}: unknown config key '{key}' (known keys: {known})")
        try:
            value = _coerce(f, raw)
        except ValueError:
            value = None
        if value is None or not _check_field(f, value):
            raise ConfigError(f"{prefix}{family}: invalid {key}={raw!r} (allowed: {allowed_text(f)})")
        values[key] = value
    config = cls(**values)
    problem = config.check() if hasattr(config, "check") else None
    if problem:
        raise ConfigError(f"{prefix}{family}: {problem}")
    return config


def describe_fields(cls: type[Any]) -> list[dict[str, Any]]:
    """The config fields as JSON-ready dicts: name, type, default, allowed, help."""
    return [
        {
            "name": f.name,
            "type": _kind(f),
            "default": f.default,
            "allowed": allowed_text(f),
            "help": f.metadata.get("help", ""),
        }
        for f in dataclasses.fields(cls)
    ]


def kind_names(kinds: str) -> list[str]:
    """The non-empty names of a comma-separated ``kinds`` knob, in order (what a drawer chooses among)."""
    return [k.strip() for k in kinds.split(",") if k.strip()]


def kinds_error(kinds: str, allowed: tuple[str, ...]) -> str | None:
    """A ``check()`` message for a ``kinds`` knob naming nothing, an empty item or an unknown kind; else None."""
    names = [k.strip() for k in kinds.split(",")]
    if not any(names) or any(k not in allowed for k in names):
        return f"invalid kinds={kinds!r} (allowed: a comma-separated subset of {', '.join(allowed)})"
    return None
