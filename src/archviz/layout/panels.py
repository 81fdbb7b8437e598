"""Zoom-in panels: FFN, mixture of experts, mixer internals and the layer pattern.

Each builder draws its panel with the lower-left corner at (0, 0) in y-up coordinates and
returns the panel box; the caller moves the whole group into place with Scene.shift.
"""

from __future__ import annotations

from archviz import numbers as fmt
from archviz.facts.describe import activation_name
from archviz.layout.builder import Box, Line, Scene, wrapped
from archviz.spec.models import MLP, MoE


def _frame(sc: Scene, id: str, kind: str, title: str, width: float, content_top: float, tooltip: str) -> Box:
    """The dotted panel outline and its title, around content already drawn up to content_top."""
    s, z = sc.style.spacing, sc.style.sizes
    t = sc.box(
        f"{id}-title",
        "panel-title",
        wrapped(title, width - 2 * s.pad, z.panel_title, weight="bold"),
        w=width - 2 * s.pad,
        pad=2,
        parent=id,
    )
    t.x, t.y = s.pad, content_top + s.pad
    return sc.box(
        id,
        kind,
        w=width,
        h=t.top + s.pad,
        outline="rect",
        fill="panel_fill",
        stroke="panel_stroke",
        dash="dotted",
        radius=s.radius,
        tooltip=tooltip,
        stroke_width=1.6,
    )


def _caption(sc: Scene, id: str, parent: str, label: str, value: str, width: float) -> Box:
    z = sc.style.sizes
    return sc.box(
        id,
        "annotation",
        [Line(label, z.small, "muted"), Line(value, z.annotation, "accent", "bold")],
        outline="none",
        parent=parent,
        pad=2,
        w=width,
    )


def ffn_panel(sc: Scene, id: str, f: MLP, hidden: int, width: float) -> Box:
    """Linear, activation, (parallel linear, multiply,) linear: the inside of a dense FFN."""
    s, z = sc.style.spacing, sc.style.sizes
    inner = width - 2 * s.pad
    act = (
        activation_name(f.activation, f.gated).split()[0]
        if not f.gated
        else {"silu": "SiLU", "gelu": "GELU", "gelu_tanh": "GELU (tanh)", "relu": "ReLU", "relu2": "ReLU²"}[
            f.activation
        ]
    )
    y = s.pad + s.gap

    def lin(name: str, dims: str, w: float) -> Box:
        return sc.box(
            f"{id}-{name}",
            "linear",
            [Line("Linear layer", z.detail, weight="bold"), Line(dims, z.small)],
            w=w,
            fill="light_fill",
            stroke="light_stroke",
            radius=4,
            parent=id,
        )

    if f.gated:
        half = (inner - s.gap) / 2
        left = lin("gate", f"{hidden:,} → {f.hidden:,}", half)
        right = lin("up", f"{hidden:,} → {f.hidden:,}", half)
        left.x, left.y = s.pad, y
        right.x, right.y = s.pad + half + s.gap, y
        a = sc.box(
            f"{id}-act",
            "activation",
            [Line(act, z.detail, weight="bold")],
            w=half,
            fill="white_fill",
            stroke="white_stroke",
            radius=4,
            parent=id,
        )
        a.x, a.y = left.x, left.top + s.gap
        mul = sc.operator(f"{id}-mul", "×", id)
        mul.x, mul.y = width / 2 - mul.w / 2, a.top + s.gap
        out = lin("down", f"{f.hidden:,} → {hidden:,}", inner * 0.7)
        out.x, out.y = width / 2 - out.w / 2, mul.top + s.gap
        for b in (left, right):
            sc.connect(f"{b.id}-in", [(b.cx, 0), (b.cx, b.y)], source=id, target=b.id)
        sc.connect(f"{id}-gate-act", [(left.cx, left.top), (a.cx, a.y)], source=left.id, target=a.id)
        sc.connect(f"{id}-act-mul", [(a.cx, a.top), (a.cx, mul.cy), (mul.x, mul.cy)], source=a.id, target=mul.id)
        sc.connect(
            f"{id}-up-mul",
            [(right.cx, right.top), (right.cx, mul.cy), (mul.right, mul.cy)],
            source=right.id,
            target=mul.id,
        )
        sc.connect(f"{id}-mul-down", [(mul.cx, mul.top), (out.cx, out.y)], source=mul.id, target=out.id)
        top = out.top
    else:
        first = lin("up", f"{hidden:,} → {f.hidden:,}", inner * 0.7)
        first.x, first.y = width / 2 - first.w / 2, y
        a = sc.box(
            f"{id}-act",
            "activation",
            [Line(act, z.detail, weight="bold")],
            w=inner * 0.5,
            fill="white_fill",
            stroke="white_stroke",
            radius=4,
            parent=id,
        )
        a.x, a.y = width / 2 - a.w / 2, first.top + s.gap
        out = lin("down", f"{f.hidden:,} → {hidden:,}", inner * 0.7)
        out.x, out.y = width / 2 - out.w / 2, a.top + s.gap
        sc.connect(f"{first.id}-in", [(first.cx, 0), (first.cx, first.y)], source=id, target=first.id)
        sc.connect(f"{id}-up-act", [(first.cx, first.top), (a.cx, a.y)], source=first.id, target=a.id)
        sc.connect(f"{id}-act-down", [(a.cx, a.top), (out.cx, out.y)], source=a.id, target=out.id)
        top = out.top
    cap = _caption(sc, f"{id}-size", id, "Intermediate hidden size", f"{f.hidden:,}", inner)
    cap.x, cap.y = s.pad, top + s.pad
    kind = activation_name(f.activation, f.gated)
    return _frame(
        sc, id, "ffn-panel", f"Feed forward ({kind})", width, cap.top, f"Dense FFN: {kind}, hidden size {f.hidden:,}"
    )


def moe_panel(sc: Scene, id: str, f: MoE, totals: tuple[int, int], width: float) -> Box:
    """Router fanning out to numbered experts, the shared expert, and what sparsity saves."""
    s, z = sc.style.spacing, sc.style.sizes
    inner = width - 2 * s.pad
    scoring = f"{f.router.scoring}" + (" + bias" if f.router.bias else "")
    router = sc.box(
        f"{id}-router",
        "router",
        [Line("Router", z.detail, weight="bold"), Line(f"top-{f.top_k} of {f.experts} · {scoring}", z.small)],
        fill="white_fill",
        stroke="white_stroke",
        radius=4,
        parent=id,
        tooltip=f"Router: {f.top_k} of {f.experts} experts per token, {scoring} scoring",
    )
    shared = None
    if f.shared_experts:
        label = "Shared expert" if f.shared_experts == 1 else f"{f.shared_experts} shared experts"
        shared = sc.box(
            f"{id}-shared",
            "expert",
            [Line(label, z.small, weight="bold")],
            fill="light_fill",
            stroke="accent",
            stroke_width=2,
            radius=4,
            parent=id,
            tooltip=f"{label}, hidden size {f.shared_hidden or f.expert_hidden:,}; every token uses it",
        )
    row_w = inner - (shared.w + s.gap if shared else 0)
    router.x = s.pad + row_w / 2 - router.w / 2
    router.y = s.pad + s.gap
    numbers = ["1", "2", "…", f"{f.experts}"] if f.experts > 3 else [str(i + 1) for i in range(f.experts)]
    ew = 34 if f.experts < 1000 else 42
    gap = (row_w - ew * len(numbers)) / (len(numbers) + 1)
    ey = router.top + 2.2 * s.gap
    experts = []
    for i, n in enumerate(numbers):
        x = s.pad + gap + i * (ew + gap)
        if n == "…":
            e = sc.box(
                f"{id}-ellipsis", "ellipsis", [Line("…", z.box, weight="bold")], w=ew, outline="none", parent=id, pad=4
            )
        else:
            e = sc.box(
                f"{id}-expert-{n}",
                "expert",
                [Line(n, z.detail, weight="bold")],
                w=ew,
                fill="light_fill",
                stroke="light_stroke",
                radius=4,
                parent=id,
                pad=6,
                tooltip=f"Expert {n}: FFN with hidden size {f.expert_hidden:,}",
            )
            experts.append(e)
        e.x, e.y = x, ey
    add = sc.operator(f"{id}-add", "+", id)
    add.x, add.y = s.pad + row_w / 2 - add.w / 2, ey + experts[0].h + 2.2 * s.gap
    sc.connect(f"{id}-router-in", [(router.cx, 0), (router.cx, router.y)], source=id, target=router.id)
    for e in experts:
        sc.connect(
            f"{e.id}-route",
            [(router.cx, router.top), (e.cx, e.y)],
            kind="fan",
            source=router.id,
            target=e.id,
            width=1.0,
        )
        sc.connect(f"{e.id}-sum", [(e.cx, e.top), (add.cx, add.y)], kind="fan", source=e.id, target=add.id, width=1.0)
    if shared:
        shared.x = s.pad + row_w + s.gap
        shared.y = ey
        sc.connect(f"{shared.id}-in", [(shared.cx, 0), (shared.cx, shared.y)], source=id, target=shared.id)
        sc.connect(
            f"{shared.id}-sum",
            [(shared.cx, shared.top), (shared.cx, add.cy), (add.right, add.cy)],
            source=shared.id,
            target=add.id,
        )
    total, active = totals
    active_line = f"{f.top_k} routed" + (f" + {f.shared_experts} shared" if f.shared_experts else "") + " per token"
    facts_box = sc.box(
        f"{id}-savings",
        "annotation",
        [
            Line("Resource savings", z.detail, weight="bold"),
            Line(f"{f.experts} experts, hidden size {f.expert_hidden:,}", z.small),
            *([Line(f"experts work in a {f.latent_size:,}-wide latent", z.small)] if f.latent_size else []),
            Line(f"{active_line}", z.small),
            Line(
                f"{fmt.count(total)} total, {fmt.count(active)} active ({100 * active / total:.1f}%)",
                z.small,
                "accent",
                "bold",
            ),
        ],
        outline="none",
        parent=id,
        w=inner,
        align="start",
        pad=2,
    )
    facts_box.x, facts_box.y = s.pad, add.top + s.pad
    return _frame(
        sc,
        id,
        "moe-panel",
        "Mixture of experts",
        width,
        facts_box.top,
        f"MoE: {f.experts} experts, {f.top_k} active, {f.shared_experts} shared",
    )


def steps_panel(sc: Scene, id: str, title: str, steps: list[str], width: float, tooltip: str) -> Box:
    """A mixer's inside as a short stack of steps, bottom to top."""
    s, z = sc.style.spacing, sc.style.sizes
    inner = width - 2 * s.pad
    y = s.pad + s.gap
    prev: Box | None = None
    for i, step in enumerate(steps):
        b = sc.box(
            f"{id}-step{i + 1}",
            "step",
            wrapped(step, inner - 2 * s.pad, z.small),
            w=inner,
            fill="white_fill",
            stroke="white_stroke",
            radius=4,
            parent=id,
            pad=5,
        )
        b.x, b.y = s.pad, y
        if prev is None:
            sc.connect(f"{b.id}-in", [(b.cx, 0), (b.cx, b.y)], source=id, target=b.id)
        else:
            sc.connect(f"{b.id}-in", [(prev.cx, prev.top), (b.cx, b.y)], source=prev.id, target=b.id)
        y = b.top + s.gap * 0.75
        prev = b
    top = prev.top if prev else y
    return _frame(sc, id, "mixer-panel", title, width, top, tooltip)


def pattern_panel(sc: Scene, id: str, lines: list[str], width: float) -> Box:
    """The layer pattern in monospace, bottom of the stack first."""
    s, z = sc.style.spacing, sc.style.sizes
    inner = width - 2 * s.pad
    body = [ln for text in lines for ln in wrapped(text, inner - 4, z.mono, family="mono")]
    b = sc.box(f"{id}-lines", "pattern", body, w=inner, outline="none", parent=id, align="start", pad=2)
    b.x, b.y = s.pad, s.pad
    return _frame(
        sc,
        id,
        "pattern-panel",
        "Layer pattern (first layer first)",
        width,
        b.top,
        "The layer stack: " + "; ".join(lines),
    )
