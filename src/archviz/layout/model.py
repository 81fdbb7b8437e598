"""Lay out one model's architecture figure: the stack, its blocks, zoom-in panels, annotations.

Columns, left to right: context note | brace and count | block (side inputs, sublayers, residual
lane) | annotations | zoom-in panels. Flow runs bottom to top along the sublayer axis (x = 0).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from archviz import numbers as fmt
from archviz.facts.describe import (
    BlockKind,
    activation_name,
    attention_variant,
    block_kinds,
    kind_label,
    mixer_title,
)
from archviz.layout import surround
from archviz.layout.builder import Box, Line, Scene, lines_height, wrapped
from archviz.layout.geometry import Layout
from archviz.spec.loader import Spec
from archviz.spec.models import MLA, MLP, Attention, ModelSpec, MoE
from archviz.style import DEFAULT_STYLE, Style, accent_for

INPUT_TEXT = "Tokens in, next token out"


@dataclass
class Built:
    """Handles to what later steps attach to."""

    first_mixer: dict[str, Box]
    first_ffn: dict[str, Box]
    embedding: Box
    output: Box
    tokens: Box


class ModelFigure:
    """Builds the Scene for one spec; `layout()` returns the frozen Layout."""

    def __init__(self, spec: Spec, style: Style = DEFAULT_STYLE, compact: bool = False) -> None:
        self.spec = spec
        self.compact = compact
        """Compact figures (poster panels) keep the stack and the key facts, without zoom-in
        panels, dimension labels, notes or provenance."""
        self.m: ModelSpec = spec.model
        self.style = style
        self.s = style.spacing
        self.z = style.sizes
        self.sc = Scene(style)
        self.kinds = block_kinds(self.m)
        self.many = len(self.kinds) > 1
        self.w = self._sub_width()
        self.side_w = self._side_width()

    # --- sizes ---------------------------------------------------------------------------

    def _sub_width(self) -> float:
        """Sublayer boxes share one width: the default, or wider when a title needs it (compact
        figures wrap the title instead)."""
        if self.compact:
            return self.s.sub_width
        widest = max((Line(mixer_title(m), self.z.box, weight="bold").width for m in self.m.mixers.values()), default=0)
        return max(self.s.sub_width, widest + 2 * self.s.pad + 8)

    def _side_width(self) -> float:
        labels = [ln.text for k in self.kinds if k.mixer for ln in self._side_lines(self.m.mixers[k.mixer])]
        if not labels:
            return 0.0
        return max(self.s.side_width, *(Line(t, self.z.small, weight="bold").width + 2 * self.s.pad for t in labels))

    @property
    def lane_x(self) -> float:
        return self.w / 2 + self.s.lane

    @property
    def block_left(self) -> float:
        return -self.w / 2 - (self.side_w + 2 * self.s.block_pad if self.side_w else self.s.block_pad + 4)

    @property
    def block_right(self) -> float:
        return self.lane_x + self.s.block_pad

    @property
    def _per_layer_theta(self) -> bool:
        """Whether some kind of layer has its own RoPE base (Gemma 3: 10k local, 1M global)."""
        return any(getattr(m, "rope_theta", None) for m in self.m.mixers.values())

    @property
    def _mixed_attention(self) -> bool:
        """Whether the stack has more than one kind of mixer (then 'global' says something)."""
        return len({k.mixer for k in self.kinds if k.mixer}) > 1

    # --- text for the parts --------------------------------------------------------------

    def _side_lines(self, mixer: object) -> list[Line]:
        """Side inputs drawn left of a mixer: RoPE / partial RoPE / NoPE and QK-norm."""
        z = self.z.small
        out: list[Line] = []
        if isinstance(mixer, Attention | MLA):
            if self.m.positions == "learned":
                pass  # positions were added once, at the embedding
            elif not mixer.rope or self.m.positions == "none":
                out.append(Line("NoPE", z, weight="bold"))
            elif isinstance(mixer, MLA):
                out.append(Line(f"RoPE ({mixer.qk_rope_head_dim}-d)", z, weight="bold"))
            elif self.m.rope and self.m.rope.partial < 1:
                out.append(Line(f"Partial RoPE ({self.m.rope.partial:.0%})", z, weight="bold"))
            elif self._per_layer_theta and self.m.rope:  # say which base each kind of layer uses
                theta = getattr(mixer, "rope_theta", None) or self.m.rope.theta
                out.append(Line(f"RoPE θ {fmt.count(theta)}", z, weight="bold"))
            else:
                out.append(Line("RoPE", z, weight="bold"))
            qk = self.m.norm.qk_norm if not isinstance(mixer, Attention) or mixer.qk_norm is None else mixer.qk_norm
            if qk and isinstance(mixer, Attention):
                out.append(Line("QK-Norm", z, weight="bold"))
        return out

    def _mixer_detail(self, mixer: object) -> str:
        if isinstance(mixer, Attention):
            if mixer.window:
                d = f"sliding window {mixer.window:,}"
            elif mixer.chunk:
                d = f"chunked, {mixer.chunk:,} tokens"
            else:
                d = "global" if self._mixed_attention else ""
            if mixer.sinks:
                d += " · sinks" if d else "attention sinks"
            return d
        if isinstance(mixer, MLA):
            return f"latent {mixer.kv_lora_rank}, {mixer.heads} heads"
        return "linear, fixed-size state"

    def _ffn_lines(self, f: object) -> list[Line]:
        if isinstance(f, MoE):
            shared = f", {f.shared_experts} shared" if f.shared_experts else ""
            return [
                Line("Mixture of experts", self.z.box, weight="bold"),
                Line(f"{f.experts} experts, top-{f.top_k}{shared}", self.z.detail),
            ]
        assert isinstance(f, MLP)
        return [
            Line("Feed forward", self.z.box, weight="bold"),
            Line(activation_name(f.activation, f.gated), self.z.detail),
        ]

    # --- the stack -----------------------------------------------------------------------

    def _element(
        self, id: str, kind: str, lines: list[Line], parent: str, y: float, x: float | None = None, **kw: Any
    ) -> Box:
        """A sublayer-column box; lines too wide for the column are wrapped."""
        room = self.w - 2 * self.s.pad
        fitted = [
            w
            for ln in lines
            for w in (wrapped(ln.text, room, ln.size, ln.role, ln.weight, ln.family) if ln.width > room else [ln])
        ]
        if "h" in kw:
            kw["h"] = max(float(kw["h"]), lines_height(fitted, self.style) + 2 * self.s.pad)
        b = self.sc.box(id, kind, fitted, w=self.w, parent=parent, radius=4, **kw)
        b.x, b.y = (-self.w / 2 if x is None else x), y
        return b

    def _norm(self, id: str, parent: str, y: float, special: bool, where: str) -> Box:
        name = "RMSNorm" if self.m.norm.kind == "rmsnorm" else "LayerNorm"
        return self._element(
            id,
            "norm",
            [Line(name, self.z.box)],
            parent,
            y,
            fill="white_fill",
            stroke="accent" if special else "white_stroke",
            stroke_width=2.2 if special else 1.2,
            tooltip=f"{name} ({where})",
        )

    def _add(self, id: str, parent: str, y: float) -> Box:
        b = self.sc.operator(id, "+", parent, "Residual addition")
        b.x, b.y = -b.w / 2, y
        return b

    def _sublayer(
        self, kind: BlockKind, which: str, parent: str, y: float, x: float | None = None, min_h: float = 0.0
    ) -> Box:
        """The mixer or FFN box of a block (with its side inputs for mixers)."""
        s = self.s
        base = f"{parent}-{which}"
        if which == "mixer":
            mixer = self.m.mixers[kind.mixer or ""]
            side = self._side_lines(mixer)
            detail = self._mixer_detail(mixer)
            title = mixer_title(mixer)
            if any(Line(w, self.z.box, weight="bold").width > self.w - 2 * s.pad for w in title.split()):
                title = mixer_title(mixer, short=True)  # a narrow (parallel) box takes the short name
            lines = [Line(title, self.z.box, "inverse", "bold")]
            lines += [Line(detail, self.z.detail, "dark_detail")] if detail else []
            side_h = len(side) * (self.z.small * s.line + 2 * s.pad) + max(0, len(side) - 1) * 6
            h = max(sum(ln.size * s.line for ln in lines) + 2 * s.pad, side_h + 8, min_h)
            variant = attention_variant(mixer) if isinstance(mixer, Attention) else mixer.kind
            b = self._element(
                base,
                "attention" if isinstance(mixer, Attention | MLA) else "mixer",
                lines,
                parent,
                y,
                x,
                h=h,
                fill="dark_fill",
                stroke="dark_stroke",
                tooltip=f"{mixer_title(mixer)} ({variant}); mixer '{kind.mixer}'",
            )
            sy = b.cy + side_h / 2
            for i, ln in enumerate(side):
                sb = self.sc.box(
                    f"{base}-side{i + 1}",
                    "norm" if ln.text == "QK-Norm" else "rope",
                    [ln],
                    w=self.side_w,
                    fill="white_fill",
                    radius=4,
                    parent=parent,
                    stroke="accent" if ln.text in ("QK-Norm", "NoPE") else "white_stroke",
                    dash="dashed" if ln.text == "NoPE" else "solid",
                    tooltip=ln.text,
                )
                sb.x = b.x - s.block_pad - self.side_w
                sb.y = sy - sb.h
                sy = sb.y - 6
                self.sc.connect(f"{sb.id}-in", [(sb.right, sb.cy), (b.x, sb.cy)], source=sb.id, target=b.id, width=1.2)
            return b
        f = self.m.ffns[kind.ffn or ""]
        return self._element(
            base,
            "moe" if isinstance(f, MoE) else "ffn",
            self._ffn_lines(f),
            parent,
            y,
            x,
            fill="light_fill",
            stroke="light_stroke",
            tooltip=f"{self._ffn_lines(f)[0].text}: {self._ffn_lines(f)[1].text}; ffn '{kind.ffn}'",
        )

    def _block(self, kind: BlockKind, y0: float, built: Built) -> Box:
        """One block kind: its sublayers in true norm placement, residuals, brace and count."""
        s, sc = self.s, self.sc
        bid = f"block-{kind.key}"
        placement = self.m.norm.placement
        y = y0 + s.block_pad + s.gap
        elements: list[Box] = []
        residuals: list[tuple[int, Box]] = []  # (index of first element of the sublayer, its add)
        subs = ["mixer", "ffn"] if not kind.parallel else ["parallel"]
        subs = [w for w in subs if w == "parallel" or getattr(kind, w)]
        for n, which in enumerate(subs, 1):
            start = len(elements)
            if placement in ("pre", "sandwich"):
                elements.append(self._norm(f"{bid}-norm{n}", bid, y, False, "before the sublayer"))
                y = elements[-1].top + s.gap
            if which == "parallel":
                elements.append(self._parallel(kind, bid, y))
                for child in self._parallel_children(elements[-1]):
                    target = built.first_mixer if child.id.endswith("-mixer") else built.first_ffn
                    target.setdefault(str(kind.mixer if child.id.endswith("-mixer") else kind.ffn), child)
            else:
                elements.append(self._sublayer(kind, which, bid, y))
                target = built.first_mixer if which == "mixer" else built.first_ffn
                target.setdefault(str(getattr(kind, which)), elements[-1])
            y = elements[-1].top + s.gap
            if placement in ("inside_post", "sandwich"):
                where = "after the sublayer, inside the residual"
                elements.append(self._norm(f"{bid}-postnorm{n}", bid, y, True, where))
                y = elements[-1].top + s.gap
            add = self._add(f"{bid}-add{n}", bid, y)
            elements.append(add)
            residuals.append((start, add))
            y = add.top + s.gap
            if placement == "post":
                elements.append(self._norm(f"{bid}-norm{n}", bid, y, False, "after the residual addition"))
                y = elements[-1].top + s.gap
        y = y - s.gap + s.block_pad
        block = sc.box(
            bid,
            "block",
            w=self.block_right - self.block_left,
            h=y - y0,
            fill="accent_fill",
            stroke="block_stroke",
            radius=s.radius * 1.5,
            parent="container",
            tooltip=f"{kind.count} × {kind_label(self.m, kind)} block",
        )
        block.x, block.y = self.block_left, y0
        # Flow through the block, bottom edge to top edge; remember each element's incoming segment.
        prev: list[tuple[float, float, str]] = [(0.0, block.y, block.id)]
        incoming: list[tuple[str, float, float]] = []
        for e in elements:
            heads = self._parallel_children(e) if e.kind == "parallel" else [e]
            first = None
            for h in heads:
                for px, py, pid in prev:
                    cid = f"{h.id}-in" if len(prev) == 1 else f"{h.id}-from-{pid}"
                    mid = (py + h.y) / 2
                    pts = [(px, py), (h.cx, h.y)] if px == h.cx else [(px, py), (px, mid), (h.cx, mid), (h.cx, h.y)]
                    sc.connect(cid, pts, source=pid, target=h.id)
                    first = first or (cid, py, pts[1][1])
            assert first is not None
            incoming.append(first)
            prev = [(h.cx, h.top, h.id) for h in heads]
        for px, py, pid in prev:
            sc.connect(f"{bid}-out", [(px, py), (0.0, block.top)], source=pid, target=block.id)
        for start, add in residuals:
            cid, ya, yb = incoming[start]
            ym = (ya + yb) / 2
            sc.connect(
                f"{add.id}-skip",
                [(0.0, ym), (self.lane_x, ym), (self.lane_x, add.cy), (add.right, add.cy)],
                kind="residual",
                role="residual",
                source=cid,
                target=add.id,
            )
        self._brace(block, kind)
        return block

    def _parallel(self, kind: BlockKind, bid: str, y: float) -> Box:
        """Mixer and FFN side by side, reading one normed input (GPT-J, PaLM style)."""
        full = self.w
        self.w = (full - self.s.gap) / 2
        try:
            ffn = self._sublayer(kind, "ffn", bid, y, x=self.s.gap / 2)
            mixer = self._sublayer(kind, "mixer", bid, y, x=-full / 2, min_h=ffn.h)
        finally:
            self.w = full
        ffn.h = mixer.h
        group = self.sc.box(f"{bid}-parallel", "parallel", w=full, h=mixer.h, outline="none", parent=bid)
        group.x, group.y = -full / 2, y
        mixer.parent = ffn.parent = group.id
        return group

    def _parallel_children(self, group: Box) -> list[Box]:
        return [b for b in self.sc.boxes if b.parent == group.id]

    def _brace(self, block: Box, kind: BlockKind) -> None:
        s = self.s
        brace = self.sc.box(
            f"{block.id}-brace",
            "brace",
            w=s.brace_width,
            h=block.h - 8,
            outline="brace",
            stroke="accent",
            stroke_width=2,
            parent="container",
        )
        brace.x, brace.y = block.x - 6 - s.brace_width, block.y + 4
        lines = [Line(f"{kind.count} ×", self.z.count, "accent", "bold")]
        if self.many:
            lines += wrapped(kind_label(self.m, kind), 118, self.z.detail, "accent", "bold")
        count = self.sc.box(
            f"{block.id}-count",
            "count",
            lines,
            outline="none",
            parent="container",
            pad=2,
            tooltip=f"{kind.count} layers of this kind: {kind_label(self.m, kind)}",
        )
        count.x, count.y = brace.x - 4 - count.w, block.cy - count.h / 2

    def _stacked(self, id: str, kind: str, lines: list[Line], y: float, parent: str | None, **kw: Any) -> Box:
        b = self.sc.box(id, kind, lines, w=self.w, parent=parent, radius=4, **kw)
        b.x, b.y = -self.w / 2, y
        return b

    def _main(self) -> Built:
        s, sc, z = self.s, self.sc, self.z
        y0 = 0.0
        if not self.compact:
            inp = sc.box("input", "input", [Line(INPUT_TEXT, z.detail, "muted", family="mono")], outline="none", pad=2)
            inp.x, inp.y = -inp.w / 2, 0
            y0 = inp.top + s.gap
        tokens = self._stacked(
            "tokens",
            "tokens",
            [Line("Tokenized text", z.box)],
            y0,
            None,
            fill="white_fill",
            stroke="white_stroke",
            tooltip="Token ids",
        )
        if not self.compact:
            sc.connect("input-flow", [(0, inp.top), (0, tokens.y)], source=inp.id, target=tokens.id)
        cy0 = tokens.top + s.gap
        y = cy0 + s.container_pad
        emb = self._stacked(
            "embedding",
            "embedding",
            [Line("Token embedding layer", z.box)],
            y,
            "container",
            fill="light_fill",
            stroke="light_stroke",
            tooltip=f"Token embedding: {self.m.vocab_size:,} × {self.m.hidden_size:,}",
        )
        chain: list[Box] = [emb]
        y = emb.top + s.gap
        if self.m.positions == "learned":
            add = self.sc.operator("embedding-add", "+", "container", "Token and position embeddings added")
            add.x, add.y = -s.add_radius, y
            pos = sc.box(
                "positions",
                "embedding",
                [Line("Positional embedding", z.small), Line(f"learned, {self.m.learned_positions:,}", z.small)],
                fill="light_fill",
                stroke="light_stroke",
                radius=4,
                parent="container",
                tooltip="Learned absolute position embedding",
            )
            lift = max(0.0, (pos.h - add.h) / 2 - s.gap + 4)  # keep the side box clear of its neighbours
            add.y += lift
            pos.x, pos.y = add.x - 2 * s.gap - pos.w, add.cy - pos.h / 2
            sc.connect("positions-add", [(pos.right, add.cy), (add.x, add.cy)], source=pos.id, target=add.id)
            chain.append(add)
            y = add.top + lift + s.gap
        if self.m.dropout:
            d = self._stacked(
                "dropout",
                "dropout",
                [Line(f"Dropout ({self.m.dropout:g})", z.box)],
                y,
                "container",
                fill="white_fill",
                stroke="white_stroke",
                dash="dashed",
                tooltip="Dropout",
            )
            chain.append(d)
            y = d.top + s.gap
        built = Built({}, {}, emb, emb, tokens)
        for kind in self.kinds:
            block = self._block(kind, y, built)
            chain.append(block)
            y = block.top + s.gap
        if self.m.norm.final:
            fn = self._norm("final-norm", "container", y, False, "final")
            chain.append(fn)
            y = fn.top + s.gap
        out = self._stacked(
            "output",
            "output",
            [Line("Linear output layer", z.box)],
            y,
            "container",
            fill="light_fill",
            stroke="light_stroke",
            tooltip="Output head" + (" (tied to the embedding)" if self.m.tie_embeddings else ""),
        )
        chain.append(out)
        built.output = out
        top = out.top + s.container_pad
        left = (
            self.block_left
            - 10
            - s.brace_width
            - max((b.w for b in sc.boxes if b.kind == "count"), default=0)
            - s.container_pad
        )
        if self.m.positions == "learned":
            left = min(left, sc.boxes[[b.id for b in sc.boxes].index("positions")].x - s.container_pad)
        container = sc.box(
            "container",
            "container",
            w=self.block_right + s.container_pad - left,
            h=top - cy0,
            fill="container_fill",
            stroke="container_stroke",
            radius=s.radius * 2,
            tooltip=f"{self.m.name}: {self.m.num_layers} layers",
        )
        container.x, container.y = left, cy0
        sc.boxes.remove(container)
        sc.boxes.insert(0, container)
        sc.connect("tokens-flow", [(0, tokens.top), (0, emb.y)], source=tokens.id, target=emb.id)
        for a, b in itertools.pairwise(chain):
            sc.connect(f"{b.id}-flow", [(0, a.top), (0, b.y)], source=a.id, target=b.id)
        logits = sc.box("logits", "logits", [Line("Next-token scores", z.detail, "muted")], outline="none", pad=2)
        logits.x, logits.y = -logits.w / 2, top + s.gap
        sc.connect("logits-flow", [(0, out.top), (0, logits.y)], source=out.id, target=logits.id)
        return built

    # --- the whole figure: the stack, then what surrounds it (surround.py) ----------------

    def layout(self) -> Layout:
        built = self._main()
        if self.compact:
            surround.footer(self)
            return self._finish()
        surround.context_note(self, built)
        ann_x = self.block_right + self.s.container_pad + self.s.column_gap
        # Panels first (to know where zoom lines cross), then annotations between them.
        panel_x = ann_x + 10_000  # provisional: moved once the annotation column's width is known
        placed = surround.zoom_panels(self, built, panel_x)
        zoom_ys = [src.cy for _, src in placed if src is not None]
        ann_right = surround.dimension_labels(self, built, ann_x, zoom_ys)
        dx = ann_right + self.s.column_gap + 12 - panel_x
        for p, _ in placed:
            surround.shift_panel(self, p, dx)
        for p, src in placed:
            if src is not None:
                surround.zoom_line(self, p, src, ann_right + self.s.column_gap / 2 + 6)
        surround.footer(self)
        return self._finish()

    def _finish(self) -> Layout:
        m = self.m
        accent = accent_for(self.spec.id, m.accent)
        desc = (
            f"Architecture of {m.name} ({m.organization}, {m.date_text}): {m.num_layers} layers, "
            f"{m.decoder_type.replace('_', ' ')}. Drawn by archviz from spec '{self.spec.id}'."
        )
        return self.sc.finish(
            f"model-{self.spec.id}", m.name, desc, accent, self.s.margin, meta={"model": self.spec.id}
        )


def model_layout(spec: Spec, style: Style = DEFAULT_STYLE, compact: bool = False) -> Layout:
    """The architecture figure of one model, as a frozen Layout (compact: for poster panels)."""
    return ModelFigure(spec, style, compact).layout()
