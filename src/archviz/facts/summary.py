"""The facts of a model, gathered in one frozen, JSON-ready record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from archviz import numbers as fmt
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
    published_effective: int | None
    """An 'effective' size as published (Gemma E2B/E4B)."""
    computed_effective: int | None
    """The same, computed: the total without the token and per-layer embedding tables (only for
    models with per-layer embeddings or a published effective size)."""
    computed_as_published_total: int
    computed_as_published_active: int
    kv_cache_bytes_per_token: float
    kv_cache_tier: str
    dtype: str
    """Element type of the cache and state figures (the tier is always judged in bf16)."""
    kv_cache_context: int | None
    """The context length `kv_cache_bytes_at_context` was computed for, when asked."""
    kv_cache_bytes_at_context: float | None
    """KV cache of one sequence at that length, sliding windows and chunks honoured."""
    state_bytes: float
    layers: int
    loops: int
    """Passes through the stack (looped depth shares the layers' weights between them)."""
    layer_mix: str
    attention: str
    context_length: int | None
    vocab_size: int
    hidden_size: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def _repr_markdown_(self) -> str:
        """The fact sheet as a table, for Jupyter."""
        rows = "\n".join(map(fmt.md_row, fact_sheet(self)))
        return f"**{fmt.md(self.name)}** ({fmt.md(self.organization)})\n\n| | |\n|---|---|\n{rows}\n"


def facts(spec: Spec, dtype: str = "bf16", context: int | None = None) -> Facts:
    """Every derived figure for `spec` (KV cache and state in `dtype`; with `context`, also the
    cache of one sequence of that many tokens)."""
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
        published_effective=m.params.effective,
        computed_effective=params.effective(m, b) if m.per_layer_embeddings or m.params.effective else None,
        computed_as_published_total=pub_total,
        computed_as_published_active=pub_active,
        kv_cache_bytes_per_token=kv,
        kv_cache_tier=kvcache.tier(kvcache.kv_bytes_per_token(m, "bf16")),
        dtype=dtype,
        kv_cache_context=context,
        kv_cache_bytes_at_context=kvcache.kv_bytes_at(m, context, dtype) if context else None,
        state_bytes=kvcache.state_bytes(m, dtype),
        layers=m.num_layers,
        loops=m.loops,
        layer_mix=describe.layer_mix(m),
        attention=describe.attention_summary(m),
        context_length=m.context_length,
        vocab_size=m.vocab_size,
        hidden_size=m.hidden_size,
    )


def _passes(loops: int) -> str:
    return f", run {loops} times with the same weights" if loops > 1 else ""


def fact_sheet(f: Facts) -> list[tuple[str, str]]:
    """The fact sheet as (label, value) rows, shared by `archviz facts` and the gallery pages."""
    share = f" ({100 * f.active_share:.1f}% active)" if f.params_active != f.params_total else ""
    scale = fmt.count(f.params_total) + (f" total, {fmt.count(f.params_active)} active" if share else "") + share
    if f.published_total is None:
        published = "none (computed from config.json)"
    else:
        published = fmt.count(f.published_total) + (
            f" total, {fmt.count(f.published_active)} active" if f.published_active else ""
        )
    rows = [
        ("Parameters", scale),
        ("Published", published),
        ("Decoder type", f.decoder_type.replace("_", " ")),
        ("Attention", f.attention),
        ("Layers", f"{f.layers}{_passes(f.loops)}: {f.layer_mix}"),
        (f"KV cache per token ({f.dtype})", f"{fmt.kib(f.kv_cache_bytes_per_token)} ({f.kv_cache_tier})"),
        ("Context length", f"{f.context_length:,} tokens" if f.context_length else "no fixed limit (recurrent)"),
        ("Vocabulary", f"{f.vocab_size:,}"),
        ("Embedding dimension", f"{f.hidden_size:,}"),
        ("Licence", f.license),
        ("Release date", f.release_date),
        ("Key detail", f.key_detail),
    ]
    if f.computed_effective is not None:
        stated = f", published {fmt.count(f.published_effective)}" if f.published_effective else ""
        rows.insert(2, ("Effective", f"{fmt.count(f.computed_effective)} without embedding tables{stated}"))
    if f.kv_cache_context and f.kv_cache_bytes_at_context is not None:
        rows.insert(6, (f"KV cache at {f.kv_cache_context:,} tokens", fmt.size(f.kv_cache_bytes_at_context)))
    if f.state_bytes:
        rows.insert(
            6, ("Fixed state per sequence", f"{fmt.size(f.state_bytes)} ({f.dtype}; it does not grow with the context)")
        )
    return rows
