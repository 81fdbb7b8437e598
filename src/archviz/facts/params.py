"""Parameter counts from a spec: pure functions, one per component, with the formulas inline.

Notation: h = hidden size, f = FFN hidden size, H = query heads, K = KV heads, d = head dim.
Matrix weights count rows x columns; norms count their scale (and bias for LayerNorm).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archviz.spec.models import (
    MLA,
    MLP,
    Attention,
    GatedDeltaNet,
    KimiDelta,
    Lightning,
    Mamba2,
    ModelSpec,
    MoE,
    SparseIndexer,
)


def norm_params(spec: ModelSpec, width: int) -> int:
    """One norm over `width` features: a scale, plus a bias for LayerNorm."""
    return width * (2 if spec.norm.has_bias else 1)


def _indexer(ix: SparseIndexer | None, h: int, q_in: int) -> int:
    """DSA lightning indexer: queries from the (compressed) query input, one key, head weights."""
    if ix is None:
        return 0
    return q_in * ix.heads * ix.head_dim + h * ix.head_dim + 2 * ix.head_dim + h * ix.heads


def mixer_params(spec: ModelSpec, m: object) -> int:
    """Parameters of one token-mixer layer."""
    h = spec.hidden_size
    if isinstance(m, Attention):
        vd = m.v_head_dim or m.head_dim
        q, k, v, o = m.heads * m.head_dim, m.kv_heads * m.head_dim, m.kv_heads * vd, m.heads * vd
        n = h * q + h * k + h * v + o * h  # W_q, W_k, W_v, W_o
        n += h * o if m.gated else 0  # output gate projection
        n += (q + k + v) if m.qkv_bias else 0
        n += h if m.out_bias else 0
        n += m.heads if m.sinks else 0
        qk_norm = spec.norm.qk_norm if m.qk_norm is None else m.qk_norm
        n += 2 * norm_params(spec, m.head_dim) if qk_norm else 0
        return n + _indexer(m.sparse, h, h)
    if isinstance(m, MLA):
        qk = m.qk_nope_head_dim + m.qk_rope_head_dim
        r = m.q_lora_rank  # down-project, norm, up-project to all heads; or one full projection
        q = h * r + r + r * m.heads * qk if r else h * m.heads * qk
        kv_down = h * (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank  # latent + shared rope key, norm
        kv_up = m.kv_lora_rank * m.heads * (m.qk_nope_head_dim + m.v_head_dim)
        out = m.heads * m.v_head_dim * h
        return q + kv_down + kv_up + out + _indexer(m.sparse, h, m.q_lora_rank or h)
    if isinstance(m, GatedDeltaNet):
        kd, vd = m.key_heads * m.key_head_dim, m.value_heads * m.value_head_dim
        return (
            h * (2 * kd + 2 * vd)  # q, k, v and the output gate z
            + h * 2 * m.value_heads  # beta and the decay gate a
            + (2 * kd + vd) * m.conv_kernel  # short causal convolution over q, k, v
            + 2 * m.value_heads  # dt bias and A
            + m.value_head_dim  # gated RMSNorm
            + vd * h  # output projection
        )
    if isinstance(m, KimiDelta):
        w = m.heads * m.head_dim
        return (
            3 * h * w  # q, k, v
            + 3 * w * m.conv_kernel  # their short convolutions
            + 2 * (h * m.head_dim + m.head_dim * w)  # low-rank decay (f) and output gate (g)
            + m.heads
            + w  # A and dt bias
            + h * m.heads  # beta
            + m.head_dim  # output norm
            + w * h  # output projection
        )
    if isinstance(m, Lightning):
        w = m.heads * m.head_dim
        return 3 * h * w + (h * w if m.gated else 0) + w + w * h
    if isinstance(m, Mamba2):
        inner = m.heads * m.head_dim
        conv = inner + 2 * m.groups * m.state_size
        return (
            h * (2 * inner + 2 * m.groups * m.state_size + m.heads)  # x, z, B, C, dt
            + conv * m.conv_kernel
            + conv  # depthwise conv with bias
            + 3 * m.heads  # dt bias, A, D
            + inner  # gated norm
            + inner * h  # output projection
        )
    raise TypeError(f"unknown mixer {m!r}")


def mlp_params(h: int, f: int, gated: bool, bias: bool) -> int:
    """A dense FFN: gated ones (SwiGLU, GeGLU) have two input projections."""
    n = (3 if gated else 2) * h * f
    return n + ((2 * f if gated else f) + h if bias else 0)


@dataclass(frozen=True)
class FFNParams:
    """An FFN layer's parameters, split so that active counts can be derived."""

    dense: int = 0
    routed: int = 0
    routed_active: int = 0
    shared: int = 0
    router: int = 0

    @property
    def total(self) -> int:
        return self.dense + self.routed + self.shared + self.router

    @property
    def active(self) -> int:
        return self.dense + self.routed_active + self.shared + self.router


def ffn_params(spec: ModelSpec, f: object) -> FFNParams:
    """Parameters of one FFN or MoE layer."""
    h = spec.hidden_size
    if isinstance(f, MLP):
        return FFNParams(dense=mlp_params(h, f.hidden, f.gated, f.bias))
    if isinstance(f, MoE):
        width = f.latent_size or h
        one = mlp_params(width, f.expert_hidden, f.gated, f.bias)
        shared = f.shared_experts * mlp_params(h, f.shared_hidden or f.expert_hidden, f.gated, f.bias)
        router = h * f.experts + (f.experts if f.router.bias else 0) + (h if f.shared_gate else 0)
        latent = 2 * h * f.latent_size if f.latent_size else 0  # in and out of the latent space
        return FFNParams(routed=f.experts * one, routed_active=f.top_k * one, shared=shared + latent, router=router)
    raise TypeError(f"unknown ffn {f!r}")


def block_norms(spec: ModelSpec, has_mixer: bool, has_ffn: bool, parallel: bool) -> int:
    """Norms of one layer: one per sublayer, two with sandwich norms, one shared when parallel."""
    sublayers = 1 if parallel else int(has_mixer) + int(has_ffn)
    per = 2 if spec.norm.placement == "sandwich" else 1
    return sublayers * per * norm_params(spec, spec.hidden_size)


@dataclass(frozen=True)
class ParamBreakdown:
    """Total and active parameters by part. Active = what one token passes through."""

    embedding: int
    positions: int
    mixers: int
    ffn: int
    experts_routed: int
    experts_shared: int
    router: int
    norms: int
    output_head: int
    mtp: int
    experts_active: int
    mtp_active: int = 0

    @property
    def total(self) -> int:
        """Everything except MTP modules (which vendors usually report separately)."""
        return (
            self.embedding
            + self.positions
            + self.mixers
            + self.ffn
            + self.experts_routed
            + self.experts_shared
            + self.router
            + self.norms
            + self.output_head
        )

    @property
    def active(self) -> int:
        return self.total - self.experts_routed + self.experts_active

    def as_dict(self) -> dict[str, int]:
        parts = {k: v for k, v in vars(self).items() if k not in ("experts_active", "mtp_active")}
        return {**parts, "total": self.total, "active": self.active}


def breakdown(spec: ModelSpec) -> ParamBreakdown:
    """Count every parameter of the model described by `spec`."""
    h = spec.hidden_size
    mixers = ffn = routed = routed_active = shared = router = norms = 0
    layer_kinds = Counter((b.mixer, b.ffn, b.parallel) for b in spec.expanded())
    for (mixer, f, parallel), n in layer_kinds.items():
        if mixer is not None:
            mixers += n * mixer_params(spec, spec.mixers[mixer])
        if f is not None:
            fp = ffn_params(spec, spec.ffns[f])
            ffn += n * fp.dense
            routed += n * fp.routed
            routed_active += n * fp.routed_active
            shared += n * fp.shared
            router += n * fp.router
        norms += n * block_norms(spec, mixer is not None, f is not None, parallel)
    norms += norm_params(spec, h) if spec.norm.final else 0
    mtp = mtp_active = 0
    if spec.mtp is not None:  # DeepSeek-style: project [embedding; hidden], then one full block
        per = 2 * h * h + 3 * norm_params(spec, h) + mixer_params(spec, spec.mixers[spec.mtp.mixer])
        per += block_norms(spec, True, True, False)
        fp = ffn_params(spec, spec.ffns[spec.mtp.ffn])
        mtp = spec.mtp.modules * (per + fp.total)
        mtp_active = spec.mtp.modules * (per + fp.active)
    return ParamBreakdown(
        embedding=spec.vocab_size * h,
        positions=(spec.learned_positions or 0) * h if spec.positions == "learned" else 0,
        mixers=mixers,
        ffn=ffn,
        experts_routed=routed,
        experts_shared=shared,
        router=router,
        norms=norms,
        output_head=0 if spec.tie_embeddings else spec.vocab_size * h,
        mtp=mtp,
        experts_active=routed_active,
        mtp_active=mtp_active,
    )


def as_published(spec: ModelSpec, b: ParamBreakdown | None = None) -> tuple[int, int]:
    """(total, active) counted the way the vendor's published figures count them."""
    b = b or breakdown(spec)
    p = spec.params
    other = sum(p.includes_other.values())
    head = 0 if p.includes_output_head else -b.output_head
    emb_total = 0 if p.includes_embedding else -(b.embedding + b.positions)
    emb_active = p.includes_embedding if p.active_includes_embedding is None else p.active_includes_embedding
    total = b.total + emb_total + head + other + (b.mtp if p.includes_mtp else 0)
    active = b.active + (0 if emb_active else -(b.embedding + b.positions)) + head + other
    return total, active + (b.mtp_active if p.includes_mtp else 0)


def tolerance(published: int, label_only: bool, relative: float) -> float:
    """How far a computed count may be from a published one: `relative` of it, or half a unit of
    the label's last digit when the vendor gives only a rounded label ('7B' -> 0.5B)."""
    tol = relative * published
    if label_only:
        unit = 10 ** (len(str(published)) - 1)
        while published % unit:
            unit //= 10
        tol = max(tol, unit / 2)
    return tol
