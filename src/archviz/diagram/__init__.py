"""The diagram stage: from a spec (and its facts) to a frozen description of what its figure
shows, every part tagged with the spec path it comes from. `describe(spec)` is the entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from archviz import numbers as fmt
from archviz.diagram.elements import (
    Add,
    Alternative,
    Block,
    Callout,
    Chip,
    Diagram,
    MacroRow,
    NormBox,
    Panel,
    Parallel,
    Run,
    Slot,
    Stack,
    Strip,
)
from archviz.diagram.palette import ffn_cues, mixer_colours
from archviz.diagram.panels import panels
from archviz.diagram.stack import blocks, norm
from archviz.diagram.strip import strip
from archviz.errors import ArchvizError
from archviz.facts import describe as words
from archviz.facts import kvcache, params
from archviz.kinds import mixer_kind, residual
from archviz.spec.loader import Spec
from archviz.style import accent_for

__all__ = [
    "Add",
    "Alternative",
    "Block",
    "Callout",
    "Chip",
    "Diagram",
    "MacroRow",
    "NormBox",
    "Panel",
    "Parallel",
    "Run",
    "Slot",
    "Stack",
    "Strip",
    "describe",
]


def _stack(spec: Spec, colours: dict[str, str], cues: dict[str, str]) -> Stack:
    m = spec.model
    mtp = None
    if m.mtp is not None:
        mixer = m.mixers[m.mtp.mixer]
        mtp = (m.mtp.modules, mixer_kind(mixer).title(mixer, short=True))
    return Stack(
        input_text="Tokens in, next token out",
        embedding="Token embedding",
        embedding_detail=f"+ per-layer, {m.per_layer_embeddings.width} a layer" if m.per_layer_embeddings else "",
        positions=f"learned, {m.learned_positions:,}" if m.positions == "learned" else None,
        dropout=m.dropout,
        blocks=blocks(m, colours, cues),
        final_norm=norm(m, "final") if m.norm.final else None,
        output="Linear output layer",
        tied=m.tie_embeddings,
        layers=m.num_layers,
        mtp=mtp,
        residual=residual.phrase(m.residual) if m.residual else "",
    )


def counts(spec: Spec) -> tuple[float, float | None, bool, bool]:
    """The parameter counts a reader knows: (total, active or None for a dense model, whether the
    total is published, whether the active count is). Published means the vendor's exact figure;
    otherwise the count computed from the spec (imported configs, size labels such as '7B'),
    under the vendor's convention where the total is published."""
    m = spec.model
    p = m.params
    b = params.breakdown(m)
    sparse = b.active != b.total
    if p.computed or p.label_only:
        return b.total, b.active if sparse else None, False, False
    if not sparse:
        return p.total, None, True, False
    if p.active is None:
        return p.total, params.as_published(m, b)[1], True, False
    return p.total, p.active, True, True


def _scale(total: float, active: float | None) -> str:
    """'30.9B total, 3.2B active', or '8.0B' for a dense model."""
    return fmt.count(total) + (f" total, {fmt.count(active)} active" if active else "")


def parameters(spec: Spec) -> str:
    """The parameter line of the footer, saying which counts are published and which computed."""
    total, active, total_published, active_published = counts(spec)
    if not total_published:
        return f"{_scale(total, active)} parameters (computed)"
    published = fmt.count(total, exact=True)
    if active is None:
        return f"{published} parameters (published)"
    if not active_published:
        return f"{published} total (published), {fmt.count(active)} active (computed) parameters"
    share = f"{100 * active / total:.1f}%"
    return f"{published} total, {fmt.count(active, exact=True)} active ({share}) parameters (published)"


def _nb(text: str) -> str:
    """Spaces made non-breaking: '68.625 KiB' stays on one line."""
    return text.replace(" ", "\u00a0")


def _kv(spec: Spec) -> str:
    """KV cache per token, and what it grows by past the longest window when some layers slide."""
    m = spec.model
    kv = kvcache.kv_bytes_per_token(m)
    text = f"KV cache {_nb(fmt.kib(kv))} per token in bf16 ({kvcache.tier(kv)})"
    spans = [s for b in m.expanded() if b.mixer and (s := kvcache.span(m.mixers[b.mixer]))]
    if spans and kv:
        window = max(spans)
        beyond = kvcache.kv_bytes_at(m, window + 1) - kvcache.kv_bytes_at(m, window)
        text += f", {_nb(fmt.kib(beyond))} past the {window:,}-token window"
    return text


def _facts_short(spec: Spec) -> str:
    m = spec.model
    total, active, _, _ = counts(spec)
    kv = kvcache.kv_bytes_per_token(m)
    return f"{_scale(total, active)} · KV {fmt.kib(kv)}/token · context {fmt.tokens(m.context_length)}"


def _facts_line(spec: Spec, scale: str) -> str:
    m = spec.model
    return f"{scale} · {_kv(spec)} · context {m.context_text} · {m.layers_text}"


def _description(spec: Spec) -> str:
    m = spec.model
    src = "; ".join(s.url for s in m.sources)
    b = params.breakdown(m)
    active = f", {b.active:,} active" if b.active != b.total else ""
    counted = f"Computed from the spec: {b.total:,} parameters{active}"
    caveats = " ".join(f"Not disclosed: {u.what} ({u.note})." for u in m.undisclosed)
    return (
        f"Architecture of {m.name} ({m.organization}, {m.date_text}): {m.layers_text.replace(chr(160), ' ')} "
        f"({words.layer_mix(m)}), {m.decoder_type.replace('_', ' ')}; {words.attention_summary(m)}. "
        f"{m.key_detail} {counted} (all weights, embedding included). Drawn by archviz from spec "
        f"'{spec.id}'; sources: {src}. {caveats}"
    ).strip()


def _legend(stack: Stack, panels: tuple[Panel, ...]) -> tuple[tuple[str, str, str], ...]:
    out = [
        ("dark_fill", "dark_stroke", "Token mixer"),
        ("light_fill", "light_stroke", "Feed forward, embedding, output"),
        ("white_fill", "white_stroke", "Norm"),
    ]
    special = any(
        (isinstance(e, NormBox) and e.special)
        or (isinstance(e, Slot) and any(s.kind == "qk_norm" for a in e.alternatives for s in a.side))
        for b in stack.blocks
        for e in b.elements
    )
    if special:
        out.append(("white_fill", "accent", "Model-specific norm"))
    if any(n.cached for p in panels if p.graph for n in p.graph.nodes):
        out.append(("accent_fill", "accent", "Cached per token (KV cache)"))
    return tuple(out)


def choose_panels(d: Diagram, paths: Sequence[str]) -> Diagram:
    """`d` with only the zoom panels of `paths` (a panel's spec path, or a prefix of it: 'ffns'
    takes every FFN panel); none for an empty list. An unknown path is an error naming those the
    figure has."""

    def chosen(panel: Panel) -> bool:
        return any(panel.path == p or panel.path.startswith(p + ".") for p in paths)

    unknown = [p for p in paths if not any(q.path == p or q.path.startswith(p + ".") for q in d.panels)]
    if unknown:
        have = ", ".join(q.path for q in d.panels) or "none"
        raise ArchvizError(f"{d.id} has no zoom panel {', '.join(repr(u) for u in unknown)}; its panels: {have}")
    kept = tuple(q for q in d.panels if chosen(q))
    return replace(d, panels=kept, legend=_legend(d.stack, kept))


def describe(spec: Spec) -> Diagram:
    """What the figure of `spec` shows."""
    m = spec.model
    colours, cues = mixer_colours(m), ffn_cues(m)
    stack = _stack(spec, colours, cues)
    layer_strip = strip(m, colours, cues)
    scale = parameters(spec)
    zooms = panels(m, layer_strip.chips, scale)
    scaling = m.rope.scaling if m.rope else None
    stretch = f"RoPE scaling: {scaling.type.replace('yarn', 'YaRN')} ×{scaling.factor:g}" if scaling else ""
    callouts = (
        Callout("vocab", "Vocabulary size", f"{m.vocab_size:,}", "output", "vocab_size"),
        Callout("width", "Embedding dimension", f"{m.hidden_size:,}", "embedding", "hidden_size"),
        Callout("context", "Context length", m.context_text, "tokens", "context_length", stretch),
    )
    return Diagram(
        id=spec.id,
        name=m.name,
        subtitle=f"{m.organization} · {m.date_text} · {m.decoder_type.replace('_', ' ')}",
        accent=accent_for(spec.id, m.accent_colour),
        description=_description(spec),
        stack=stack,
        strip=layer_strip,
        panels=zooms,
        callouts=callouts,
        facts=_facts_line(spec, scale),
        facts_short=_facts_short(spec),
        key_detail=m.key_detail,
        notes=tuple(m.notes),
        legend=_legend(stack, zooms),
    )
