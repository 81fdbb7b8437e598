"""Catalog-wide horizontal bar charts as Layouts: model size (log axis) and KV cache per token.

One row per model, largest first: the model's name right-aligned in a column, its bar(s) in a
framed plot with dotted gridlines at the ticks, and the value just past the bar's end. Colours
are theme roles; the KV chart's tier colours are accent roles built from style.ACCENTS.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from archviz import numbers as fmt
from archviz.facts import kvcache, params
from archviz.layout.builder import Box, Line, Scene
from archviz.layout.geometry import Layout
from archviz.numbers import count
from archviz.spec.loader import Spec
from archviz.style import ACCENTS, DEFAULT_STYLE, Style

Link = Callable[[str], str]


PLOT_WIDTH = 560.0
"""Length in px of the axis from its lowest to its highest value."""
BAR_H = 16.0
ROW_GAP = 8.0

TIER_ACCENTS = {
    "none": ACCENTS[3],
    "very low": ACCENTS[2],
    "low": ACCENTS[6],
    "moderate": ACCENTS[0],
    "high": ACCENTS[4],
    "very high": ACCENTS[1],
}
"""Each KV cache tier drawn in one of the theme-independent accent colours, cool to warm."""


@dataclass(frozen=True)
class Bar:
    """A bar from the axis origin to `value`; `inner` bars are thinner overlays inside the first."""

    key: str
    value: float
    fill: str
    stroke: str = "none"
    inner: bool = False


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    bars: tuple[Bar, ...]
    label: str


@dataclass(frozen=True)
class Axis:
    """Where a value falls along the plot (0..1), the ticks to label, and the axis title."""

    position: Callable[[float], float]
    ticks: tuple[tuple[float, str], ...]
    title: str


def log_axis(values: Sequence[float], title: str) -> Axis:
    """Decades from the one below the smallest value up to the largest value."""
    lo = 10.0 ** math.floor(math.log10(min(values)))
    lo = lo / 10 if lo >= min(values) else lo
    hi = max(max(values), lo * 10)
    a, b = math.log10(lo), math.log10(hi)
    ticks = tuple((10.0**e, count(10.0**e)) for e in range(round(a), math.floor(b + 1e-9) + 1))
    return Axis(lambda v: (math.log10(v) - a) / (b - a), ticks, title)


def linear_axis(values: Sequence[float], title: str, unit: float = 1.0, target: int = 6) -> Axis:
    """From zero to a round number at or above the largest value, ticks in `unit`s at 1-2-2.5-5 steps."""
    top = max(values) / unit or 1.0
    mag = 10.0 ** math.floor(math.log10(top / target))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag * target >= top)
    hi = math.ceil(top / step - 1e-9) * step
    ticks = tuple((i * step * unit, f"{i * step:g}") for i in range(round(hi / step) + 1))
    return Axis(lambda v: v / unit / hi, ticks, title)


def _chart(
    id: str,
    title: str,
    subtitle: str,
    rows: Sequence[Row],
    axis: Axis,
    legend: Sequence[tuple[str, str, str]],
    link: Link | None,
    style: Style,
) -> Layout:
    """Lay out rows of bars (first row on top) against `axis`, under a title and a legend."""
    if not rows:
        raise ValueError("a chart needs at least one model")
    sc, z, s = Scene(style), style.sizes, style.spacing
    # Bottom up (y grows upwards): axis title, tick labels, plot frame, legend, title.
    axis_title = sc.box("axis-title", "axis", [Line(axis.title, z.detail, "muted")], outline="none", pad=2)
    ticks = []
    for i, (tick, text) in enumerate(axis.ticks):
        t = sc.box(f"tick-{i}", "tick", [Line(text, z.small, "muted")], outline="none", pad=2)
        t.x, t.y = axis.position(tick) * PLOT_WIDTH - t.w / 2, axis_title.top + 2
        ticks.append(t)
    frame = sc.box("plot", "panel", w=1, h=1, fill="panel_fill", stroke="panel_stroke", stroke_width=0.8)
    frame.y = max(t.top for t in ticks) + 4
    names, links = [], {}
    pitch = max(BAR_H, Line("Ag", z.box).size * s.line + 4) + ROW_GAP
    right = 0.0
    for i, row in enumerate(rows):
        cy = frame.y + s.pad + (len(rows) - 1 - i) * pitch + pitch / 2
        name = sc.box(f"row-{row.id}-name", "label", [Line(row.name, z.box)], outline="none", pad=2)
        name.x, name.y = -s.pad - name.w, cy - name.h / 2
        names.append(name)
        links[name.id] = row.id
        main = None
        for bar in row.bars:
            h = BAR_H / 2 if bar.inner else BAR_H
            parent = main.id if bar.inner and main else frame.id
            b = sc.box(
                f"bar-{row.id}-{bar.key}",
                "bar",
                w=axis.position(bar.value) * PLOT_WIDTH,
                h=h,
                fill=bar.fill,
                stroke=bar.stroke,
                stroke_width=0.8,
                parent=parent,
                tooltip=f"{row.name}: {row.label}",
            )
            b.x, b.y = 0.0, cy - h / 2
            links[b.id] = row.id
            main = main or b
        assert main is not None, "a row needs a bar"
        value = sc.box(
            f"row-{row.id}-value", "value", [Line(row.label, z.detail)], fill="panel_fill", pad=2, parent=frame.id
        )
        value.x, value.y = main.right + 4, cy - value.h / 2
        right = max(right, value.right)
    frame.x, frame.w = 0.0, max(right + s.pad, PLOT_WIDTH + 3 * s.pad)
    frame.h = len(rows) * pitch + 2 * s.pad
    for t, (v, _) in zip(ticks, axis.ticks, strict=True):
        x = axis.position(v) * PLOT_WIDTH
        sc.leader(f"{t.id}-grid", [(x, t.top), (x, frame.top)], t.id, frame.id, kind="grid", width=1.0)
    axis_title.x, axis_title.y = PLOT_WIDTH / 2 - axis_title.w / 2, 0.0
    left = min(n.x for n in names)
    top = _legend(sc, legend, left, frame.right, frame.top + s.gap)
    head = sc.box(
        "title",
        "title",
        [Line(title, z.title, "title", "bold"), Line(subtitle, z.subtitle, "muted")],
        outline="none",
        pad=0,
        align="start",
    )
    head.x, head.y = left, top + s.gap
    desc = f"{title}: {subtitle}. One bar per model, {len(rows)} models."
    out = sc.finish(id, title, desc, ACCENTS[0], s.margin, meta={"models": [r.id for r in rows]})
    if link is None:
        return out
    shapes = tuple(replace(sh, href=link(links[sh.id])) if sh.id in links else sh for sh in out.shapes)
    return replace(out, shapes=shapes)


def _legend(sc: Scene, items: Sequence[tuple[str, str, str]], left: float, right: float, y: float) -> float:
    """Swatches and labels flowing left to right from `left`, wrapping at `right`; returns the top."""
    z = sc.style.sizes
    placed = []
    for i, (fill, stroke, text) in enumerate(items):
        sw = sc.box(f"legend-{i + 1}-swatch", "legend", w=28, h=12, fill=fill, stroke=stroke, stroke_width=0.8)
        lb = sc.box(f"legend-{i + 1}", "legend", [Line(text, z.small)], outline="none", pad=2)
        placed.append((sw, lb))
    rows: list[list[tuple[Box, Box]]] = [[]]
    x = left
    for sw, lb in placed:
        w = sw.w + 4 + lb.w
        if rows[-1] and x + w > right:
            rows.append([])
            x = left
        rows[-1].append((sw, lb))
        sw.x, lb.x = x, x + sw.w + 4
        x += w + 18
    top = y
    for row in reversed(rows):
        for sw, lb in row:
            lb.y, sw.y = top, top + (lb.h - sw.h) / 2
        top += placed[0][1].h + 4
    return top - 4


def params_chart(specs: Sequence[Spec], link: Link | None = None, style: Style = DEFAULT_STYLE) -> Layout:
    """Total and active parameters per model (computed from the specs), largest first, log axis."""
    if not specs:
        raise ValueError("a chart needs at least one model")
    rows = []
    for spec in specs:
        b = params.breakdown(spec.model)
        total, active = b.total, b.active
        label = count(total) if active == total else f"{count(total)} · {count(active)} active"
        bars = (
            Bar("total", total, "light_fill", "light_stroke"),
            Bar("active", active, "dark_fill", "dark_stroke", inner=True),
        )
        rows.append(Row(spec.id, spec.model.name, bars, label))
    rows.sort(key=lambda r: -r.bars[0].value)
    axis = log_axis([b.value for r in rows for b in r.bars], "Parameters (log scale)")
    legend = [("light_fill", "light_stroke", "Total parameters"), ("dark_fill", "dark_stroke", "Active per token")]
    sub = "total and active per token, computed from each spec"
    return _chart("chart-params", "Model size", sub, rows, axis, legend, link, style)


def kv_chart(specs: Sequence[Spec], link: Link | None = None, style: Style = DEFAULT_STYLE) -> Layout:
    """KV cache per token (bf16) per model, largest first, on a linear KiB axis, coloured by tier."""
    rows = []
    for spec in specs:
        kv = kvcache.kv_bytes_per_token(spec.model)
        colour = TIER_ACCENTS[kvcache.tier(kv)]
        rows.append(Row(spec.id, spec.model.name, (Bar("kv", kv, f"accent:{colour}"),), fmt.kib(kv)))
    rows.sort(key=lambda r: -r.bars[0].value)
    axis = linear_axis([r.bars[0].value for r in rows], "KV cache per token (KiB, bf16)", unit=1024)
    used = {kvcache.tier(r.bars[0].value) for r in rows}
    legend = [(f"accent:{TIER_ACCENTS[name]}", "none", text) for name, text in _tier_texts() if name in used]
    sub = "every softmax-attention and MLA layer in full; linear mixers keep a fixed state instead"
    return _chart("chart-kv", "KV cache per token", sub, rows, axis, legend, link, style)


def _tier_texts() -> list[tuple[str, str]]:
    """Each tier with its range in KiB: ('low', 'low (≤ 72 KiB)'), ..., ('very high', 'very high (> 300 KiB)')."""
    out = [(name, f"{name} (≤ {bound / 1024:g} KiB)" if bound else f"{name} (0)") for bound, name in kvcache.TIERS]
    return [*out, ("very high", f"very high (> {kvcache.TIERS[-1][0] / 1024:g} KiB)")]
