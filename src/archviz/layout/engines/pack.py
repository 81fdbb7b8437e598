"""Place zoom-in panels: a column beside the stack, each panel near what it zooms into, and a
band below the stack for panels too wide or too many for the column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """A panel to place: its size and the y it would like its bottom at (None: anywhere)."""

    width: float
    height: float
    want: float | None


@dataclass(frozen=True)
class Spot:
    x: float
    y: float
    """Bottom-left corner, y up."""
    in_column: bool


def spread(heights: list[float], wants: list[float | None], gap: float, floor: float) -> list[float]:
    """Bottom y of each item, in order, `gap` apart, as near to where each wants to be as the order
    allows (clusters of colliding items centre on their wishes), none below `floor`."""
    n = len(heights)
    known = [w for w in wants if w is not None]
    want = [w if w is not None else (min(known) if known else floor) for w in wants]
    clusters: list[list[int]] = []
    for i in range(n):
        clusters.append([i])
        while len(clusters) > 1:
            ys = _place(clusters, heights, want, gap)
            a, b = clusters[-2], clusters[-1]
            if ys[a[-1]] + heights[a[-1]] + gap <= ys[b[0]] + 1e-6:
                break
            clusters[-2:] = [a + b]
    ys = _place(clusters, heights, want, gap)
    out = [max(y, floor) for y in ys]
    for i in range(1, n):  # the floor may push one cluster into the next
        out[i] = max(out[i], out[i - 1] + heights[i - 1] + gap)
    return out


def _place(clusters: list[list[int]], heights: list[float], want: list[float], gap: float) -> list[float]:
    ys = [0.0] * len(heights)
    for c in clusters:
        offsets, off = [], 0.0
        for i in c:
            offsets.append(off)
            off += heights[i] + gap
        start = sum(want[i] - o for i, o in zip(c, offsets, strict=True)) / len(c)
        for i, o in zip(c, offsets, strict=True):
            ys[i] = start + o
    return ys


def pack(
    items: list[Item],
    right: tuple[float, float],
    below: tuple[float, float, float],
    ceiling: float,
    gap: float,
    under: set[int] | None = None,
) -> list[Spot]:
    """`right` = (x, width): a column beside the stack, under `ceiling` and as deep as needed;
    `below` = (x, width, top): the room under the stack. Panels that fit the column go there, near
    what they zoom into; wider ones go under the stack; then panels move from the bottom of the
    column to under the stack while that makes the figure shorter. Items in `under` go under the
    stack whatever their size."""
    rx, rw = right
    bx, bw, btop = below
    in_right = [i for i, it in enumerate(items) if it.width <= rw + 0.5 and i not in (under or set())]
    in_below = [i for i in range(len(items)) if i not in in_right]

    def right_ys(ids: list[int]) -> list[float]:
        ys = spread([items[i].height for i in ids], [items[i].want for i in ids], gap, -1e9)
        if ids and ys[-1] + items[ids[-1]].height > ceiling:
            drop = ys[-1] + items[ids[-1]].height - ceiling
            ys = [y - drop for y in ys]
        return ys

    def below_rows(ids: list[int]) -> list[list[int]]:
        """Shelves: as many panels side by side as the width takes, in order."""
        rows: list[list[int]] = []
        for i in ids:
            if rows and sum(items[j].width + gap for j in rows[-1]) + items[i].width <= bw + 0.5:
                rows[-1].append(i)
            else:
                rows.append([i])
        return rows

    def below_ys(ids: list[int]) -> list[float]:
        ys: dict[int, float] = {}
        top = btop
        for row in below_rows(ids):
            for i in row:
                ys[i] = top - items[i].height
            top -= max(items[i].height for i in row) + gap
        return [ys[i] for i in ids]

    def depth(r: list[int], b: list[int]) -> float:
        low = [*right_ys(r), *below_ys(b)]
        return min(low) if low else btop

    def by_want(ids: list[int]) -> list[int]:
        return sorted(ids, key=lambda i: -(w if (w := items[i].want) is not None else -1e9))

    in_below = by_want(in_below)
    while in_right:
        ys = right_ys(in_right)
        lowest = in_right[min(range(len(ys)), key=lambda k: ys[k])]
        if items[lowest].width > bw + 0.5:
            break
        r2, b2 = [i for i in in_right if i != lowest], by_want([*in_below, lowest])
        if depth(r2, b2) <= depth(in_right, in_below) + 0.5:
            break
        in_right, in_below = r2, b2
    spots: dict[int, Spot] = {}
    for i, y in zip(in_right, right_ys(in_right), strict=True):
        spots[i] = Spot(rx, y, True)
    bottoms = dict(zip(in_below, below_ys(in_below), strict=True))
    for row in below_rows(in_below):
        total = sum(items[i].width for i in row) + gap * (len(row) - 1)
        x = bx + max(0.0, (bw - total) / 2)
        for i in row:
            spots[i] = Spot(x, bottoms[i], False)
            x += items[i].width + gap
    return [spots[i] for i in range(len(items))]
