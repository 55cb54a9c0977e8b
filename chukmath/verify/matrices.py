"""Answer forms for matrices and vectors, compared entry by entry as exact rationals.

An expected answer ``Matrix([[1, 2], [3, 4]])`` (sympy's ``str()``; a vector is one row or one column) matches a
candidate written as

- a LaTeX environment: ``\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}`` (also ``bmatrix``, ``Bmatrix``, ``matrix``,
  ``smallmatrix`` and ``array`` with a column spec, in ``\\left( … \\right)`` or not);
- a bracket list: ``[[1, 2], [3, 4]]``, sympy's ``Matrix([[1, 2], [3, 4]])``, or rows split by ``;``
  (``[1, 2; 3, 4]``);
- for a vector also a flat tuple: ``(1, 2, 3)``, ``[1, 2, 3]``, ``\\langle 1, 2, 3 \\rangle``, ``⟨1, 2, 3⟩``,
  ``<1, 2, 3>``, read as a row or a column alike.

Entries are integers, decimals, ``p/q``, ``\\frac{p}{q}`` (``\\dfrac``, ``\\tfrac``, ``\\frac12``) with an optional
sign; a scalar written just before a matrix (``\\frac{1}{2}\\begin{pmatrix} … \\end{pmatrix}``,
``-[[1, 2], [3, 4]]``) multiplies every entry. The last matrix or vector in the text is the answer. Scanning is
linear in the text: LaTeX bodies are found with ``str.find``, the other shapes by regexes with fixed delimiters,
and nothing is evaluated as code.
"""

from __future__ import annotations

import re
from fractions import Fraction

from chukmath.verify.numbers import parse_plain

Grid = tuple[tuple[Fraction, ...], ...]

# A matrix answer is a few hundred characters; <verifier_answer> text compared as "expected" may be longer.
MAX_CHARS = 20_000
MAX_ENTRIES = 400

_ENVS = ("pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix", "array")
_BEGIN = re.compile(r"\\begin\{(" + "|".join(_ENVS) + r")\}")
_ROW_BREAK = re.compile(r"\\\\|\\cr(?![a-z])")
_SIGN = r"[+\-−]?"
_UNSIGNED = (
    r"(?:\\[dt]?frac\s*\{\s*[+\-−]?\d+\s*\}\s*\{\s*[+\-−]?\d+\s*\}|\\[dt]?frac\d\d|\d+(?:\.\d+)?(?:\s*/\s*\d+)?)"
)
_ENTRY = rf"(?:[+\-−]\s*)?{_UNSIGNED}"  # one way to read spaces: no ambiguous backtracking
_FRAC = re.compile(r"([+\-]?)\\[dt]?frac(?:\{([+\-]?\d+)\}\{([+\-]?\d+)\}|(\d)(\d))")
_NESTED = re.compile(r"\[\s*\[([^\[\]]*)\](?:\s*,\s*\[[^\[\]]*\])*\s*\]")
_FLAT = re.compile(
    rf"(?:\\left\s*)?(\(|\[|\\langle|⟨|<)\s*({_ENTRY}(?:\s*[,;]\s*{_ENTRY})+)\s*(?:\\right\s*)?(\)|\]|\\rangle|⟩|>)"
)
_CLOSERS = {"(": ")", "[": "]", "\\langle": "\\rangle", "⟨": "⟩", "<": ">"}
_SCALAR_BEFORE = re.compile(
    rf"(?:^|(?<=[\s=:$({{]))({_SIGN}[ \t]*{_UNSIGNED}|[+\-−])[ \t]*(?:\\cdot|\\times|\*|·|×|\\[,;!])?[ \t]*$"
)
_LEFT_BEFORE = re.compile(r"\\left\s*[(\[]\s*$|\\left\\\{\s*$")
_SYMPY = re.compile(r"Matrix\(\s*\[(.*)\]\s*\)", re.DOTALL)


def is_matrix(expected: str) -> bool:
    """Whether a generator's answer is a sympy matrix (or a vector written as one)."""
    return expected.lstrip().startswith("Matrix(")


def entry_value(text: str) -> Fraction | None:
    """One entry's exact value: ``-3``, ``1.5``, ``3/4``, ``\\frac{-1}{2}``, ``-\\dfrac12``; None when unreadable."""
    t = re.sub(r"\s+", "", text).replace("−", "-")
    if "\\" in t:
        m = _FRAC.fullmatch(t)
        if m is None:
            return None
        sign, top, bottom = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
        if int(bottom) == 0:
            return None
        value = Fraction(int(top), int(bottom))
        return -value if sign == "-" else value
    return parse_plain(t)


def _grid(rows: list[list[str]]) -> Grid | None:
    """Rows of entry texts as a rectangular grid of values, or None."""
    if not rows or sum(len(r) for r in rows) > MAX_ENTRIES or len({len(r) for r in rows}) != 1:
        return None
    out = []
    for row in rows:
        values = [entry_value(cell) for cell in row]
        if any(v is None for v in values):
            return None
        out.append(tuple(v for v in values if v is not None))
    return tuple(out)


def parse_expected_matrix(expected: str) -> Grid | None:
    """sympy's ``Matrix([[…], […]])`` text (``Matrix([1, 2])`` is a column) as a grid; None for anything else."""
    text = expected.strip()
    if len(text) > MAX_CHARS:
        return None
    m = _SYMPY.fullmatch(text)
    if m is None:
        return None
    inner = m.group(1).strip()
    if inner.startswith("["):
        rows = re.findall(r"\[([^\[\]]*)\]", inner)
        if re.sub(r"\[[^\[\]]*\]|[\s,]", "", inner):
            return None  # something between the rows that is not a row
        return _grid([r.split(",") for r in rows])
    return _grid([[cell] for cell in inner.split(",")])


def _env_body(text: str, begin: re.Match[str]) -> tuple[str, int] | None:
    """The body of the environment that ``begin`` opens and the index just past its ``\\end{…}``."""
    env = begin.group(1)
    start = begin.end()
    if env == "array":
        spec = re.match(r"\s*\{[^{}]*\}", text[start:])
        if spec is None:
            return None
        start += spec.end()
    close = f"\\end{{{env}}}"
    end = text.find(close, start)
    if end < 0:
        return None
    return text[start:end], end + len(close)


def _latex_rows(body: str) -> list[list[str]]:
    body = body.replace("\\hline", "")
    rows = [r for r in _ROW_BREAK.split(body)]
    if rows and not rows[-1].strip():
        rows.pop()  # a trailing "\\" before \end
    return [r.split("&") for r in rows]


def _scaled(text: str, start: int, grid: Grid | None) -> Grid | None:
    """``grid`` times the scalar written right before ``start`` (``\\frac{1}{2}``, ``-``, ``3 \\cdot``), if any."""
    if grid is None:
        return None
    before = text[max(0, start - 60) : start]
    left = _LEFT_BEFORE.search(before)
    if left is not None:
        before = before[: left.start()]
    m = _SCALAR_BEFORE.search(before)
    if m is None:
        return grid
    token = re.sub(r"\s+", "", m.group(1))
    factor = Fraction(-1) if token in ("-", "−") else Fraction(1) if token == "+" else entry_value(token)
    if factor is None:
        return None
    return tuple(tuple(factor * v for v in row) for row in grid)


def find_matrices(text: str) -> list[tuple[int, Grid | None, bool]]:
    """Every matrix or vector written in ``text``: (end index, grid or None when unreadable, written flat)."""
    found: list[tuple[int, Grid | None, bool]] = []
    pos = 0
    while True:
        begin = _BEGIN.search(text, pos)
        if begin is None:
            break
        body = _env_body(text, begin)
        if body is None:
            break  # no \end for this one, so none for any later \begin of the same name either
        inner, end = body
        found.append((end, _scaled(text, begin.start(), _grid(_latex_rows(inner))), False))
        pos = end
    for m in _NESTED.finditer(text):
        rows = re.findall(r"\[([^\[\]]*)\]", m.group(0)[1:-1])
        found.append((m.end(), _scaled(text, _sympy_start(text, m.start()), _grid([r.split(",") for r in rows])),
                      False))  # fmt: skip
    for m in _FLAT.finditer(text):
        opener, inner, closer = m.groups()
        if _CLOSERS[opener] != closer:
            continue
        if ";" in inner:
            if opener != "[":
                continue
            found.append((m.end(), _scaled(text, m.start(), _grid([r.split(",") for r in inner.split(";")])), False))
        else:
            found.append((m.end(), _grid([inner.split(",")]), True))
    return found


def _sympy_start(text: str, start: int) -> int:
    """Where ``Matrix(`` begins when a bracket list at ``start`` is sympy's ``Matrix([[…]])``."""
    head = text[max(0, start - 8) : start]
    return start - 7 if head.endswith("Matrix(") else start


def _same(got: Grid, want: Grid) -> bool:
    rows, cols = len(want), len(want[0])
    if rows == 1 or cols == 1:  # a vector: a row, a column or a flat tuple of the same entries
        flat = [v for row in got for v in row]
        return (len(got) == 1 or len(got[0]) == 1) and flat == [v for row in want for v in row]
    return got == want


def matrix_verdict(candidate: str, expected: str) -> str | None:
    """``"correct"``, ``"wrong"`` or ``"unparseable"`` (no matrix or vector in the text) when ``expected`` is a
    sympy matrix of rational entries; None when it is not (the caller goes on as before)."""
    want = parse_expected_matrix(expected) if is_matrix(expected) else None
    if want is None:
        return None
    found = find_matrices(candidate[-MAX_CHARS:])
    if not found:
        return "unparseable"
    _, got, flat = max(found, key=lambda item: (item[0], not item[2]))
    if got is None:
        return "wrong"
    if flat and len(want) > 1 and len(want[0]) > 1:
        return "wrong"
    return "correct" if _same(got, want) else "wrong"
