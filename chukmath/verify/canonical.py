"""An exact canonical form for answer expressions, computed from our own AST with hard size caps.

A value is a sum of monomials with ``Fraction`` coefficients. A monomial is a square-free integer radical
``sqrt(r)``, an optional imaginary unit, and atoms with integer exponents: variables, ``pi``, ``E``, and opaque
atoms for everything else (``sin(x)``, ``exp(x)``, ``(x + 1)**-1``, ``2**(1/3)``). For polynomials in the
variables with coefficients in Q(sqrt(r), i) — the bulk of generated answers — and for ``pi``/``E`` (taken as
transcendental) two expressions are equal exactly when their canonical forms are equal, so the form decides
both ways. When an opaque atom is present, equal forms still prove equality, but different forms prove nothing
and the caller falls back to a numeric identity test.

Every operation checks caps (terms, coefficient bits, exponents) and raises :class:`TooComplex` instead of
doing unbounded work; that is what keeps hostile inputs such as ``(x+1)^999999`` cheap.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, isqrt

from chukmath.verify.grammar import Add, Div, Func, Mul, Neg, Node, Num, Pow, Sym

MAX_TERMS = 400
MAX_BITS = 4096
MAX_POLY_POWER = 40
MAX_ATOM_EXPONENT = 1000
MAX_RADICAND = 10**8  # trial division to 10**4 makes square-free parts exact below this bound
MAX_ROOT_INDEX = 12

# (radical, imaginary, atoms): the coefficient-free part of a term.
Mono = tuple[int, bool, tuple[tuple[str, int], ...]]
Poly = dict[Mono, Fraction]
ONE: Mono = (1, False, ())
TRANSPARENT = frozenset({"pi", "E"})


class TooComplex(ValueError):
    """The expression is outside what the exact form handles within its caps."""


def _check(value: Fraction) -> Fraction:
    if value.numerator.bit_length() > MAX_BITS or value.denominator.bit_length() > MAX_BITS:
        raise TooComplex("coefficient too large")
    return value


def const(value: Fraction) -> Poly:
    return {ONE: _check(value)} if value else {}


def atom(name: str, exponent: int = 1) -> Poly:
    return {(1, False, ((name, exponent),)): Fraction(1)}


def add(a: Poly, b: Poly) -> Poly:
    out = dict(a)
    for mono, coef in b.items():
        total = out.get(mono, Fraction(0)) + coef
        if total:
            out[mono] = _check(total)
        else:
            out.pop(mono, None)
    if len(out) > MAX_TERMS:
        raise TooComplex("too many terms")
    return out


def neg(a: Poly) -> Poly:
    return {m: -c for m, c in a.items()}


def _mono_mul(m1: Mono, m2: Mono) -> tuple[int, Mono]:
    r1, i1, a1 = m1
    r2, i2, a2 = m2
    g = gcd(r1, r2)  # both square-free, so r1*r2 = g**2 * (r1/g)*(r2/g) with a square-free rest
    coef = -g if i1 and i2 else g
    if not a2:  # multiplying by a number or radical: the atoms stay as they are
        return coef, ((r1 // g) * (r2 // g), i1 != i2, a1)
    if not a1:
        return coef, ((r1 // g) * (r2 // g), i1 != i2, a2)
    exps = dict(a1)
    for name, e in a2:
        total = exps.get(name, 0) + e
        if abs(total) > MAX_ATOM_EXPONENT:
            raise TooComplex("exponent too large")
        if total:
            exps[name] = total
        else:
            exps.pop(name, None)
    return coef, ((r1 // g) * (r2 // g), i1 != i2, tuple(sorted(exps.items())))


def mul(a: Poly, b: Poly) -> Poly:
    if len(a) * len(b) > MAX_TERMS * 4:
        raise TooComplex("product too large")
    out: Poly = {}
    for m1, c1 in a.items():
        for m2, c2 in b.items():
            k, mono = _mono_mul(m1, m2)
            product = c1 * c2 if k == 1 else c1 * c2 * k
            prev = out.get(mono)
            total = product if prev is None else prev + product
            if total:
                out[mono] = _check(total)
            else:
                out.pop(mono, None)
    if len(out) > MAX_TERMS:
        raise TooComplex("too many terms")
    return out


def _inverse(a: Poly) -> Poly:
    if not a:
        raise TooComplex("division by zero")
    if len(a) != 1:
        return atom(key(a), -1)
    ((r, imag, atoms), coef) = next(iter(a.items()))
    # 1/(c sqrt(r) i^b A) = sqrt(r) / (c r) * (-i)^b * A^-1
    inv_coef = 1 / (coef * r)
    if imag:
        inv_coef = -inv_coef
    return {(r, imag, tuple((n, -e) for n, e in atoms)): _check(inv_coef)}


def pow_int(a: Poly, n: int) -> Poly:
    """``a**n`` for an integer ``n`` (negative only through a single-term inverse or an opaque atom)."""
    if n == 0:
        return const(Fraction(1))
    if n < 0:
        if len(a) != 1:
            if -n > MAX_ATOM_EXPONENT:
                raise TooComplex("exponent too large")
            return atom(key(a), n)
        return pow_int(_inverse(a), -n)
    if len(a) == 1:
        ((r, _, _), coef) = next(iter(a.items()))
        bits = max(coef.numerator.bit_length(), coef.denominator.bit_length(), r.bit_length())
        if bits * n > MAX_BITS or n > MAX_ATOM_EXPONENT:
            raise TooComplex("power too large")
    elif n > MAX_POLY_POWER:
        raise TooComplex("power of a sum too large")
    result = const(Fraction(1))
    base = a
    while n:  # square and multiply: O(log n) products
        if n & 1:
            result = mul(result, base)
        n >>= 1
        if n:
            base = mul(base, base)
    return result


def as_rational(a: Poly) -> Fraction | None:
    """The value of ``a`` when it is a rational constant, else None."""
    if not a:
        return Fraction(0)
    if len(a) == 1 and ONE in a:
        return a[ONE]
    return None


def _square_free(n: int) -> tuple[int, int]:
    """``n = outside**2 * inside`` with ``inside`` square-free, for 0 < n <= MAX_RADICAND."""
    outside, inside, d, step = 1, 1, 2, 1
    while d * d <= n:
        while n % (d * d) == 0:
            n //= d * d
            outside *= d
        if n % d == 0:
            n //= d
            inside *= d
        # 2, 3, then 6k-1 and 6k+1 only: a composite d never divides, its primes are already gone
        d += step
        step = 2 if d <= 5 else 6 - step
    return outside, inside * n


def sqrt_rational(c: Fraction) -> Poly:
    """Exact ``sqrt(c)`` as a radical monomial: sqrt(p/q) = sqrt(p*q)/q."""
    if c == 0:
        return {}
    imag = c < 0
    c = abs(c)
    radicand = c.numerator * c.denominator
    if radicand > MAX_RADICAND:
        root = isqrt(radicand)
        if root * root != radicand:
            raise TooComplex("radicand too large")
        outside, inside = root, 1
    else:
        outside, inside = _square_free(radicand)
    return {(inside, imag, ()): Fraction(outside, c.denominator)}


def _exact_root(c: Fraction, q: int) -> Fraction | None:
    """The exact positive q-th root of a positive rational, or None."""
    out = []
    for part in (c.numerator, c.denominator):
        guess = round(part ** (1.0 / q)) if part.bit_length() < 1000 else None
        if guess is None:
            return None
        for cand in (guess - 1, guess, guess + 1):
            if cand >= 0 and cand**q == part:
                out.append(cand)
                break
        else:
            return None
    return Fraction(out[0], out[1])


def key(a: Poly) -> str:
    """A canonical string for a form; equal forms give equal keys (used for atoms, sets and caching)."""
    parts = []
    for (r, imag, atoms), coef in sorted(a.items(), key=lambda kv: repr(kv[0])):
        mono = "*".join(f"{n}^{e}" for n, e in atoms)
        parts.append(f"{coef}|{r}|{'i' if imag else ''}|{mono}")
    return "[" + " + ".join(parts) + "]"


def is_decisive(a: Poly) -> bool:
    """True when the form is unique for its value (no opaque atoms), so unequal forms mean unequal values."""
    return all(n in TRANSPARENT or ("(" not in n and "[" not in n) for (_, _, atoms) in a for n, _ in atoms)


def canonical(node: Node) -> Poly:
    """The canonical form of an AST; raises TooComplex when a cap is hit."""
    if isinstance(node, Num):
        return const(node.value)
    if isinstance(node, Sym):
        if node.name == "I":
            return {(1, True, ()): Fraction(1)}
        return atom(node.name)
    if isinstance(node, Add):
        out: Poly = {}
        for arg in node.args:
            out = add(out, canonical(arg))
        return out
    if isinstance(node, Mul):
        out = const(Fraction(1))
        for arg in node.args:
            out = mul(out, canonical(arg))
        return out
    if isinstance(node, Neg):
        return neg(canonical(node.arg))
    if isinstance(node, Div):
        return mul(canonical(node.num), _inverse(canonical(node.den)))
    if isinstance(node, Pow):
        return _power(canonical(node.base), canonical(node.exp))
    return _function(node)


def _power(base: Poly, exp: Poly) -> Poly:
    e = as_rational(exp)
    if e is not None and e.denominator == 1:
        return pow_int(base, int(e))
    c = as_rational(base)
    if e is not None and c is not None:
        if e.denominator == 2:
            return pow_int(sqrt_rational(c), e.numerator)
        if c > 0 and e.denominator <= MAX_ROOT_INDEX:
            root = _exact_root(c, e.denominator)
            if root is not None:
                return pow_int(const(root), e.numerator)
    if base == atom("E"):
        return atom(f"exp({key(exp)})")
    return atom(f"pow({key(base)},{key(exp)})")


def _function(node: Func) -> Poly:
    args = [canonical(a) for a in node.args]
    if node.name == "sqrt" and len(args) == 1:
        return _power(args[0], const(Fraction(1, 2)))
    if node.name == "exp" and len(args) == 1:
        return _power(atom("E"), args[0])
    if node.name == "abs" and len(args) == 1:
        c = as_rational(args[0])
        if c is not None:
            return const(abs(c))
    if node.name == "log" and len(args) == 1 and as_rational(args[0]) == 1:
        return {}
    if node.name in ("sin", "tan", "asin", "atan", "sinh", "tanh") and len(args) == 1 and not args[0]:
        return {}
    if node.name in ("cos", "cosh") and len(args) == 1 and not args[0]:
        return const(Fraction(1))
    return atom(f"{node.name}({','.join(key(a) for a in args)})")
