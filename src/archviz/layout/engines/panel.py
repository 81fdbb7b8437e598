"""A zoom-in panel: a dotted frame with its title and captions around a dataflow graph (with a
sketch of how query heads share key/value heads) or the macro-block rows of a nested pattern."""

from __future__ import annotations

import re

from archviz.diagram.elements import Panel
from archviz.kinds import Caption
from archviz.layout.builder import Box, Line, Scene, wrapped
from archviz.layout.engines.graph import layout_graph
from archviz.layout.engines.strip import macro_rows

BADGE = 22.0
"""Diameter of the numbered badges that pair a far-away panel with what it zooms into."""


def badge(sc: Scene, id: str, number: int, parent: str | None, path: str, size: float = BADGE) -> Box:
    """A small accent disc with a number: the same number marks a panel and its source."""
    return sc.box(
        id,
        "badge",
        [Line(str(number), sc.style.sizes.small, "inverse", "bold")],
        w=size,
        h=size,
        outline="circle",
        fill="accent",
        stroke="none",
        pad=0,
        parent=parent,
        path=path,
        tooltip=f"Zoomed into in panel {number}",
        z=4,
    )


def panel_id(path: str) -> str:
    return "panel-" + re.sub(r"[^A-Za-z0-9_-]+", "-", path)


def heads_sketch(sc: Scene, heads: tuple[int, int], prefix: str, parent: str, width: float) -> tuple[float, float]:
    """Query heads (top row) over the key/value head they share (bottom row), drawn from the
    origin; long rows are shortened with an ellipsis. Returns (width, height)."""
    z = sc.style.sizes
    q, kv = heads
    per = q // kv
    a, g, gap = 12.0, 4.0, 16.0
    label_w = max(Line("Query", z.small, "muted").width, Line("K, V", z.small, "muted").width) + 8
    dots_w = max(a, Line("…", z.small, "muted", "bold").width)
    choices = [  # (groups shown, query heads shown per group), fullest first, until one fits
        (list(range(kv)) if kv <= 3 else [0, 1, -1, kv - 1], list(range(per)) if per <= 6 else [0, 1, 2, -1, per - 1]),
        ([0, -1, kv - 1] if kv > 2 else list(range(kv)), list(range(per)) if per <= 4 else [0, 1, -1, per - 1]),
        ([0, -1, kv - 1] if kv > 2 else list(range(kv)), [0, -1, per - 1] if per > 2 else list(range(per))),
    ]
    for shown_groups, shown_q in choices:
        group_w = len(shown_q) * (a + g) - g
        total = label_w + sum(group_w if k >= 0 else dots_w for k in shown_groups) + gap * (len(shown_groups) - 1)
        if total <= width:
            break
    x = label_w
    kv_y, q_y = 0.0, a + 26

    def ellipsis(id: str, x: float, cy: float) -> Box:
        dots = sc.box(id, "ellipsis", [Line("…", z.small, "muted", "bold")], outline="none", pad=0, parent=parent)
        dots.w = max(a, dots.w)
        dots.x, dots.y = x, cy - dots.h / 2
        return dots

    for gi in shown_groups:
        if gi < 0:  # groups left out
            x += ellipsis(f"{prefix}-gdots", x, (q_y + a) / 2).w + gap
            continue
        kvb = sc.box(
            f"{prefix}-kv{gi}",
            "head-kv",
            w=a * 1.4,
            h=a,
            fill="dark_fill",
            stroke="dark_stroke",
            stroke_width=1,
            radius=2,
            parent=parent,
            tooltip=f"Key/value head {gi + 1}",
        )
        kvb.x, kvb.y = x + group_w / 2 - kvb.w / 2, kv_y
        qx = x
        for qi in shown_q:
            if qi < 0:  # query heads left out
                ellipsis(f"{prefix}-g{gi}-qdots", qx, q_y + a / 2)
                qx += a + g
                continue
            qb = sc.box(
                f"{prefix}-g{gi}-q{qi}",
                "head-q",
                w=a,
                h=a,
                fill="light_fill",
                stroke="light_stroke",
                stroke_width=1,
                radius=2,
                parent=parent,
                tooltip=f"Query head {gi * per + qi + 1}",
            )
            qb.x, qb.y = qx, q_y
            sc.connect(
                f"{prefix}-g{gi}-q{qi}-share",
                [(kvb.cx, kvb.top), (qb.cx, qb.y)],
                kind="leader",
                role="leader",
                arrow=False,
                width=1.0,
                source=kvb.id,
                target=qb.id,
                parent=parent,
            )
            qx += a + g
        x += group_w + gap
    for text, y, id in (("Query", q_y, "q"), ("K, V", kv_y, "kv")):
        lab = sc.box(
            f"{prefix}-{id}-label", "head-label", [Line(text, z.small, "muted")], outline="none", pad=0, parent=parent
        )
        lab.x, lab.y = 0, y + a / 2 - lab.h / 2
    return x - gap, q_y + a


def _share_text(q: int, kv: int) -> str:
    if q == kv:
        return f"each of the {q} query heads has its own K and V (MHA)"
    if kv == 1:
        return f"all {q} query heads read one K and V (MQA)"
    return f"each of the {kv} K/V heads serves {q // kv} query heads"


def draw_panel(sc: Scene, p: Panel, max_width: float) -> tuple[Box, dict[str, Box]]:
    """The panel with its lower-left corner at the origin; returns its frame and the boxes of its
    graph's nodes (by node id), for zoom lines into them."""
    s, z = sc.style.spacing, sc.style.sizes
    pid = panel_id(p.path)
    pad = s.pad + 2
    nodes: dict[str, Box] = {}
    mark = sc.mark()
    if p.graph is not None:
        placed = layout_graph(sc, p.graph, pid, pid, max_width - 2 * pad)
        cw, ch, nodes = placed.width, placed.height, placed.boxes
    else:
        cw, ch = macro_rows(sc, p.macro, pid, pid)
    content_end = sc.mark()
    inner = max(cw, min(max_width - 2 * pad, 300.0))
    if p.heads is not None:
        inner = max(inner, min(max_width - 2 * pad, 340.0))
    sc.shift(mark, pad + (inner - cw) / 2, pad, content_end)
    top = pad + ch
    if p.heads is not None:
        m2 = sc.mark()
        sw, sh = heads_sketch(sc, p.heads, f"{pid}-heads", pid, inner)
        sc.shift(m2, pad + (inner - sw) / 2, top + s.gap)
        top += s.gap + sh
    texts: list[Line] = []
    captions = list(p.graph.captions) if p.graph else []
    if p.heads is not None:
        captions.insert(1, Caption("Sharing", _share_text(*p.heads)))
    for c in captions:
        texts += wrapped(f"{c.label}: {c.value}", inner, z.detail)
    if texts:
        cap = sc.box(f"{pid}-captions", "caption", texts, w=inner, outline="none", align="start", pad=0, parent=pid)
        cap.x, cap.y = pad, top + s.gap * 0.75
        top = cap.top
    room = BADGE + 8  # on both sides of the title for a badge's number, keeping the title centred
    title = sc.box(
        f"{pid}-title",
        "panel-title",
        wrapped(p.title, inner - 2 * room, z.panel_title, weight="bold"),
        w=inner - 2 * room,
        outline="none",
        pad=0,
        parent=pid,
    )
    title.x, title.y = pad + room, top + s.gap * 0.75
    frame = sc.box(
        pid,
        "panel",
        w=inner + 2 * pad,
        h=title.top + pad,
        fill="panel_fill",
        stroke="panel_stroke",
        dash="dotted",
        radius=s.radius,
        stroke_width=s.leader,
        tooltip=p.title,
        path=p.path,
        tags=("panel", *p.tags),
        data=(("panel", p.path),),
        z=1,
    )
    return frame, nodes
