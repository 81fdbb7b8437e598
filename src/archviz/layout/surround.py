"""What surrounds a model's stack: zoom-in panels, dimension labels, the context note, the
title and footer. Separate from the stack itself (model.py) so each reads on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archviz import numbers as fmt
from archviz.facts import kvcache, params
from archviz.facts.describe import mixer_steps, mixer_title, pattern_lines
from archviz.layout import panels
from archviz.layout.builder import Box, Line, wrapped
from archviz.spec.models import MLA, Attention, MoE

if TYPE_CHECKING:
    from archviz.layout.model import Built, ModelFigure


def zoom_panels(fig: ModelFigure, built: Built, x: float) -> list[tuple[Box, Box | None]]:
    """Build every zoom-in panel at the origin; returns (panel, source box) pairs."""
    sc, width = fig.sc, fig.s.panel_width
    b = params.breakdown(fig.m)
    made: list[tuple[Box, Box | None, tuple[int, int], tuple[int, int]]] = []
    for name, src in built.first_ffn.items():
        f = fig.m.ffns[name]
        mark = sc.mark()
        if isinstance(f, MoE):
            p = panels.moe_panel(sc, f"panel-ffn-{name}", f, (b.total, b.active), width)
        else:
            p = panels.ffn_panel(sc, f"panel-ffn-{name}", f, fig.m.hidden_size, width)
        made.append((p, src, mark, sc.mark()))
    drawn: set[tuple[str, tuple[str, ...]]] = set()
    for name, src in built.first_mixer.items():
        mixer = fig.m.mixers[name]
        plain = isinstance(mixer, Attention) and not (mixer.gated or mixer.sparse)
        inside = (mixer_title(mixer), tuple(mixer_steps(fig.m, mixer)))
        if plain or inside in drawn:  # one panel per distinct inside (global and local gated alike)
            continue
        drawn.add(inside)
        mark = sc.mark()
        p = panels.steps_panel(
            sc,
            f"panel-mixer-{name}",
            mixer_title(mixer),
            mixer_steps(fig.m, mixer),
            width,
            f"Inside {mixer_title(mixer)}",
        )
        made.append((p, src, mark, sc.mark()))
    if fig.many:
        mark = sc.mark()
        p = panels.pattern_panel(sc, "panel-pattern", pattern_lines(fig.m), width)
        made.append((p, None, mark, sc.mark()))
    # Stack them in the column, each as close as it can be to its source's height.
    made.sort(key=lambda t: t[1].cy if t[1] else -1e9)
    floor = built.tokens.y
    out: list[tuple[Box, Box | None]] = []
    for p, source, mark, end in made:
        want = (source.cy - p.h / 2) if source else floor
        y = max(want, floor)
        sc.shift(mark, x, y, end)
        floor = p.top + fig.s.gap
        out.append((p, source))
    return out


def dimension_labels(fig: ModelFigure, built: Built, x: float, avoid: list[float]) -> float:
    """Dimension labels on dotted leaders to their boxes; returns the column's right edge."""
    z, sc = fig.z, fig.sc
    items: list[tuple[str, str, str, Box]] = [
        ("ann-vocab", "Vocabulary size", f"{fig.m.vocab_size:,}", built.output),
        ("ann-width", "Embedding dimension", f"{fig.m.hidden_size:,}", built.embedding),
    ]
    for name, box in built.first_mixer.items():
        mixer = fig.m.mixers[name]
        if isinstance(mixer, Attention):
            items.append(
                (
                    f"ann-heads-{name}",
                    "Attention heads",
                    f"{mixer.heads} query, {mixer.kv_heads} KV · dim {mixer.head_dim}"
                    + (f" (values {mixer.v_head_dim})" if mixer.v_head_dim else ""),
                    box,
                )
            )
        elif isinstance(mixer, MLA):
            items.append((f"ann-heads-{name}", "Heads · KV latent", f"{mixer.heads} · {mixer.kv_lora_rank}", box))
        else:
            heads = getattr(mixer, "heads", None) or getattr(mixer, "value_heads", None)
            items.append((f"ann-heads-{name}", "Heads (linear)", f"{heads}", box))
        if len(items) >= 5:
            break
    boxes = []
    seen: set[tuple[str, str]] = set()
    for id, label, value, target in items:
        if (label, value) in seen:
            continue  # one label per distinct value is enough
        seen.add((label, value))
        b = sc.box(
            id,
            "annotation",
            [Line(label, z.annotation, "text", "bold"), Line(value, z.annotation, "accent", "bold")],
            outline="none",
            pad=2,
            align="start",
            tooltip=f"{label}: {value}",
        )
        boxes.append((b, target))
    boxes.sort(key=lambda t: t[1].cy)
    floor = -1e9
    for b, target in boxes:
        y = max(target.cy - b.h / 2, floor)
        moved = True
        while moved:
            moved = False
            for f in avoid:
                if y - 4 < f < y + b.h + 4:
                    y = f + 5
                    moved = True
        b.x, b.y = x, y
        floor = b.top + 6
        ty = min(max(b.cy, target.y + 2), target.top - 2)
        sc.leader(f"{b.id}-leader", [(b.x, b.cy), (target.right, ty)], b.id, target.id)
    return max(b.right for b, _ in boxes)


def context_note(fig: ModelFigure, built: Built) -> None:
    t = built.tokens
    b = fig.sc.box(
        "ann-context",
        "annotation",
        [
            Line("Context length", fig.z.annotation, "text", "bold"),
            Line(f"{fig.m.context_length:,} tokens", fig.z.annotation, "accent", "bold"),
        ],
        outline="none",
        pad=2,
        align="start",
        tooltip=f"Context length: {fig.m.context_length:,} tokens",
    )
    b.x, b.y = t.x - fig.s.column_gap - 30 - b.w, t.cy - b.h / 2
    fig.sc.leader("ann-context-leader", [(b.right, t.cy), (t.x, t.cy)], b.id, t.id)


def footer(fig: ModelFigure) -> None:
    """Title on top; notes, key facts and provenance at the bottom, wrapped to the width."""
    s, z, sc, m = fig.s, fig.z, fig.sc, fig.m
    x0, y0, x1, y1 = sc.bounds()
    width = max(x1 - x0, 520)
    b = params.breakdown(m)
    kv = kvcache.kv_bytes_per_token(m)
    scale = fmt.count(b.total) + (f" total, {fmt.count(b.active)} active" if b.active != b.total else "")
    facts = (
        f"{scale} parameters · KV cache {fmt.kib(kv)}/token (bf16, {kvcache.tier(kv)}) · "
        f"context {fmt.tokens(m.context_length)} · {m.num_layers} layers"
    )
    src = m.links.config or (m.sources[0].url if m.sources else "")
    provenance = f"Spec: {fig.spec.id} · source: {src}"
    words = facts if fig.compact else f"{facts} {provenance}"
    width = max(width if not fig.compact else x1 - x0, *(Line(w, z.footer, weight="bold").width for w in words.split()))
    lines = [*wrapped(facts, width, z.footer, "text", "bold")]
    if not fig.compact:
        notes = list(m.notes) + [f"{u.what}: {u.note}" for u in m.undisclosed]
        for n in notes:
            lines += wrapped("• " + n, width, z.footer, "muted")
        lines += wrapped(provenance, width, z.footer, "muted")
    foot = sc.box("footer", "footer", lines, w=width, outline="none", align="start", pad=0)
    foot.x, foot.y = x0 + (x1 - x0 - width) / 2, y0 - s.gap * 1.5 - foot.h
    sub = f"{m.organization} · {m.date_text} · {m.decoder_type.replace('_', ' ')}"
    head = [Line(m.name, z.title, "accent", "bold")]
    if fig.compact:  # a panel is no wider than its diagram: wrap long names
        head = wrapped(m.name, x1 - x0, z.title, "accent", "bold")
    title = sc.box("title", "title", [*head, Line(sub, z.subtitle, "muted")], outline="none", pad=0)
    title.x, title.y = x0 + (x1 - x0) / 2 - title.w / 2, y1 + s.gap


def shift_panel(fig: ModelFigure, panel: Box, dx: float) -> None:
    prefix = panel.id
    for b in fig.sc.boxes:
        if b.id == prefix or b.parent == prefix:
            b.move(dx)
    for cid, pts, _ in fig.sc.connectors:
        if cid.startswith(prefix + "-"):
            pts[:] = [(x + dx, y) for x, y in pts]


def zoom_line(fig: ModelFigure, panel: Box, src: Box, mid_x: float) -> None:
    y = src.cy
    inset = 8.0
    if panel.y + inset <= y <= panel.top - inset:
        pts = [(src.right, y), (panel.x, y)]
    else:
        ty = min(max(y, panel.y + inset), panel.top - inset)
        pts = [(src.right, y), (mid_x, y), (mid_x, ty), (panel.x, ty)]
    fig.sc.leader(f"{panel.id}-zoom", pts, src.id, panel.id, kind="zoom")
