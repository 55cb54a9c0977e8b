"""Mix recipes: several families with weights, difficulties and configs in one seeded, sliceable run.

Item *i* of a mix picks its entry from a hash of (mix, seed, i), then takes that entry's next new question;
questions are unique across the whole mix, and the questions of a small stream are reserved for it
(:mod:`chukmath.generate.reserve`), so that another stream of the same family cannot use them up.
A TOML recipe looks like::

    name = "gsm8k_style"
    seed = 0                 # optional default seed
    [[mix]]
    generator = "word_problem"
    weight = 3
    difficulty = 2           # optional
    [mix.config]             # optional overrides
    max_value = 40
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import isfinite, lcm
from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import ChukmathError, ConfigError, InputError
from chukmath.families import DIFFICULTIES, get_family
from chukmath.generate.engine import Run, Stream, check_range, stream_key
from chukmath.generate.reserve import reserve
from chukmath.generate.shortfall import StreamInfo

ENTRY_KEYS = ("generator", "weight", "difficulty", "config")
RECIPE_KEYS = ("name", "description", "seed", "mix")
_HEADER = re.compile(r"^\s*\[\[\s*mix\s*\]\]")
_TABLE = re.compile(r"^\s*\[")


@dataclass(frozen=True)
class MixEntry:
    """One family of a mix: its weight, difficulty (None = the family's default) and config overrides."""

    generator: str
    weight: Fraction
    difficulty: int | None = None
    config: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MixRecipe:
    """A validated mix: entries plus an optional default seed; ``source`` names where it came from."""

    name: str
    entries: tuple[MixEntry, ...]
    seed: int | None = None
    description: str = ""
    source: str = "<mix>"


def _line_of(text: str | None, entry: int | None, key: str | None) -> int | None:
    """Best-effort line number (1-based) of ``key`` in the ``entry``-th ``[[mix]]`` table (or at top level)."""
    if text is None:
        return None
    lines = text.splitlines()
    block, header_line, top_level = -1, None, True
    for number, line in enumerate(lines, 1):
        if _HEADER.match(line):
            block += 1
            top_level = False
            if block == entry:
                header_line = number
            continue
        if entry is None and _TABLE.match(line):
            # An unknown top-level key may be a table of its own: ``[extra]`` or ``[[families]]``.
            if key and re.match(rf"^\s*\[\[?\s*[\"']?{re.escape(key)}[\"']?\s*[\].]", line):
                return number
            top_level = False
            continue
        if block == entry or (entry is None and top_level):
            if key and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
                return number
    return header_line


def _fail(source: str, text: str | None, entry: int | None, key: str | None, message: str) -> ChukmathError:
    line = _line_of(text, entry, key)
    where = f"{source}:{line}" if line else source
    label = f"mix entry {entry + 1}: " if entry is not None else ""
    return InputError(f"{where}: {label}{message}")


def _weight(value: Any) -> Fraction | None:
    # TOML has inf and nan literals: neither is a proportion (and Fraction(inf) would raise OverflowError).
    if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
        return None
    weight = Fraction(value).limit_denominator(10**6)
    return weight if weight > 0 else None


def parse_mix(data: Mapping[str, Any], source: str, text: str | None = None) -> MixRecipe:
    """Validate the ``[[mix]]`` tables in ``data`` (a loaded TOML document or part of a build recipe).

    Only ``name``, ``description``, ``seed`` and ``mix`` are read, so a build recipe can pass its own
    document. ``text`` (the file's text) lets errors name the line. Raises InputError/ConfigError.
    """
    tables = data.get("mix")
    if not isinstance(tables, list) or not tables:
        raise _fail(source, text, None, "mix", "needs at least one [[mix]] table with a generator")
    entries: list[MixEntry] = []
    for i, table in enumerate(tables):
        if not isinstance(table, Mapping):
            raise _fail(source, text, i, None, "must be a table ([[mix]])")
        unknown = [k for k in table if k not in ENTRY_KEYS]
        if unknown:
            raise _fail(source, text, i, unknown[0], f"unknown key '{unknown[0]}' (allowed: {', '.join(ENTRY_KEYS)})")
        name = table.get("generator")
        if not isinstance(name, str):
            raise _fail(source, text, i, "generator", "needs generator = \"<family name>\"")
        weight = _weight(table.get("weight", 1))
        if weight is None:
            allowed = "allowed: a finite number > 0, at least 1e-6"
            raise _fail(source, text, i, "weight", f"invalid weight {table.get('weight')!r} ({allowed})")
        difficulty = table.get("difficulty")
        if difficulty is not None and (isinstance(difficulty, bool) or difficulty not in DIFFICULTIES):
            raise _fail(source, text, i, "difficulty", f"invalid difficulty {difficulty!r} (allowed: 1, 2, 3, 4 or 5)")
        config = table.get("config", {})
        if not isinstance(config, Mapping):
            raise _fail(source, text, i, "config", "config must be a table ([mix.config])")
        try:
            get_family(name).config(difficulty, config)
        except ConfigError as exc:
            key = next((k for k in config if f"'{k}'" in str(exc) or f" {k}=" in str(exc)), "generator")
            raise _fail(source, text, i, key, str(exc)) from None
        entries.append(MixEntry(name, weight, difficulty, dict(config)))
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63):
        raise _fail(source, text, None, "seed", f"invalid seed {seed!r} (allowed: an integer from 0 to 2**63-1)")
    name = data.get("name", Path(source).stem)
    return MixRecipe(str(name), tuple(entries), seed, str(data.get("description", "")), source)


def recipe_dirs() -> list[Path]:
    """Where bare recipe names are looked up: the repository's ``generators/``, then the bundled copy."""
    package = Path(__file__).resolve().parent.parent
    return [package.parent / "generators", package / "builtin_recipes"]


def resolve_recipe(name: str | Path) -> Path:
    """A recipe path as given, or a bare name (``gsm8k_style``) found in :func:`recipe_dirs`."""
    path = Path(name)
    if path.is_file():
        return path
    if len(path.parts) == 1:
        stem = path.name if path.suffix == ".toml" else f"{path.name}.toml"
        for folder in recipe_dirs():
            if (folder / stem).is_file():
                return folder / stem
    bundled = sorted({p.stem for d in recipe_dirs() if d.is_dir() for p in d.glob("*.toml")})
    raise InputError(f"{name}: no such recipe file (bundled recipes: {', '.join(bundled) or 'none'})")


def load_mix_recipe(path: str | Path) -> MixRecipe:
    """Read and validate a TOML mix recipe; errors name the file and line."""
    resolved = resolve_recipe(path)
    try:
        text = resolved.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{resolved}: cannot read recipe ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        where = f"{resolved}:{found.group(1)}" if found else str(resolved)
        raise InputError(f"{where}: invalid TOML ({exc})") from None
    unknown = [k for k in data if k not in RECIPE_KEYS]
    if unknown:
        raise _fail(str(resolved), text, None, unknown[0],
                    f"unknown key '{unknown[0]}' (allowed: {', '.join(RECIPE_KEYS)})")
    return parse_mix(data, str(resolved), text)


def _streams(recipe: MixRecipe, seed: int) -> list[Stream]:
    streams: list[Stream] = []
    used: set[bytes] = set()
    total = sum(e.weight for e in recipe.entries)
    for i, entry in enumerate(recipe.entries):
        family = get_family(entry.generator)
        config = family.config(entry.difficulty, entry.config)
        level = family.default_difficulty if entry.difficulty is None else entry.difficulty
        key = stream_key(family, config, level, seed)
        if key in used:
            # Two identical entries would replay the same candidates; give the later one its own stream.
            key = hashlib.blake2b(key + i.to_bytes(4, "little"), digest_size=16).digest()
        used.add(key)
        info = StreamInfo(family, config, level, i, recipe.source, entry.weight, total)
        streams.append(Stream(family, config, level, key, info=info))
    reservation = reserve(streams)
    for k, stream in enumerate(streams):
        stream.forbidden, stream.owned = reservation.forbidden[k], reservation.owned[k]
        stream.group = reservation.groups[k]
        if reservation.shared[k] and stream.info is not None:
            stream.info = dataclasses.replace(stream.info, shares_with=reservation.shared[k])
    return streams


def generate_mix(recipe: MixRecipe, *, seed: int | None = None, count: int, start: int = 0) -> Run:
    """Problems ``start .. start+count-1`` of the mix (seed defaults to the recipe's, then 0)."""
    run_seed = seed if seed is not None else (recipe.seed if recipe.seed is not None else 0)
    check_range(run_seed, count, start)
    streams = _streams(recipe, run_seed)
    if len(streams) == 1:
        return Run(streams, None, seed=run_seed, count=count, start=start)
    scale = lcm(*(e.weight.denominator for e in recipe.entries))
    cumulative: list[int] = []
    total = 0
    for entry in recipe.entries:
        total += int(entry.weight * scale)
        cumulative.append(total)
    pick_key = hashlib.blake2b(
        orjson.dumps(
            {
                "seed": run_seed,
                "mix": [[e.generator, str(e.weight), e.difficulty, dict(e.config)] for e in recipe.entries],
            },
            option=orjson.OPT_SORT_KEYS,
        ),
        digest_size=16,
    ).digest()

    def pick(i: int) -> int:
        h = int.from_bytes(hashlib.blake2b(pick_key + i.to_bytes(8, "little"), digest_size=8).digest(), "little")
        return bisect.bisect_right(cumulative, h % total)

    return Run(streams, pick, seed=run_seed, count=count, start=start)
