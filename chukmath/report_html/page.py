"""The report page: one HTML file with its charts and styles inline, readable with no network and no script.

Every text that comes from the run (model output, questions, reasons, names) goes through ``html.escape``; a
Content-Security-Policy with ``default-src 'none'`` is the second fence, so even markup that slipped through could
neither run nor fetch anything.
"""

from __future__ import annotations

import html
from typing import Any

from chukmath.report_html import charts
from chukmath.report_html.collect import ReportData, Sample

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:62rem;padding:0 1rem;
color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.note{color:#555;font-size:.92rem}.absent{color:#8a5a00;background:#fff7e0;padding:.4rem .6rem;border-radius:4px}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
table.totals{border-collapse:collapse}table.totals td{padding:.1rem .9rem .1rem 0}
table.totals td:nth-child(2){text-align:right;font-variant-numeric:tabular-nums}
details{border:1px solid #ddd;border-radius:4px;margin:.35rem 0;padding:.3rem .6rem}
details[open]{background:#fafafa}summary{cursor:pointer}
.ok{color:#1d7a1d;font-weight:600}.bad{color:#b22;font-weight:600}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f3f3;padding:.5rem;border-radius:4px;
font-size:.85rem;max-height:32rem;overflow:auto}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _figure(svg: str | None, name: str, caption: str, missing: str) -> str:
    if svg is None:
        return f'<p class="absent" id="no-{name}">{_e(missing)}</p>'
    return f'<figure id="fig-{name}">{svg}<figcaption class="note">{_e(caption)}</figcaption></figure>'


def _totals(data: ReportData) -> str:
    totals = data.stats.get("totals") if isinstance(data.stats.get("totals"), dict) else {}
    if not totals:
        return '<p class="absent">No stats.json totals in this directory.</p>'
    rate = totals.get("acceptance_rate")
    rows = [
        ("problems", totals.get("problems")),
        ("responses verified", totals.get("responses")),
        ("accepted", totals.get("accepted")),
        ("acceptance", f"{100 * rate:.1f}%" if isinstance(rate, int | float) else "-"),
        ("rejected", totals.get("rejected")),
        ("written to train (and test)", totals.get("written")),
        ("keys with no answer", totals.get("no_response")),
    ]
    cells = "".join(
        f"<tr><td>{_e(k)}</td><td>{_e(f'{v:,}' if isinstance(v, int) else v)}</td></tr>"
        for k, v in rows
        if v is not None
    )
    return f'<table class="totals">{cells}</table>'


def _time_notes(data: ReportData) -> list[str]:
    timeline, notes = data.timeline, []
    buckets = list(timeline.buckets.values())
    if "responses.jsonl" in data.files_missing:
        return ["No journal (responses.jsonl) in this directory: nothing to show over time."]
    if timeline.undated:
        notes.append(f"{timeline.undated:,} of {timeline.lines:,} journal lines have no 'created' time; left out.")
    with_usage = sum(b.with_usage for b in buckets)
    prompt = sum(b.prompt_tokens for b in buckets)
    completion = sum(b.completion_tokens for b in buckets)
    if not with_usage:
        who = "the builtin teacher reports none" if data.teacher == "builtin" else "the endpoint sent none"
        notes.append(f"No token usage in the journal ({who}): tokens and cost are not shown.")
    else:
        notes.append(f"Tokens over all journal lines: {prompt:,} prompt, {completion:,} completion.")
        if data.price_in > 0 or data.price_out > 0:
            usd = (prompt * data.price_in + completion * data.price_out) / 1_000_000
            notes.append(
                f"Cost of every journal line (also retried and superseded ones) at {data.price_in:g} / "
                f"{data.price_out:g} USD per million prompt / completion tokens: {usd:,.4f} USD."
            )
        else:
            notes.append("No prices in the recipe ([teacher] price_in / price_out are 0): cost is not shown.")
    if not any(b.latency_n for b in buckets):
        notes.append("No request latencies in the journal: the latency panel is left out.")
    return notes


def _sample(sample: Sample, number: int) -> str:
    level = f"difficulty {sample.difficulty}" if sample.difficulty is not None else "difficulty ?"
    if sample.accepted:
        verdict = '<span class="ok">accepted</span>'
    else:
        verdict = f'<span class="bad">rejected</span>: {_e(", ".join(sample.reasons) or "no reason recorded")}'
    parts = [f"<summary>#{number} · {_e(level)} · {verdict}</summary>"]
    parts.append(f'<p class="note">problem {_e(sample.problem_id[:16])}</p>')
    if sample.question is not None:
        parts.append(f"<p><b>Question</b></p><pre>{_e(sample.question)}</pre>")
    if sample.expected is not None:
        got = f"; verifier_answer: <code>{_e(sample.verifier_answer)}</code>" if sample.verifier_answer else ""
        parts.append(f"<p>expected answer: <code>{_e(sample.expected)}</code>{got}</p>")
    if sample.details:
        items = "".join(f"<li>{_e(d)}</li>" for d in sample.details)
        parts.append(f"<p><b>Why</b></p><ul>{items}</ul>")
    label = "Assistant turn as written to train" if sample.accepted else "Teacher's response as received"
    parts.append(f"<p><b>{label}</b></p><pre>{_e(sample.text)}</pre>")
    kind = "accepted" if sample.accepted else "rejected"
    return f'<details class="sample {kind}" data-family="{_e(sample.family)}">{"".join(parts)}</details>'


def _samples(data: ReportData) -> str:
    if not data.samples:
        return '<p class="absent">No rows in train/test/rejects.</p>'
    out = []
    for family, group in data.samples.items():
        bad = sum(not s.accepted for s in group)
        out.append(f'<h3 id="samples-{_e(family)}">{_e(family)} <span class="note">'
                   f"({len(group) - bad} accepted, {bad} rejected shown)</span></h3>")
        out.extend(_sample(s, i + 1) for i, s in enumerate(group))
    return "\n".join(out)


def render_page(data: ReportData) -> str:
    """The whole report as one HTML string (charts inline as SVG)."""
    heat_note = (
        "Accepted / responses verified, per cell; from stats.json."
        if data.cells_source == "stats.json"
        else "Rows written / rows in train, test and rejects per cell (this stats.json predates the cross table, "
        "so accepted duplicates and rows over the keep cap are not counted)."
    )
    words_rejected = sum(data.words_rejected.values())
    length_caption = (
        "Words = whitespace-separated tokens of the reasoning: the <think> block of each accepted row, and of each "
        "rejected response (its whole text where it has no <think> block)."
    )
    if not words_rejected:
        length_caption += " No rejected responses: only the accepted panel is drawn."
    reasons_missing = (
        "No rejects.jsonl in this directory."
        if "rejects.jsonl" in data.files_missing
        else "No rejected responses: nothing to chart."
    )
    notes = "".join(f'<li class="note">{_e(n)}</li>' for n in _time_notes(data))
    who = ", ".join(x for x in (data.teacher, data.model) if x) or "unknown teacher"
    sections: list[Any] = [
        f"<h1>{_e(data.name)}</h1>",
        f'<p class="note">Teacher: {_e(who)}. Made by <code>chukmath report</code> from the files of this run '
        "directory only; open it anywhere, it needs no network.</p>",
        _totals(data),
        '<h2 id="acceptance">Acceptance by family and difficulty</h2>',
        _figure(charts.heatmap(data), "heatmap", heat_note, "No verified responses to chart."),
        '<h2 id="reasons">Reject reasons</h2>',
        _figure(
            charts.reasons_bar(data),
            "reasons",
            "Each rejected response counts once under every reason it was rejected for (rejects.jsonl).",
            reasons_missing,
        ),
        '<h2 id="lengths">Reasoning length (words)</h2>',
        _figure(charts.length_histograms(data), "lengths", length_caption, "No rows to measure."),
        '<h2 id="time">Cost and throughput over time</h2>',
        _figure(
            charts.over_time(data),
            "time",
            "From the journal (responses.jsonl): every line, also requests that failed after their retries and answers "
            "a later line superseded.",
            "No dated journal lines.",
        ),
        f"<ul>{notes}</ul>",
        f'<h2 id="samples">Samples (up to {data.samples_per_family} per family, the first in problem order)</h2>',
        _samples(data),
    ]
    body = "\n".join(sections)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{_e(data.name)} · chukmath report</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
