"""One canonical block: its norms, slots (every alternative a mixer or FFN position holds, each
with the swatch of its layers), side inputs, residual adds and lanes, drawn bottom to top."""

from __future__ import annotations

from dataclasses import dataclass

from archviz.diagram.elements import Add, Alternative, Block, NormBox, Parallel, Slot, Stack
from archviz.layout.builder import Box, Line, Scene, lines_height, wrapped

SIDE_SWATCH = 9
"""Side of the colour swatches in a side input shared by some of a slot's alternatives."""


@dataclass
class _Side:
    """A side input of a mixer slot, with the strip colours of the alternatives it feeds
    (none when it feeds them all)."""

    text: str
    kind: str
    path: str
    colours: list[str]

    @property
    def indent(self) -> float:
        """Room for its swatches, left of its text."""
        return len(self.colours) * (SIDE_SWATCH + 2)


def _kind(which: str, a: Alternative) -> str:
    """The shape kind of a mixer or FFN box, from its kind's tags: attention (softmax), mixer
    (linear, state-space), moe or ffn."""
    if which == "mixer":
        return "attention" if "softmax" in a.tags else "mixer"
    return "moe" if "moe" in a.tags else "ffn"


class BlockDrawer:
    """Draws blocks into a Scene; the stack builder (stack.py) places them in the column."""

    def __init__(self, sc: Scene, stack: Stack, compact: bool) -> None:
        self.sc, self.stack, self.compact = sc, stack, compact
        self.s, self.z = sc.style.spacing, sc.style.sizes
        self.w = self.s.sub_width
        """The width of the stack's column (embedding, final norm, output)."""
        self.sources: dict[str, Box] = {}
        """Spec path -> the box that draws it first (zoom lines start there)."""

    def _fit(self, text: str, size: float, role: str, weight: str, width: float) -> list[Line]:
        room = width - 2 * self.s.pad
        return wrapped(text, room, size, role, weight)  # type: ignore[arg-type]

    def _norm(self, id: str, n: NormBox, parent: str, x: float, y: float, w: float) -> Box:
        b = self.sc.box(
            id,
            "norm",
            [Line(n.label, self.z.box)],
            w=w,
            parent=parent,
            radius=4,
            fill="white_fill",
            stroke="accent" if n.special else "white_stroke",
            stroke_width=self.s.stroke * (1.8 if n.special else 1),
            tooltip=n.tooltip,
            path="norm",
            tags=("norm", n.role, *(("special",) if n.special else ())),
        )
        b.x, b.y = x - w / 2, y
        return b

    def _slot(self, id: str, slot: Slot, parent: str, x: float, y: float, w: float) -> Box:
        """A mixer (dark) or FFN (light) box; with several alternatives, one row each with the
        colour swatch of its layers in the strip."""
        s, z = self.s, self.z
        mixer = slot.which == "mixer"
        role, detail_role = ("inverse", "dark_detail") if mixer else ("text", "muted")
        kind = _kind(slot.which, slot.alternatives[0]) if len(slot.alternatives) == 1 else f"{slot.which}-slot"
        tags = slot.alternatives[0].tags if len(slot.alternatives) == 1 else (slot.which, "slot")
        fill, stroke = ("dark_fill", "dark_stroke") if mixer else ("light_fill", "light_stroke")
        if len(slot.alternatives) == 1:
            a = slot.alternatives[0]
            lines = self._fit(a.title, z.box, role, "bold", w) + (
                self._fit(a.detail, z.detail, detail_role, "normal", w) if a.detail else []
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
                _kind(slot.which, a),
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
                            word = max(
                                Line(w, self.z.detail, weight="bold").width for w in side.text.split(" ")
                            )  # a no-break space holds
                            widths.append(max(self.s.side_width, word + 2 * self.s.pad + side.indent))
        return max(widths)

    @staticmethod
    def _slots_of(e: object) -> list[Slot]:
        if isinstance(e, Slot):
            return [e]
        if isinstance(e, Parallel):
            return [e.mixer, e.ffn]
        return []

    def _side_lines(self, side: _Side, side_w: float) -> list[Line]:
        return wrapped(side.text, side_w - 2 * self.s.pad - side.indent, self.z.detail, weight="bold")

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
            special = side.kind in ("qk_norm", "nope", "alibi")
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
                indent=side.indent,
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
                    w=SIDE_SWATCH,
                    h=SIDE_SWATCH,
                    fill=colour,
                    stroke="text",
                    stroke_width=0.8,
                    radius=1.5,
                    parent=b.id,
                    path=side.path,
                    z=4,
                )
                sw.x, sw.y = b.x + s.pad + k * (SIDE_SWATCH + 2), b.cy - SIDE_SWATCH / 2
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
        or when a slot lists four or more alternatives (their names would wrap line after line);
        narrower when blocks themselves do (each layer one of several)."""
        if b.key == "parallel":
            return self.s.sub_width * 1.7
        many = any(len(x.alternatives) >= 4 for e in b.elements for x in self._slots_of(e))
        return self.s.sub_width * (0.8 if len(self.stack.blocks) > 1 else 1.2 if many else 1.0)

    def block_width(self, b: Block, side_w: float) -> tuple[float, float]:
        """(left of the sublayer column's centre, right of it) that the block takes."""
        s, w = self.s, self._width_for(b)
        has_side = side_w > 0 and any(
            self._sides(x) for e in b.elements for x in self._slots_of(e) if x.which == "mixer"
        )
        left = w / 2 + (side_w + 2 * s.block_pad if has_side else s.block_pad + 4)
        return left, w / 2 + s.lane + s.block_pad

    def block(self, b: Block, cx: float, y0: float, side_w: float, parent: str) -> Box:
        """One canonical block with its sublayer column centred on `cx`, bottom at `y0`."""
        s, sc = self.s, self.sc
        bid = f"block-{b.key}"
        left, right = self.block_width(b, side_w)
        w = self._width_for(b)
        y = y0 + s.block_pad + s.gap
        drawn: list[Box | list[Box]] = []
        pending_sides: list[tuple[Slot, Box]] = []
        norms = 0
        for i, e in enumerate(b.elements):
            if isinstance(e, NormBox):
                norms += 1
                box: Box | list[Box] = self._norm(f"{bid}-norm{norms}", e, bid, cx, y, w)
            elif isinstance(e, Add):
                rich = self.stack.residual
                op = sc.operator(f"{bid}-add{i}", "+", bid, f"Residual: {rich}" if rich else "Residual addition")
                op.x, op.y = cx - op.w / 2, y
                op.path, op.tags = ("residual", ("add", "residual")) if rich else ("layers", ("add",))
                box = op
            elif isinstance(e, Slot):
                box = self._slot(f"{bid}-{e.which}", e, bid, cx, y, w)
                if e.which == "mixer":
                    box.h = max(box.h, self._sides_height(e, side_w))
                    pending_sides.append((e, box))
            else:
                half = (w - s.gap) / 2
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
        lane = cx + w / 2 + s.lane
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
