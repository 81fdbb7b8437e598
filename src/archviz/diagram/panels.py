"""Which zoom-in panels a figure has: one per distinct mixer inside, the MoE routing, the dense
networks inside FFNs and experts, and the macro-block pattern of nested stacks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from archviz.diagram.elements import Chip, Panel
from archviz.diagram.palette import used
from archviz.diagram.stack import layer_ranges
from archviz.diagram.strip import macro
from archviz.kinds import Caption, Inner, activation_name, ffn_kind, mixer_kind, residual
from archviz.kinds.mlp import ffn_graph
from archviz.spec.models import ModelSpec


def mixer_panels(spec: ModelSpec) -> list[Panel]:
    groups: dict[tuple[object, ...], list[tuple[str, Any]]] = {}
    for name in used(spec, "mixer"):
        m = spec.mixers[name]
        groups.setdefault(mixer_kind(m).graph_key(spec, m), []).append((name, m))
    out = []
    graphs = [mixer_kind(group[0][1]).graph(spec, group) for group in groups.values()]
    titles = [g.title for g in graphs]
    for group, g in zip(groups.values(), graphs, strict=True):
        kind = mixer_kind(group[0][1])
        if titles.count(g.title) > 1:  # two panels of one kind: say which layers each is
            variants = " and ".join(dict.fromkeys(kind.variant(m) for _, m in group))
            lead = variants[0].lower() if variants[1:2].islower() else variants[0]  # 'MLA' keeps its capitals
            g = replace(g, title=f"Inside {lead}{variants[1:]}")
        tags = tuple(dict.fromkeys(t for _, m in group for t in kind.tags(m)))
        sources = tuple(f"mixers.{n}" for n, _ in group)
        out.append(Panel(g.path, g.title, graph=g, sources=sources, heads=kind.heads(group[0][1]), tags=tags))
    return out


def moe_panels(spec: ModelSpec, scale: str) -> list[Panel]:
    out = []
    for name in used(spec, "ffn"):
        f = spec.ffns[name]
        g = ffn_kind(f).graph(spec, name, f)
        if g is None:
            continue
        g = replace(g, captions=(*g.captions, Caption("Whole model", scale)))
        out.append(Panel(g.path, g.title, graph=g, sources=(f"ffns.{name}",), tags=ffn_kind(f).tags(f)))
    return out


def inner_panels(spec: ModelSpec) -> list[Panel]:
    """One panel per distinct dense network (activation, gating, bias), shared by the dense FFN
    layers and the experts that have it."""
    groups: dict[tuple[str, bool, bool], list[tuple[str, Inner]]] = {}
    for name in used(spec, "ffn"):
        f = spec.ffns[name]
        for inner in ffn_kind(f).inner(spec, f):
            groups.setdefault((inner.activation, inner.gated, inner.bias), []).append((name, inner))
    out = []
    for (act, gated, _), members in groups.items():
        dense = [n for n, i in members if not i.expert]
        if len(dense) > 1:  # several dense widths: say which layers have which
            members = [(n, replace(i, who=_layers_of(spec, n)) if not i.expert else i) for n, i in members]
        experts = [n for n, i in members if i.expert]
        name = activation_name(act, gated)
        who = "Feed forward" if not experts else "Expert" if not dense else "Feed forward and expert"
        path = f"ffns.{dense[0]}" if dense else f"ffns.{experts[0]}.experts"
        g = ffn_graph(path, [i for _, i in members], f"{who} ({name})")
        sources = tuple(dict.fromkeys([*(f"ffns.{n}" for n in dense), *(f"ffns.{n}#expert-1" for n in experts)]))
        out.append(
            Panel(path, g.title, graph=g, sources=sources, tags=("ffn", "mlp", *(("expert",) if experts else ())))
        )
    return out


def _layers_of(spec: ModelSpec, ffn: str) -> str:
    """'layers 1-15' (or '20 layers') for the layers whose FFN is `ffn`."""
    idx = [i for i, b in enumerate(spec.expanded()) if b.ffn == ffn]
    return layer_ranges(idx) or f"{len(idx)}\u00a0layers"


def panels(spec: ModelSpec, chips: tuple[Chip, ...], scale: str) -> tuple[Panel, ...]:
    """Every zoom-in panel; `scale` is the model's parameter line (the MoE panel repeats it)."""
    out = [*mixer_panels(spec), *moe_panels(spec, scale), *inner_panels(spec)]
    if (g := residual.graph(spec)) is not None:
        out.append(Panel(g.path, g.title, graph=g, tags=("residual",)))  # its adds are in every block: no leader
    rows = macro(spec, chips)
    if rows:
        out.append(Panel("layers", "Layer pattern", macro=rows, tags=("layers",)))
    return tuple(out)
