"""The main column: tokens, embedding, the canonical blocks (side by side when layers are one of
several wirings), final norm and output head, with residual lanes, side inputs, the brace, the
layer count and the layer strip. Flow runs bottom to top along x = 0."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from archviz.diagram.elements import Add, Alternative, Block, NormBox, Parallel, Slot, Stack, Strip
from archviz.layout.builder import Box, Line, Scene, lines_height, wrapped
from archviz.layout.engines.strip import layer_strip

SOFTMAX = ("attention", "mla")


@dataclass
class PlacedStack:
    """Handles to what the arranger attaches things to."""

    container: Box
    tokens: Box
    embedding: Box
    output: Box
    body: Box
    """What the brace spans: the block, or the frame around alternative blocks."""
    inp: Box | None = None
    logits: Box | None = None
    sources: dict[str, Box] = field(default_factory=dict)
    """Spec path -> the box that draws it first (zoom lines start there)."""


@dataclass
class _Side:
    text: str
    kind: str
    path: str
    colours: list[str]


def _kind(which: str, kinds: set[str]) -> str:
    """The shape kind of a mixer or FFN box: attention (softmax), mixer (linear), moe or ffn."""
    if which == "mixer":
        return "attention" if kinds <= set(SOFTMAX) else "mixer"
    return "moe" if kinds == {"moe"} else "ffn"


class StackBuilder:
    """Builds the stack of one diagram into a Scene."""

    def __init__(self, sc: Scene, stack: Stack, strip: Strip, compact: bool) -> None:
        self.sc, self.stack, self.strip, self.compact = sc, stack, strip, compact
        self.s, self.z = sc.style.spacing, sc.style.sizes
        self.w = self.s.sub_width
        self.sources: dict[str, Box] = {}

    # --- pieces ------------------------------------------------------------------------------

    def _fit(self, text: str, size: float, role: str, weight: str = "normal", width: float | None = None) -> list[Line]:
        room = (width or self.w) - 2 * self.s.pad
        return wrapped(text, room, size, role, weight)  # type: ignore[arg-type]

    def _column_box(self, id: str, kind: str, lines: list[Line], y: float, parent: str | None, **kw: object) -> Box:
        b = self.sc.box(id, kind, lines, w=self.w, parent=parent, radius=4, **kw)  # type: ignore[arg-type]
        b.x, b.y = -self.w / 2, y
        return b

    def _norm(self, id: str, n: NormBox, parent: str, x: float, y: float) -> Box:
        b = self.sc.box(
            id,
            "norm",
            [Line(n.label, self.z.box)],
            w=self.w,
            parent=parent,
            radius=4,
            fill="white_fill",
            stroke="accent" if n.special else "white_stroke",
            stroke_width=self.s.stroke * (1.8 if n.special else 1),
            tooltip=n.tooltip,
            path="norm",
            tags=("norm", n.role, *(("special",) if n.special else ())),
        )
        b.x, b.y = x - self.w / 2, y
        return b

    def _slot(self, id: str, slot: Slot, parent: str, x: float, y: float, w: float) -> Box:
        """A mixer (dark) or FFN (light) box; with several alternatives, one row each with the
        colour swatch of its layers in the strip."""
        s, z = self.s, self.z
        mixer = slot.which == "mixer"
        role, detail_role = ("inverse", "dark_detail") if mixer else ("text", "muted")
        kind = (
            _kind(slot.which, {a.kind for a in slot.alternatives})
            if len(slot.alternatives) == 1
            else f"{slot.which}-slot"
        )
        tags = slot.alternatives[0].tags if len(slot.alternatives) == 1 else (slot.which, "slot")
        fill, stroke = ("dark_fill", "dark_stroke") if mixer else ("light_fill", "light_stroke")
        if len(slot.alternatives) == 1:
            a = slot.alternatives[0]
            lines = self._fit(a.title, z.box, role, "bold", w) + (
                self._fit(a.detail, z.detail, detail_role, width=w) if a.detail else []
            )
            b = self.sc.box(
                id,
                kind,
                lines,
                w=w,
                parent=parent,
                radius=4,
                tooltip=a.tooltip,
                path=a.path,
                tags=tags,
                fill=fill,
                stroke=stroke,
            )
            b.x, b.y = x - w / 2, y
            self.sources.setdefault(a.path, b)
            return b
        sw = 12.0
        rows: list[tuple[Alternative, list[Line]]] = []
        for a in slot.alternatives:
            room = w - 2 * s.pad - sw - 6
            lines = wrapped(a.title, room, z.detail + 1, role, "bold")
            sub = " · ".join(p for p in (a.detail, a.share) if p)
            lines += wrapped(sub, room, z.small, detail_role) if sub else []
            rows.append((a, lines))
        heights = [lines_height(ln, self.sc.style) + 8 for _, ln in rows]
        b = self.sc.box(
            id,
            kind,
            w=w,
            h=sum(heights) + 2 * s.pad - 8 + 4 * (len(rows) - 1),
            parent=parent,
            radius=4,
            tooltip=" / ".join(a.tooltip for a in slot.alternatives),
            path=slot.path,
            tags=tags,
            fill=fill,
            stroke=stroke,
        )
        b.x, b.y = x - w / 2, y
        top = b.top - s.pad + 4
        for (a, lines), h in zip(rows, heights, strict=True):
            row = self.sc.box(
                f"{id}-{a.name}",
                _kind(slot.which, {a.kind}),
                lines,
                w=w - 2 * s.pad + 8,
                h=h,
                outline="none",
                align="start",
                pad=4,
                indent=sw + 6,
                parent=id,
                path=a.path,
                tags=a.tags,
                tooltip=f"{a.tooltip}: {a.share}",
            )
            row.x, row.y = b.x + s.pad - 4, top - h
            swatch = self.sc.box(
                f"{id}-{a.name}-swatch",
                "swatch",
                w=sw,
                h=sw,
                fill=a.colour or ("dark_fill" if mixer else "light_fill"),
                stroke="inverse" if mixer else "text",
                stroke_width=1,
                radius=2,
                parent=row.id,
                path=a.path,
                z=4,
            )
            first = lines[0]
            swatch.x, swatch.y = row.x + 4, row.top - 4 - first.size * s.line / 2 - sw / 2
            self.sources.setdefault(a.path, row)
            top -= h + 4
        return b

    def _sides(self, slot: Slot) -> list[_Side]:
        out: dict[tuple[str, str], _Side] = {}
        for a in slot.alternatives:
            for si in a.side:
                entry = out.setdefault((si.text, si.kind), _Side(si.text, si.kind, si.path, []))
                entry.colours.append(a.colour)
        everyone = len(slot.alternatives)
        for e in out.values():
            if len(e.colours) == everyone:
                e.colours = []
        return list(out.values())

    def side_width(self, blocks: tuple[Block, ...]) -> float:
        widths = [0.0]
        for b in blocks:
            for e in b.elements:
                for slot in self._slots_of(e):
                    if slot.which == "mixer":
                        for side in self._sides(slot):
                            indent = len(side.colours) * 11
                            word = max(Line(w, self.z.detail, weight="bold").width for w in side.text.split())
                            widths.append(max(self.s.side_width, word + 2 * self.s.pad + indent))
        return max(widths)

    @staticmethod
    def _slots_of(e: object) -> list[Slot]:
        if isinstance(e, Slot):
            return [e]
        if isinstance(e, Parallel):
            return [e.mixer, e.ffn]
        return []

    def _side_lines(self, side: _Side, side_w: float) -> list[Line]:
        indent = len(side.colours) * 11
        return wrapped(side.text, side_w - 2 * self.s.pad - indent, self.z.detail, weight="bold")

    def _sides_height(self, slot: Slot, side_w: float) -> float:
        """How tall the side inputs of a mixer slot stand (the slot is at least that tall)."""
        sides = self._sides(slot)
        if not sides:
            return 0.0
        hs = [lines_height(self._side_lines(x, side_w), self.sc.style) + 2 * self.s.pad for x in sides]
        return sum(hs) + 6 * (len(hs) - 1) + 8

    def _side_inputs(self, slot: Slot, target: Box, parent: str, side_w: float) -> None:
        s = self.s
        sides = self._sides(slot)
        boxes = []
        for i, side in enumerate(sides):
            indent = len(side.colours) * 11
            special = side.kind in ("qk_norm", "nope")
            b = self.sc.box(
                f"{target.id}-side{i + 1}",
                "norm" if side.kind == "qk_norm" else "rope",
                self._side_lines(side, side_w),
                w=side_w,
                fill="white_fill",
                radius=4,
                parent=parent,
                stroke="accent" if special else "white_stroke",
                stroke_width=s.stroke * (1.5 if special else 1),
                dash="dashed" if side.kind == "nope" else "solid",
                indent=indent,
                tooltip=side.text,
                path=side.path,
                tags=("side", side.kind, *(("norm", "qk_norm") if side.kind == "qk_norm" else ())),
            )
            boxes.append((b, side))
        total = sum(b.h for b, _ in boxes) + 6 * max(0, len(boxes) - 1)
        y = target.cy + total / 2
        for b, side in boxes:
            b.x, b.y = target.x - s.block_pad - side_w, y - b.h
            y = b.y - 6
            for k, colour in enumerate(side.colours):
                sw = self.sc.box(
                    f"{b.id}-swatch{k + 1}",
                    "swatch",
                    w=9,
                    h=9,
                    fill=colour,
                    stroke="text",
                    stroke_width=0.8,
                    radius=1.5,
                    parent=b.id,
                    path=side.path,
                    z=4,
                )
                sw.x, sw.y = b.x + s.pad + k * 11, b.cy - 4.5
            self.sc.connect(
                f"{b.id}-in",
                [(b.right, b.cy), (target.x, b.cy)],
                source=b.id,
                target=target.id,
                width=s.flow * 0.8,
                path=side.path,
            )

    # --- a block -----------------------------------------------------------------------------

    def _width_for(self, b: Block) -> float:
        """The sublayer column's width in block `b`: wider when mixer and FFN sit side by side,
        narrower when blocks themselves do (each layer one of several)."""
        if b.key == "parallel":
            return self.s.sub_width * 1.7
        return self.s.sub_width * (0.8 if len(self.stack.blocks) > 1 else 1.0)

    def block_width(self, b: Block, side_w: float) -> tuple[float, float]:
        """(left of the sublayer column's centre, right of it) that the block takes."""
        s = self.s
        self.w = self._width_for(b)
        has_side = side_w > 0 and any(
            self._sides(x) for e in b.elements for x in self._slots_of(e) if x.which == "mixer"
        )
        left = self.w / 2 + (side_w + 2 * s.block_pad if has_side else s.block_pad + 4)
        right = self.w / 2 + s.lane + s.block_pad
        self.w = s.sub_width
        return left, right

    def block(self, b: Block, cx: float, y0: float, side_w: float, parent: str) -> Box:
        """One canonical block with its sublayer column centred on `cx`, bottom at `y0`."""
        s = self.s
        bid = f"block-{b.key}"
        left, right = self.block_width(b, side_w)
        self.w = self._width_for(b)
        try:
            return self._block(b, bid, cx, y0, side_w, parent, left, right)
        finally:
            self.w = s.sub_width

    def _block(
        self, b: Block, bid: str, cx: float, y0: float, side_w: float, parent: str, left: float, right: float
    ) -> Box:
        s, sc = self.s, self.sc
        y = y0 + s.block_pad + s.gap
        drawn: list[Box | list[Box]] = []
        pending_sides: list[tuple[Slot, Box]] = []
        norms = 0
        for i, e in enumerate(b.elements):
            if isinstance(e, NormBox):
                norms += 1
                box: Box | list[Box] = self._norm(f"{bid}-norm{norms}", e, bid, cx, y)
            elif isinstance(e, Add):
                op = sc.operator(f"{bid}-add{i}", "+", bid, "Residual addition")
                op.x, op.y = cx - op.w / 2, y
                op.path, op.tags = "layers", ("add",)
                box = op
            elif isinstance(e, Slot):
                box = self._slot(f"{bid}-{e.which}", e, bid, cx, y, self.w)
                if e.which == "mixer":
                    box.h = max(box.h, self._sides_height(e, side_w))
                    pending_sides.append((e, box))
            else:
                half = (self.w - s.gap) / 2
                ffn = self._slot(f"{bid}-ffn", e.ffn, bid, cx + s.gap / 2 + half / 2, y, half)
                mixer = self._slot(f"{bid}-mixer", e.mixer, bid, cx - s.gap / 2 - half / 2, y, half)
                ffn.h = mixer.h = max(ffn.h, mixer.h, self._sides_height(e.mixer, side_w))
                pending_sides.append((e.mixer, mixer))
                box = [mixer, ffn]
            drawn.append(box)
            top = max(x.top for x in box) if isinstance(box, list) else box.top
            y = top + s.gap
        if len(self.stack.blocks) > 1 and not self.compact:  # which kind of layer this is, left of the flow
            room = left - s.block_pad - 16
            text = f"{b.title} · {len(b.layers)}\u00a0layers"
            header = sc.box(
                f"{bid}-header",
                "block-header",
                wrapped(text, room, self.z.small, "text", "bold"),
                outline="none",
                pad=1,
                parent=bid,
                path="layers",
                align="start",
            )
            header.x, header.y = cx - left + s.block_pad, y - s.gap + 6
            y = max(y, header.top + s.gap)
        y = y - s.gap + s.block_pad
        frame = sc.box(
            bid,
            "block",
            w=left + right,
            h=y - y0,
            fill="accent_fill",
            stroke="block_stroke",
            stroke_width=s.stroke,
            radius=s.radius * 1.5,
            parent=parent,
            tooltip=f"{len(b.layers)} layers: {b.title.lower()}",
            path="layers",
            tags=("block", b.key),
            z=1,
        )
        frame.x, frame.y = cx - left, y0
        for slot, target in pending_sides:
            self._side_inputs(slot, target, bid, side_w)
        # The flow through the block, bottom edge to top edge.
        prev: list[tuple[float, float, str]] = [(cx, frame.y, frame.id)]
        incoming: list[tuple[str, float, float]] = []
        for box in drawn:
            heads = box if isinstance(box, list) else [box]
            first = None
            for h in heads:
                for px, py, pid in prev:
                    cid = f"{h.id}-in" if len(prev) == 1 else f"{h.id}-from-{pid}"
                    mid = (py + h.y) / 2
                    pts = (
                        [(px, py), (h.cx, h.y)]
                        if abs(px - h.cx) < 0.01
                        else [(px, py), (px, mid), (h.cx, mid), (h.cx, h.y)]
                    )
                    sc.connect(cid, pts, source=pid, target=h.id, width=s.flow, path="layers")
                    first = first or (cid, py, pts[1][1])
            assert first is not None
            incoming.append(first)
            prev = [(h.cx, h.top, h.id) for h in heads]
        for px, py, pid in prev:
            sc.connect(
                f"{bid}-out", [(px, py), (cx, frame.top)], source=pid, target=frame.id, width=s.flow, path="layers"
            )
        lane = cx + self.w / 2 + s.lane
        for start, add_index in b.residuals:
            add = drawn[add_index]
            assert isinstance(add, Box)
            cid, ya, yb = incoming[start]
            ym = (ya + yb) / 2
            sc.connect(
                f"{add.id}-skip",
                [(cx, ym), (lane, ym), (lane, add.cy), (add.right, add.cy)],
                kind="residual",
                role="residual",
                source=cid,
                target=add.id,
                width=s.flow,
                path="layers",
            )
        return frame

    # --- the whole column --------------------------------------------------------------------

    def body(self, y0: float, side_w: float) -> Box:
        """The blocks: one, or several side by side in a frame (each layer is one of them)."""
        blocks = self.stack.blocks
        if len(blocks) == 1:
            return self.block(blocks[0], 0.0, y0, side_w, "container")
        s, sc = self.s, self.sc
        widths = [self.block_width(b, side_w) for b in blocks]
        gap = max(s.column_gap * (1.0 if self.compact else 2.0), Line("or", self.z.detail, weight="bold").width + 14)
        total = sum(a + b for a, b in widths) + gap * (len(blocks) - 1)
        x = -total / 2
        pad = s.block_pad
        frames = []
        mark = sc.mark()
        for b, (left, right) in zip(blocks, widths, strict=True):
            frames.append(self.block(b, x + left, y0 + pad + s.gap, side_w, "layer-choice"))
            x += left + right + gap
        height = max(f.top for f in frames) - y0 + pad
        label = sc.box(
            "layer-choice-label",
            "choice-label",
            [Line("Each layer is one of these:", self.z.detail, "text", "bold")],
            outline="none",
            pad=1,
            parent="layer-choice",
        )
        choice = sc.box(
            "layer-choice",
            "layer-choice",
            w=total + 2 * pad,
            h=height + label.h + 4,
            fill="none",
            stroke="block_stroke",
            dash="dashed",
            stroke_width=s.stroke,
            radius=s.radius * 2,
            parent="container",
            path="layers",
            tooltip="Each layer is one of these; the strip shows which",
            z=1,
        )
        choice.x, choice.y = -total / 2 - pad, y0
        label.x, label.y = choice.x + pad, choice.top - label.h - 4
        del mark
        for lo, hi in itertools.pairwise(frames):  # "or" between the alternatives
            word = sc.box(
                f"{hi.id}-or",
                "choice-label",
                [Line("or", self.z.detail, "text", "bold")],
                outline="none",
                pad=1,
                parent="layer-choice",
                path="layers",
            )
            word.x, word.y = (lo.right + hi.x) / 2 - word.w / 2, (lo.cy + hi.cy) / 2 - word.h / 2
        for f in frames:  # dashed: a layer takes one of these ways, not all of them
            sc.connect(
                f"{f.id}-enter",
                [(0.0, choice.y), (0.0, choice.y + s.gap / 2), (f.cx, choice.y + s.gap / 2), (f.cx, f.y)],
                source=choice.id,
                target=f.id,
                width=s.flow,
                dash="dashed",
                path="layers",
            )
            top_y = max(g.top for g in frames)
            sc.connect(
                f"{f.id}-leave",
                [(f.cx, f.top), (f.cx, top_y + pad / 2), (0.0, top_y + pad / 2), (0.0, choice.top)],
                source=f.id,
                target=choice.id,
                width=s.flow,
                dash="dashed",
                path="layers",
            )
        return choice

    def brace(self, body: Box) -> float:
        """Brace and strip to the left of the body (and the layer count beside the brace in
        compact figures; full ones put it above); returns their left edge."""
        s, sc, z = self.s, self.sc, self.z
        mark = sc.mark()
        used = layer_strip(sc, self.strip, body.h - 8, "layer", "container")
        end = sc.mark()
        strip_right = body.x - 8
        sc.shift(mark, strip_right, body.y + 4, end)
        brace = sc.box(
            "brace",
            "brace",
            w=s.brace_width,
            h=body.h - 4,
            outline="brace",
            stroke="accent",
            stroke_width=2.2,
            parent="container",
            path="layers",
        )
        brace.x, brace.y = strip_right - used - 8 - s.brace_width, body.y + 2
        if self.compact:
            count = sc.box(
                "count",
                "count",
                [Line(f"{self.stack.layers} ×", z.count, "accent", "bold")],
                outline="none",
                parent="container",
                pad=2,
                path="layers",
                tooltip=f"{self.stack.layers} layers",
            )
            count.x, count.y = brace.x - 4 - count.w, body.cy - count.h / 2
            return count.x
        return brace.x

    def build(self, callout_room: float = 0.0, reserve: Callable[[float], float] | None = None) -> PlacedStack:
        """The whole column; `callout_room` is kept free left of the boxes for callouts, and
        `reserve(width)` above the blocks for the count and phrase, given the width left of the
        sublayer column."""
        s, sc, z = self.s, self.sc, self.z
        y0 = 0.0
        inp = None
        if not self.compact:
            inp = sc.box(
                "input", "input", [Line(self.stack.input_text, z.detail, "muted", family="mono")], outline="none", pad=2
            )
            inp.x, inp.y = -inp.w / 2, 0
            y0 = inp.top + s.gap
        tokens = self._column_box(
            "tokens",
            "tokens",
            [Line("Tokenized text", z.box)],
            y0,
            None,
            fill="white_fill",
            stroke="white_stroke",
            tooltip="Token ids",
            path="vocab_size",
        )
        if inp is not None:
            sc.connect("input-flow", [(0, inp.top), (0, tokens.y)], source=inp.id, target=tokens.id, width=s.flow)
        cy0 = tokens.top + s.gap
        y = cy0 + s.container_pad
        emb = self._column_box(
            "embedding",
            "embedding",
            [Line(self.stack.embedding, z.box)],
            y,
            "container",
            fill="light_fill",
            stroke="light_stroke",
            tooltip="Token embedding",
            path="hidden_size",
            tags=("embedding",),
        )
        chain: list[Box] = [emb]
        y = emb.top + s.gap
        if self.stack.positions:
            add = sc.operator("embedding-add", "+", "container", "Token and position embeddings added")
            add.path = "positions"
            add.x, add.y = -add.w / 2, y
            pos = sc.box(
                "positions",
                "embedding",
                [Line("Positional embedding", z.detail), Line(self.stack.positions, z.small)],
                fill="light_fill",
                stroke="light_stroke",
                radius=4,
                parent="container",
                tooltip="Learned absolute position embedding",
                path="positions",
                tags=("positions",),
            )
            lift = max(0.0, (pos.h - add.h) / 2 - s.gap + 4)
            add.y += lift
            pos.x, pos.y = add.right + 2 * s.gap, add.cy - pos.h / 2
            sc.connect(
                "positions-add",
                [(pos.x, add.cy), (add.right, add.cy)],
                source=pos.id,
                target=add.id,
                width=s.flow,
                path="positions",
            )
            chain.append(add)
            y = add.top + lift + s.gap
        if self.stack.dropout:
            d = self._column_box(
                "dropout",
                "dropout",
                [Line(f"Dropout ({self.stack.dropout:g})", z.box)],
                y,
                "container",
                fill="white_fill",
                stroke="white_stroke",
                dash="dashed",
                tooltip="Dropout",
                path="dropout",
            )
            chain.append(d)
            y = d.top + s.gap
        side_w = self.side_width(self.stack.blocks)
        body = self.body(y, side_w)
        chain.append(body)
        left = min(self.brace(body) - s.container_pad, -self.w / 2 - callout_room - s.container_pad)
        y = body.top + s.gap + (reserve(-self.w / 2 - left) if reserve else 0.0)
        if self.stack.final_norm:
            fn = self._norm("final-norm", self.stack.final_norm, "container", 0.0, y)
            chain.append(fn)
            y = fn.top + s.gap
        out = self._column_box(
            "output",
            "output",
            [Line(self.stack.output, z.box)]
            + (
                [Line("weights tied to the embedding", z.small, "muted")]
                if self.stack.tied and not self.compact
                else []
            ),
            y,
            "container",
            fill="light_fill",
            stroke="light_stroke",
            tooltip="Output head" + (" (tied to the embedding)" if self.stack.tied else ""),
            path="vocab_size",
            tags=("output", *(("tied",) if self.stack.tied else ())),
        )
        chain.append(out)
        top = out.top + s.container_pad
        right = max(b.right for b in sc.boxes if b.parent in ("container", "layer-choice")) + s.container_pad
        container = sc.box(
            "container",
            "container",
            w=right - left,
            h=top - cy0,
            fill="container_fill",
            stroke="container_stroke",
            stroke_width=s.stroke,
            radius=s.radius * 2,
            tooltip=f"{self.stack.layers} layers",
            path="layers",
            z=0,
        )
        container.x, container.y = left, cy0
        sc.connect("tokens-flow", [(0, tokens.top), (0, emb.y)], source=tokens.id, target=emb.id, width=s.flow)
        for a, b in itertools.pairwise(chain):
            sc.connect(f"{b.id}-flow", [(0, a.top), (0, b.y)], source=a.id, target=b.id, width=s.flow)
        logits = None
        if not self.compact:
            logits = sc.box("logits", "logits", [Line("Next-token scores", z.detail, "muted")], outline="none", pad=2)
            logits.x, logits.y = -logits.w / 2, top + s.gap
            sc.connect("logits-flow", [(0, out.top), (0, logits.y)], source=out.id, target=logits.id, width=s.flow)
        return PlacedStack(container, tokens, emb, out, body, inp, logits, self.sources)
