"""KV cache per token and at a context length, and the fixed state of linear mixers.

Per token (the standard figure): every softmax-attention layer caches K and V, 2 x KV heads x
head dim values (KV heads x (key dim + value dim) when they differ); an MLA layer caches its
latent plus the shared rotary key, kv_lora_rank + qk_rope_head_dim values. Sliding-window and
chunked layers count in full per token; linear mixers (Gated DeltaNet, Kimi Delta, Lightning,
Mamba-2) cache nothing per token but keep a fixed-size state. MTP modules are not counted; each
pass of a looped stack counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from archviz.kinds import mixer_kind
from archviz.spec.models import ModelSpec

DTYPE_BYTES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}

TIERS = (
    (0, "none"),
    (25 * 1024, "very low"),
    (72 * 1024, "low"),
    (160 * 1024, "moderate"),
    (300 * 1024, "high"),
)
"""Upper bounds (bytes per token, bf16, inclusive) of the reference's tiers; above: very high."""


def _bytes(dtype: str) -> float:
    try:
        return DTYPE_BYTES[dtype]
    except KeyError:
        raise ValueError(f"unknown dtype '{dtype}'; choose from {', '.join(DTYPE_BYTES)}") from None


def values_per_token(m: object) -> int:
    """Cached values one layer of this mixer adds per token."""
    return mixer_kind(m).cache_values(m)


def span(m: object) -> int | None:
    """How many past tokens a layer keeps (None: all of them)."""
    return mixer_kind(m).span(m)


def state_values(m: object) -> int:
    """Fixed recurrent state (plus convolution state) of one linear-mixer layer."""
    return mixer_kind(m).state_values(m)


def _mixers(spec: ModelSpec) -> Sequence[object]:
    """The mixer of every layer a token passes through: each pass of a looped stack has its own
    cache and state, though the weights are shared."""
    return [spec.mixers[b.mixer] for b in spec.expanded() if b.mixer is not None] * spec.loops


def kv_bytes_per_token(spec: ModelSpec, dtype: str = "bf16") -> float:
    """KV cache added by one token, over all attention layers."""
    return sum(values_per_token(m) for m in _mixers(spec)) * _bytes(dtype)


def kv_bytes_at(spec: ModelSpec, context: int, dtype: str = "bf16") -> float:
    """KV cache for one sequence of `context` tokens, honouring sliding windows and chunks."""
    total = 0
    for m in _mixers(spec):
        keep = span(m)
        total += values_per_token(m) * (min(context, keep) if keep else context)
    return total * _bytes(dtype)


def state_bytes(spec: ModelSpec, dtype: str = "bf16") -> float:
    """Fixed per-sequence state: the recurrent state of linear mixers, the windows of compressed attention."""
    return sum(state_values(m) for m in _mixers(spec)) * _bytes(dtype)


def tier(bytes_per_token: float) -> str:
    """The reference's label for a bf16 per-token KV cache size."""
    for bound, name in TIERS:
        if bytes_per_token <= bound:
            return name
    return "very high"


def cache_profile(spec: ModelSpec) -> list[dict[str, int | None]]:
    """The cache as groups of identical layers: values per token, span (None: all tokens), count.
    Enough for any context length and dtype to be computed elsewhere (the gallery's calculator)."""
    groups: dict[tuple[int, int | None], int] = {}
    for m in _mixers(spec):
        v = values_per_token(m)
        if v:
            groups[(v, span(m))] = groups.get((v, span(m)), 0) + 1
    return [{"values": v, "span": s, "layers": n} for (v, s), n in sorted(groups.items(), key=str)]
