"""Multi-head latent attention (DeepSeek V2/V3): keys and values expanded from a small cached
latent, plus one shared rotary key; optionally with DeepSeek Sparse Attention's indexer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.attention import (
    add_indexer,
    add_output_gate,
    gate_width,
    indexer_params,
    indexer_words,
    sparse_detail,
    theta_text,
)
from archviz.kinds.base import MixerKind, SideInput, norm_name, register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.spec.models import MLA, ModelSpec


def rotated(m: MLA) -> bool:
    """Whether the layer rotates its shared key by RoPE: not a NoPE layer, and it has one."""
    return m.rope and m.qk_rope_head_dim > 0


class MLAKind(MixerKind):
    kind = "mla"

    def label(self, m: MLA) -> str:
        return ("gated " if m.gated else "") + ("MLA + sparse" if m.sparse else "MLA")

    def title(self, m: MLA, short: bool = False) -> str:
        gate = "Gated " if m.gated else ""
        if short:
            return gate + "MLA" + indexer_words(m.sparse, short=True)
        return (
            gate
            + ("multi-head latent attention" if m.gated else "Multi-head latent attention")
            + indexer_words(m.sparse)
        )

    def family(self, m: MLA) -> str:
        return "MLA with sparse attention (indexer)" if m.sparse else "MLA"

    def variant(self, m: MLA) -> str:
        gate = "Gated " if m.gated else ""
        return gate + "MLA" + indexer_words(m.sparse) + ("" if rotated(m) else " (NoPE)")

    def detail(self, m: MLA) -> str:
        sparse = f" · {sparse_detail(m.sparse)}" if m.sparse else ""
        return f"latent {m.kv_lora_rank}, {m.heads} heads" + sparse + (" · sinks" if m.sinks else "")

    def filters(self, m: MLA) -> tuple[str, ...]:
        return ("MLA", *(("sparse",) if m.sparse else ()))

    def tags(self, m: MLA) -> tuple[str, ...]:
        flags = {
            "sparse": m.sparse,
            "gated": m.gated,
            "head_gate": m.gated == "per_head",
            "sinks": m.sinks,
            "nope": not rotated(m),
        }
        return ("mixer", "mla", "softmax", *(k for k, v in flags.items() if v))

    def params(self, spec: ModelSpec, m: MLA) -> int:
        h = spec.hidden_size
        qk = m.qk_nope_head_dim + m.qk_rope_head_dim
        r = m.q_lora_rank  # down-project, norm, up-project to all heads; or one full projection
        q = h * r + r + r * m.heads * qk if r else h * m.heads * qk
        kv_down = h * (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank  # latent + shared rope key, norm
        kv_up = m.kv_lora_rank * m.heads * (m.qk_nope_head_dim + m.v_head_dim)
        out = m.heads * m.v_head_dim * h
        gate = h * gate_width(m.gated, m.heads, m.v_head_dim)
        sinks = m.heads if m.sinks else 0
        return q + kv_down + kv_up + out + gate + sinks + indexer_params(m.sparse, h, m.q_lora_rank or h)

    def cache_values(self, m: MLA) -> int:
        return m.kv_lora_rank + m.qk_rope_head_dim

    def side_inputs(self, spec: ModelSpec, m: MLA, path: str) -> tuple[SideInput, ...]:
        if spec.positions == "learned":
            return ()
        if not rotated(m) or spec.positions in ("none", "alibi"):
            return (SideInput("NoPE", "nope", f"{path}.rope"),)
        theta = theta_text(spec.rope.theta) if spec.rope else ""
        return (SideInput(f"RoPE θ\u00a0{theta}, {m.qk_rope_head_dim}\u00a0dims", "rope", "rope"),)

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        h = spec.hidden_size
        qk = m.qk_nope_head_dim + m.qk_rope_head_dim
        rope = rotated(m) and spec.positions == "rope"
        shared_key = m.qk_rope_head_dim > 0
        streams = (*(("index",) if m.sparse else ()), "q", "kv", *(("kr",) if shared_key else ()))
        streams += ("gate",) if m.gated else ()
        g = GraphBuilder(path, f"Inside {'gated ' if m.gated else ''}multi-head latent attention", streams)
        x = g.add("input", "Input", role="io", path="hidden_size", tooltip=f"Hidden state, {h:,} wide")
        if m.q_lora_rank:
            qd = g.add(
                "q-down",
                "Linear ↓",
                detail=f"→ {m.q_lora_rank:,}",
                role="linear",
                stream="q",
                path=f"{path}.q_lora_rank",
            )
            qn = g.add("q-norm", norm_name(spec), stream="q", path="norm")
            qu = g.add("q-up", "Linear ↑ Q", role="linear", stream="q", path=f"{path}.heads")
            g.edge(x, qd)
            g.flow(qd, qn, qu)
            q, q_shape = qu, dims(m.heads, qk)
        else:
            q = g.add("q", "Linear Q", role="linear", stream="q", path=f"{path}.heads")
            g.edge(x, q)
            q_shape = dims(m.heads, qk)
        if rope:
            qr = g.add("q-rope", "RoPE", detail=f"{m.qk_rope_head_dim} of {qk} dims", stream="q", path="rope")
            g.edge(q, qr, q_shape)
            q, q_shape = qr, ""
        latent = g.add(
            "kv-down",
            "Linear ↓ KV",
            detail=f"latent {m.kv_lora_rank}",
            role="linear",
            stream="kv",
            cached=True,
            path=f"{path}.kv_lora_rank",
            tooltip="The compressed latent: the only per-head state that is cached",
        )
        kvn = g.add("kv-norm", norm_name(spec), stream="kv", path="norm")
        kvu = g.add("kv-up", "Linear ↑ K, V", role="linear", stream="kv", path=f"{path}.kv_lora_rank")
        g.edge(x, latent)
        g.flow(latent, kvn, kvu, label=f"{m.kv_lora_rank}")
        key = None
        if shared_key:
            key = g.add(
                "k-rope-proj",
                "Linear K",
                detail="shared by all heads",
                role="linear",
                stream="kr",
                cached=not rope,
                path=f"{path}.qk_rope_head_dim",
            )
            g.edge(x, key)
            if rope:
                kr, key = (
                    key,
                    g.add("k-rope", "RoPE", detail=f"{m.qk_rope_head_dim} dims", stream="kr", cached=True, path="rope"),
                )
                g.edge(kr, key, f"{m.qk_rope_head_dim}")
        core = g.add(
            "attention",
            "Masked attention",
            detail=f"{m.heads} heads",
            role="core",
            path=path,
            tooltip="Scaled dot-product attention with a causal mask",
        )
        g.edge(q, core, q_shape)
        g.edge(kvu, core, f"{m.heads}×({m.qk_nope_head_dim}+{m.v_head_dim})")
        if key is not None:
            g.edge(key, core, "" if rope else f"{m.qk_rope_head_dim}")
        if m.sparse:
            add_indexer(g, m.sparse, path, x, core, query="q-norm" if m.q_lora_rank else None)
        top = add_output_gate(g, m.gated, m.heads, m.v_head_dim, x, core, path) if m.gated else core
        out = g.add("out", "Linear out", role="linear", path=path)
        g.edge(top, out, "" if m.gated else dims(m.heads, m.v_head_dim))
        y = g.add("output", "Output", role="io", path="hidden_size")
        g.edge(out, y, f"{h:,}")
        if shared_key:
            keys = f"{m.qk_nope_head_dim} + {m.qk_rope_head_dim} ({'RoPE' if rope else 'shared, no RoPE'})"
            cached = f"latent {m.kv_lora_rank} + shared key {m.qk_rope_head_dim} = {self.cache_values(m):,}\u00a0values"
        else:
            keys, cached = f"{m.qk_nope_head_dim}, no shared key", f"the latent, {m.kv_lora_rank:,}\u00a0values"
        g.caption("Heads", f"{m.heads} · keys {keys}, values {m.v_head_dim}")
        g.caption("Cached per token and layer", cached)
        return g.build("Keys and values are expanded from a small latent; only the latent is cached")


register_mixer(MLAKind())
