"""The diagram stage: from a spec (and its facts) to a frozen description of what its figure
shows, every part tagged with the spec path it comes from. `describe(spec)` is the entry."""

from __future__ import annotations

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
from archviz.facts import describe as words
from archviz.facts import kvcache, params
from archviz.kinds import mixer_kind
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
    per_layer_theta = any(getattr(x, "rope_theta", None) for x in m.mixers.values())
    mtp = None
    if m.mtp is not None:
        mixer = m.mixers[m.mtp.mixer]
        mtp = (m.mtp.modules, mixer_kind(mixer).title(mixer, short=True))
    return Stack(
        input_text="Tokens in, next token out",
        embedding="Token embedding",
        positions=f"learned, {m.learned_positions:,}" if m.positions == "learned" else None,
        dropout=m.dropout,
        blocks=blocks(m, colours, cues, per_layer_theta),
        final_norm=norm(m, "final") if m.norm.final else None,
        output="Linear output layer",
        tied=m.tie_embeddings,
        layers=m.num_layers,
        mtp=mtp,
    )


def _facts_line(spec: Spec) -> str:
    m = spec.model
    b = params.breakdown(m)
    kv = kvcache.kv_bytes_per_token(m)
    scale = fmt.count(b.total) + (f" total, {fmt.count(b.active)} active" if b.active != b.total else "")
    return (
        f"{scale} parameters · KV cache {fmt.kib(kv)}/token (bf16, {kvcache.tier(kv)}) · "
        f"context {fmt.tokens(m.context_length)} · {m.num_layers} layers"
    )


def _description(spec: Spec) -> str:
    m = spec.model
    src = "; ".join(s.url for s in m.sources)
    caveats = " ".join(f"Not disclosed: {u.what} ({u.note})." for u in m.undisclosed)
    return (
        f"Architecture of {m.name} ({m.organization}, {m.date_text}): {m.num_layers} layers "
        f"({words.layer_mix(m)}), {m.decoder_type.replace('_', ' ')}; {words.attention_summary(m)}. "
        f"{m.key_detail} Drawn by archviz from spec '{spec.id}'; sources: {src}. {caveats}"
    ).strip()


def _legend(stack: Stack) -> tuple[tuple[str, str, str], ...]:
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
    return tuple(out)


def describe(spec: Spec) -> Diagram:
    """What the figure of `spec` shows."""
    m = spec.model
    colours, cues = mixer_colours(m), ffn_cues(m)
    stack = _stack(spec, colours, cues)
    layer_strip = strip(m, colours, cues)
    callouts = (
        Callout("vocab", "Vocabulary size", f"{m.vocab_size:,}", "output", "vocab_size"),
        Callout("width", "Embedding dimension", f"{m.hidden_size:,}", "embedding", "hidden_size"),
        Callout("context", "Context length", f"{m.context_length:,} tokens", "tokens", "context_length"),
    )
    return Diagram(
        id=spec.id,
        name=m.name,
        subtitle=f"{m.organization} · {m.date_text} · {m.decoder_type.replace('_', ' ')}",
        accent=accent_for(spec.id, m.accent),
        description=_description(spec),
        stack=stack,
        strip=layer_strip,
        panels=panels(m, layer_strip.chips),
        callouts=callouts,
        facts=_facts_line(spec),
        key_detail=m.key_detail,
        notes=tuple(m.notes),
        legend=_legend(stack),
    )
