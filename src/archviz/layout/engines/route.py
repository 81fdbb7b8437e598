"""Route a leader around boxes: right-angled, as few bends as it can, never through a box.

Most leaders in a figure are straight or follow the lane beside the stack; this router is for the
ones whose simple route is blocked (a zoom line out of the left of two side-by-side blocks). It
searches a sparse grid made of the obstacles' edges (plus a margin) with Dijkstra, each bend
costing as much as a stretch of line, so the result is short and calm.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from archviz.layout.builder import Box
from archviz.layout.geometry import Point

Rect = tuple[float, float, float, float]
"""x0, y0, x1, y1."""


def _rect(b: Box) -> Rect:
    return (b.x, b.y, b.right, b.top)


def blocked(a: Point, b: Point, obstacles: Sequence[Box]) -> bool:
    """Whether the axis-parallel segment a-b passes through an obstacle's inside."""
    (ax, ay), (bx, by) = a, b
    lo_x, hi_x, lo_y, hi_y = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    for x0, y0, x1, y1 in map(_rect, obstacles):
        if lo_x < x1 - 0.5 and hi_x > x0 + 0.5 and lo_y < y1 - 0.5 and hi_y > y0 + 0.5:
            return True
    return False


def route(
    start: Point,
    target: Box,
    obstacles: Sequence[Box],
    leave: int = 0,
    margin: float = 8.0,
    bend: float = 40.0,
    inset: float = 10.0,
) -> list[Point] | None:
    """A right-angled path from `start` (leaving rightwards, or leftwards with leave=2) to a side
    of `target` (ending perpendicular to it, inside its inset), around `obstacles`; None when
    there is none."""
    reach = 160.0  # only obstacles near the way matter; they keep the grid small
    x_lo, x_hi = min(start[0], target.x) - reach, max(start[0], target.right) + reach
    y_lo, y_hi = min(start[1], target.y) - reach, max(start[1], target.top) + reach
    rects = [r for r in map(_rect, obstacles) if r[0] < x_hi and r[2] > x_lo and r[1] < y_hi and r[3] > y_lo]
    goal_rect = _rect(target)
    xs = {start[0], target.cx, target.x - margin, target.right + margin}
    ys = {start[1], target.cy, target.y - margin, target.top + margin}
    for x0, y0, x1, y1 in rects:
        xs |= {x0 - margin, x1 + margin}
        ys |= {y0 - margin, y1 + margin}
    lo, hi = target.y + inset, target.top - inset
    ys |= {min(max(start[1], lo), hi)}
    xs |= {min(max(start[0], target.x + inset), target.right - inset)}
    xl, yl = sorted(xs), sorted(ys)
    walls = [*rects, goal_rect]
    h_block, v_block = _blocked_edges(xl, yl, walls)
    goals: dict[tuple[int, int], Point] = {}
    for j, y in enumerate(yl):
        if lo <= y <= hi:
            for x, end in ((target.x - margin, target.x), (target.right + margin, target.right)):
                goals[(xl.index(x), j)] = (end, y)
    for i, x in enumerate(xl):
        if target.x + inset <= x <= target.right - inset:
            goals[(i, yl.index(target.top + margin))] = (x, target.top)
            goals[(i, yl.index(target.y - margin))] = (x, target.y)
    start_node = (xl.index(start[0]), yl.index(start[1]), -1)
    best: dict[tuple[int, int, int], float] = {start_node: 0.0}
    back: dict[tuple[int, int, int], tuple[int, int, int]] = {}
    heap: list[tuple[float, tuple[int, int, int]]] = [(0.0, start_node)]
    steps = ((1, 0), (0, 1), (-1, 0), (0, -1))
    while heap:
        cost, node = heapq.heappop(heap)
        i, j, d = node
        if cost > best.get(node, 1e18):
            continue
        if (i, j) in goals and d >= 0:
            path = [node]
            while path[-1] in back:
                path.append(back[path[-1]])
            pts = [(xl[a], yl[b]) for a, b, _ in reversed(path)] + [goals[(i, j)]]
            return _simplify(pts)
        for nd, (di, dj) in enumerate(steps):
            if (d < 0 and nd != leave) or (d >= 0 and (nd + 2) % 4 == d):
                continue
            ni, nj = i + di, j + dj
            if not (0 <= ni < len(xl) and 0 <= nj < len(yl)):
                continue
            if (di and h_block[j][min(i, ni)]) or (dj and v_block[i][min(j, nj)]):
                continue
            step = abs(xl[ni] - xl[i]) + abs(yl[nj] - yl[j])
            c = cost + step + (bend if d >= 0 and nd != d else 0.0)
            nxt = (ni, nj, nd)
            if c < best.get(nxt, 1e18):
                best[nxt] = c
                back[nxt] = node
                heapq.heappush(heap, (c, nxt))
    return None


def _blocked_edges(
    xl: list[float], yl: list[float], walls: Sequence[Rect]
) -> tuple[list[list[bool]], list[list[bool]]]:
    """For each grid row, which steps to the next column run through a wall; and for each
    column, which steps to the next row do."""
    h = [[False] * (len(xl) - 1) for _ in yl]
    v = [[False] * (len(yl) - 1) for _ in xl]
    for x0, y0, x1, y1 in walls:
        rows = [j for j, y in enumerate(yl) if y0 + 0.5 < y < y1 - 0.5]
        cols = [i for i in range(len(xl) - 1) if xl[i] < x1 - 0.5 and xl[i + 1] > x0 + 0.5]
        for j in rows:
            for i in cols:
                h[j][i] = True
        xs = [i for i, x in enumerate(xl) if x0 + 0.5 < x < x1 - 0.5]
        ys = [j for j in range(len(yl) - 1) if yl[j] < y1 - 0.5 and yl[j + 1] > y0 + 0.5]
        for i in xs:
            for j in ys:
                v[i][j] = True
    return h, v


def _simplify(pts: list[Point]) -> list[Point]:
    """Keep the ends and the corners; drop points in the middle of straight runs."""
    out = [pts[0]]
    for k in range(1, len(pts) - 1):
        (ax, ay), (bx, by), (cx, cy) = out[-1], pts[k], pts[k + 1]
        straight = (abs(ax - bx) < 1e-6 and abs(bx - cx) < 1e-6) or (abs(ay - by) < 1e-6 and abs(by - cy) < 1e-6)
        if not straight and (bx, by) != (ax, ay):
            out.append(pts[k])
    out.append(pts[-1])
    return out
