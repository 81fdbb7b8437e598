"""Structural difference of two specs: components aligned by role, each difference classified.

Every model is first reduced to a flat map of architectural features keyed by role
('norm.kind', 'attention.variant', 'moe.experts', ...), independent of the names a spec gives its
mixers and FFNs. Comparing two such maps is symmetric by construction: a feature present on one
side only is an addition or a removal, a differing number is a changed number, anything else a
changed kind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from archviz import numbers as fmt
from archviz.facts import describe, kvcache, params
from archviz.kinds import residual
from archviz.spec.loader import Spec
from archviz.spec.models import LINEAR_MIXERS, MLA, MLP, Attention, Compressed, ModelSpec, MoE

Kind = Literal["changed kind", "changed number", "added", "removed"]

LABELS = {
    "stack.layers": "layers",
    "stack.loops": "passes through the stack (shared weights)",
    "residual": "residual path",
    "embedding.per_layer": "per-layer embeddings (width per layer)",
    "stack.mix": "layer mix",
    "width": "embedding dimension",
    "vocab": "vocabulary",
    "context": "context length",
    "embedding.tied": "tied input/output embedding",
    "embedding.dropout": "dropout",
    "positions.kind": "positional encoding",
    "positions.learned": "learned positions",
    "positions.rope_theta": "RoPE base",
    "positions.partial_rotary": "partial RoPE fraction",
    "positions.scaling": "RoPE scaling",
    "positions.nope_layers": "NoPE layers",
    "norm.kind": "normalisation",
    "norm.placement": "norm placement",
    "norm.qk_norm": "QK-Norm",
    "attention.variant": "attention",
    "attention.heads": "query heads",
    "attention.kv_heads": "KV heads",
    "attention.head_dim": "head dimension",
    "attention.kv_lora_rank": "MLA KV latent",
    "attention.q_lora_rank": "MLA query rank",
    "attention.sliding_window": "sliding window",
    "attention.sliding_layers": "sliding-window layers",
    "attention.chunk": "chunked attention",
    "attention.gated": "attention output gate",
    "attention.sinks": "attention sinks",
    "attention.shared_indexer_layers": "layers reusing an earlier layer's sparse selection",
    "attention.k_eq_v_layers": "layers whose keys are also values (K = V)",
    "positions.partial_rope_layers": "layers with their own partial RoPE",
    "attention.bias": "attention biases",
    "attention.sparse_indexer": "sparse attention (indexer)",
    "mixers.linear": "linear / state-space mixers",
    "mixers.linear_layers": "linear-mixer layers",
    "ffn.type": "feed-forward type",
    "ffn.activation": "FFN",
    "ffn.hidden": "FFN hidden size",
    "ffn.bias": "FFN biases",
    "ffn.parallel": "parallel attention and FFN",
    "moe.experts": "routed experts",
    "moe.top_k": "experts per token",
    "moe.expert_hidden": "expert hidden size",
    "moe.shared_experts": "shared experts",
    "moe.router": "router scoring",
    "moe.dense_layers": "dense-FFN layers in an MoE stack",
    "moe.latent": "latent MoE width",
    "mtp.modules": "MTP modules",
    "params.total": "total parameters",
    "params.active": "active parameters",
    "kv_cache_per_token": "KV cache per token (bf16)",
}

METADATA = ("name", "organization", "release_date", "license", "key_detail")


def _main_attention(m: ModelSpec) -> Attention | MLA | Compressed | None:
    """The softmax-attention mixer used by most layers (roles align on it)."""
    softmax = ("attention", "mla", "compressed")
    used = Counter(b.mixer for b in m.expanded() if b.mixer and m.mixers[b.mixer].kind in softmax)
    return m.mixers[used.most_common(1)[0][0]] if used else None  # type: ignore[return-value]


def _main(m: ModelSpec, kind: type) -> Any:
    used = Counter(b.ffn for b in m.expanded() if b.ffn and isinstance(m.ffns[b.ffn], kind))
    return m.ffns[used.most_common(1)[0][0]] if used else None


def features(m: ModelSpec) -> dict[str, Any]:
    """The model as role -> value. Absent features are simply missing (None values dropped)."""
    layers = m.expanded()
    mixers = [m.mixers[b.mixer] for b in layers if b.mixer]
    attn = [x for x in mixers if isinstance(x, Attention | MLA)]
    f: dict[str, Any] = {
        "stack.layers": m.num_layers,
        "stack.loops": m.loops if m.loops > 1 else None,
        "stack.mix": re.sub(r"\d+ ", "", describe.layer_mix(m)),  # the kinds; counts are other roles
        "width": m.hidden_size,
        "vocab": m.vocab_size,
        "context": m.context_length,
        "embedding.tied": m.tie_embeddings,
        "embedding.dropout": m.dropout or None,
        "positions.kind": {"rope": "RoPE", "learned": "learned absolute", "none": "none (NoPE)", "alibi": "ALiBi"}[
            m.positions
        ],
        "positions.learned": m.learned_positions if m.positions == "learned" else None,
        "positions.rope_theta": m.rope.theta if m.rope else None,
        "positions.partial_rotary": m.rope.partial if m.rope and m.rope.partial < 1 else None,
        "positions.scaling": f"{m.rope.scaling.type} ×{m.rope.scaling.factor:g}" if m.rope and m.rope.scaling else None,
        "positions.nope_layers": sum(1 for x in attn if not x.rope) or None,
        "norm.kind": {"rmsnorm": "RMSNorm", "layernorm": "LayerNorm"}[m.norm.kind],
        "norm.placement": {
            "pre": "pre-norm",
            "post": "post-norm",
            "inside_post": "post-norm inside the residual",
            "sandwich": "sandwich (pre + post)",
        }[m.norm.placement],
        "norm.qk_norm": m.norm.qk_norm or any(isinstance(x, Attention) and x.qk_norm for x in attn) or None,
        "mixers.linear": ", ".join(sorted({describe.mixer_label(x) for x in mixers if x.kind in _LINEAR})) or None,
        "mixers.linear_layers": sum(1 for x in mixers if x.kind in _LINEAR) or None,
        "ffn.parallel": any(b.parallel for b in layers) or None,
        "mtp.modules": m.mtp.modules if m.mtp else None,
        "residual": residual.title(m.residual) if m.residual else None,
        "embedding.per_layer": m.per_layer_embeddings.width if m.per_layer_embeddings else None,
    }
    main = _main_attention(m)
    if isinstance(main, Attention):
        f |= {
            "attention.variant": describe.attention_variant(main),
            "attention.heads": main.heads,
            "attention.kv_heads": main.kv_heads,
            "attention.head_dim": main.head_dim,
            "attention.gated": "per head" if main.gated == "per_head" else main.gated or None,
            "attention.sinks": main.sinks or None,
            "attention.bias": (main.qkv_bias or main.out_bias) or None,
        }
    elif isinstance(main, Compressed):
        f |= {
            "attention.variant": "compressed (one K = V head)",
            "attention.heads": main.heads,
            "attention.head_dim": main.head_dim,
            "attention.sinks": main.sinks or None,
        }
    elif isinstance(main, MLA):
        f |= {
            "attention.variant": "MLA",
            "attention.heads": main.heads,
            "attention.kv_lora_rank": main.kv_lora_rank,
            "attention.q_lora_rank": main.q_lora_rank,
        }
    windows = [x.window for x in attn if isinstance(x, Attention) and x.window]
    f["attention.sliding_window"] = max(windows) if windows else None
    f["attention.sliding_layers"] = len(windows) or None
    chunks = [x.chunk for x in attn if isinstance(x, Attention) and x.chunk]
    f["attention.chunk"] = max(chunks) if chunks else None
    f["attention.sparse_indexer"] = any(x.sparse for x in attn) or None
    f["attention.shared_indexer_layers"] = sum(1 for x in attn if x.sparse == "shared") or None
    softmax = [x for x in attn if isinstance(x, Attention)]
    f["attention.k_eq_v_layers"] = sum(1 for x in softmax if x.k_eq_v) or None
    f["positions.partial_rope_layers"] = sum(1 for x in softmax if x.rope and (x.rope_partial or 1) < 1) or None
    dense, moe = _main(m, MLP), _main(m, MoE)
    ffns = [m.ffns[b.ffn] for b in layers if b.ffn]
    f["ffn.type"] = "MoE" if moe else "dense"
    if dense is not None:
        f["ffn.activation"] = describe.activation_name(dense.activation, dense.gated)
        f["ffn.hidden"] = dense.hidden
        f["ffn.bias"] = dense.bias or None
    if moe is not None:
        f |= {
            "ffn.activation": f["ffn.activation"] if dense else describe.activation_name(moe.activation, moe.gated),
            "moe.experts": moe.experts,
            "moe.top_k": moe.top_k,
            "moe.expert_hidden": moe.expert_hidden,
            "moe.shared_experts": moe.shared_experts or None,
            "moe.router": moe.router.scoring + (" + bias" if moe.router.bias else ""),
            "moe.dense_layers": sum(1 for x in ffns if isinstance(x, MLP)) or None,
            "moe.latent": moe.latent_size,
        }
    return {k: v for k, v in f.items() if v is not None}


_LINEAR = LINEAR_MIXERS


@dataclass(frozen=True)
class Difference:
    """One way two models differ."""

    path: str
    """The role that differs, e.g. 'norm.kind' or 'moe.experts'."""
    kind: str
    """changed kind, changed number, added, removed, metadata, or effect (a derived figure)."""
    before: Any
    after: Any

    @property
    def label(self) -> str:
        return LABELS.get(self.path, self.path.replace("_", " "))

    def reversed(self) -> Difference:
        flip = {"added": "removed", "removed": "added"}
        return Difference(self.path, flip.get(self.kind, self.kind), self.after, self.before)

    def describe(self) -> str:
        if self.kind == "effect":
            show = fmt.kib if self.path == "kv_cache_per_token" else fmt.count
            ratio = f" (×{self.after / self.before:.2f})" if self.before else ""
            return f"{self.label}: {show(self.before)} → {show(self.after)}{ratio}"
        b, a = _show(self.before), _show(self.after)
        if self.kind == "added":
            return f"{self.label} added" + (f" ({a})" if a not in ("yes", "") else "")
        if self.kind == "removed":
            return f"{self.label} removed" + (f" (was {b})" if b not in ("yes", "") else "")
        return f"{self.label}: {b} → {a}"


def _show(v: Any) -> str:
    if v is True:
        return "yes"
    if v is False:
        return "no"
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:,}" if isinstance(v, int) else str(v)


def _classify(before: Any, after: Any) -> Kind:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if isinstance(before, int | float) and isinstance(after, int | float) and not isinstance(before, bool):
        return "changed number"
    return "changed kind"


@dataclass(frozen=True)
class SpecDiff:
    """The differences between model `a` and model `b`, in a stable order."""

    a: str
    b: str
    differences: tuple[Difference, ...]
    """Architectural differences (changed kind or number, added or removed component)."""
    metadata: tuple[Difference, ...]
    effects: tuple[Difference, ...]
    """What the differences do to the derived figures: parameters and KV cache, with ratios."""

    @property
    def identical(self) -> bool:
        """The architectures are the same (metadata may still differ)."""
        return not self.differences

    def reversed(self) -> SpecDiff:
        return SpecDiff(
            self.b,
            self.a,
            *(tuple(d.reversed() for d in part) for part in (self.differences, self.metadata, self.effects)),
        )

    def summary(self) -> str:
        if self.identical:
            return (
                f"{self.a} and {self.b}: architecture identical" + (", metadata differs" if self.metadata else "") + "."
            )
        return f"{self.a} → {self.b}: {len(self.differences)} architectural difference(s)."

    def to_dict(self) -> dict[str, Any]:
        def rows(part: tuple[Difference, ...]) -> list[dict[str, Any]]:
            return [
                {
                    "path": d.path,
                    "label": d.label,
                    "kind": d.kind,
                    "before": _json(d.before),
                    "after": _json(d.after),
                    "text": d.describe(),
                }
                for d in part
            ]

        return {
            "a": self.a,
            "b": self.b,
            "identical": self.identical,
            "summary": self.summary(),
            "differences": rows(self.differences),
            "metadata": rows(self.metadata),
            "effects": rows(self.effects),
        }


def _json(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _effects(a: ModelSpec, b: ModelSpec) -> tuple[Difference, ...]:
    ba, bb = params.breakdown(a), params.breakdown(b)
    figures: list[tuple[str, float, float]] = [("params.total", ba.total, bb.total)]
    if ba.active != ba.total or bb.active != bb.total:  # active says something only for sparse models
        figures.append(("params.active", ba.active, bb.active))
    figures += [
        ("kv_cache_per_token", kvcache.kv_bytes_per_token(a), kvcache.kv_bytes_per_token(b)),
    ]
    return tuple(Difference(p, "effect", x, y) for p, x, y in figures if x != y)


def diff_specs(a: Spec, b: Spec) -> SpecDiff:
    """Compare two specs role by role (symmetric: diff(b, a) is diff(a, b) reversed)."""
    fa, fb = features(a.model), features(b.model)
    keys = sorted(set(fa) | set(fb), key=lambda k: (list(LABELS).index(k) if k in LABELS else len(LABELS), k))
    arch = tuple(
        Difference(k, _classify(fa.get(k), fb.get(k)), fa.get(k), fb.get(k)) for k in keys if fa.get(k) != fb.get(k)
    )
    meta = tuple(
        Difference(k, "metadata", getattr(a.model, k), getattr(b.model, k))
        for k in METADATA
        if getattr(a.model, k) != getattr(b.model, k)
    )
    return SpecDiff(a.id, b.id, arch, meta, _effects(a.model, b.model))
