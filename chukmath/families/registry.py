"""Which families exist: every package inside ``chukmath/families/`` (but ``common``) and the families other
packages declare in the ``chukmath.families`` entry-point group, found once per process on first use."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from chukmath.errors import ConfigError
from chukmath.families.contract import Family

ENTRY_POINT_GROUP = "chukmath.families"
SHARED = frozenset({"common"})  # packages of chukmath/families/ that hold shared helpers, not a family

log = logging.getLogger(__name__)

_FAMILIES: dict[str, Family] = {}
_BROKEN: dict[str, str] = {}  # entry-point name -> why it could not be loaded
_loaded = False
_LOCK = threading.RLock()


def register(family: Family) -> Family:
    """Add a family to this process's registry (for code that defines one on the fly; packages use an entry
    point). A second family of the same name is refused."""
    _load()
    return _add(family, "register()")


def _add(family: Family, source: str) -> Family:
    if not isinstance(family, Family):
        raise ConfigError(f"{source}: gave {type(family).__name__}, not a chukmath.families.Family")
    if family.name in _FAMILIES:
        raise ConfigError(f"{source}: problem family {family.name!r} is already registered")
    _FAMILIES[family.name] = family
    return family


def builtin_modules() -> list[str]:
    """The built-in family packages, ``chukmath.families.<name>``, sorted: adding a folder adds a family."""
    found = pkgutil.iter_modules([str(Path(__file__).parent)])
    return sorted(f"chukmath.families.{m.name}" for m in found if m.ispkg and m.name not in SHARED)


def _from_entry_point(ep: EntryPoint) -> Family:
    obj = ep.load()
    # An entry point may name the Family itself or a function (or class) that returns one.
    return obj if isinstance(obj, Family) else obj()


def _load() -> None:
    global _loaded
    if _loaded:
        return
    with _LOCK:  # a teacher's threads may ask at once; only a complete registry is ever seen
        if _loaded:
            return
        for module in builtin_modules():
            _add(importlib.import_module(module).FAMILY, module)
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(ep.dist, "name", None) or "an installed package"
            source = f"entry point {ep.name} = {ep.value} (from {dist})"
            try:
                _add(_from_entry_point(ep), source)
            except Exception as exc:  # one broken plugin must not take the built-in families down with it
                _BROKEN[ep.name] = f"{source} failed: {type(exc).__name__}: {exc}"
                log.warning("problem family %s", _BROKEN[ep.name])
        _loaded = True


def list_families() -> list[Family]:
    """All registered families, sorted by name."""
    _load()
    return [_FAMILIES[k] for k in sorted(_FAMILIES)]


def get_family(name: str) -> Family:
    """The family called ``name``; ConfigError listing the known names otherwise."""
    family = _FAMILIES.get(name)
    if family is not None:
        return family
    _load()
    family = _FAMILIES.get(name)
    if family is not None:
        return family
    if name in _BROKEN:
        raise ConfigError(f"generator {name!r}: {_BROKEN[name]}")
    known = ", ".join(sorted(_FAMILIES))
    raise ConfigError(f"unknown generator {name!r} (known: {known})")
