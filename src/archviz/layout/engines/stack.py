"""The main column: tokens, embedding, the canonical blocks (side by side when layers are one of
several wirings), final norm and output head, with residual lanes, side inputs, the brace, the
layer count and the layer strip. Flow runs bottom to top along x = 0."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from archviz.diagram.elements import Stack, Strip
from archviz.layout.builder import Box, Line, Scene
from archviz.layout.engines.block import BlockDrawer
from archviz.layout.engines.strip import layer_strip


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


def layer_count(sc: Scene, layers: int) -> Box:
    """The layer count ('48 ×') that multiplies the blocks."""
    return sc.box(
        "count",
        "count",
        [Line(f"{layers} ×", sc.style.sizes.count, "accent", "bold")],
        outline="none",
        pad=2,
        path="layers",
        tooltip=f"{layers} layers",
        parent="container",
        z=4,
    )


class StackBuilder(BlockDrawer):
    """Builds the stack of one diagram into a Scene."""

    def __init__(self, sc: Scene, stack: Stack, strip: Strip, compact: bool) -> None:
        super().__init__(sc, stack, compact)
        self.strip = strip

    def _column_box(self, id: str, kind: str, lines: list[Line], y: float, parent: str | None, **kw: object) -> Box:
        b = self.sc.box(id, kind, lines, w=self.w, parent=parent, radius=4, **kw)  # type: ignore[arg-type]
        b.x, b.y = -self.w / 2, y
        return b

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
        top_y = max(g.top for g in frames)
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
        s, sc = self.s, self.sc
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
            count = layer_count(sc, self.stack.layers)
            count.x, count.y = brace.x - 4 - count.w, body.cy - count.h / 2
            return count.x
        return brace.x

    def build(self, reserve: Callable[[float], float] | None = None) -> PlacedStack:
        """The whole column, with `reserve(width)` kept above the blocks for the count and phrase,
        given the width left of the sublayer column (callouts widen the container themselves)."""
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
            [Line(self.stack.embedding, z.box)]
            + ([Line(self.stack.embedding_detail, z.small, "muted")] if self.stack.embedding_detail else []),
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
        left = min(self.brace(body) - s.container_pad, -self.w / 2 - s.container_pad)
        y = body.top + s.gap + (reserve(-self.w / 2 - left) if reserve else 0.0)
        if self.stack.final_norm:
            fn = self._norm("final-norm", self.stack.final_norm, "container", 0.0, y, self.w)
            chain.append(fn)
            y = fn.top + s.gap
        out = self._column_box(
            "output",
            "output",
            [Line(self.stack.output, z.box)]
            + ([Line("tied to the embedding", z.small, "muted")] if self.stack.tied and not self.compact else []),
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
