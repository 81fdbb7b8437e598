"""Geometry invariants every figure must satisfy, shared by the diagram and later products."""

from __future__ import annotations

import itertools

from archviz.layout.geometry import Layout, Point, Shape

TOL = 0.6


def ancestors(layout: Layout, shape: Shape) -> set[str]:
    parents = {s.id: s.parent for s in layout.shapes}
    out, p = set(), shape.parent
    while p is not None:
        out.add(p)
        p = parents.get(p)
    return out


def overlaps(layout: Layout) -> list[tuple[str, str]]:
    """Pairs of shapes that overlap although neither contains the other."""
    shapes = [s for s in layout.shapes if s.w > 0 and s.h > 0]
    anc = {s.id: ancestors(layout, s) for s in shapes}
    bad = []
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            if a.id in anc[b.id] or b.id in anc[a.id]:
                continue
            w = min(a.right, b.right) - max(a.x, b.x)
            h = min(a.bottom, b.bottom) - max(a.y, b.y)
            if w > TOL and h > TOL:
                bad.append((a.id, b.id))
    return bad


def text_outside(layout: Layout) -> list[tuple[str, str]]:
    """Text runs that stick out of their shape."""
    bad = []
    for s in layout.shapes:
        for t in s.texts:
            if t.left < s.x - TOL or t.left + t.width > s.right + TOL or t.top < s.y - TOL or t.bottom > s.bottom + TOL:
                bad.append((s.id, t.text))
    return bad


def on_boundary(s: Shape, p: Point) -> bool:
    x, y = p
    if s.outline == "circle":
        r = s.w / 2
        return abs(((x - s.cx) ** 2 + (y - s.cy) ** 2) ** 0.5 - r) <= TOL
    inside = s.x - TOL <= x <= s.right + TOL and s.y - TOL <= y <= s.bottom + TOL
    near = min(abs(x - s.x), abs(x - s.right), abs(y - s.y), abs(y - s.bottom)) <= TOL
    return inside and near


def on_polyline(points: tuple[Point, ...], p: Point) -> bool:
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        if min(x1, x2) - TOL <= p[0] <= max(x1, x2) + TOL and min(y1, y2) - TOL <= p[1] <= max(y1, y2) + TOL:
            cross = (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1)
            length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1
            if abs(cross) / length <= TOL:
                return True
    return False


def loose_connectors(layout: Layout) -> list[str]:
    """Connectors whose ends do not lie on the boundaries of what they join."""
    shapes = {s.id: s for s in layout.shapes}
    conns = {c.id: c for c in layout.connectors}
    bad = []
    for c in layout.connectors:
        if c.source is None or c.target is None:
            bad.append(f"{c.id}: unattached")
            continue
        start, end = c.points[0], c.points[-1]
        if c.source in shapes:
            ok_start = on_boundary(shapes[c.source], start)
        else:
            ok_start = c.source in conns and on_polyline(conns[c.source].points, start)
        ok_end = c.target in shapes and on_boundary(shapes[c.target], end)
        if not ok_start:
            bad.append(f"{c.id}: start {start} not on {c.source}")
        if not ok_end:
            bad.append(f"{c.id}: end {end} not on {c.target}")
    return bad


def off_canvas(layout: Layout) -> list[str]:
    bad = [
        s.id
        for s in layout.shapes
        if s.x < -TOL or s.y < -TOL or s.right > layout.width + TOL or s.bottom > layout.height + TOL
    ]
    bad += [
        c.id
        for c in layout.connectors
        if any(x < -TOL or y < -TOL or x > layout.width + TOL or y > layout.height + TOL for x, y in c.points)
    ]
    return bad


def outside_parent(layout: Layout) -> list[str]:
    """Shapes that stick out of the frame they belong to (a panel or a block)."""
    shapes = {s.id: s for s in layout.shapes}
    bad = []
    for s in layout.shapes:
        p = shapes.get(s.parent or "")
        if p is None or p.kind not in ("panel", "block", "container", "layer-choice") or s.w <= 0:
            continue
        if s.x < p.x - TOL or s.y < p.y - TOL or s.right > p.right + TOL or s.bottom > p.bottom + TOL:
            bad.append(f"{s.id} outside {p.id}")
    return bad


def assert_clean(layout: Layout) -> None:
    """Fail with every geometry problem listed."""
    problems = {
        "overlapping shapes": overlaps(layout),
        "text outside its shape": text_outside(layout),
        "loose connectors": loose_connectors(layout),
        "outside the canvas": off_canvas(layout),
        "connectors crossing boxes": crossings(layout),
        "outside their frame": outside_parent(layout),
    }
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, f"{layout.id}: {problems}"


def _segment_hits(a: Point, b: Point, s: Shape, margin: float) -> bool:
    """Whether segment a-b passes through the inside of `s` (shrunk by `margin`)."""
    x0, y0, x1, y1 = s.x + margin, s.y + margin, s.right - margin, s.bottom - margin
    if x0 >= x1 or y0 >= y1:
        return False
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 1e-6:  # horizontal
        return y0 < ay < y1 and min(ax, bx) < x1 and max(ax, bx) > x0
    if abs(ax - bx) < 1e-6:  # vertical
        return x0 < ax < x1 and min(ay, by) < y1 and max(ay, by) > y0
    steps = 24  # a slanted line (fans): sample it
    return any(x0 < ax + (bx - ax) * t / steps < x1 and y0 < ay + (by - ay) * t / steps < y1 for t in range(1, steps))


def crossings(layout: Layout) -> list[str]:
    """Connectors that run through a box or under text other than what they join (or what holds
    those): leaders and zoom lines must go around, flows must not cut through."""
    shapes = {s.id: s for s in layout.shapes}
    conns = {c.id: c for c in layout.connectors}
    bad = []
    for c in layout.connectors:
        if c.curve or c.kind == "grid":  # gridlines run behind the bars by design
            continue
        ends = set()
        for n, end in enumerate((c.source, c.target)):
            while end in conns:  # a branch starts on another connector: take that one's ends
                end = conns[end].source
            if end in shapes:
                ends.add(end)
                ends |= ancestors(layout, shapes[end])
                if n == 0:  # what the source holds (its swatches, cues); a target's insides count
                    ends |= {s.id for s in layout.shapes if s.parent == end}
        for s in layout.shapes:
            if s.id in ends or s.w <= 0 or s.h <= 0 or (c.parent and s.id == c.parent):
                continue
            if any(_segment_hits(a, b, s, 1.0) for a, b in itertools.pairwise(c.points)):
                bad.append(f"{c.id} crosses {s.id}")
    return bad
