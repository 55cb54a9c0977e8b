"""answers_match: every spelling in the issue, matching and not matching, and hostile input at a bounded cost."""

from functools import partial

import pytest
from timing import assert_each_costs_at_most

from chukmath.verify import answers_match, clear_caches

MATCH = [
    # integers in other spellings
    ("110", "110"), ("110.0", "110"), ("1.1E+2", "110"), (r"1.1 \times 10^2", "110"), (r"\boxed{110}", "110"),
    ("$110$", "110"), ("x = 110", "110"), ("**110**", "110"), ("1,100", "1100"), ("The answer is 110.", "110"),
    ("**The answer is $110$.**", "110"), ("110 apples", "110"), (r"12\text{ cm}", "12"), (r"45^\circ", "45"),
    ("```\n110\n```", "110"), (r"\[ \boxed{110} \]", "110"), ("1{,}100", "1100"),
    # thousands separated by a LaTeX thin space or a Unicode thin / narrow no-break space; LaTeX spacing commands
    (r"1\,100", "1100"), (r"\$12\,345\,678", "12345678"), ("1\u2009100", "1100"), ("1\u202f100.5", "2201/2"),
    (r"2\,x + 2", "2*x + 2"), (r"2\;x\!+\!2", "2*x + 2"), (r"1,\,-2", "{-2, 1}"),
    # fractions and decimals
    ("3/4", "3/4"), ("0.75", "3/4"), (r"\frac{3}{4}", "3/4"), (r"\dfrac34", "3/4"), ("6/8", "3/4"),
    ("3.5", "7/2"), ("x = 7/2", "7/2"), (r"\left(\frac{1}{2}\right)", "1/2"),
    (r"-\frac{10}{9}", "-10/9"), (r"\frac{-10}{9}", "-10/9"),
    # unicode minus
    ("\u22125", "-5"),
    # radicals
    (r"\sqrt{117}", "3*sqrt(13)"), (r"3\sqrt{13}", "3*sqrt(13)"), (r"\sqrt[3]{8}", "2"),
    (r"\frac{\sqrt{2}}{2}", "sqrt(2)/2"), (r"\frac{1}{\sqrt{2}}", "sqrt(2)/2"),
    # polynomials and transcendental expressions
    ("2(x+1)", "2*x + 2"), ("2x+2", "2*x + 2"), ("2*x + 2", "2*x + 2"), (r"3x^{2}", "3*x**2"),
    (r"x^2\cos x + 2x\sin x", "x**2*cos(x) + 2*x*sin(x)"), (r"2\sin x\cos x", "sin(2*x)"), ("e - 1", "-1 + E"),
    (r"\ln 2", "log(2)"), (r"\frac{\pi}{4}", "pi/4"), (r"e^{x}(x+1)", "x*exp(x) + exp(x)"),
    # sets of roots
    ("x = -2 or x = 1", "{-2, 1}"), ("1, -2", "{-2, 1}"), (r"\{1, -2\}", "{-2, 1}"), ("{-2, 1}", "{-2, 1}"),
    (r"x_1 = 1, x_2 = -2", "{-2, 1}"), ("1 and -2", "{-2, 1}"), (r"x = 1 \text{ or } x = -2", "{-2, 1}"),
    (r"3 \pm 2\sqrt{2}", "{3 - 2*sqrt(2), 3 + 2*sqrt(2)}"), (r"-1 \pm 2i", "{-1 - 2*I, -1 + 2*I}"),
    ("1, 1, -2", "{-2, 1}"), (r"x \in \{-2, 1\}", "{-2, 1}"),
    (r"x=\frac{-1\pm\sqrt{5}}{2}", "{-1/2 + sqrt(5)/2, -sqrt(5)/2 - 1/2}"), (r"\emptyset", "EmptySet"),
    # linear systems
    ("x = 3, y = 2", "{x: 3, y: 2}"), ("(x, y) = (3, 2)", "{x: 3, y: 2}"), ("(3, 2)", "{x: 3, y: 2}"),
    ("x=3 and y=2", "{x: 3, y: 2}"), ("y = 2, x = 3", "{x: 3, y: 2}"), ("{x: 3, y: 2}", "{x: 3, y: 2}"),
]  # fmt: skip

NO_MATCH = [
    ("111", "110"), ("110 or 111", "110"), ("", "110"), ("   ", "110"), ("0.7", "3/4"), ("-1.1", "-10/9"),
    ("-1.1111", "-10/9"), ("1.11111", "-10/9"), ("3.1416", "pi"), ("10.816", "3*sqrt(13)"),
    ("1,100", "110"), (r"\sqrt{118}", "3*sqrt(13)"), ("2x+3", "2*x + 2"), ("x**2*cos(x)", "x**2*cos(x) + 2*x*sin(x)"),
    ("1", "{-2, 1}"), ("1, -2, 3", "{-2, 1}"), ("x = 2, y = 3", "{x: 3, y: 2}"), ("2", "{x: 3, y: 2}"),
    (r"3 + 2\sqrt{2}", "{3 - 2*sqrt(2), 3 + 2*sqrt(2)}"), ("sin(x)", "cos(x)"), ("the answer", "110"),
    ("110 apples or 111 apples", "110"), ("0", "EmptySet"), ("110", "not an answer ("),
    (r"1\,100", "110"), (r"1\,10", "110"), (r"1\,100", "{1, 100}"), ("0.33", "1/3"), ("0.333334", "1/3"),
    ("0.33333", "1/3"), ("1, -2", "{1, 2}"), (r"3 \pm \sqrt{2}", "{3 - 2*sqrt(2), 3 + 2*sqrt(2)}"),
]  # fmt: skip

HOSTILE = [
    "9**9**9**9", "10^10^10^10", "1" * 5000, "9" * 5000 + "/7", "__import__('os').system('rm -rf /')",
    "().__class__.__bases__[0].__subclasses__()", "(x+1)^999999", "(" * 3000 + "1" + ")" * 3000,
    "{" * 500 + "}" * 500, r"\frac{" * 400 + "1" + "}{2}" * 400, "1e999999999", "x" * 3000,
    r"\sqrt{" * 200 + "2" + "}" * 200, "exp(exp(exp(exp(100))))", "2^(2^(2^(2^(2^100))))",
    "sin(10^300)", "(x+y+z+w)^40", "99999999999999999999^99999999", "1/0", "0^0", "log(0)",
    "1" * 1_000_000, "(" * 1_000_000, "x = " * 250_000, r"\boxed{" * 100_000, "1, " * 300_000 + "1",
]  # fmt: skip


@pytest.mark.parametrize(("candidate", "expected"), MATCH)
def test_equal_values_match(candidate, expected):
    assert answers_match(candidate, expected)


@pytest.mark.parametrize(("candidate", "expected"), NO_MATCH)
def test_different_values_do_not_match(candidate, expected):
    assert not answers_match(candidate, expected)


HOSTILE_EXPECTED = ["110", "2*x + 2", "{-2, 1}", "log(2)"]


@pytest.mark.parametrize("candidate", HOSTILE)
@pytest.mark.parametrize("expected", HOSTILE_EXPECTED)
def test_hostile_input_is_false(candidate, expected):
    assert answers_match(candidate, expected) is False


@pytest.mark.timeout(60)  # a hang guard only, far above the ~0.5 s this takes; the comparison is the real test
def test_hostile_input_costs_no_more_than_ordinary_answers():
    # Not a wall-clock limit: each hostile check (a power tower, a million characters, deep nesting) may cost up
    # to 25 times all the ordinary answers of MATCH together, measured in the same test; a runaway power, a
    # backtracking reader or a quadratic scan costs seconds.
    checks = {f"{c[:30]!r} vs {e!r}": partial(answers_match, c, e) for c in HOSTILE for e in HOSTILE_EXPECTED}
    assert_each_costs_at_most(checks, lambda: [answers_match(c, e) for c, e in MATCH], 25, before=clear_caches)


def test_teacher_text_is_never_evaluated(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    assert not answers_match(payload, "110")
    answers_match(f"110 + {payload}", "110")
    answers_match(payload, "2*x + 2")
    assert not marker.exists()


def test_non_strings_are_false():
    assert not answers_match(None, "110")  # type: ignore[arg-type]
    assert not answers_match("110", None)  # type: ignore[arg-type]


def test_fast_path_does_not_import_sympy():
    import subprocess
    import sys

    code = (
        "import sys\nfrom chukmath.verify import answers_match\n"
        "assert answers_match('110.0', '110') and answers_match('-10/9', '-10/9') and answers_match('0.75', '3/4')\n"
        "assert not answers_match('111', '110')\nprint('sympy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
