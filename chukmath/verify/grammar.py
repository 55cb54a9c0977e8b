"""A bounded tokenizer and recursive-descent parser for answers written as plain math or LaTeX.

Teacher text is untrusted, so nothing here calls ``eval``, ``sympify`` or ``parse_expr``: the grammar only knows
numbers, a few constants, single-letter variables, a fixed list of functions, ``+ - * / ^`` (and ``**``),
implicit multiplication, ``\\frac``, ``\\sqrt`` and brackets. Every dimension an attacker controls is capped —
input length, token count, nesting depth and digits per literal — so a call costs at most a few milliseconds and
raises :class:`ParseFailure` instead of trying harder. Exponents are capped later, where values are computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

MAX_TEXT = 2000
MAX_TOKENS = 600
MAX_DEPTH = 60
MAX_DIGITS = 400
MAX_SCI_EXPONENT = 400


class ParseFailure(ValueError):
    """The text is not an expression this grammar accepts (or it exceeds a size cap)."""


# --- AST ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    """An exact number; ``decimal`` keeps a decimal literal's text (``"10.8167"``) for approximation checks."""

    value: Fraction
    decimal: str | None = None


@dataclass(frozen=True, slots=True)
class Sym:
    """A variable (single letter, possibly subscripted) or a constant: ``pi``, ``E``, ``I``, ``oo``."""

    name: str


@dataclass(frozen=True, slots=True)
class Add:
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Mul:
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Div:
    num: Node
    den: Node


@dataclass(frozen=True, slots=True)
class Pow:
    base: Node
    exp: Node


@dataclass(frozen=True, slots=True)
class Neg:
    arg: Node


@dataclass(frozen=True, slots=True)
class Func:
    name: str
    args: tuple[Node, ...]


Node = Num | Sym | Add | Mul | Div | Pow | Neg | Func

CONSTANTS = {"pi": "pi", "E": "E", "e": "E", "I": "I", "oo": "oo", "infty": "oo", "infinity": "oo"}
# Function spellings (plain and LaTeX command names) mapped to one canonical name each.
FUNCTIONS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "asin": "asin", "acos": "acos", "atan": "atan", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "exp": "exp", "log": "log", "ln": "log",
    "sqrt": "sqrt", "Abs": "abs", "abs": "abs",
}  # fmt: skip
_NAMES_BY_LENGTH = sorted({*CONSTANTS, *FUNCTIONS} - {"e", "I"}, key=len, reverse=True)

# LaTeX commands that are pure spacing or sizing, dropped before tokenizing.
_LATEX_NOISE = re.compile(
    r"\\(?:(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|displaystyle|textstyle|quad|qquad)(?![a-zA-Z])|[,;:!\s])"
)
_LATEX_OPS = {
    "cdot": "*", "times": "*", "ast": "*", "div": "/", "pi": "pi", "infty": "oo", "mathrm": "", "mathit": "",
    "operatorname": "", "mathbf": "", "textbf": "", "boldsymbol": "",
}  # fmt: skip
_UNICODE = str.maketrans(
    {"−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/", "π": "pi", "∞": "oo", "√": "\\sqrt ",
     "²": "^2", "³": "^3", "｛": "{", "｝": "}", "（": "(", "）": ")"}
)  # fmt: skip
_FRAC_SHORT = re.compile(r"\\[dt]?frac\s*(\d)\s*(\d)")

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+(?![a-zA-Z]))?)
    | (?P<cmd>\\[a-zA-Z]+)
    | (?P<name>[a-zA-Z]+(?:_\{?[a-zA-Z0-9]+\}?)?)
    | (?P<op>\*\*|[-+*/^(){}\[\],|!])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num, name, func, const, frac, sqrt, op, end
    text: str


def _split_name(run: str) -> list[Token]:
    """Split a letter run into known names and single-letter variables; reject unknown words."""
    if "_" in run:  # a subscripted variable such as x_1 or x_{12}
        head, sub = run.split("_", 1)
        if len(head) != 1:
            raise ParseFailure(f"unknown name {run!r}")
        return [Token("name", head + "_" + sub.strip("{}"))]
    if run in FUNCTIONS:
        return [Token("func", FUNCTIONS[run])]
    if run in CONSTANTS:
        return [Token("const", CONSTANTS[run])]
    if len(run) <= 2:  # "xy" is x*y; longer unknown runs are words, not math
        return [_letter(c) for c in run]
    for name in _NAMES_BY_LENGTH:
        if run.startswith(name) and len(run) - len(name) <= 1:
            rest = [_letter(c) for c in run[len(name) :]]
            kind = "func" if name in FUNCTIONS else "const"
            return [Token(kind, FUNCTIONS.get(name) or CONSTANTS[name]), *rest]
    raise ParseFailure(f"unknown word {run!r}")


def _letter(c: str) -> Token:
    return Token("const", CONSTANTS[c]) if c in ("e", "I") else Token("name", c)


def tokenize(text: str) -> list[Token]:
    """Turn answer text (plain or LaTeX) into tokens; raises ParseFailure on anything unknown or oversized."""
    if len(text) > MAX_TEXT:
        raise ParseFailure(f"answer longer than {MAX_TEXT} characters")
    text = _FRAC_SHORT.sub(r"\\frac{\1}{\2}", text.translate(_UNICODE))
    text = _LATEX_NOISE.sub(" ", text)
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos:].strip() == "":
                break
            raise ParseFailure(f"unexpected character {text[pos]!r}")
        pos = m.end()
        if m.group("num") is not None:
            tokens.append(Token("num", m.group("num")))
        elif m.group("cmd") is not None:
            tokens.extend(_command(m.group("cmd")[1:]))
        elif m.group("name") is not None:
            tokens.extend(_split_name(m.group("name")))
        else:
            tokens.append(Token("op", "^" if m.group("op") == "**" else m.group("op")))
        if len(tokens) > MAX_TOKENS:
            raise ParseFailure(f"answer has more than {MAX_TOKENS} tokens")
    tokens.append(Token("end", ""))
    return tokens


def _command(name: str) -> list[Token]:
    if name in ("frac", "dfrac", "tfrac", "cfrac"):
        return [Token("frac", name)]
    if name == "sqrt":
        return [Token("sqrt", name)]
    if name in _LATEX_OPS:
        mapped = _LATEX_OPS[name]
        if not mapped:
            return []
        return [Token("op", mapped)] if mapped in "*/" else [Token("const", mapped)]
    if name in FUNCTIONS:
        return [Token("func", FUNCTIONS[name])]
    raise ParseFailure(f"unsupported LaTeX command \\{name}")


# --- parser ------------------------------------------------------------------------------------------------------


def number_from_literal(text: str) -> Num:
    """Exact value of a numeric literal (``12``, ``0.75``, ``1.1E+2``), capped in digits and exponent."""
    if text.isdigit():  # the common case, without Fraction arithmetic on powers of ten
        if len(text) > MAX_DIGITS:
            raise ParseFailure(f"number with more than {MAX_DIGITS} digits")
        return Num(Fraction(int(text)))
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa) > MAX_DIGITS:
        raise ParseFailure(f"number with more than {MAX_DIGITS} digits")
    scale = int(exponent) if exponent else 0
    if abs(scale) > MAX_SCI_EXPONENT:
        raise ParseFailure(f"exponent {scale} is beyond ±{MAX_SCI_EXPONENT}")
    if "." in mantissa:
        whole, _, frac = mantissa.partition(".")
        value = Fraction(int((whole or "0") + frac), 10 ** len(frac))
        return Num(value * Fraction(10) ** scale if scale else value, text)
    value = Fraction(int(mantissa)) * Fraction(10) ** scale
    return Num(value, text if exponent else None)


class _Parser:
    """Recursive descent over the token list; ``depth`` bounds recursion so nesting cannot blow the stack."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.kind != "op" or tok.text != text:
            raise ParseFailure(f"expected {text!r}, found {tok.text or 'end of answer'!r}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseFailure(f"nesting deeper than {MAX_DEPTH}")

    def expr(self) -> Node:
        self.enter()
        terms = [self.term()]
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            rhs = self.term()
            terms.append(rhs if op == "+" else Neg(rhs))
        self.depth -= 1
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def term(self) -> Node:
        node = self.unary()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in "*/":
                self.take()
                rhs = self.unary()
                node = Mul((node, rhs)) if tok.text == "*" else Div(node, rhs)
            elif self._starts_primary(tok):
                if tok.kind == "num" and self.tokens[self.i - 1].kind == "num":
                    raise ParseFailure("two numbers in a row")
                node = Mul((node, self.power()))
            else:
                return node

    @staticmethod
    def _starts_primary(tok: Token) -> bool:
        if tok.kind in ("num", "name", "const", "func", "frac", "sqrt"):
            return True
        return tok.kind == "op" and tok.text in "({["

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text in "+-":
            self.take()
            self.enter()
            arg = self.unary()
            self.depth -= 1
            return arg if tok.text == "+" else Neg(arg)
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        if self.peek().kind == "op" and self.peek().text == "^":
            self.take()
            self.enter()
            exp = self.unary()  # right-associative, and 2^-1 is allowed
            self.depth -= 1
            return Pow(base, exp)
        return base

    def group(self) -> Node:
        """A braced LaTeX argument, or a single primary as in ``\\sqrt2``."""
        if self.peek().kind == "op" and self.peek().text == "{":
            self.take()
            node = self.expr()
            self.expect("}")
            return node
        return self.primary()

    def primary(self) -> Node:
        self.enter()
        tok = self.take()
        node: Node
        if tok.kind == "num":
            node = number_from_literal(tok.text)
        elif tok.kind in ("name", "const"):
            node = Sym(tok.text)
        elif tok.kind == "frac":
            num = self.group()
            node = Div(num, self.group())
        elif tok.kind == "sqrt":
            node = self._sqrt()
        elif tok.kind == "func":
            node = self._function(tok.text)
        elif tok.kind == "op" and tok.text in "({[":
            close = {"(": ")", "{": "}", "[": "]"}[tok.text]
            node = self.expr()
            self.expect(close)
        elif tok.kind == "op" and tok.text == "|":
            node = Func("abs", (self.expr(),))
            self.expect("|")
        else:
            raise ParseFailure(f"unexpected {tok.text or 'end of answer'!r}")
        self.depth -= 1
        return node

    def _sqrt(self) -> Node:
        if self.peek().kind == "op" and self.peek().text == "[":
            self.take()
            index = self.expr()
            self.expect("]")
            return Pow(self.group(), Div(Num(Fraction(1)), index))
        return Func("sqrt", (self.group(),))

    def _function(self, name: str) -> Node:
        power: Node | None = None
        if self.peek().kind == "op" and self.peek().text == "^":  # \sin^2 x means (sin x)^2
            self.take()
            power = self.group()
        if self.peek().kind == "op" and self.peek().text == "(":
            self.take()
            args = [self.expr()]
            while self.peek().kind == "op" and self.peek().text == ",":
                self.take()
                args.append(self.expr())
            self.expect(")")
        else:
            args = [self._bare_argument()]
        node: Node = Func(name, tuple(args))
        return node if power is None else Pow(node, power)

    def _bare_argument(self) -> Node:
        """``\\sin 2x``: implicit products of powers, stopping at the next function or operator."""
        factors = [self.power()]
        while self.peek().kind in ("num", "name", "const") and not (
            self.peek().kind == "num" and self.tokens[self.i - 1].kind == "num"
        ):
            factors.append(self.power())
        return factors[0] if len(factors) == 1 else Mul(tuple(factors))


def parse_expression(text: str) -> Node:
    """Parse one answer expression (plain, sympy ``str()`` or LaTeX) into an AST, or raise ParseFailure."""
    tokens = tokenize(text)
    if tokens[0].kind == "end":
        raise ParseFailure("empty answer")
    parser = _Parser(tokens)
    try:
        node = parser.expr()
    except RecursionError as exc:  # belt and braces: MAX_DEPTH keeps us far below the interpreter limit
        raise ParseFailure("nesting too deep") from exc
    if parser.peek().kind != "end":
        raise ParseFailure(f"unexpected {parser.peek().text!r} after the expression")
    return node


def free_symbols(node: Node) -> set[str]:
    """Variable names in ``node`` (constants excluded)."""
    out: set[str] = set()
    stack: list[Node] = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, Sym):
            if cur.name not in ("pi", "E", "I", "oo"):
                out.add(cur.name)
        elif isinstance(cur, Add | Mul):
            stack.extend(cur.args)
        elif isinstance(cur, Func):
            stack.extend(cur.args)
        elif isinstance(cur, Div):
            stack.extend((cur.num, cur.den))
        elif isinstance(cur, Pow):
            stack.extend((cur.base, cur.exp))
        elif isinstance(cur, Neg):
            stack.append(cur.arg)
    return out
