"""``chukmath generators list`` and ``chukmath generate``: thin wrappers over :mod:`chukmath.generate`."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from typing import IO, Annotated, Any

import orjson
import typer

from chukmath.cli.sizing import ESTIMATE_ABOVE, Estimate, check_room, parse_count
from chukmath.errors import ConfigError, output_error
from chukmath.families import DIFFICULTIES
from chukmath.generate.engine import Run
from chukmath.generate.parallel import AUTO_MIN_ITEMS, resolve_workers
from chukmath.jsonl import AtomicWriter
from chukmath.outpath import check_output

_FLUSH = 1 << 20  # bytes buffered before each write
ESTIMATE_SAMPLE = 256  # problems drawn to measure size and speed before a huge run (calculus: ~1 s)


def _overrides(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"invalid --set {pair!r} (expected key=value, e.g. --set max_value=50)")
        out[key.strip()] = value
    return out


def write_problems(run: Run, out: str, workers: int = 1) -> int:
    """Stream a run to ``out`` (``-`` = stdout) as JSONL through an atomic temp file; returns the count.

    ``workers`` > 1 computes the lines in that many processes; the bytes are the same for any number.
    """
    # AtomicWriter writes a device or pipe (/dev/null, a FIFO) in place, and anything else through a temp file.
    try:
        with AtomicWriter(out) as fh:
            return _write_lines(run, fh, workers)
    except BrokenPipeError:
        raise  # a reader that stopped early (| head): not this program's error to report
    except OSError as exc:
        raise output_error(out if out != "-" else "standard output", exc) from None


def _write_lines(run: Run, fh: IO[bytes], workers: int) -> int:
    # Lines are copied into one reused buffer at once: holding thousands of freshly dumped lines in a list until
    # a flush made the allocator hand pages back and fault them in again (about one page fault per line).
    n = 0
    buffer = bytearray()
    with contextlib.closing(run.lines(workers)) as lines:  # closing stops worker processes at once
        for line in lines:
            buffer += line
            n += 1
            if len(buffer) >= _FLUSH:
                fh.write(buffer)
                buffer.clear()
    if buffer:
        fh.write(buffer)
    return n


def estimate_problems(make: Callable[[int], Run], count: int, processes: int) -> Estimate:
    """Bytes a problem and problems a second, measured by writing the first few hundred to memory."""
    sample = min(count, ESTIMATE_SAMPLE)
    began = time.perf_counter()
    size = sum(map(len, make(sample).lines(1)))
    rate = sample / max(time.perf_counter() - began, 1e-6) * processes
    return Estimate(
        rows=count, what="problems", bytes_per_row=size / max(sample, 1),
        bytes_basis=f"measured on the first {sample}", rows_per_s=rate,
        rate_basis=f"the same {sample} in one process, times {processes} worker(s)",
    )


def list_command(
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="NAME", help="Only these families (all when none is named).", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array (name, description, config, capacity).")
    ] = False,
) -> None:
    """List the problem families with their config keys and how many distinct questions each difficulty holds.

    The counts are exact where the family counts them ("kind": "exact"), else estimated from a seeded sample
    ("estimate", or "at_least" when the sample had no repeat at all); estimating every family takes a few
    seconds, so name the families you want to see.

    Example: chukmath generators list quadratic trig_values --json
    """
    from chukmath.generate import get_family, list_families
    from chukmath.generate.capacity import family_capacity

    described = []
    for family in [get_family(n) for n in names] if names else list_families():
        entry = family.describe()
        entry["capacity"] = {str(d): family_capacity(family, family.config(d)) for d in DIFFICULTIES}
        described.append(entry)
    if as_json:
        for entry in described:
            entry["capacity"] = {d: c.to_dict() for d, c in entry["capacity"].items()}
        sys.stdout.write(orjson.dumps(described, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    width = max(len(d["name"]) for d in described)
    for d in described:
        typer.echo(f"{d['name']:<{width}}  {d['description']}")
        keys = ", ".join(f"{c['name']}={_show(c['default'])}" for c in d["config"])
        typer.echo(f"{'':<{width}}  config (difficulty {d['default_difficulty']}): {keys}")
        sizes = ", ".join(f"{level}: {c.show()}" for level, c in d["capacity"].items())
        typer.echo(f"{'':<{width}}  distinct questions by difficulty: {sizes}")


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def generate_command(
    count: Annotated[
        int,
        typer.Option(
            "--count", "-n", metavar="N", parser=parse_count,
            help=f"How many problems to write: 1000, 10_000_000 or 1e10. Above {ESTIMATE_ABOVE:,} the size and time "
            "are estimated first, and a run the disk cannot hold is refused.",
        ),
    ],
    generator: Annotated[
        str | None,
        typer.Option("--generator", "-g", metavar="NAME", help="Family name (see `chukmath generators list`)."),
    ] = None,
    recipe: Annotated[
        str | None,
        typer.Option("--recipe", "-r", metavar="FILE", help="Mix recipe: a TOML path or a bundled name (gsm8k_style)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(metavar="S", help="Run seed (default: the recipe's seed, else 0).")
    ] = None,
    start: Annotated[
        int,
        typer.Option(
            metavar="I", parser=parse_count, help="First index: --start 100 --count 50 writes items 100..149."
        ),
    ] = 0,
    difficulty: Annotated[
        int | None, typer.Option(metavar="D", help="Difficulty preset 1-5 (default: the family's, 3).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="KEY=VALUE", help="Override a config value: --set max_value=50 (repeatable)."),
    ] = None,
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="FILE|-", help="Output JSONL file, or - for stdout.")
    ] = "-",
    workers: Annotated[
        str,
        typer.Option(
            metavar="N|auto",
            help="Processes that draw and format problems; the output is the same bytes for any N. auto (the "
            f"default) uses every usable core when start + count >= {AUTO_MIN_ITEMS:,}, else 1 (no extra processes).",
        ),
    ] = "auto",
) -> None:
    """Generate problems with exact answers as JSONL (the same command always writes the same bytes).

    Example: chukmath generate --generator arithmetic --count 1000 --seed 7 --difficulty 2 --out problems.jsonl

    Large runs use every core (--workers auto): worker processes draw candidates ahead and this process keeps
    them in order, so --workers 4 writes exactly what --workers 1 writes.
    """
    from chukmath.generate import generate, generate_mix, load_mix_recipe

    if (generator is None) == (recipe is None):
        raise ConfigError("give exactly one of --generator NAME or --recipe FILE")
    check_output(out)
    processes = resolve_workers(workers, start + count)
    began = time.perf_counter()
    if recipe is not None:
        if difficulty is not None or set_:
            raise ConfigError("--difficulty and --set apply to --generator; put them in the recipe's [[mix]] tables")
        mix = load_mix_recipe(recipe)

        def make(n: int) -> Run:
            return generate_mix(mix, seed=seed, count=n, start=start)

        label = f"recipe {mix.name}"
    else:
        assert generator is not None
        name, config = generator, _overrides(set_ or [])

        def make(n: int) -> Run:
            return generate(name, seed=0 if seed is None else seed, count=n, start=start, difficulty=difficulty,
                            overrides=config)

        label = generator
    problems = make(count)
    for warning in problems.check():  # raises, before anything is drawn, for a stream that cannot be filled
        typer.echo(warning, err=True)
    if count > ESTIMATE_ABOVE:
        check_room(estimate_problems(make, count, processes), out)
    n = write_problems(problems, out, processes)
    if out != "-":
        elapsed = time.perf_counter() - began
        using = f" with {processes} worker processes" if processes > 1 else ""
        typer.echo(f"wrote {n} problems ({label}, items {start}..{start + n - 1}) to {out} in {elapsed:.2f}s{using}",
                   err=True)


def register(app: typer.Typer) -> None:
    """Add ``generators list`` and ``generate`` to ``app``."""
    generators = typer.Typer(
        help="Problem families.\n\nExample: chukmath generators list --json", no_args_is_help=True,
        rich_markup_mode=None,
    )
    generators.command("list")(list_command)
    app.add_typer(generators, name="generators")
    app.command("generate")(generate_command)
