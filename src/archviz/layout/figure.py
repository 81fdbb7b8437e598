"""The arranger of a model figure: the stack, callouts, the strip's phrase, MTP, zoom-in panels
with their zoom lines, legend, footer and title, placed around each other.

Every part is drawn by a general engine (engines/stack.py, graph.py, strip.py, panel.py) at the
origin of one Scene and moved into place here; the Scene flips to SVG coordinates at the end.
"""

from __future__ import annotations

import itertools
from typing import Literal

from archviz.diagram.elements import Diagram, Panel
from archviz.layout.builder import Box, Line, Scene, lines_height, wrapped
from archviz.layout.engines.pack import Item, Spot, pack
from archviz.layout.engines.panel import badge, draw_panel, panel_id
from archviz.layout.engines.route import blocked, route
from archviz.layout.engines.stack import PlacedStack, StackBuilder, layer_count
from archviz.layout.geometry import Layout
from archviz.layout.text import noting_broken_words
from archviz.style import DEFAULT_STYLE, Style

LEADER = 36.0
"""Length of a callout's leader line."""
CALLOUT_LINE = 232.0
"""Callout labels stay on one line up to this width (two lines fit beside the embedding)."""
NARROWEST = 320.0
"""A column of panels beside the stack narrower than this is no use: panels go under the stack."""


class FigureBuilder:
    def __init__(self, d: Diagram, style: Style, compact: bool, side: float | None = None) -> None:
        self.d, self.style, self.compact, self.side = d, style, compact, side
        self.sc = Scene(style)
        self.s, self.z = style.spacing, style.sizes

    # --- callouts ----------------------------------------------------------------------------

    def callouts(self, st: PlacedStack) -> None:
        """Labelled values left of the boxes they describe, on short dotted leaders; labels wrap
        to the room left of the boxes (the container grows when a word does not fit)."""
        z, s = self.z, self.s
        targets = {"tokens": st.tokens, "embedding": st.embedding, "output": st.output}
        room = st.embedding.x - st.container.x - s.pad - LEADER
        placed: list[tuple[Box, Box]] = []
        for c in self.d.callouts:
            t = targets[c.target]
            value = Line(c.value, z.annotation, "accent", "bold")
            main = [*wrapped(c.label, max(room - 4, value.width, CALLOUT_LINE), z.annotation, "text", "bold"), value]
            lines = main + (wrapped(c.note, max(room - 4, value.width), z.small, "muted") if c.note else [])
            b = self.sc.box(
                f"callout-{c.id}",
                "annotation",
                lines,
                outline="none",
                pad=2,
                align="start",
                tooltip=f"{c.label}: {c.value}",
                path=c.path,
                tags=("callout", c.id),
                parent=None if c.target == "tokens" else "container",
                z=4,
            )
            head = lines_height(main, self.style)  # label and value beside the box, a note under them
            b.x, b.y = t.x - LEADER - b.w, t.cy + head / 2 + 2 - b.h
            if c.target != "tokens" and b.x < st.container.x + s.pad:
                grow = st.container.x + s.pad - b.x
                st.container.x -= grow
                st.container.w += grow
            placed.append((b, t))
        placed.sort(key=lambda bt: -bt[1].cy)
        box = st.container
        for b, _ in placed:  # inside the container (when they belong to it), top first, apart
            if b.parent == box.id:
                b.y = max(min(b.y, box.top - 4 - b.h), box.y + 4)
        for (upper, _), (lower, _) in itertools.pairwise(placed):
            lower.y = min(lower.y, upper.y - 6 - lower.h)
        for b, t in placed:
            if b.y + 2 <= t.cy <= b.top - 2:
                pts = [(b.right, t.cy), (t.x, t.cy)]
            else:
                knee = b.right + LEADER / 2
                pts = [(b.right, b.cy), (knee, b.cy), (knee, t.cy), (t.x, t.cy)]
            self.sc.leader(f"{b.id}-leader", pts, b.id, t.id, width=s.leader)

    def count_and_phrase(self, st: PlacedStack) -> None:
        """The layer count ('48 ×') with the strip's ratio phrase under it, in the rows above the
        blocks, left of the sublayer column."""
        s, z = self.s, self.z
        y = st.body.top + 6
        if self.d.strip.phrase:
            width = -s.sub_width / 2 - st.container.x - 2 * s.pad
            lines = wrapped(self.d.strip.phrase, width, z.small, "accent", "bold")
            b = self.sc.box(
                "strip-phrase",
                "phrase",
                lines,
                outline="none",
                pad=1,
                align="start",
                path="layers",
                parent="container",
                z=4,
            )
            b.x, b.y = st.container.x + s.pad, y
            y = b.top + 2
        count = layer_count(self.sc, self.d.stack.layers)
        count.x, count.y = st.container.x + s.pad, y

    def mtp(self, st: PlacedStack) -> None:
        """The multi-token-prediction modules, ghosted beside the output, with a dashed arrow to
        the extra token they predict."""
        if self.d.stack.mtp is None:
            return
        n, mixer = self.d.stack.mtp
        s, z = self.s, self.z
        b = self.sc.box(
            "mtp",
            "mtp",
            [Line(f"MTP × {n}", z.detail, "text", "bold")]
            + ([] if self.compact else [Line("predicts t+2" + (f" to t+{n + 1}" if n > 1 else ""), z.small, "muted")]),
            fill="panel_fill",
            stroke="panel_stroke",
            dash="dashed",
            stroke_width=s.stroke,
            radius=4,
            path="mtp",
            tags=("mtp",),
            tooltip=f"{n} multi-token-prediction module{'s' if n > 1 else ''} ({mixer} blocks): predict "
            "further tokens in training; some models also use them to draft tokens at inference",
        )
        beside = st.logits.right + s.column_gap if st.logits is not None else st.output.right
        b.x = max(beside, st.container.right - b.w)
        b.y = st.container.top + s.gap
        out = st.output
        self.sc.connect(
            "mtp-in",
            [(out.right, out.cy), (b.cx, out.cy), (b.cx, b.y)],
            kind="mtp",
            role="leader",
            dash="dashed",
            width=s.flow * 0.8,
            source=out.id,
            target=b.id,
            path="mtp",
        )
        token = self.sc.box(
            "mtp-token",
            "logits",
            [Line("extra tokens" if n > 1 else "extra token", z.small, "muted")],
            outline="none",
            pad=2,
            path="mtp",
            tags=("mtp",),
        )
        token.x, token.y = b.cx - token.w / 2, b.top + s.gap
        self.sc.connect(
            "mtp-out",
            [(b.cx, b.top), (b.cx, token.y)],
            kind="mtp",
            role="leader",
            dash="dashed",
            width=s.flow * 0.8,
            source=b.id,
            target=token.id,
            path="mtp",
        )

    # --- panels ------------------------------------------------------------------------------

    def panels(self, st: PlacedStack, column: tuple[float, float], below: tuple[float, float, float]) -> None:
        """The zoom-in panels: beside the stack near what each zooms into, the rest under it."""
        sc, s = self.sc, self.s
        narrow = column[1] if column[1] >= NARROWEST else min(below[1], s.panel_width + 60)
        wide = max(narrow, min(below[1], s.panel_width + 140))

        sizes: dict[tuple[str, float], tuple[float, float]] = {}
        breaks: dict[tuple[str, float], bool] = {}

        def measure(p: Panel, width: float) -> tuple[float, float]:
            if (p.path, width) not in sizes:  # drawn in a scratch scene: only its size counts
                with noting_broken_words() as broken:
                    frame, _ = draw_panel(Scene(self.style), p, width)
                sizes[(p.path, width)] = (frame.w, frame.h)
                breaks[(p.path, width)] = bool(broken)
            return sizes[(p.path, width)]

        def source(p: Panel) -> Box | None:
            if p.macro:  # the layer pattern belongs beside the blocks and their strip
                return st.body
            for src in p.sources:
                if "#" not in src and src in st.sources:
                    return st.sources[src]
            return None

        def where(p: Panel) -> float:
            src = source(p)
            return src.cy if src is not None else 1e9

        order = sorted(self.d.panels, key=lambda p: (where(p), self.d.panels.index(p)))
        ceiling = max(b.top for b in sc.boxes if not b.id.startswith("panel-"))
        for b in sc.boxes:  # what pokes out of the stack over the column (the MTP module)
            if b.right > column[0] - s.gap and not b.id.startswith("panel-"):
                ceiling = min(ceiling, b.y - s.gap)

        def items(width: dict[int, float]) -> list[Item]:
            out = []
            for k, p in enumerate(order):
                w, h = measure(p, width.get(k, narrow))
                src = source(p)
                out.append(Item(w, h, src.cy - h / 2 if src is not None else None))
            return out

        for p in order:  # a panel whose words would break beside the stack goes under it
            measure(p, narrow)
        cramped = {k: wide for k, p in enumerate(order) if breaks[(p.path, narrow)] and wide > narrow}
        first = pack(items(cramped), column, below, ceiling, s.gap)
        under = {k for k, spot in enumerate(first) if not spot.in_column}

        def roomy(p: Panel) -> float:
            """A width under the stack at which no word of `p` breaks (a graph of many streams
            needs more than the usual), up to the whole width there."""
            for w in (wide, min(below[1], wide + 160), below[1]):
                measure(p, w)
                if not breaks[(p.path, w)]:
                    return w
            return below[1]

        widths = {k: roomy(order[k]) for k in under}  # panels under the stack may spread out
        full = column[0] + column[1] - below[0]
        late = {k for k in under if breaks[(order[k].path, widths[k])] and full > widths[k]}
        for k in late:  # still cramped under the stack: across the whole figure, below everything
            widths[k] = full
        keep = [k for k in range(len(order)) if k not in late]
        placed = items(widths)
        kept = [placed[k] for k in keep]
        inside = {i for i, k in enumerate(keep) if k in under}
        spots = dict(
            zip(keep, pack(kept, column, below, ceiling, s.gap, under=inside) if under else first, strict=True)
        )
        built: dict[str, tuple[Box, dict[str, Box]]] = {}
        for k in keep:
            mark = sc.mark()
            frame, nodes = draw_panel(sc, order[k], widths.get(k, narrow))
            sc.shift(mark, spots[k].x, spots[k].y)
            built[order[k].path] = (frame, nodes)
        for k in sorted(late):
            bottom = sc.bounds()[1] - s.gap
            mark = sc.mark()
            frame, nodes = draw_panel(sc, order[k], full)
            sc.shift(mark, below[0], bottom - frame.h)
            built[order[k].path] = (frame, nodes)
            spots[k] = Spot(below[0], bottom - frame.h, False)
        zooms: list[tuple[Box, Box, bool]] = []  # (panel, what it shows, from a node of another panel)
        for p in order:
            frame = built[p.path][0]
            src = source(p)
            if src is not None and not p.macro:
                zooms.append((frame, src, False))
            for ref in p.sources:
                if "#" in ref:
                    owner, node = ref.split("#")
                    box = built[owner][1].get(node) if owner in built else None
                    if box is not None:
                        zooms.append((frame, box, True))
        beside = {built[p.path][0].id for k, p in enumerate(order) if spots[k].in_column}
        near = [
            (f, src, inner) for f, src, inner in zooms if f.id in beside and (not inner or self._owner(src) in beside)
        ]
        far = [z for z in zooms if z not in near]
        spans = [(src.cy, self._landing(frame)) for frame, src, _ in near]
        lanes = _lanes(spans, st.container.right + 8, column[0] - 8)
        for (frame, src, inner), lane in zip(near, lanes, strict=True):
            if inner:  # out of the left of a node in another panel, into this one beside its title
                self._zoom(frame, src, min(lane, frame.x - 8), src.x, from_left=True)
            else:
                self._zoom(frame, src, lane, src.right)
        self._badges(far)

    def _zoom(self, panel: Box, src: Box, lane: float, start_x: float, from_left: bool = False) -> None:
        """A dotted zoom line from what a panel (in the column beside the stack) shows to it:
        straight across when they face each other, else along a lane left of the column into the
        panel's side beside its title, else around whatever is in the way."""
        y = src.cy
        land = self._landing(panel)
        if not from_left and abs(y - land) < 1:
            pts = [(start_x, y), (panel.x, y)]
        else:
            pts = [(start_x, y), (lane, y), (lane, land), (panel.x, land)]
        walls = self._obstacles(src, panel)
        if any(blocked(a, b, walls) for a, b in itertools.pairwise(pts)):
            pts = route((start_x, y), panel, walls, leave=2 if from_left else 0) or pts
        self.sc.leader(f"{panel.id}-zoom-{src.id}", pts, src.id, panel.id, kind="zoom", width=self.s.leader)

    def _owner(self, b: Box) -> str | None:
        """The panel a node box belongs to."""
        return next((a.id for a in self.sc.ancestors(b) if a.kind == "panel"), None)

    def _badges(self, far: list[tuple[Box, Box, bool]]) -> None:
        """Panels too far from what they show for a calm zoom line get a number instead: the same
        number beside the panel's title and beside its source, numbered top to bottom."""
        s = self.s
        panels: list[Box] = []
        for frame, _, _ in far:
            if frame not in panels:
                panels.append(frame)
        panels.sort(key=lambda f: (-f.top, f.x))
        for n, frame in enumerate(panels, 1):
            mark = badge(self.sc, f"{frame.id}-badge", n, frame.id, frame.path)
            mark.x, mark.y = frame.x + s.pad + 2, self._landing(frame) - mark.h / 2
            for f, src, inner in far:
                if f is not frame:
                    continue
                tag = badge(self.sc, f"{frame.id}-badge-at-{src.id}", n, src.id, src.path, size=18)
                box = self._slot_box(src)
                if inner or self._room_right(box) < tag.w + 4:  # on the box's top-right corner
                    tag.x, tag.y = box.right - tag.w / 2, src.top - tag.h / 2
                else:  # in the gap right of its box, before the residual lane
                    tag.x, tag.y = box.right + 1, src.cy - tag.h / 2

    def _slot_box(self, src: Box) -> Box:
        """The mixer or FFN box a source belongs to (a row of alternatives sits inside one)."""
        parent = self.sc.find(src.parent)
        return parent if parent is not None and parent.kind.endswith("slot") else src

    def _room_right(self, box: Box) -> float:
        """Free width right of a box, before the next box or line beside it."""
        others = [
            b.x - box.right
            for b in self.sc.boxes
            if b.x >= box.right - 0.5 and b.y < box.top and b.top > box.y and b.parent == box.parent
        ]
        return min([*others, self.s.lane])

    def _landing(self, panel: Box) -> float:
        """Where zoom lines meet a panel: beside its title."""
        title = self.sc.find(f"{panel.id}-title")
        assert title is not None, panel.id
        return title.top - self.z.panel_title * self.s.line / 2

    def _obstacles(self, src: Box, target: Box) -> list[Box]:
        """Boxes a leader from `src` to `target` must go around: everything but what holds
        `src`, what `src` or `target` hold, and what lies inside another obstacle."""
        holders = {a.id for a in self.sc.ancestors(src)}
        out = []
        for b in self.sc.boxes:
            if b.id in (src.id, target.id) or b.id in holders or b.w <= 0 or b.h <= 0:
                continue
            within = {a.id for a in self.sc.ancestors(b)}
            if src.id in within or target.id in within or within - holders:  # held, or inside an obstacle
                continue
            out.append(b)
        return out

    # --- legend, footer and title --------------------------------------------------------------

    def legend(self, y_top: float, x0: float, width: float) -> float:
        """Swatches with what they mean, in rows under the figure; returns the bottom."""
        sc, s, z = self.sc, self.s, self.z
        items: list[tuple[str, str, str, str]] = [(f, st, t, "box") for f, st, t in self.d.legend]
        strip = [(role, "none", text, "chip") for role, text in self.d.strip.legend]
        rows: list[list[tuple[Box, Box]]] = [[], []]
        if strip:
            head = sc.box(
                "legend-strip", "legend", [Line("Layer strip:", z.detail, "text", "bold")], outline="none", pad=1, z=4
            )
            rows[1].append((head, head))
        for i, (fill, stroke, text, shape) in enumerate(items + strip):
            sw = sc.box(
                f"legend-{i + 1}-swatch",
                "legend",
                w=26 if shape == "box" else 12,
                h=16,
                fill=fill,
                stroke=stroke if stroke != "none" else "text",
                stroke_width=s.stroke * (1.8 if stroke == "accent" else 1 if shape == "box" else 0.6),
                radius=3,
                z=4,
            )
            lab = sc.box(f"legend-{i + 1}", "legend", [Line(text, z.detail)], outline="none", pad=1, z=4)
            rows[0 if i < len(items) else 1].append((sw, lab))
        y = y_top
        row_h = Line("X", z.detail).size * s.line + 2
        for row in rows:  # the boxes' key, then the strip's colours; each wraps as it must
            x = x0
            for sw, lab in row:
                need = (sw.w + 6 if sw is not lab else 0) + lab.w + 22
                if x + need - 22 > x0 + width and x > x0:
                    x, y = x0, y - row_h - 6
                if sw is lab:
                    lab.x, lab.y = x, y - row_h
                else:
                    sw.x, sw.y = x, y - row_h / 2 - sw.h / 2
                    lab.x, lab.y = sw.right + 6, y - row_h
                x += need
            if row:
                y -= row_h + 6
        return y + 6

    def footer(self, y_top: float, x0: float, width: float) -> None:
        sc, z = self.sc, self.z
        lines = wrapped(self.d.facts_short if self.compact else self.d.facts, width, z.footer, "text", "bold")
        if not self.compact:
            lines += wrapped(f"Key detail: {self.d.key_detail}", width, z.footer, "accent", "bold")
            for n in self.d.notes:
                lines += wrapped("• " + n, width, z.footer, "muted")
        foot = sc.box(
            "footer", "footer", lines, w=width, outline="none", align="start", pad=0, tooltip=self.d.description
        )
        foot.x, foot.y = x0, y_top - foot.h

    def title(self, x0: float, width: float, top: float, align: Literal["middle", "start"] = "middle") -> Box:
        z, s = self.z, self.s
        head = wrapped(self.d.name, width, z.title, "accent", "bold")
        t = self.sc.box(
            "title",
            "title",
            [*head, *wrapped(self.d.subtitle, width, z.subtitle, "muted")],
            outline="none",
            pad=0,
            align=align,
            tags=("title",),
        )
        t.x, t.y = x0 + width / 2 - t.w / 2, top + s.gap
        return t

    # --- the whole figure --------------------------------------------------------------------

    def build(self) -> Layout:
        sc, s = self.sc, self.s
        builder = StackBuilder(sc, self.d.stack, self.d.strip, self.compact)
        st = builder.build(reserve=None if self.compact else self._count_room)
        if not self.compact:
            self.callouts(st)
            self.count_and_phrase(st)
        self.mtp(st)
        if not self.compact:
            x0, y0, _, _ = sc.bounds()
            panel_x = st.container.right + s.column_gap * 1.5
            full = s.canvas - 2 * s.margin
            column = (panel_x, x0 + full - panel_x)
            below = (x0, panel_x - s.column_gap * 1.5 - x0, y0 - s.gap)
            if column[1] < NARROWEST:  # no room beside a wide stack: every panel goes under it
                column, below = (panel_x, 0.0), (x0, full, y0 - s.gap)
            if self.d.panels:
                self.panels(st, column, below)
        x0, y0, x1, y1 = sc.bounds()
        if self.side is not None:  # title, legend and footer in a column beside the drawing
            x0, full = x1 + 2 * s.column_gap, self.side
            title = self.title(x0, full, y1, align="start")
            title.x, title.y = x0, y1 - title.h
            bottom = title.y - 2 * s.gap
        else:
            full = max(x1 - x0, s.canvas - 2 * s.margin) if not self.compact else x1 - x0
            bottom = y0 - s.gap
        if not self.compact:
            bottom = self.legend(bottom, x0, full) - s.gap
        self.footer(bottom, x0, full)
        if self.side is None:
            self.title(x0, full, y1)
        d = self.d
        return sc.finish(
            d.id,
            d.name,
            d.description,
            d.accent,
            s.margin,
            min_width=0 if self.compact or self.side is not None else s.canvas,
            meta={"model": d.id},
        )

    def _count_room(self, width: float) -> float:
        """Height of the rows above the blocks that hold the count and the phrase, given the
        `width` between the container's left edge and the sublayer column."""
        z, s = self.z, self.s
        count = z.count * s.line + 4
        if not self.d.strip.phrase:
            return count + 6
        lines = wrapped(self.d.strip.phrase, width - 2 * s.pad, z.small, "accent", "bold")
        return count + lines_height(lines, self.style) + 2 + 2 + 6


def _lanes(spans: list[tuple[float, float]], x0: float, x1: float) -> list[float]:
    """An x between x0 and x1 for each vertical run (y from, y to), runs that overlap kept in
    different lanes, so no two zoom lines share a stretch of line."""
    order = sorted(range(len(spans)), key=lambda i: min(spans[i]))
    ends: list[float] = []
    lane_of = [0] * len(spans)
    for i in order:
        lo, hi = sorted(spans[i])
        for k, end in enumerate(ends):
            if end < lo - 12:
                ends[k], lane_of[i] = hi, k
                break
        else:
            ends.append(hi)
            lane_of[i] = len(ends) - 1
    n = max(len(ends), 1)
    step = min(10.0, (x1 - x0) / n)
    return [x1 - step * k for k in lane_of]


def figure_layout(d: Diagram, style: Style = DEFAULT_STYLE, compact: bool = False, side: float | None = None) -> Layout:
    """The figure of a described model as a frozen Layout (compact: the stack only, for posters).
    With `side`, the title, legend and footer stand in a column that wide beside the drawing,
    not above and below it: a landscape or square figure, for slides and cards."""
    return FigureBuilder(d, style, compact, side).build()


__all__ = ["figure_layout", "panel_id"]
