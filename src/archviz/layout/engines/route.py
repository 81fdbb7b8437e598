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


def blocked(a: Point, b: Point, obstacles: Sequence[Rect]) -> bool:
    """Whether the axis-parallel segment a-b passes through an obstacle's inside."""
    (ax, ay), (bx, by) = a, b
    lo_x, hi_x, lo_y, hi_y = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    for x0, y0, x1, y1 in obstacles:
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
    rects = [_rect(o) for o in obstacles]
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
    goals: dict[tuple[int, int], Point] = {}
    for j, y in enumerate(yl):
        if lo <= y <= hi:
            for x, end in ((target.x - margin, target.x), (target.right + margin, target.right)):
                goals[(xl.index(x), j)] = (end, y)
    for i, x in enumerate(xl):
        if target.x + inset <= x <= target.right - inset:
            goals[(i, yl.index(target.top + margin))] = (x, target.top)
            goals[(i, yl.index(target.y - margin))] = (x, target.y)
    si, sj = xl.index(start[0]), yl.index(start[1])
    best: dict[tuple[int, int, int], float] = {}
    heap: list[tuple[float, int, int, int, tuple[tuple[int, int], ...]]] = [(0.0, si, sj, 0, ((si, sj),))]
    steps = ((1, 0), (0, 1), (-1, 0), (0, -1))
    while heap:
        cost, i, j, d, path = heapq.heappop(heap)
        if (i, j) in goals and len(path) > 1:
            pts = [(xl[a], yl[b]) for a, b in path] + [goals[(i, j)]]
            return _simplify(pts)
        if best.get((i, j, d), 1e18) < cost:
            continue
        for nd, (di, dj) in enumerate(steps):
            if len(path) == 1 and nd != leave:
                continue  # leave the source through the side it starts on
            if (nd + 2) % 4 == d and len(path) > 1:
                continue
            ni, nj = i + di, j + dj
            if not (0 <= ni < len(xl) and 0 <= nj < len(yl)):
                continue
            a, b = (xl[i], yl[j]), (xl[ni], yl[nj])
            if blocked(a, b, walls):
                continue
            c = cost + abs(a[0] - b[0]) + abs(a[1] - b[1]) + (bend if nd != d and len(path) > 1 else 0.0)
            if c < best.get((ni, nj, nd), 1e18):
                best[(ni, nj, nd)] = c
                heapq.heappush(heap, (c, ni, nj, nd, (*path, (ni, nj))))
    return None


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
