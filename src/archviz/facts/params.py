"""Parameter counts from a spec: the model's total and active parameters, part by part.

Each mixer and FFN kind counts its own layer (archviz.kinds); this module adds them up over the
stack with the embedding, norms, output head and MTP modules. Matrix weights count rows x
columns; norms count their scale (and bias for LayerNorm).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from archviz.kinds import FFNParams, ffn_kind, mixer_kind, norm_params, residual
from archviz.spec.models import ModelSpec


def mixer_params(spec: ModelSpec, m: object) -> int:
    """Parameters of one token-mixer layer (each kind's module has the formula)."""
    return mixer_kind(m).params(spec, m)


def ffn_params(spec: ModelSpec, f: object) -> FFNParams:
    """Parameters of one FFN or MoE layer."""
    return ffn_kind(f).params(spec, f)


def block_norms(spec: ModelSpec, sublayers: int) -> int:
    """Norms of a layer of `sublayers` residual branches: one each, two with sandwich norms."""
    per = 2 if spec.norm.placement == "sandwich" else 1
    return sublayers * per * norm_params(spec, spec.hidden_size)


@dataclass(frozen=True)
class ParamBreakdown:
    """Total and active parameters by part. Active = what one token passes through."""

    embedding: int
    positions: int
    per_layer_table: int
    """Per-layer embeddings (PLE): the table, vocab x layers·width."""
    per_layer_inputs: int
    """PLE's projection of the hidden state and each layer's gate, projection back and norm."""
    mixers: int
    ffn: int
    experts_routed: int
    experts_shared: int
    router: int
    norms: int
    residual: int
    """Weights of a multi-stream or attention-mixed residual path (kinds/residual.py)."""
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
            + self.per_layer_table
            + self.per_layer_inputs
            + self.mixers
            + self.ffn
            + self.experts_routed
            + self.experts_shared
            + self.router
            + self.norms
            + self.residual
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
    layer_kinds = Counter((b.mixer, b.ffn, b.sublayers) for b in spec.expanded())
    for (mixer, f, sublayers), n in layer_kinds.items():
        if mixer is not None:
            mixers += n * mixer_params(spec, spec.mixers[mixer])
        if f is not None:
            fp = ffn_params(spec, spec.ffns[f])
            ffn += n * fp.dense
            routed += n * fp.routed
            routed_active += n * fp.routed_active
            shared += n * fp.shared
            router += n * fp.router
        norms += n * block_norms(spec, sublayers)
    norms += norm_params(spec, h) if spec.norm.final else 0
    table = inputs = 0
    if (ple := spec.per_layer_embeddings) is not None:
        n, w = spec.num_layers, ple.width
        table = (ple.vocab or spec.vocab_size) * n * w
        inputs = h * n * w + norm_params(spec, w) + n * (2 * h * w + norm_params(spec, h))
    mtp = mtp_active = 0
    if spec.mtp is not None:  # DeepSeek-style: project [embedding; hidden], then one full block
        per = 2 * h * h + 3 * norm_params(spec, h) + mixer_params(spec, spec.mixers[spec.mtp.mixer])
        per += block_norms(spec, 2)
        fp = ffn_params(spec, spec.ffns[spec.mtp.ffn])
        per += residual.mtp_params(spec)
        mtp = spec.mtp.modules * (per + fp.total)
        mtp_active = spec.mtp.modules * (per + fp.active)
    return ParamBreakdown(
        embedding=spec.vocab_size * h,
        positions=(spec.learned_positions or 0) * h if spec.positions == "learned" else 0,
        per_layer_table=table,
        per_layer_inputs=inputs,
        mixers=mixers,
        ffn=ffn,
        experts_routed=routed,
        experts_shared=shared,
        router=router,
        norms=norms,
        residual=residual.params(spec),
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
    tables = b.embedding + b.positions + b.per_layer_table
    emb_total = 0 if p.includes_embedding else -tables
    emb_active = p.includes_embedding if p.active_includes_embedding is None else p.active_includes_embedding
    total = b.total + emb_total + head + other + (b.mtp if p.includes_mtp else 0)
    active = b.active + (0 if emb_active else -tables) + head
    active += other if p.active_includes_other else 0
    return total, active + (b.mtp_active if p.includes_mtp else 0)


def effective(spec: ModelSpec, b: ParamBreakdown | None = None) -> int:
    """Gemma's 'effective' size: the published total's parts without the token and per-layer
    embedding tables."""
    b = b or breakdown(spec)
    total, _ = as_published(spec, b)
    return total - (b.embedding + b.per_layer_table if spec.params.includes_embedding else 0)


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
