"""The facts of a model, gathered in one frozen, JSON-ready record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from archviz.facts import describe, kvcache, params
from archviz.spec.loader import Spec


@dataclass(frozen=True)
class Facts:
    """What a fact sheet shows; computed from a spec, never stored in it."""

    id: str
    name: str
    organization: str
    release_date: str
    license: str
    decoder_type: str
    key_detail: str
    params_total: int
    params_active: int
    active_share: float
    params_breakdown: dict[str, int]
    published_total: int | None
    """None when no figure is published (imported configs)."""
    published_active: int | None
    computed_as_published_total: int
    computed_as_published_active: int
    kv_cache_bytes_per_token: float
    kv_cache_tier: str
    state_bytes: float
    layers: int
    layer_mix: str
    attention: str
    context_length: int
    vocab_size: int
    hidden_size: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def facts(spec: Spec, dtype: str = "bf16") -> Facts:
    """Every derived figure for `spec` (KV cache and state in `dtype`)."""
    m = spec.model
    b = params.breakdown(m)
    pub_total, pub_active = params.as_published(m, b)
    kv = kvcache.kv_bytes_per_token(m, dtype)
    return Facts(
        id=spec.id,
        name=m.name,
        organization=m.organization,
        release_date=m.date_text,
        license=m.license,
        decoder_type=m.decoder_type,
        key_detail=m.key_detail,
        params_total=b.total,
        params_active=b.active,
        active_share=b.active / b.total,
        params_breakdown=b.as_dict(),
        published_total=None if m.params.computed else m.params.total,
        published_active=m.params.active,
        computed_as_published_total=pub_total,
        computed_as_published_active=pub_active,
        kv_cache_bytes_per_token=kv,
        kv_cache_tier=kvcache.tier(kvcache.kv_bytes_per_token(m, "bf16")),
        state_bytes=kvcache.state_bytes(m, dtype),
        layers=m.num_layers,
        layer_mix=describe.layer_mix(m),
        attention=describe.attention_summary(m),
        context_length=m.context_length,
        vocab_size=m.vocab_size,
        hidden_size=m.hidden_size,
    )
