"""A one-pass reader for the common shapes of a single answer, straight to its exact canonical form.

Most answers that are not plain numbers are short LaTeX or sympy-style expressions: ``\\frac{-3}{4}``,
``-\\dfrac34``, ``\\boxed{2\\sqrt{3}}``, ``\\frac{\\sqrt{2}}{2}``, ``3\\pi``, ``x = \\tfrac{1}{2}``, ``12x^{3} -
\\frac{7}{x}``, ``\\left( 5 \\right)``, ``3*sqrt(2)/2``. The general path cleans wrappers with a dozen regular
expressions, splits items, tokenizes, builds a tree and then folds it into a canonical form; this reads the
characters once and builds the form as it goes, with the same operations of :mod:`chukmath.verify.canonical` in the
same order, so the form is the one the general path computes.

It reads a strict subset of what extraction and the grammar accept, chosen so that every wrapper rule of
:func:`chukmath.verify.extract.clean` leaves the text alone or does exactly what this reader does (``$``, one
``\\boxed{}`` around everything, ``x =``, a trailing period) and no splitting rule applies (no commas, ``or``,
``±``, units, decimals, ``\\text``). Anything else, and any result that is not decisive (opaque atoms such as
``sin(x)``), returns None and the caller takes the general path, so a judgement never differs.
"""

from __future__ import annotations

from fractions import Fraction

from chukmath.verify import canonical as cf
from chukmath.verify.extract import balanced

MAX_FAST_CHARS = 200  # longer answers are rare and go the general way; also keeps every cap out of reach
MAX_FAST_DIGITS = 40
MAX_FAST_ITEMS = 32  # extraction's MAX_ITEMS
_HALF = cf.const(Fraction(1, 2))
_FRACS = ("frac", "dfrac", "tfrac")  # not \cfrac: the grammar reads "\cfrac34" differently from "\frac34"
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def _literal(digits: str) -> cf.Poly:
    value = int(digits)  # at most MAX_FAST_DIGITS digits: far below the coefficient cap
    return {cf.ONE: Fraction(value)} if value else {}


def _mul(a: cf.Poly, b: cf.Poly) -> cf.Poly:
    """``cf.mul``, with the product of two rational constants (most products in an answer) done directly."""
    if len(a) == 1 and len(b) == 1:
        ca, cb = a.get(cf.ONE), b.get(cf.ONE)
        if ca is not None and cb is not None:
            return {cf.ONE: cf._check(ca * cb)}  # both nonzero, so the product is
    return cf.mul(a, b)


class _Refuse(Exception):
    """The text is outside the fast reader's subset (the general path decides it)."""


def scalar_form(text: str, *, letters: bool = True, imaginary: bool = False, whole: bool = True) -> cf.Poly | None:
    """The decisive canonical form of a one-value answer in a common shape, or None (take the general path).

    ``letters`` False refuses variables and ``e`` (a number is expected: the general path reads "5 m" as 5 metres).
    ``imaginary`` (the expected answer has ``I``) reads a lone ``i`` as the imaginary unit, as the general path does.
    ``whole`` False reads one item of a list (already unwrapped and unnamed).
    """
    if len(text) > MAX_FAST_CHARS or not text:
        return None
    body = _unwrap(text.replace("$", " ").strip()) if whole else text
    if body is None:
        return None
    if "\\left" in body or "\\right" in body:
        body = (body.replace("\\left(", "(").replace("\\right)", ")")
                .replace("\\left[", "[").replace("\\right]", "]"))  # fmt: skip
    reader = _Reader(body, letters, imaginary)
    try:
        form = reader.answer(named=whole)
    except (_Refuse, cf.TooComplex, IndexError):
        return None
    return form if cf.is_decisive(form) else None


def list_forms(text: str, *, letters: bool = True, imaginary: bool = False) -> list[tuple[str | None, cf.Poly]] | None:
    """The named or bare values of a list answer (``\\{a, b\\}``, ``x = a \\text{ or } x = b``, ``x = 3, y = 2``,
    ``\\left( 3, 2 \\right)``) as decisive forms, or None (take the general path).
    """
    if len(text) > MAX_FAST_CHARS * 2:
        return None
    body = _unwrap(text.replace("$", " ").strip())
    if body is None:
        return None
    names = None
    if body.startswith("("):  # "(x, y) = (3, 2)": extraction's _TUPLE_EQ
        close_at = body.find(")")
        head, _, rest = body[close_at + 1 :].partition("=")
        listed = [n.strip() for n in body[1:close_at].split(",")]
        if close_at > 0 and not head.strip() and rest and len(listed) > 1 and all(_letter(n) for n in listed):
            names, body = listed, rest.strip()
    for open_, close in (("\\left\\{", "\\right\\}"), ("\\{", "\\}"), ("\\left(", "\\right)"), ("(", ")")):
        if body.startswith(open_) and body.endswith(close):
            inner = body[len(open_) : len(body) - len(close)]
            # extraction's _unwrap: "(1)(2)" is not a tuple, and "(3)" is a bracketed value, not a list
            if balanced(inner) and ("{" in open_ or len(_split(inner)) > 1):
                body = inner.strip()
            break
    if "\\text" in body:
        body = body.replace("\\text{ or }", " or ").replace("\\text{or}", " or ")
    out: list[tuple[str | None, cf.Poly]] = []
    parts = _split(body)
    if names is not None and len(parts) != len(names):
        return None
    for k, part in enumerate(parts):
        name, expr = _name(part) if names is None else (names[k], part)
        form = scalar_form(expr, letters=letters, imaginary=imaginary, whole=False)
        if form is None:
            return None
        out.append((name, form))
    return out if 0 < len(out) <= MAX_FAST_ITEMS else None


def _letter(name: str) -> bool:
    return len(name) == 1 and name.isascii() and name.isalpha()


def _split(body: str) -> list[str]:
    """Top-level items at ", " and " or " (extraction's separators; any other one is refused by the reader)."""
    parts, depth, start, i, n = [], 0, 0, 0, len(body)
    while i < n:
        ch = body[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            if ch == ",":
                parts.append(body[start:i])
                start = i + 1
            elif ch == " " and body.startswith(" or ", i):
                parts.append(body[start:i])
                start = i = i + 4
                continue
        i += 1
    parts.append(body[start:])
    return [p.strip() for p in parts]


def _name(part: str) -> tuple[str | None, str]:
    """``x = 3`` -> ("x", "3"), ``x_1 = 3`` / ``x_{1} = 3`` -> ("x_1", "3"); else (None, part)."""
    eq = part.find("=")
    if eq < 0:
        return None, part
    name = part[:eq].rstrip()
    if len(name) > 1 and name[1] == "_":
        sub = name[2:]
        if sub.startswith("{") and sub.endswith("}"):
            sub = sub[1:-1]
        if not (1 <= len(sub) <= 3 and sub.isascii() and sub.isalnum()):
            return None, part  # the reader refuses the "=" that is left
        name = name[0] + "_" + sub
    elif len(name) != 1:
        return None, part
    if not (name[0].isascii() and name[0].isalpha()):
        return None, part
    return name, part[eq + 1 :].strip()


def _unwrap(text: str) -> str | None:
    """The answer inside one ``\\boxed{...}`` that is all the text, else the text; "The answer is" and a trailing
    period dropped."""
    if text.startswith(_PREFIX):
        text = text[len(_PREFIX) :].lstrip()
    if text.startswith("\\boxed{"):
        depth, end = 0, -1
        for i in range(6, len(text)):
            ch = text[i]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    end = i
                    break
        if end < 0 or text[end + 1 :].strip() not in ("", "."):
            return None
        text = text[7:end].strip()
    if text.endswith("."):
        text = text[:-1].rstrip()
    return text or None


_PREFIX = "The answer is "  # the built-in teacher's (and many models') own words, stripped by extraction


class _Reader:
    """Recursive descent mirroring :mod:`chukmath.verify.grammar`'s, over characters, producing forms."""

    __slots__ = ("depth", "i", "imaginary", "letters", "n", "s")

    def __init__(self, s: str, letters: bool, imaginary: bool) -> None:
        self.s, self.i, self.n, self.letters, self.depth = s, 0, len(s), letters, 0
        self.imaginary = imaginary

    def peek(self) -> str:
        """The next character after spaces ("" at the end)."""
        s, i, n = self.s, self.i, self.n
        if i < n and s[i] != " ":
            return s[i]
        while i < n and s[i] == " ":
            i += 1
        self.i = i
        return s[i] if i < n else ""

    def answer(self, named: bool) -> cf.Poly:
        s = self.s
        # "x = ..." names the value (extraction's _NAMED); the name does not matter for one value
        if named and self.n > 2 and s[0].isascii() and s[0].isalpha() and not s[1].isalpha():
            j = 1
            while j < self.n and s[j] == " ":
                j += 1
            if j < self.n and s[j] == "=":
                self.i = j + 1
        form = self.expr()
        if self.peek() != "":
            raise _Refuse
        return form

    def expr(self) -> cf.Poly:
        self.depth += 1
        if self.depth > 20:
            raise _Refuse
        ch = self.peek()
        negative = ch == "-"
        if ch in ("-", "+"):
            self.i += 1
        total = self.term()
        if negative:
            total = cf.neg(total)
        while True:
            ch = self.peek()
            if ch not in ("+", "-"):
                break
            self.i += 1
            if self.peek() in ("+", "-"):
                raise _Refuse  # "+-" is ± to extraction
            term = self.term()
            total = cf.add(total, term if ch == "+" else cf.neg(term))
        self.depth -= 1
        return total

    def term(self) -> cf.Poly:
        out = self.factor()
        while True:
            ch = self.peek()
            if ch == "*" or ch == "/":
                self.i += 1
                if self.peek() in ("+", "-", "*"):
                    raise _Refuse
                rhs = self.factor()
                if ch == "/":
                    if len(rhs) != 1:
                        raise _Refuse  # 1/(x+1) is an opaque atom: not decisive
                    rhs = cf._inverse(rhs)
                out = _mul(out, rhs)
            elif ch == "\\" and self.s.startswith(("\\cdot", "\\times"), self.i):
                self.i += 5 if self.s[self.i + 1] == "c" else 6
                if self._at_letter() or self.peek() in ("+", "-"):
                    raise _Refuse  # "\\cdotx" is an unknown command to the grammar
                out = _mul(out, self.factor())
            elif ch and (ch in "([{\\" or (ch.isascii() and ch.isalpha())):
                out = _mul(out, self.factor())
            else:
                return out

    def _at_letter(self) -> bool:
        i = self.i
        return i < self.n and self.s[i].isalpha()

    def factor(self) -> cf.Poly:
        base = self.primary()
        s, i = self.s, self.i
        if s.startswith("**", i):
            # "**" after a space, or before one, is markdown bold to extraction
            if i == 0 or s[i - 1] == " " or i + 2 >= self.n or s[i + 2] in " .,;:!":
                raise _Refuse
            self.i = i + 2
        elif self.peek() == "^":
            self.i += 1
        else:
            return base
        exponent = self._exponent()
        if self.peek() == "^" or self.s.startswith("**", self.i):
            raise _Refuse  # x^2^3 is right-associative in the grammar; rare, left to it
        if exponent < 0 and len(base) != 1:
            raise _Refuse
        return cf.pow_int(base, exponent)

    def _exponent(self) -> int:
        ch = self.peek()
        braced = ch == "{"
        if braced:
            self.i += 1
            ch = self.peek()
        sign = 1
        if ch == "-":
            sign = -1
            self.i += 1
            ch = self.peek()
        digits = self._digits()
        if braced and self.take_char() != "}":
            raise _Refuse
        if len(digits) > 2:
            raise _Refuse
        return sign * int(digits)

    def take_char(self) -> str:
        ch = self.peek()
        self.i += 1
        return ch

    def _digits(self) -> str:
        s, start = self.s, self.i
        i = start
        while i < self.n and "0" <= s[i] <= "9":
            i += 1
        if i == start or i - start > MAX_FAST_DIGITS:
            raise _Refuse
        if i < self.n and s[i] in ".eE,_":
            raise _Refuse  # decimals, scientific literals and digit groups are the general path's
        self.i = i
        return s[start:i]

    def primary(self) -> cf.Poly:
        ch = self.peek()
        if "0" <= ch <= "9":
            return _literal(self._digits())
        if ch in _CLOSE:
            self.i += 1
            inner = self.expr()
            if self.take_char() != _CLOSE[ch]:
                raise _Refuse
            return inner
        if ch == "\\":
            return self._command()
        if ch.isascii() and ch.isalpha():
            return self._word()
        raise _Refuse

    def _word(self) -> cf.Poly:
        s, start = self.s, self.i
        i = start
        while i < self.n and s[i].isascii() and s[i].isalpha():
            i += 1
        word = s[start:i]
        if i < self.n and s[i] == "_":
            raise _Refuse
        self.i = i
        if word == "pi":
            return cf.atom("pi")
        if word == "sqrt" and self.peek() == "(":
            self.i += 1
            inner = self.expr()
            if self.take_char() != ")":
                raise _Refuse
            return cf._power(inner, _HALF)
        if len(word) != 1 or not self.letters or word == "o":
            raise _Refuse  # words, "xy", "oo"
        if word == "I" or (word == "i" and self.imaginary):  # the general path rewrites a lone i to I then
            return {(1, True, ()): Fraction(1)}
        if word == "i":
            raise _Refuse
        return cf.atom("E") if word in "eE" else cf.atom(word)

    def _group(self) -> cf.Poly:
        if self.peek() != "{":
            raise _Refuse
        self.i += 1
        inner = self.expr()
        if self.take_char() != "}":
            raise _Refuse
        return inner

    def _command(self) -> cf.Poly:
        s, start = self.s, self.i + 1
        i = start
        while i < self.n and "a" <= s[i] <= "z":
            i += 1
        name = s[start:i]
        if i < self.n and s[i].isalpha():
            raise _Refuse
        self.i = i
        if name == "pi":
            return cf.atom("pi")
        if name in _FRACS:
            if "0" <= self.peek() <= "9":  # \dfrac34, read by the grammar as \frac{3}{4}
                num = int(self.s[self.i])
                self.i += 1
                den_ch = self.peek()
                if not "0" <= den_ch <= "9":
                    raise _Refuse
                self.i += 1
                if den_ch == "0":
                    raise _Refuse
                return cf.const(Fraction(num, int(den_ch)))  # = num * (1/den), as the grammar's Div
            num_form = self._group()
            den = self._group()
            if len(den) != 1:
                raise _Refuse
            return _mul(num_form, cf._inverse(den))
        if name == "sqrt":
            ch = self.peek()
            arg = self._group() if ch == "{" else _literal(self._digits()) if "0" <= ch <= "9" else None
            if arg is None:
                raise _Refuse
            return cf._power(arg, _HALF)
        raise _Refuse
