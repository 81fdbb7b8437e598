"""The layer strip: one chip per layer, first layer at the bottom, runs bracketed with their
multiplier; and the macro-block rows of nested patterns."""

from __future__ import annotations

from archviz.diagram.elements import Chip, MacroRow, Strip
from archviz.layout.builder import Box, Line, Scene


def _chip(
    sc: Scene,
    c: Chip,
    id: str,
    parent: str,
    at: tuple[float, float],
    size: tuple[float, float],
    tooltip: str,
    data: bool,
) -> Box:
    """A chip in the layer's colour, with the FFN cue on its right when FFN kinds vary."""
    w, h = size
    b = sc.box(
        id,
        "layer-chip",
        w=w,
        h=h,
        fill=c.colour,
        stroke="none",
        parent=parent,
        tooltip=tooltip,
        path="layers",
        tags=("layer", c.colour),
        data=(("layer", str(c.layer)), ("mixer", c.mixer or ""), ("ffn", c.ffn or "")) if data else (),
        z=4,
    )
    if c.cue:
        cue = sc.box(
            f"{id}-cue",
            "layer-cue",
            w=w * 0.38,
            h=h,
            fill=c.cue,
            stroke="none",
            parent=id,
            path="layers",
            tags=("layer", c.cue),
            z=4,
        )
        cue.x, cue.y = at[0] + w * 0.62, at[1]
    b.x, b.y = at
    return b


def _tooltip(c: Chip, names: dict[str, str]) -> str:
    parts = [names.get(c.colour, "")] + ([names.get(c.cue, "")] if c.cue else [])
    return f"Layer {c.layer + 1}: " + " + ".join(p for p in parts if p)


def layer_strip(sc: Scene, strip: Strip, height: float, prefix: str, parent: str) -> float:
    """Draw the strip with its chips' right edge at x = 0 and its bottom at y = 0; brackets and
    multipliers go to the left. Returns the width used left of x = 0."""
    s, z = sc.style.spacing, sc.style.sizes
    n = len(strip.chips)
    run_gap = 5.0 if len(strip.runs) > 1 else 0.0
    pitch = (height - run_gap * (len(strip.runs) - 1)) / n
    chip_h = pitch - (1.0 if pitch >= 4 else 0.0)
    names = dict(strip.legend)
    ys: list[float] = []
    y = 0.0
    for r in strip.runs:
        for _ in range(r.first, r.last + 1):
            ys.append(y)
            y += pitch
        y += run_gap
    for c in strip.chips:
        _chip(sc, c, f"{prefix}-{c.layer}", parent, (-s.chip, ys[c.layer]), (s.chip, chip_h), _tooltip(c, names), True)
    used = s.chip
    for k, r in enumerate(strip.runs):
        if not r.label:
            continue
        y0, y1 = ys[r.first], ys[r.first + r.period - 1] + chip_h  # one period: "this unit × 10"
        if y1 - y0 < z.small:  # a tick too short to read (the layer-pattern panel says it instead)
            continue
        bracket = sc.box(
            f"{prefix}-run{k}",
            "run",
            w=5,
            h=y1 - y0,
            outline="bracket",
            stroke="text",
            stroke_width=1.4,
            parent=parent,
            path="layers",
            tooltip=f"Layers {r.first + 1}-{r.last + 1}: this unit of {r.period} layers, {r.repeat} times",
        )
        bracket.x, bracket.y = -s.chip - 4 - 5, y0
        label = sc.box(
            f"{prefix}-run{k}-label",
            "run-label",
            [Line(r.label, z.small, "text", "bold")],
            outline="none",
            pad=1,
            parent=parent,
            path="layers",
            z=4,
        )
        label.x, label.y = bracket.x - 3 - label.w, (y0 + y1) / 2 - label.h / 2
        used = max(used, -label.x)
    return used


def macro_rows(sc: Scene, rows: tuple[MacroRow, ...], prefix: str, parent: str) -> tuple[float, float]:
    """The pattern's groups as rows of chips (one period each) with multipliers, first group at
    the bottom, in a small table; drawn from the origin. Returns (width, height)."""
    s, z = sc.style.spacing, sc.style.sizes
    a = s.chip + 2
    labels = [
        Line(f"layers {r.first + 1}-{r.last + 1}" if r.last > r.first else f"layer {r.first + 1}", z.small, "muted")
        for r in rows
    ]
    lw = max(ln.width for ln in labels) + 2
    cw = max(len(r.chips) for r in rows) * (a + 3)
    row_h = max(a, z.small * s.line) + 6
    y = 0.0
    right = 0.0
    for k, (r, ln) in enumerate(zip(rows, labels, strict=True)):
        lab = sc.box(f"{prefix}-row{k}", "macro-label", [ln], outline="none", pad=1, parent=parent)
        lab.x, lab.y = 0, y + (row_h - lab.h) / 2
        for j, c in enumerate(r.chips):
            at = (lw + 8 + j * (a + 3), y + (row_h - a) / 2)
            _chip(
                sc, c, f"{prefix}-row{k}-chip{j}", parent, at, (a, a), " + ".join(filter(None, (c.mixer, c.ffn))), False
            )
        if r.repeat > 1:
            times = sc.box(
                f"{prefix}-row{k}-times",
                "macro-times",
                [Line(f"× {r.repeat}", z.detail, "text", "bold")],
                outline="none",
                pad=1,
                parent=parent,
            )
            times.x, times.y = lw + 8 + cw + 8, y + (row_h - times.h) / 2
            right = max(right, times.right)
        y += row_h
    return max(right, lw + 8 + cw), y
