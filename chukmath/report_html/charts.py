"""The report's charts: matplotlib figures rendered to SVG text, to be inlined in the page.

Only the object-oriented API (``Figure``), never pyplot: no global figure state, no GUI backend, safe in a library.
The SVG is deterministic (fixed hash salt per chart, no date in the metadata, text left as text), so the same run
directory gives the same bytes.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from typing import Any

from chukmath.errors import ConfigError
from chukmath.report_html.collect import ReportData, Timeline

TOP_REASONS = 20
HIST_BINS = 30


def need_matplotlib() -> Any:
    """``matplotlib.figure``, or ConfigError saying which extra brings it."""
    try:
        # A bare Figure saves through the SVG canvas its format names: no backend is chosen, no GUI is touched.
        import matplotlib.figure as mfig
    except ImportError:
        raise ConfigError(
            "the HTML report needs matplotlib: pip install 'chukmath[report]' (or 'matplotlib>=3.7')"
        ) from None
    return mfig


def _svg(fig: Any, name: str) -> str:
    import matplotlib

    buffer = io.StringIO()
    rc = {"svg.hashsalt": f"chukmath-{name}", "svg.fonttype": "none", "svg.id": f"chart-{name}"}
    with matplotlib.rc_context(rc):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    # Inline in HTML: drop the XML declaration and the DOCTYPE (it names a DTD URL) before <svg, and the RDF
    # <metadata> block (namespace URLs and the creator; nothing a reader needs).
    text = text[text.index("<svg") :]
    start, end = text.find("<metadata>"), text.find("</metadata>")
    if 0 <= start < end:
        text = text[:start] + text[end + len("</metadata>") :].lstrip()
    return text


def heatmap(data: ReportData) -> str | None:
    """Acceptance rate by family (rows) and difficulty (columns); a cell with no responses is grey."""
    mfig = need_matplotlib()
    import numpy as np

    families = sorted(data.cells)
    levels = sorted({d for row in data.cells.values() for d in row})
    if not families or not levels:
        return None
    rates = np.full((len(families), len(levels)), np.nan)
    for i, family in enumerate(families):
        for j, level in enumerate(levels):
            good, total = data.cells[family].get(level, (0, 0))
            if total:
                rates[i, j] = good / total
    fig = mfig.Figure(figsize=(2.2 + 1.0 * len(levels), 1.2 + 0.45 * len(families)))
    ax = fig.add_subplot()
    import matplotlib

    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    mesh = ax.pcolormesh(
        np.ma.masked_invalid(rates), cmap=cmap, vmin=0.0, vmax=1.0, edgecolors="white", linewidth=1.5
    )
    mesh.set_gid("heatmap-cells")
    ax.set_xticks([j + 0.5 for j in range(len(levels))], [str(level) for level in levels])
    ax.set_yticks([i + 0.5 for i in range(len(families))], families)
    ax.invert_yaxis()
    ax.set_xlabel("difficulty")
    for i, family in enumerate(families):
        for j, level in enumerate(levels):
            good, total = data.cells[family].get(level, (0, 0))
            label = f"{100 * good / total:.0f}%\n{good}/{total}" if total else "none"
            ax.text(j + 0.5, i + 0.5, label, ha="center", va="center", fontsize=8)
    fig.colorbar(mesh, ax=ax, label="acceptance (accepted / responses)", fraction=0.08)
    return _svg(fig, "heatmap")


def reasons_bar(data: ReportData) -> str | None:
    """How often each reason occurs among rejected responses (a response may have several)."""
    if not data.reject_reasons:
        return None
    mfig = need_matplotlib()
    ranked = sorted(data.reject_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > TOP_REASONS:
        rest = sum(n for _, n in ranked[TOP_REASONS - 1 :])
        ranked = [*ranked[: TOP_REASONS - 1], (f"{len(ranked) - TOP_REASONS + 1} other reasons", rest)]
    labels = [k for k, _ in ranked][::-1]
    counts = [n for _, n in ranked][::-1]
    fig = mfig.Figure(figsize=(7.5, 1.0 + 0.32 * len(ranked)))
    ax = fig.add_subplot()
    bars = ax.barh(labels, counts, color="#c0504d")
    ax.set_gid("reasons-axes")
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.set_xlabel("rejected responses with this reason")
    ax.margins(x=0.12)
    return _svg(fig, "reasons")


def _edges(words: Counter[int], more: Counter[int]) -> list[float]:
    top = max([*words, *more, 1])
    step = max(1, math.ceil((top + 1) / HIST_BINS))
    return [float(k * step) for k in range(math.ceil((top + 1) / step) + 1)]


def length_histograms(data: ReportData) -> str | None:
    """Words of reasoning (the ``<think>`` block) of accepted and of rejected responses, on shared bins."""
    if not data.words_accepted and not data.words_rejected:
        return None
    mfig = need_matplotlib()
    edges = _edges(data.words_accepted, data.words_rejected)
    panels = [
        ("accepted", "rows of train/test", data.words_accepted, "#4f81bd"),
        ("rejected", "rows of rejects.jsonl", data.words_rejected, "#c0504d"),
    ]
    panels = [p for p in panels if p[2]]
    fig = mfig.Figure(figsize=(7.5, 1.2 + 1.9 * len(panels)))
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (label, rows, counts, color) in zip(axes, panels, strict=True):
        values = sorted(counts)
        weights = [counts[v] for v in values]
        ax.hist(values, bins=edges, weights=weights, color=color)
        ax.set_gid(f"hist-{label}")
        total = sum(weights)
        ax.set_ylabel("responses")
        ax.set_title(f"{label}: {total:,} {rows}", fontsize=9, loc="left")
    axes[-1].set_xlabel("words of reasoning (whitespace-separated, inside <think>)")
    return _svg(fig, "lengths")


def _series(timeline: Timeline) -> tuple[list[float], list[Any]]:
    keys = sorted(timeline.buckets)
    start = keys[0] * timeline.width_s
    return [(k * timeline.width_s - start) / 60.0 for k in keys], [timeline.buckets[k] for k in keys]


def over_time(data: ReportData) -> str | None:
    """Responses a minute (with errors), tokens a second, cumulative cost and mean latency over the run's time."""
    timeline = data.timeline
    if not timeline.buckets:
        return None
    mfig = need_matplotlib()
    minutes, buckets = _series(timeline)
    per_min = 60.0 / timeline.width_s
    has_usage = any(b.with_usage for b in buckets)
    has_cost = has_usage and (data.price_in > 0 or data.price_out > 0)
    has_latency = any(b.latency_n for b in buckets)
    rows = 1 + has_usage + has_cost + has_latency
    fig = mfig.Figure(figsize=(7.5, 0.8 + 1.8 * rows))
    axes = list(fig.subplots(rows, 1, sharex=True, squeeze=False)[:, 0])
    width = timeline.width_s / 60.0
    ax = axes.pop(0)
    ok = [b.ok * per_min for b in buckets]
    errors = [b.errors * per_min for b in buckets]
    ax.bar(minutes, ok, width=width, align="edge", color="#4f81bd", label="answers")
    ax.set_gid("throughput-axes")
    if any(errors):
        ax.bar(minutes, errors, width=width, align="edge", bottom=ok, color="#c0504d", label="failed attempts")
    ax.set_ylabel("responses / min")
    ax.legend(fontsize=8, loc="upper right")
    if has_usage:
        ax = axes.pop(0)
        ax.plot(minutes, [b.prompt_tokens / timeline.width_s for b in buckets], label="prompt", color="#9bbb59")
        ax.plot(minutes, [b.completion_tokens / timeline.width_s for b in buckets], label="completion", color="#8064a2")
        ax.set_ylabel("tokens / s")
        ax.legend(fontsize=8, loc="upper right")
    if has_cost:
        ax = axes.pop(0)
        spent, total = [], 0.0
        for b in buckets:
            total += (b.prompt_tokens * data.price_in + b.completion_tokens * data.price_out) / 1_000_000
            spent.append(total)
        ax.plot(minutes, spent, color="#f79646", drawstyle="steps-post")
        ax.set_ylabel("USD (cumulative)")
    if has_latency:
        ax = axes.pop(0)
        ax.plot(minutes, [b.latency_sum / b.latency_n if b.latency_n else float("nan") for b in buckets], ".-",
                color="#4bacc6")
        ax.set_ylabel("mean latency (s)")
    fig.axes[rows - 1].set_xlabel(f"minutes since the first journal line (buckets of {timeline.width_s:g} s)")
    return _svg(fig, "time")
