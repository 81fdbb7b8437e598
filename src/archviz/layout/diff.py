"""The diff figure: two model diagrams side by side at the same scale, every differing component
outlined in one highlight colour in both, a legend, and the table of differences underneath."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from archviz import numbers as fmt
from archviz.facts.diff import Difference, SpecDiff
from archviz.layout.builder import Box, Line, Scene, wrapped
from archviz.layout.compose import embed, highlight, id_prefix
from archviz.layout.geometry import Layout, Shape
from archviz.layout.model import model_layout
from archviz.layout.text import in_face, measuring
from archviz.spec.loader import Spec
from archviz.style import DEFAULT_STYLE, Style, Typeface, accent_for

# Which drawn components a difference at a role touches: by semantic tag, or by spec path.
ROLE_TAGS = {
    "attention": {"softmax"},
    "mixers": {"mixer"},
    "ffn": {"ffn"},
    "moe": {"moe"},
    "mtp": {"mtp"},
}
ROLE_PATHS = {
    "width": {"hidden_size"},
    "vocab": {"vocab_size"},
    "context": {"context_length"},
    "embedding.tied": {"hidden_size", "vocab_size"},
    "embedding.dropout": {"dropout"},
    "positions.learned": {"positions"},
}
BOX_KINDS = {"embedding", "output", "annotation", "dropout"}
"""Shapes a path difference outlines (not every node of a panel that reads the hidden state)."""


def touches(d: Difference, s: Shape) -> bool:
    """Whether shape `s` draws the component that difference `d` is about (by its tags and spec
    path, never by the text it shows)."""
    if d.path in ROLE_PATHS:
        return s.path in ROLE_PATHS[d.path] and s.kind in BOX_KINDS
    if d.path == "norm.qk_norm":
        return "qk_norm" in s.tags
    if d.path.startswith("norm."):
        return "norm" in s.tags and "qk_norm" not in s.tags
    if d.path.startswith("positions."):
        return "rope" in s.tags or "nope" in s.tags or "alibi" in s.tags or s.path == "positions"
    if d.path.startswith("stack."):
        return s.kind in ("count", "phrase")
    role = d.path.split(".")[0]
    tags = ROLE_TAGS.get(role, set())
    return bool(tags & set(s.tags)) and s.kind not in ("swatch", "layer-chip", "layer-cue")


def _table(sc: Scene, result: SpecDiff, names: tuple[str, str], width: float) -> None:
    """The differences as rows: component | A | B (y-up, top row last so it ends up on top)."""
    z, s = sc.style.sizes, sc.style.spacing
    col = (width * 0.3, width * 0.35, width * 0.35)
    rows: list[tuple[str, str, str, str]] = [("head", "Component", names[0], names[1])]
    for d in result.differences:
        before, after = fmt.cell(d.before, d.kind == "added"), fmt.cell(d.after, d.kind == "removed")
        rows.append(("row", d.label, before, after))
    for d in result.effects:
        text = d.describe().split(": ", 1)[1]
        before, after = text.split(" → ", 1)
        rows.append(("effect", d.label, before, after))
    if result.identical:
        meta = ", ".join(d.path.replace("_", " ") for d in result.metadata) or "nothing"
        rows.append(("note", "Architecture", "identical", f"identical (metadata differs: {meta})"))
    y = 0.0
    for i, (kind, *cells) in enumerate(reversed(rows)):
        n = len(rows) - 1 - i
        weight: Literal["normal", "bold"] = "bold" if kind == "head" else "normal"
        role = "muted" if kind == "effect" else "text"
        wrapped_cells = [wrapped(c, w - 2 * s.pad, z.detail, role, weight) for c, w in zip(cells, col, strict=True)]
        h = max(len(c) for c in wrapped_cells) * z.detail * s.line + 2 * 4
        row = sc.box(
            f"table-row{n}",
            "table-row",
            w=width,
            h=h,
            parent="table",
            outline="rect",
            fill="panel_fill" if n % 2 == 0 else "white_fill",
            stroke="none",
        )
        row.x, row.y = 0, y
        x = 0.0
        for c, (lines, w) in enumerate(zip(wrapped_cells, col, strict=True)):
            cell = sc.box(
                f"table-row{n}-col{c + 1}",
                "table-cell",
                lines,
                w=w,
                h=h,
                outline="none",
                align="start",
                parent=row.id,
                pad=s.pad,
            )
            cell.x, cell.y = x, y
            x += w
        y += h
    frame = sc.box("table", "table", w=width, h=y, outline="rect", fill="none", stroke="panel_stroke")
    frame.x, frame.y = 0, 0


def _band(sc: Scene, a: Spec, b: Spec, result: SpecDiff, width: float) -> Box:
    z, s = sc.style.sizes, sc.style.spacing
    sw = sc.box(
        "legend-swatch",
        "legend",
        w=30,
        h=16,
        fill="white_fill",
        stroke="highlight",
        stroke_width=3,
        radius=3,
        parent="band",
    )
    label = sc.box(
        "legend-label",
        "legend",
        [Line("differs between the two models", z.detail)],
        outline="none",
        pad=2,
        parent="band",
    )
    sw.x, sw.y = width / 2 - (sw.w + 8 + label.w) / 2, (label.h - sw.h) / 2
    label.x, label.y = sw.right + 8, 0
    title = sc.box(
        "diff-title",
        "title",
        [
            Line(f"{a.model.name}  vs  {b.model.name}", z.title, "text", "bold"),
            *wrapped(result.summary(), width, z.subtitle, "muted"),
        ],
        outline="none",
        pad=0,
        parent="band",
    )
    title.x, title.y = width / 2 - title.w / 2, label.top + s.gap
    band = sc.box("band", "band", w=width, h=title.top + s.gap, outline="none")
    band.x, band.y = 0, 0
    return band


def diff_layout(
    a: Spec, b: Spec, result: SpecDiff, style: Style = DEFAULT_STYLE, font: Typeface | None = None
) -> Layout:
    """Both diagrams at scale 1 side by side, differences highlighted, the table below; text
    measured in `font` (default: the bundled face)."""
    with measuring(font):
        layout = _diff_layout(a, b, result, style)
    return replace(layout, meta=in_face(layout.meta, font))


def _diff_layout(a: Spec, b: Spec, result: SpecDiff, style: Style) -> Layout:
    s = style.spacing

    def differs(shape: Shape) -> bool:
        return any(touches(d, shape) for d in result.differences)

    sides = [highlight(model_layout(spec, style), differs) for spec in (a, b)]
    gap = 2 * s.column_gap
    width = sides[0].width + gap + sides[1].width
    band_sc = Scene(style)
    _band(band_sc, a, b, result, width)
    band = band_sc.finish("band", "", "", accent_for(a.id, None), 0)
    table_sc = Scene(style)
    _table(table_sc, result, (a.model.name, b.model.name), width)
    table = table_sc.finish("table", "", "", accent_for(a.id, None), 0)
    m = s.margin
    shapes: list[Shape] = [_moved(x, m, m) for x in band.shapes]
    top = m + band.height
    conns = []
    x = m
    for prefix, lay in ((id_prefix("a"), sides[0]), (id_prefix("b"), sides[1])):
        frame = Shape(f"{prefix}side", "diff-side", x, top, lay.width, lay.height)
        sh, cn = embed(lay, 1.0, x, top, prefix, parent=frame.id)
        shapes += [frame, *sh]
        conns += cn
        x += lay.width + gap
    ty = top + max(sd.height for sd in sides) + s.gap
    shapes += [_moved(t, m, ty) for t in table.shapes]
    desc = f"Architecture diff of {a.id} and {b.id}: " + (
        "; ".join(d.describe() for d in result.differences) or result.summary()
    )
    return Layout(
        f"diff-{a.id}-{b.id}",
        width + 2 * m,
        ty + table.height + m,
        f"{a.model.name} vs {b.model.name}",
        desc,
        accent_for(a.id, a.model.accent_colour),
        tuple(shapes),
        tuple(conns),
        {"a": a.id, "b": b.id, "differences": len(result.differences)},
    )


def _moved(s: Shape, dx: float, dy: float) -> Shape:
    return replace(s, x=s.x + dx, y=s.y + dy, texts=tuple(replace(t, x=t.x + dx, y=t.y + dy) for t in s.texts))
