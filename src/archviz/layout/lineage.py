"""The model family tree: each model a box in the row of its release month, an arrow from every
model to each model built on it (`based_on`), year bands with a time axis on the left.

Graphviz's dot decides where boxes and curves go. The DOT source is written with the `graphviz`
package: boxes sized from our own text measurement (inches = px / 72, so one Graphviz point is one
px), one rank per release month tied to an invisible chain of axis nodes. pygraphviz lays it out
in-process; node centres and edge splines come back in y-up points, which is the y-up world of
archviz.layout.builder.Scene, so the boxes, curves, axis, title and legend are placed there and
`Scene.finish` flips everything to px with y down.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

import graphviz  # type: ignore[import-untyped]

from archviz.errors import ArchvizError
from archviz.layout.builder import Box, Line, Scene, lines_height, lines_width
from archviz.layout.geometry import Layout, Point
from archviz.spec.loader import Spec
from archviz.style import DEFAULT_STYLE, Style, accent_for

Bucket = tuple[int, int] | None
"""A rank: (year, month) of the release, None for models without a date."""

TYPES = {
    "dense": "Dense",
    "moe": "MoE",
    "hybrid": "Hybrid (linear + attention)",
    "hybrid_moe": "Hybrid MoE",
    "recurrent": "Recurrent (no attention)",
}
NO_GRAPHVIZ = "the lineage graph needs Graphviz: pip install pygraphviz (it bundles Graphviz)"
RANKSEP, NODESEP = 40.0, 22.0  # px between ranks, and between boxes in a rank


def _bucket(spec: Spec) -> Bucket:
    d = spec.model.release_date
    return (d.year, d.month) if d else None


def _lines(spec: Spec, style: Style) -> list[Line]:
    m, z = spec.model, style.sizes
    return [Line(m.name, z.box, "text", "bold"), Line(f"{m.organization} · {m.date_text}", z.detail, "text")]


def _tooltip(spec: Spec) -> str:
    m = spec.model
    return f"{m.name}\n{m.organization}\nreleased {m.date_text}\n{TYPES[m.decoder_type]} decoder"


def _edges(specs: Sequence[Spec]) -> list[tuple[str, str]]:
    """(parent, child) for every `based_on` whose parent is among `specs`, without repeats."""
    ids = {s.id for s in specs}
    return [(p, s.id) for s in specs for p in dict.fromkeys(s.model.based_on) if p in ids and p != s.id]


def _order(b: Bucket) -> tuple[int, int]:
    """Undated first, then by year and month."""
    return (-1, 0) if b is None else b


def _axis_id(b: Bucket) -> str:
    return "axis undated" if b is None else f"axis {b[0]}-{b[1]:02d}"


def _dot(specs: Sequence[Spec], sizes: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> str:
    """The DOT source: fixed-size unlabelled boxes, one rank per month along an invisible axis."""
    g = graphviz.Digraph("lineage", strict=True)
    g.attr("graph", rankdir="TB", ranksep=f"{RANKSEP / 72:.4f}", nodesep=f"{NODESEP / 72:.4f}", splines="spline")
    g.attr("node", shape="box", fixedsize="true", label="")
    g.attr("edge", arrowhead="none")
    buckets = sorted({_bucket(s) for s in specs}, key=_order)
    for b in buckets:
        g.node(_axis_id(b), width="0.01", height=f"{max(h for _, h in sizes.values()) / 72:.4f}", style="invis")
    for a, b in itertools.pairwise(buckets):
        g.edge(_axis_id(a), _axis_id(b), style="invis", weight="100")
    for b in buckets:
        with g.subgraph() as rank:
            rank.attr(rank="same")
            rank.node(_axis_id(b))
            for s in specs:
                if _bucket(s) == b:
                    w, h = sizes[s.id]
                    rank.node(s.id, width=f"{w / 72:.4f}", height=f"{h / 72:.4f}")
    rank_of = {s.id: _bucket(s) for s in specs}
    for parent, child in edges:
        ports = {} if rank_of[parent] == rank_of[child] else {"tailport": "s", "headport": "n"}
        g.edge(parent, child, **ports)
    return str(g.source)


def _run_dot(source: str) -> tuple[dict[str, Point], dict[tuple[str, str], list[Point]]]:
    """Node centres and edge spline points (Bézier: start, then control, control, end triples)."""
    try:
        import pygraphviz  # type: ignore[import-untyped]
    except ImportError:
        raise ArchvizError(NO_GRAPHVIZ) from None
    graph = pygraphviz.AGraph(string=source)
    graph.layout(prog="dot")
    nodes = {str(n): _point(n.attr["pos"]) for n in graph.nodes()}
    edges = {}
    for e in graph.edges():
        if e.attr.get("style") == "invis":
            continue
        pts = [_point(t) for t in str(e.attr["pos"]).split(";")[0].split() if not t.startswith(("s,", "e,"))]
        edges[(str(e[0]), str(e[1]))] = pts
    return nodes, edges


def _point(text: str) -> Point:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def _snap(b: Box, p: Point) -> Point:
    """The point of `b`'s boundary nearest to `p` (Graphviz clips to its own rounded sizes)."""
    x, y = min(max(p[0], b.x), b.right), min(max(p[1], b.y), b.top)
    gaps = {"left": x - b.x, "right": b.right - x, "bottom": y - b.y, "top": b.top - y}
    side = min(gaps, key=lambda k: gaps[k])
    return {"left": (b.x, y), "right": (b.right, y), "bottom": (x, b.y), "top": (x, b.top)}[side]


def _attach(pts: list[Point], source: Box, target: Box) -> list[Point]:
    """The curve with its ends snapped onto the boxes, the neighbouring control points moved
    along so the curve keeps its tangents (and the arrowhead its direction)."""
    pts = list(pts)
    for end, near, box in ((0, 1, source), (-1, -2, target)):
        (x0, y0), (x1, y1) = pts[end], _snap(box, pts[end])
        pts[end], pts[near] = (x1, y1), (pts[near][0] + x1 - x0, pts[near][1] + y1 - y0)
    return pts


def lineage_layout(
    specs: Sequence[Spec], link: Callable[[str], str] | None = None, style: Style = DEFAULT_STYLE
) -> Layout:
    """The family tree of `specs`: boxes by release month, arrows parent -> child; each box links
    to `link(model_id)` when `link` is given."""
    if not specs:
        raise ArchvizError("the lineage graph needs at least one model")
    twice = sorted({s.id for s in specs if sum(o.id == s.id for o in specs) > 1})
    if twice:
        raise ArchvizError(f"the lineage graph lists {', '.join(twice)} more than once")
    pad = style.spacing.pad
    lines = {s.id: _lines(s, style) for s in specs}
    sizes = {i: (lines_width(ls) + 2 * pad, lines_height(ls, style) + 2 * pad) for i, ls in lines.items()}
    edges = _edges(specs)
    centres, splines = _run_dot(_dot(specs, sizes, edges))
    sc = Scene(style)
    boxes = {}
    for s in specs:
        (cx, cy), (w, h) = centres[s.id], sizes[s.id]
        b = sc.box(
            s.id,
            "lineage-node",
            lines[s.id],
            w=w,
            h=h,
            fill=f"type_{s.model.decoder_type}",
            stroke="block_stroke",
            radius=4,
            tooltip=_tooltip(s),
        )
        b.x, b.y = cx - w / 2, cy - h / 2
        boxes[s.id] = b
    for parent, child in edges:
        pts = _attach(splines[(parent, child)], boxes[parent], boxes[child])
        sc.connect(
            f"edge-{parent}-to-{child}", pts, kind="lineage-edge", curve=True, arrow=True, source=parent, target=child
        )
    _axis(sc, specs, boxes, {_bucket(s): centres[_axis_id(_bucket(s))][1] for s in specs})
    _header(sc, specs)
    layout = sc.finish(
        "lineage",
        "LLM family tree",
        _desc(specs, edges),
        accent_for("lineage", None),
        style.spacing.margin,
        meta={"models": [s.id for s in specs], "edges": [list(e) for e in edges]},
    )
    if link is None:
        return layout
    shapes = tuple(replace(s, href=link(s.id)) if s.kind == "lineage-node" else s for s in layout.shapes)
    return replace(layout, shapes=shapes)


def _axis(sc: Scene, specs: Sequence[Spec], boxes: dict[str, Box], rank_y: dict[Bucket, float]) -> None:
    """Year bands behind the rows (every other one shaded), year and month labels on the left."""
    z, gap = sc.style.sizes, sc.style.spacing.gap
    node_h = max(b.h for b in boxes.values())
    xs = [b.x for b in sc.boxes] + [p[0] for _, pts, _ in sc.connectors for p in pts]
    xe = [b.right for b in sc.boxes] + [p[0] for _, pts, _ in sc.connectors for p in pts]
    ranks = sorted(rank_y.items(), key=lambda kv: _order(kv[0]))  # top (earliest) first
    months = {
        b: sc.box(
            f"axis-{b[0]}-{b[1]:02d}",
            "axis",
            [Line(calendar.month_abbr[b[1]], z.detail, "muted")],
            outline="none",
            pad=2,
        )
        for b, _ in ranks
        if b is not None
    }
    month_w = max((m.w for m in months.values()), default=0.0)
    month_x = min(xs) - gap - month_w
    for b, y in ranks:
        if b in months:
            m = months[b]
            m.w, m.x, m.y = month_w, month_x, y - m.h / 2
    years = [
        (k, list(grp)) for k, grp in itertools.groupby(ranks, key=lambda r: "undated" if r[0] is None else str(r[0][0]))
    ]
    labels = {
        k: sc.box(f"axis-{k}", "axis", [Line(k, z.subtitle, "text", "bold")], outline="none", pad=2) for k, _ in years
    }
    year_w = max(lb.w for lb in labels.values())
    left = month_x - sc.style.spacing.pad - year_w - sc.style.spacing.pad
    right = max(xe) + sc.style.spacing.pad
    edges_y = [ranks[0][1] + node_h / 2 + RANKSEP / 2]
    edges_y += [(a[1] + b[1]) / 2 for a, b in itertools.pairwise(ranks)]
    edges_y += [ranks[-1][1] - node_h / 2 - RANKSEP / 2]
    i = 0
    for n, (key, rows) in enumerate(years):
        top, bottom = edges_y[i], edges_y[i + len(rows)]
        i += len(rows)
        band = sc.box(
            f"year-{key}", "band", w=right - left, h=top - bottom, fill="panel_fill" if n % 2 else "none", tooltip=key
        )
        band.x, band.y = left, bottom
        lb = labels[key]
        lb.w, lb.x, lb.y, lb.parent = year_w, left + sc.style.spacing.pad, (top + bottom) / 2 - lb.h / 2, band.id
        for b, _ in rows:
            if b in months:
                months[b].parent = band.id
            for s in specs:
                if _bucket(s) == b:
                    boxes[s.id].parent = band.id


def _header(sc: Scene, specs: Sequence[Spec]) -> None:
    """Title, subtitle and a legend of decoder-type colours above the bands."""
    z, gap = sc.style.sizes, sc.style.spacing.gap
    x0, _, x1, y1 = sc.bounds()
    centre = (x0 + x1) / 2
    present = [t for t in TYPES if any(s.model.decoder_type == t for s in specs)]
    items = []
    for t in present:
        sw = sc.box(f"legend-{t}-swatch", "legend", w=28, h=14, fill=f"type_{t}", stroke="block_stroke", radius=3)
        label = sc.box(f"legend-{t}", "legend", [Line(TYPES[t], z.small, "text")], outline="none", pad=2)
        items.append((sw, label))
    width = sum(sw.w + 6 + lb.w for sw, lb in items) + gap * 1.5 * (len(items) - 1)
    x, y = centre - width / 2, y1 + gap
    for sw, lb in items:
        sw.x, sw.y = x, y + (lb.h - sw.h) / 2
        lb.x, lb.y = x + sw.w + 6, y
        x = lb.right + gap * 1.5
    subtitle = (
        f"{len(specs)} models by release month · an arrow leads from a model to each model built on it · "
        "colour: decoder type"
    )
    head = sc.box(
        "lineage-title",
        "title",
        [Line("LLM family tree", z.title, "title", "bold"), Line(subtitle, z.subtitle, "muted")],
        outline="none",
        pad=0,
    )
    head.x, head.y = centre - head.w / 2, y + (items[0][1].h if items else 0) + gap * 0.75


def _desc(specs: Sequence[Spec], edges: list[tuple[str, str]]) -> str:
    links = "; ".join(f"{by} is based on {on}" for on, by in edges) or "no model is based on another"
    return f"Family tree of {len(specs)} LLM architectures by release date: {links}. Drawn by archviz."
