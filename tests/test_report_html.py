"""report.html: written by `chukmath build` and `chukmath report`, opened in a real Chromium (Playwright) offline.

The browser must load it with no console error, no request other than the file itself, the charts drawn (SVGs with
a size, one heatmap cell per family × difficulty present) and the model's text shown as text, never as markup.
Under CI=true a missing browser or playwright fails these tests; elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from test_build_support import CLI, build_json

from chukmath.report_html.collect import Timeline
from chukmath_testing.fault_server import FaultServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# The loopback server answers with the prompt's last "Answer:" line: some problems get a wrong answer, some markup
# that must reach the page as text, and some a 500 first (a failed attempt in the journal's timeline).
TEMPLATE = """{#---
name = "echo"
description = "Test prompt: the loopback server echoes the Answer line."
variables = ["question", "answer", "problem"]
reveals_answer = true
---#}
Problem: {{ question }}
{% if problem.index % 7 == 3 %}[fault:500]{% endif %}
Answer: {% if problem.index % 5 == 1 %}<script>alert("x")</script><img src="http://example.com/x.png">\
{% elif problem.index % 5 == 2 %}123456789{% else %}{{ answer }}{% endif %}
"""

RECIPE = """name = "report-live"
count = 60
seed = 5
[[mix]]
generator = "arithmetic"
weight = 2
difficulty = 1
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 2
[[mix]]
generator = "fractions"
weight = 1
difficulty = 1
[prompt]
template = "echo"
templates_dirs = ["{templates}"]
[teacher]
kind = "openai"
model = "loopback"
base_url = "{base_url}"
api_key_env = ""
samples = 2
concurrency = 8
price_in = 1.0
price_out = 2.0
"""

BUILTIN = """name = "report-builtin"
count = 24
seed = 3
[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 1
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 3
[teacher]
kind = "builtin"
"""


def _chromium():
    """Playwright's sync API and the system Chromium, or a skip (a failure under CI=true) saying what is missing."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (it is in the dev extra)"
        sync_playwright = None
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"no Chromium at {CHROMIUM} (make test installs it: apt-get install -y chromium)"
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run under CI: {missing}")
        pytest.skip(missing)
    return sync_playwright


@pytest.fixture(scope="module")
def live_run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report-live")
    templates = root / "templates"
    templates.mkdir()
    (templates / "echo.jinja").write_text(TEMPLATE)
    with FaultServer(latency=0.01) as server:
        recipe = root / "r.toml"
        recipe.write_text(RECIPE.format(templates=templates, base_url=server.base_url))
        summary = build_json(recipe, root / "run")
    assert summary["rejected"] > 0 and summary["accepted"] > 0
    assert summary["files"]["report"] == str(root / "run" / "report.html")
    return root / "run"


def _rows(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def _open(page_path: Path) -> dict:
    """Load the page in Chromium offline; return what the browser saw."""
    sync_playwright = _chromium()
    seen: dict = {"console": [], "errors": [], "attempted": [], "failed": [], "dialogs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def route(r):
                if r.request.url.startswith("file:"):
                    r.continue_()
                else:
                    seen["attempted"].append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))
            page.on("requestfailed", lambda r: seen["failed"].append(r.url))
            page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(300)  # late console messages, lazy requests
            seen["boxes"] = {
                name: page.locator(f"#fig-{name} svg").first.bounding_box() if page.locator(f"#fig-{name} svg").count()
                else None
                for name in ("heatmap", "reasons", "lengths", "time")
            }
            seen["cells"] = page.locator("#heatmap-cells path").count()
            seen["scripts"] = page.locator("script").count()
            seen["images"] = page.locator("img").count()
            seen["details"] = {
                fam: page.locator(f"details.sample[data-family='{fam}']").count() for fam in ("arithmetic", "fractions")
            }
            first = page.locator("details.sample.rejected").first
            first.locator("summary").click()
            seen["opened_text"] = first.locator("pre").last.inner_text()
            seen["opened_visible"] = first.locator("pre").last.is_visible()
            seen["body"] = page.locator("body").inner_text()
        finally:
            browser.close()
    return seen


def test_build_writes_a_report_that_chromium_draws_offline(live_run):
    seen = _open(live_run / "report.html")
    assert seen["console"] == [] and seen["errors"] == [] and seen["dialogs"] == []
    assert seen["attempted"] == [] and seen["failed"] == []
    for name, box in seen["boxes"].items():
        assert box is not None and box["width"] > 50 and box["height"] > 50, name
    problems = _rows(live_run / "problems.jsonl")
    families = {p["generator"] for p in problems}
    levels = {p["difficulty"] for p in problems}
    assert seen["cells"] == len(families) * len(levels) == 4  # fractions has no difficulty-2 cell: drawn grey
    # The markup in the model's answer is text on the page: no <script> or <img> element came of it.
    assert seen["scripts"] == 0 and seen["images"] == 0
    assert "<script>" in (live_run / "rejects.jsonl").read_text()
    assert "&lt;script&gt;alert(&quot;x&quot;)" in (live_run / "report.html").read_text()
    assert seen["opened_visible"] and seen["opened_text"].strip()
    rows = _rows(live_run / "train.jsonl") + _rows(live_run / "rejects.jsonl")
    for family, shown in seen["details"].items():
        assert shown == min(10, sum(r["generator"] == family for r in rows)), family
    assert "USD per million" in seen["body"]
    assert "wrong_answer" in seen["body"]


def test_report_command_gives_the_same_bytes_and_reads_the_cross_table(live_run, tmp_path):
    out = tmp_path / "again.html"
    result = subprocess.run([*CLI, "report", str(live_run), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report: {out}"
    assert out.read_bytes() == (live_run / "report.html").read_bytes()
    stats = orjson.loads((live_run / "stats.json").read_bytes())
    cells = stats["by_generator_difficulty"]
    assert sum(c["responses"] for row in cells.values() for c in row.values()) == stats["totals"]["responses"]
    assert sum(c["accepted"] for row in cells.values() for c in row.values()) == stats["totals"]["accepted"]
    assert set(cells) == {"arithmetic", "fractions"} and set(cells["fractions"]) == {"1"}


def test_builtin_run_says_what_is_absent_and_a_resume_keeps_the_report(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILTIN)
    out = tmp_path / "run"
    build_json(recipe, out)
    page = (out / "report.html").read_text()
    assert "No token usage in the journal (the builtin teacher reports none)" in page
    assert "No rejected responses" in page
    # Self-contained: nothing to fetch (the only URLs left are XML namespace names, which are never fetched).
    assert 'id="heatmap-cells"' in page and not re.search(r"(src|href|url)\s*[=(]\s*[\"']?(https?:|//)", page)
    before = (out / "report.html").read_bytes()
    again = build_json(recipe, out)
    assert again["asked"] == 0 and (out / "report.html").read_bytes() == before


def _blocked_matplotlib(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    code = (
        "import sys; sys.modules['matplotlib'] = None; sys.modules['matplotlib.figure'] = None; "
        "from chukmath.cli.main import run; run()"
    )
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=cwd)


def test_without_matplotlib_report_fails_in_one_line_and_build_skips_it(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILTIN.replace("count = 24", "count = 4"))
    out = tmp_path / "run"
    build = ("build", "--recipe", str(recipe), "--out", str(out), "--quiet")
    built = _blocked_matplotlib(*build, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert "report.html skipped" in built.stderr and "chukmath[report]" in built.stderr
    assert (out / "train.jsonl").exists() and not (out / "report.html").exists()
    # A report from an earlier run would no longer match the files: the resume removes it rather than keep it.
    (out / "report.html").write_text("stale")
    assert _blocked_matplotlib(*build, cwd=tmp_path).returncode == 0 and not (out / "report.html").exists()
    refused = _blocked_matplotlib("report", str(out), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: the HTML report needs matplotlib: pip install 'chukmath[report]' (or 'matplotlib>=3.7')"
    ]


def test_report_of_a_directory_that_is_not_a_run_is_one_line(tmp_path):
    result = subprocess.run([*CLI, "report", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {tmp_path}: no train.jsonl") and len(result.stderr.splitlines()) == 1


def test_timeline_stays_bounded_and_keeps_every_count():
    timeline = Timeline(max_buckets=64)
    for second in range(10_000):
        timeline.bucket(1_700_000_000.0 + second).ok += 1
    assert len(timeline.buckets) <= 64 and sum(b.ok for b in timeline.buckets.values()) == 10_000
    assert timeline.width_s == 256.0


def test_older_run_without_the_cross_table_or_times_is_reported_with_what_is_absent(tmp_path):
    # A run directory written by hand the way an older chukmath left it: no by_generator_difficulty in stats.json,
    # journal lines without 'created', a reject whose text is too long to show whole.
    from chukmath.report_html import write_report
    from chukmath.report_html.collect import MAX_SAMPLE_CHARS

    run = tmp_path / "old"
    run.mkdir()
    (run / "stats.json").write_bytes(orjson.dumps({"totals": {"problems": 3, "responses": 3, "accepted": 2}}))
    turns = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "<think>\na b c\n</think>"}]
    train = [
        {"messages": turns, "problem_id": f"p{i}", "generator": "algebra", "difficulty": 2, "answer": "1"}
        for i in range(2)
    ]
    (run / "train.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in train))
    reject = {"problem_id": "p9", "generator": "algebra", "difficulty": 3, "reasons": ["format"], "details": [],
              "expected": "2", "content": "</pre><b>x</b> " * MAX_SAMPLE_CHARS}
    (run / "rejects.jsonl").write_bytes(orjson.dumps(reject) + b"\n")
    (run / "problems.jsonl").write_bytes(orjson.dumps({"id": "p9", "question": "what is 1+1?"}) + b"\n")
    (run / "responses.jsonl").write_bytes(orjson.dumps({"request_id": "r", "sample": 0, "content": "x"}) + b"\n")
    page = write_report(run).read_text()
    assert "Rows written / rows in train, test and rejects per cell" in page
    assert "1 of 1 journal lines have no &#x27;created&#x27; time" in page and "No dated journal lines." in page
    assert "what is 1+1?" in page and "more characters in the run&#x27;s files" in page
    assert "<b>x</b>" not in page and page.count("&lt;/pre&gt;&lt;b&gt;x&lt;/b&gt;") < MAX_SAMPLE_CHARS
    assert page.count('<details class="sample') == 3
