"""Readable names and phrases for a spec's parts: layer mix, attention kind, FFN kind."""

from __future__ import annotations

import math
from collections import Counter

from archviz.kinds import activation_name, ffn_kind, mixer_kind
from archviz.kinds.attention import variant_code
from archviz.spec.models import Attention, ModelSpec


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
        size = g.repeat * (counts[a] + counts[b])
        if g.repeat > 1 and counts[a] and counts[b] and (best is None or size > best[0]):
            best = (size, f"{counts[a]}:{counts[b]}")
    covered = best is not None and 4 * best[0] >= 3 * spec.num_layers
    return best[1] if best and covered else None


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
