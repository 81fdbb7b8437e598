"""Lay out a small dataflow graph in rows and stream columns, input at the bottom.

Written by hand rather than handed to Graphviz: these graphs are small and their shape is known
(streams fan out from the input, run side by side and merge into a core operation), so each node
goes in its stream's column and in the row of its longest path from the input; a node that joins
streams stretches across their columns, so every stream enters it straight from below; edges are
straight or right-angled, in the style of the rest of the figure. Deterministic, no external
program, well under a millisecond per graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from archviz.kinds.graph import Edge, Graph, Node
from archviz.layout.builder import Box, Line, Scene, lines_height, lines_width, wrapped
from archviz.layout.geometry import Point

STRETCH = ("linear", "op", "core")
"""Roles of nodes that stretch across the streams they join (others sit centred)."""

LOOK = {
    "io": ("none", "none"),
    "linear": ("light_fill", "light_stroke"),
    "op": ("white_fill", "white_stroke"),
    "core": ("dark_fill", "dark_stroke"),
    "operator": ("white_fill", "white_stroke"),
    "router": ("white_fill", "white_stroke"),
    "expert": ("white_fill", "white_stroke"),
    "shared": ("light_fill", "accent"),
    "ellipsis": ("none", "none"),
}
"""(fill, stroke) roles per node role."""


@dataclass
class PlacedGraph:
    """What the arranger needs of a laid-out graph: its size and its node boxes by node id."""

    width: float
    height: float
    boxes: dict[str, Box]


def _lines(sc: Scene, n: Node, wrap: float = 1e9) -> list[Line]:
    """A node's text: its label (wrapped to `wrap` px), detail and 'cached' mark."""
    z = sc.style.sizes
    if n.role == "operator":
        return []
    if n.role == "io":
        return [Line(n.label, z.detail, "muted")]
    if n.role == "core":
        lines = [Line(n.label, z.node, "inverse", "bold")]
        return lines + ([Line(n.detail, z.small, "dark_detail")] if n.detail else [])
    bold = n.role in ("linear", "router", "shared", "expert", "ellipsis")
    lines = wrapped(n.label, wrap, z.node, "text", "bold" if bold else "normal")
    lines += wrapped(n.detail, wrap, z.small, "muted") if n.detail else []
    return lines + ([Line("cached", z.small, "accent", "bold")] if n.cached else [])


def _ranks(g: Graph) -> dict[str, int]:
    """Longest path from the sources, in node order for ties (deterministic)."""
    preds: dict[str, list[str]] = defaultdict(list)
    for e in g.edges:
        preds[e.dst].append(e.src)
    rank: dict[str, int] = {}

    def visit(n: str, depth: int = 0) -> int:
        if n not in rank:
            if depth > len(g.nodes):
                raise ValueError(f"{g.path}: the graph has a cycle through {n!r}")
            rank[n] = max((visit(p, depth + 1) + 1 for p in preds[n]), default=0)
        return rank[n]

    for n in g.nodes:
        visit(n.id)
    return rank


def _spans(g: Graph, rank: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Column interval of every node: its stream, or the union of the streams it joins."""
    col = {s: i for i, s in enumerate(g.streams)}
    span: dict[str, tuple[int, int]] = {n.id: (col[n.stream], col[n.stream]) for n in g.nodes if n.stream}
    order = sorted(g.nodes, key=lambda n: rank[n.id])
    main = [e for e in g.edges if e.style != "side"]

    def union(ids: list[str]) -> tuple[int, int] | None:
        known = [span[i] for i in ids if i in span]
        return (min(a for a, _ in known), max(b for _, b in known)) if known else None

    for n in order:
        if n.id not in span and (u := union([e.src for e in main if e.dst == n.id])):
            span[n.id] = u
    for n in reversed(order):
        if n.id not in span and (u := union([e.dst for e in main if e.src == n.id])):
            span[n.id] = u
    return {n.id: span.get(n.id, (0, len(g.streams) - 1)) for n in g.nodes}


def layout_graph(sc: Scene, g: Graph, prefix: str, parent: str, max_width: float = 1e9) -> PlacedGraph:
    """Draw `g` with its lower-left corner at the origin; node ids become f'{prefix}-{node}'.
    Node labels wrap (widest first) until the graph fits `max_width`, where it can."""
    s, z = sc.style.spacing, sc.style.sizes
    nodes = {n.id: n for n in g.nodes}
    rank = _ranks(g)
    span = _spans(g, rank)
    stretched = {i for i, n in nodes.items() if n.role in STRETCH and span[i][0] != span[i][1]}
    wrap = 1e9
    for _ in range(12):
        lines = {i: _lines(sc, n, wrap if span[i][0] == span[i][1] else 1e9) for i, n in nodes.items()}
        size, width, centres = _columns(sc, g, nodes, span, stretched, lines)
        extent = centres[-1] + max([width[-1] / 2, *_label_tail(sc, g, span, stretched, len(centres) - 1)])
        if extent <= max_width:
            break
        widest = max(size[i][0] for i in nodes if span[i][0] == span[i][1] and nodes[i].role != "operator")
        wrap = min(wrap, widest - 2 * s.pad) - 12
        if wrap < 48:
            break

    # Rows: heights from the nodes in them; gaps tall enough for the shape labels in them.
    nrank = max(rank.values()) + 1
    height = [max([size[i][1] for i in nodes if rank[i] == r], default=0.0) for r in range(nrank)]
    gap = [s.rank_gap] * nrank
    for e in g.edges:
        if e.label:
            gap[rank[e.src]] = max(gap[rank[e.src]], z.edge * s.line + 6)
    for e in g.edges:
        if e.style == "fan":
            gap[rank[e.src]] = max(gap[rank[e.src]], 2.2 * s.rank_gap)
    base = [0.0] * nrank
    for r in range(1, nrank):
        base[r] = base[r - 1] + height[r - 1] + gap[r - 1]

    boxes: dict[str, Box] = {}
    for i, n in nodes.items():
        a, b = span[i]
        w, h = size[i]
        if i in stretched:
            left = centres[a] - width[a] / 2
            w = centres[b] + width[b] / 2 - left
        else:
            left = (centres[a] + centres[b]) / 2 - w / 2
        boxes[i] = _box(sc, n, f"{prefix}-{i}", parent, lines[i], w, h)
        boxes[i].x, boxes[i].y = left, base[rank[i]] + (height[rank[i]] - h) / 2
    x0 = min(min(box.x for box in boxes.values()), 0.0)
    for box in boxes.values():
        box.x -= x0
    centres = [c - x0 for c in centres]

    fanout: dict[str, int] = defaultdict(int)
    for e in g.edges:
        if e.style == "flow":
            fanout[e.src] += 1
    right_edge = max(b.right for b in boxes.values())
    routes = {e: _route(e, boxes, span, stretched, centres, gap, rank, fanout) for e in g.edges}
    ends: dict[tuple[float, float], list[Edge]] = defaultdict(list)
    for e, pts in routes.items():
        ends[(round(pts[-1][0], 1), round(pts[-1][1], 1))].append(e)
    headless = {e for group in ends.values() for e in group[:-1]}  # lines that join: one arrowhead
    for e in g.edges:
        pts = routes[e]
        sc.connect(
            f"{prefix}-{e.src}-{e.dst}",
            pts,
            kind=e.style,
            source=boxes[e.src].id,
            target=boxes[e.dst].id,
            width=s.flow * (0.7 if e.style == "fan" else 0.85),
            arrow=e not in headless and not (e.style == "fan" and nodes[e.dst].role == "operator"),
            parent=parent,
            data=(("from", e.src), ("to", e.dst)),
        )
        if e.label:
            x = pts[0][0]
            lb = sc.box(
                f"{prefix}-{e.src}-{e.dst}-shape",
                "edge-label",
                [Line(e.label, z.edge, "muted")],
                outline="none",
                pad=1,
                parent=parent,
                tooltip=f"Tensor shape {e.label}",
                z=4,
            )
            row_top = base[rank[e.src]] + height[rank[e.src]]
            lb.x, lb.y = x + 5, row_top + (gap[rank[e.src]] - lb.h) / 2
            right_edge = max(right_edge, lb.right)
    top = max(b.top for b in boxes.values())
    return PlacedGraph(right_edge, top, boxes)


def _columns(
    sc: Scene,
    g: Graph,
    nodes: dict[str, Node],
    span: dict[str, tuple[int, int]],
    stretched: set[str],
    lines: dict[str, list[Line]],
) -> tuple[dict[str, tuple[float, float]], list[float], list[float]]:
    """Node sizes, column widths and column centres: columns as
    wide as their nodes, far enough apart for the shape labels beside their lines, and widened
    under nodes that span several columns."""
    s, z = sc.style.spacing, sc.style.sizes
    r_op = s.add_radius + 1
    size: dict[str, tuple[float, float]] = {}
    for i, n in nodes.items():
        if n.role == "operator":
            size[i] = (2 * r_op, 2 * r_op)
        else:
            size[i] = (max(lines_width(lines[i]) + 2 * s.pad, 40.0), lines_height(lines[i], sc.style) + 2 * _pad(sc, n))
    ncol = len(g.streams)
    width = [max([size[i][0] for i in nodes if span[i] == (c, c)], default=40.0) for c in range(ncol)]
    label_room = [0.0] * ncol
    for e in g.edges:
        c = _exit_column(e, span, stretched) if e.label else None
        if c is not None:
            label_room[c] = max(label_room[c], 4 + Line(e.label, z.edge).width + 14)
    pitch = [max(width[c] / 2 + s.node_gap + width[c + 1] / 2, label_room[c]) for c in range(ncol - 1)]
    for _ in range(3):  # widen the columns under nodes that are wider than what they span
        centres = _centres(width, pitch)
        for i in nodes:
            a, b = span[i]
            if a == b:
                continue
            extent = centres[b] + width[b] / 2 - (centres[a] - width[a] / 2)
            if size[i][0] > extent + 0.01:
                for c in range(a, b):
                    pitch[c] += (size[i][0] - extent) / (b - a)
    return size, width, _centres(width, pitch)


def _label_tail(sc: Scene, g: Graph, span: dict[str, tuple[int, int]], stretched: set[str], c: int) -> list[float]:
    """How far labels reach right of column `c`'s line."""
    return [
        4 + Line(e.label, sc.style.sizes.edge).width
        for e in g.edges
        if e.label and _exit_column(e, span, stretched) == c
    ]


def _exit_column(e: Edge, span: dict[str, tuple[int, int]], stretched: set[str]) -> int | None:
    """The column whose line carries `e` out of its source (where its label goes)."""
    if e.src in stretched and span[e.dst][0] == span[e.dst][1]:
        return span[e.dst][0]
    a, b = span[e.src]
    return a if a == b else None


def _centres(width: list[float], pitch: list[float]) -> list[float]:
    out = [width[0] / 2]
    for p in pitch:
        out.append(out[-1] + p)
    return out


def _route(
    e: Edge,
    boxes: dict[str, Box],
    span: dict[str, tuple[int, int]],
    stretched: set[str],
    centres: list[float],
    gap: list[float],
    rank: dict[str, int],
    fanout: dict[str, int],
) -> list[Point]:
    src, dst = boxes[e.src], boxes[e.dst]
    if e.style == "fan":
        if dst.outline == "circle":
            dx, dy = src.cx - dst.cx, src.top - dst.cy
            d = (dx * dx + dy * dy) ** 0.5 or 1.0
            return [(src.cx, src.top), (dst.cx + dx / d * dst.w / 2, dst.cy + dy / d * dst.w / 2)]
        return [(src.cx, src.top), (dst.cx, dst.y)]

    def mid(ids: tuple[int, int]) -> float:
        return (centres[ids[0]] + centres[ids[1]]) / 2

    (sa, sb), (da, db) = span[e.src], span[e.dst]
    xs = mid((da, db)) if e.src in stretched and sa <= da and db <= sb else src.cx
    if e.style == "side":
        side = dst.x if xs < dst.cx else dst.right
        return [(xs, src.top), (xs, dst.cy), (side, dst.cy)]
    xd = mid((sa, sb)) if e.dst in stretched and da <= sa and sb <= db else dst.cx
    if abs(xs - xd) < 0.5:
        return [(xs, src.top), (xs, dst.y)]
    # A fan-out turns just above its source; a single edge turns just below its target.
    yj = src.top + gap[rank[e.src]] / 2 if fanout[e.src] > 1 else dst.y - gap[rank[e.dst] - 1] / 2
    return [(xs, src.top), (xs, yj), (xd, yj), (xd, dst.y)]


def _pad(sc: Scene, n: Node) -> float:
    """Text stubs (input, output, ellipsis) sit tight; boxes get the node padding."""
    return 2 if n.role in ("io", "ellipsis") else sc.style.spacing.node_pad


def _box(sc: Scene, n: Node, id: str, parent: str, lines: list[Line], w: float, h: float) -> Box:
    fill, stroke = LOOK[n.role]
    width = sc.style.spacing.stroke
    if n.active:
        fill = "light_fill"  # shaded: the experts a token goes to
    if n.cached:
        fill, stroke, width = "accent_fill", "accent", width * 1.4
    if n.role == "operator":
        b = sc.operator(id, n.symbol or "+", parent, n.tooltip)
        b.data, b.path, b.tags = (("node", n.id),), n.path, ("operator",)
        return b
    return sc.box(
        id,
        n.role,
        lines,
        w=w,
        h=h,
        pad=_pad(sc, n),
        outline="none" if n.role in ("io", "ellipsis") else "rect",
        fill=fill,
        stroke=stroke,
        stroke_width=width,
        dash="dashed" if n.partial else "solid",
        radius=4,
        parent=parent,
        tooltip=n.tooltip or " ".join(x for x in (n.label, n.detail) if x),
        path=n.path,
        tags=(n.role, *(("cached",) if n.cached else ()), *(("active",) if n.active else ())),
        data=(("node", n.id),),
    )
