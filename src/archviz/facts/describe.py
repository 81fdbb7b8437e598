"""Readable names and phrases for a spec's parts: layer mix, attention kind, FFN kind."""

from __future__ import annotations

from collections import Counter

from archviz.spec.models import MLA, MLP, Attention, GatedDeltaNet, KimiDelta, Lightning, Mamba2, MoE, ModelSpec


def attention_variant(m: Attention) -> str:
    """MHA, GQA or MQA from the head counts."""
    if m.kv_heads == m.heads:
        return "MHA"
    return "MQA" if m.kv_heads == 1 else "GQA"


VARIANT_WORDS = {"MHA": "multi-head", "GQA": "grouped-query", "MQA": "multi-query"}


def mixer_label(m: object) -> str:
    """Short label for a layer kind, as used in layer-mix phrases ('sliding-window', 'global')."""
    if isinstance(m, Attention):
        if m.window:
            base = "sliding-window"
        elif m.chunk:
            base = "chunked"
        else:
            base = "gated attention" if m.gated else "global"
        return base if m.rope else f"{base} NoPE"
    if isinstance(m, MLA):
        return "MLA + sparse" if m.sparse else "MLA"
    return {
        GatedDeltaNet: "Gated DeltaNet",
        KimiDelta: "Kimi Delta",
        Lightning: "Lightning",
        Mamba2: "Mamba-2",
    }[type(m)]


def mixer_title(m: object) -> str:
    """The long name drawn in a diagram's attention box."""
    if isinstance(m, Attention):
        words = f"Masked {VARIANT_WORDS[attention_variant(m)]} attention"
        if m.gated:
            words = f"Gated {VARIANT_WORDS[attention_variant(m)]} attention"
        if m.sparse:
            words += " + sparse indexer"
        return words
    if isinstance(m, MLA):
        return "Multi-head latent attention" + (" + sparse indexer" if m.sparse else "")
    return {
        GatedDeltaNet: "Gated DeltaNet",
        KimiDelta: "Kimi Delta Attention",
        Lightning: "Lightning attention",
        Mamba2: "Mamba-2",
    }[type(m)]


def ffn_label(f: object) -> str:
    """'SwiGLU FFN', 'GELU MLP', 'MoE' ..."""
    if isinstance(f, MoE):
        return "MoE"
    assert isinstance(f, MLP)
    return "dense " + activation_name(f.activation, f.gated)


def activation_name(act: str, gated: bool) -> str:
    if gated:
        return {"silu": "SwiGLU", "gelu": "GeGLU", "gelu_tanh": "GeGLU", "relu": "ReGLU"}.get(act, f"gated {act}")
    return {"gelu": "GELU MLP", "gelu_tanh": "GELU MLP", "relu": "ReLU MLP", "relu2": "ReLU² MLP",
            "silu": "SiLU MLP"}[act]


def _phrase(counts: Counter[str]) -> str:
    return " + ".join(f"{n} {label}" for label, n in counts.most_common())


def layer_mix(spec: ModelSpec) -> str:
    """'52 sliding-window + 10 global'; '3 dense + 58 MoE'; both when both vary."""
    layers = spec.expanded()
    mixers = Counter(mixer_label(spec.mixers[b.mixer]) for b in layers if b.mixer)
    ffns = Counter("MoE" if spec.ffns[b.ffn].kind == "moe" else "dense" for b in layers if b.ffn)
    parts = []
    if len(mixers) > 1:
        parts.append(_phrase(mixers))
    if len(ffns) > 1:
        parts.append(_phrase(ffns) + " FFN")
    if not parts:  # a uniform stack
        label = next(iter(mixers), "FFN-only")
        uniform = f"{spec.num_layers} {label} layers"
        return uniform + (", all MoE" if "MoE" in ffns else "")
    return "; ".join(parts)


def attention_summary(spec: ModelSpec) -> str:
    """'GQA with QK-Norm and 5:1 sliding-window/global attention', for fact sheets."""
    layers = [spec.mixers[b.mixer] for b in spec.expanded() if b.mixer]
    kinds: list[str] = []
    for m in layers:
        name = attention_variant(m) if isinstance(m, Attention) else mixer_label(m)
        if isinstance(m, MLA) and m.sparse:
            name = "MLA with sparse attention (indexer)"
        if name not in kinds:
            kinds.append(name)
    text = " + ".join(kinds)
    extras = []
    if spec.norm.qk_norm:
        extras.append("QK-Norm")
    if any(isinstance(m, Attention) and m.sinks for m in layers):
        extras.append("attention sinks")
    labels = Counter(mixer_label(m) for m in layers)
    if len(labels) == 2:
        (a, na), (b, nb) = labels.most_common()
        ratio = f"{na // nb}:1" if na % nb == 0 else f"{na}:{nb}"
        extras.append(f"{ratio} {a}/{b} layers")
    elif len(labels) > 2:
        extras.append(_phrase(labels) + " layers")
    return text + (" with " + " and ".join(extras) if extras else "")
