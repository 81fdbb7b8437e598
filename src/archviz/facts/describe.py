"""Readable names and phrases for a spec's parts: layer mix, attention kind, FFN kind."""

from __future__ import annotations

import math
from collections import Counter

from archviz.kinds import activation_name, ffn_kind, mixer_kind
from archviz.kinds.attention import variant_code
from archviz.spec.models import MLA, Attention, GatedDeltaNet, KimiDelta, Lightning, Mamba2, ModelSpec


def attention_variant(m: Attention) -> str:
    """MHA, GQA or MQA from the head counts."""
    return variant_code(m)


def mixer_label(m: object) -> str:
    """Short label for a layer kind, as used in layer-mix phrases ('sliding-window', 'global')."""
    return mixer_kind(m).label(m)


def mixer_title(m: object, short: bool = False) -> str:
    """The name drawn in a diagram's mixer box ('Masked grouped-query attention'; short: 'Masked GQA')."""
    return mixer_kind(m).title(m, short)


__all__ = ["activation_name", "attention_summary", "attention_variant", "layer_mix", "mixer_label", "mixer_title"]


def _phrase(counts: Counter[str]) -> str:
    """'3 dense + 58 MoE': in order of first appearance in the stack (Counter keeps insertion order)."""
    return " + ".join(f"{n} {label}" for label, n in counts.items())


def layer_mix(spec: ModelSpec) -> str:
    """'52 sliding-window + 10 global'; '3 dense + 58 MoE'; both when both vary."""
    layers = spec.expanded()
    mixers = Counter(mixer_label(spec.mixers[b.mixer]) for b in layers if b.mixer)
    ffns = Counter(ffn_kind(spec.ffns[b.ffn]).label(spec.ffns[b.ffn]) for b in layers if b.ffn)
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


def _group_ratio(spec: ModelSpec, a: str, b: str) -> str | None:
    """'5:1' from the largest repeated group that mixes layer kinds a and b."""
    best = None
    for g in spec.layers:
        counts = Counter()  # type: Counter[str]
        for blk in g.blocks:
            if blk.mixer:
                counts[mixer_label(spec.mixers[blk.mixer])] += blk.count
        if g.repeat > 1 and counts[a] and counts[b] and (best is None or g.repeat > best[0]):
            best = (g.repeat, f"{counts[a]}:{counts[b]}")
    return best[1] if best else None


def attention_summary(spec: ModelSpec) -> str:
    """'GQA with QK-Norm and 5:1 sliding-window/global attention', for fact sheets."""
    layers = [spec.mixers[b.mixer] for b in spec.expanded() if b.mixer]
    kinds: list[str] = []
    for m in layers:
        name = mixer_kind(m).family(m)
        if name not in kinds:
            kinds.append(name)
    text = " + ".join(kinds)
    extras = []
    if spec.norm.qk_norm:
        extras.append("QK-Norm")
    if any("sinks" in mixer_kind(m).tags(m) for m in layers):
        extras.append("attention sinks")
    labels = Counter(mixer_label(m) for m in layers)
    if len(labels) == 2:
        (a, na), (b, nb) = labels.most_common()
        ratio = _group_ratio(spec, a, b) or f"{na // math.gcd(na, nb)}:{nb // math.gcd(na, nb)}"
        extras.append(f"{ratio} {a}/{b} layers")
    elif len(labels) > 2:
        extras.append(_phrase(labels) + " layers")
    return text + (" with " + " and ".join(extras) if extras else "")


# --- structure: the distinct kinds of block and the pattern they follow --------------------


class BlockKind:
    """One distinct kind of layer (same mixer, FFN and wiring) and how many layers have it."""

    __slots__ = ("count", "ffn", "first", "mixer", "parallel")

    def __init__(self, mixer: str | None, ffn: str | None, parallel: bool, count: int, first: int) -> None:
        self.mixer, self.ffn, self.parallel, self.count, self.first = mixer, ffn, parallel, count, first

    @property
    def key(self) -> str:
        """A stable id made from the spec's own names, e.g. 'attn-moe'."""
        return "-".join(p for p in (self.mixer, self.ffn, "parallel" if self.parallel else None) if p)


def block_kinds(spec: ModelSpec) -> list[BlockKind]:
    """Distinct layer kinds in order of first appearance, with their layer counts."""
    kinds: dict[tuple[str | None, str | None, bool], BlockKind] = {}
    for i, b in enumerate(spec.expanded()):
        k = (b.mixer, b.ffn, b.parallel)
        if k in kinds:
            kinds[k].count += 1
        else:
            kinds[k] = BlockKind(b.mixer, b.ffn, b.parallel, 1, i)
    return list(kinds.values())


def kind_label(spec: ModelSpec, kind: BlockKind) -> str:
    """'sliding-window', 'global NoPE + MoE', 'Mamba-2', 'MoE' ..."""
    parts = []
    if kind.mixer:
        parts.append(mixer_label(spec.mixers[kind.mixer]))
    if kind.ffn:
        f = spec.ffns[kind.ffn]
        parts.append("MoE" if f.kind == "moe" else "dense FFN")
    return " + ".join(parts)


def pattern_lines(spec: ModelSpec) -> list[str]:
    """The stack as short lines, bottom to top: '10 × (5 sliding-window, 1 global)'."""
    kinds = block_kinds(spec)
    vary_mixer = len({k.mixer for k in kinds}) > 1
    vary_ffn = len({k.ffn for k in kinds}) > 1

    def label(mixer: str | None, ffn: str | None) -> str:
        parts = []
        if mixer and (vary_mixer or not ffn):
            parts.append(mixer_label(spec.mixers[mixer]))
        if ffn and (vary_ffn or not mixer):
            parts.append("MoE" if spec.ffns[ffn].kind == "moe" else "dense")
        if not parts:  # a uniform stack: name what is there
            parts.append(mixer_label(spec.mixers[mixer]) if mixer else "FFN")
        return " + ".join(parts)

    lines = []
    for g in spec.layers:
        items = ", ".join(f"{b.count} {label(b.mixer, b.ffn)}" for b in g.blocks)
        lines.append(
            f"{g.repeat} × ({items})"
            if g.repeat > 1 and len(g.blocks) > 1
            else f"{g.repeat * g.blocks[0].count} {label(g.blocks[0].mixer, g.blocks[0].ffn)}"
            if len(g.blocks) == 1
            else items
        )
    return lines


def mixer_steps(spec: ModelSpec, m: object) -> list[str]:
    """What happens inside a mixer, bottom to top, for its zoom-in panel."""
    if isinstance(m, MLA):
        q = f"Query: compress to {m.q_lora_rank}, norm, expand" if m.q_lora_rank else "Query projection"
        steps = [
            f"KV: compress to a {m.kv_lora_rank}-d latent (cached) + {m.qk_rope_head_dim}-d "
            + ("RoPE key" if m.rope else "shared key (no RoPE)"),
            q + f" to {m.heads} heads",
            f"Expand latent to keys ({m.qk_nope_head_dim}+{m.qk_rope_head_dim}) and values ({m.v_head_dim})",
        ]
        if m.sparse:
            steps.append(f"Lightning indexer picks top {m.sparse.top_k:,} tokens")
        return [
            *steps,
            "Masked scaled dot-product attention",
            f"Output projection {m.heads}×{m.v_head_dim} → {spec.hidden_size:,}",
        ]
    if isinstance(m, GatedDeltaNet):
        return [
            f"Project q, k ({m.key_heads}×{m.key_head_dim}), v ({m.value_heads}×{m.value_head_dim}), gates",
            f"Causal conv1d (kernel {m.conv_kernel}) + SiLU",
            "L2-normalise q and k",
            f"Gated delta rule: state {m.key_head_dim}×{m.value_head_dim} per head, decay α, step β",
            "Gated RMSNorm (output gate z)",
            f"Output projection → {spec.hidden_size:,}",
        ]
    if isinstance(m, KimiDelta):
        return [
            f"Project q, k, v ({m.heads}×{m.head_dim})",
            f"Causal conv1d (kernel {m.conv_kernel}) + SiLU",
            "Channel-wise decay gate (low-rank)",
            f"Delta rule: state {m.head_dim}×{m.head_dim} per head",
            "Gated RMSNorm (low-rank output gate)",
            f"Output projection → {spec.hidden_size:,}",
        ]
    if isinstance(m, Lightning):
        return [
            f"Project q, k, v ({m.heads}×{m.head_dim})",
            f"Linear attention: state {m.head_dim}×{m.head_dim} per head",
            "Norm" + (" and output gate" if m.gated else ""),
            f"Output projection → {spec.hidden_size:,}",
        ]
    if isinstance(m, Mamba2):
        return [
            "In-projection: x, z, B, C, Δt",
            f"Causal conv1d (kernel {m.conv_kernel}) + SiLU",
            f"Selective scan: {m.heads} heads × {m.head_dim}, state {m.state_size}",
            "Gated RMSNorm (gate z)",
            f"Out-projection → {spec.hidden_size:,}",
        ]
    if isinstance(m, Attention):
        steps = [f"Project q ({m.heads}×{m.head_dim}), k and v ({m.kv_heads}×{m.head_dim})"]
        if m.sparse:
            steps.append(f"Lightning indexer picks top {m.sparse.top_k:,} tokens")
        steps.append("Masked scaled dot-product attention")
        if m.gated:
            steps.append("Sigmoid output gate")
        return [*steps, f"Output projection → {spec.hidden_size:,}"]
    return []
