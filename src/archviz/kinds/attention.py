"""Softmax attention with query and key/value heads: MHA, GQA or MQA by the head counts, with
sliding windows, chunks, NoPE layers, output gates, sinks and a sparse indexer as variants."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from archviz import numbers as fmt
from archviz.kinds.base import MixerKind, SideInput, norm_name, norm_params, register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.spec.models import Attention, ModelSpec, SparseIndexer

WORDS = {"MHA": "multi-head", "GQA": "grouped-query", "MQA": "multi-query"}


def variant_code(m: Attention) -> str:
    """MHA, GQA or MQA from the head counts."""
    if m.kv_heads == m.heads:
        return "MHA"
    return "MQA" if m.kv_heads == 1 else "GQA"


def indexer_params(ix: SparseIndexer | None, h: int, q_in: int) -> int:
    """DSA lightning indexer: queries from the (compressed) query input, one key, head weights."""
    if ix is None:
        return 0
    return q_in * ix.heads * ix.head_dim + h * ix.head_dim + 2 * ix.head_dim + h * ix.heads


def add_indexer(
    g: GraphBuilder, ix: SparseIndexer, path: str, source: str, core: str, query: str | None = None
) -> None:
    """The DSA branch: a lightning indexer scores past tokens (keys from the hidden state,
    queries from `query`, the compressed query, when there is one); the top k go to attention."""
    idx = g.add(
        "indexer",
        "Lightning indexer",
        detail=f"{ix.heads} heads × {ix.head_dim}",
        role="linear",
        stream="index",
        path=f"{path}.sparse",
        tooltip="Scores every past token cheaply (DeepSeek Sparse Attention)",
    )
    top = g.add("top-k", "Top-k select", detail=f"{ix.top_k:,} tokens", stream="index", path=f"{path}.sparse")
    g.edge(source, idx)
    if query is not None:
        g.edge(query, idx)
    g.flow(idx, top, core)


def qk_norm_of(spec: ModelSpec, m: Attention) -> bool:
    return spec.norm.qk_norm if m.qk_norm is None else m.qk_norm


def position_text(spec: ModelSpec, rope: bool, theta: float | None) -> tuple[str, str] | None:
    """The side input naming how positions enter attention: (text, kind), or None."""
    if spec.positions == "learned":
        return None  # added once, at the embedding
    if spec.positions == "alibi":
        return ("ALiBi", "alibi")
    if not rope or spec.positions == "none" or spec.rope is None:
        return ("NoPE", "nope")
    base = f"θ\u00a0{theta_text(theta or spec.rope.theta)}"
    if spec.rope.partial < 1:
        return (f"Partial RoPE {spec.rope.partial:.0%}, {base}", "rope")
    return (f"RoPE {base}", "rope")


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def theta_text(theta: float) -> str:
    """A RoPE base as people write it: 10K, 500K, 1M, and powers of ten above that (10⁹)."""
    exponent = round(math.log10(theta)) if theta > 0 else 0
    if theta >= 1e7 and abs(theta - 10**exponent) < 1e-6 * theta:
        return "10" + str(exponent).translate(SUPERSCRIPT)
    return fmt.count(theta)


class AttentionKind(MixerKind):
    kind = "attention"

    def label(self, m: Attention) -> str:
        if m.gated and not (m.window or m.chunk):
            return "gated attention" if m.rope else "gated attention NoPE"
        return self.reach(m)

    def reach(self, m: Attention) -> str:
        base = "sliding-window" if m.window else "chunked" if m.chunk else "global"
        return base if m.rope else f"{base} NoPE"

    def title(self, m: Attention, short: bool = False) -> str:
        code = variant_code(m)
        if short:
            return f"{'Gated' if m.gated else 'Masked'} {code}" + (" + indexer" if m.sparse else "")
        words = f"{'Gated' if m.gated else 'Masked'} {WORDS[code]} attention"
        return words + (" + sparse indexer" if m.sparse else "")

    def family(self, m: Attention) -> str:
        return variant_code(m)

    def variant(self, m: Attention) -> str:
        reach = "Sliding-window" if m.window else "Chunked" if m.chunk else "Global"
        return f"{reach} {'gated ' if m.gated else ''}{variant_code(m)}" + ("" if m.rope else " (NoPE)")

    def detail(self, m: Attention) -> str:
        parts = []
        if m.window:
            parts.append(f"window {m.window:,}")
        elif m.chunk:
            parts.append(f"chunks of {m.chunk:,}")
        if m.sinks:
            parts.append("sinks")
        if m.sparse:
            parts.append(f"top-{m.sparse.top_k:,} tokens")
        return " · ".join(parts)

    def filters(self, m: Attention) -> tuple[str, ...]:
        return (variant_code(m), *(("sliding-window",) if m.window else ()), *(("sparse",) if m.sparse else ()))

    def tags(self, m: Attention) -> tuple[str, ...]:
        flags = {
            "sliding": m.window,
            "chunked": m.chunk,
            "gated": m.gated,
            "sparse": m.sparse,
            "sinks": m.sinks,
            "nope": not m.rope,
        }
        return ("mixer", "attention", "softmax", variant_code(m).lower(), *(k for k, v in flags.items() if v))

    def params(self, spec: ModelSpec, m: Attention) -> int:
        h = spec.hidden_size
        vd = m.v_head_dim or m.head_dim
        q, k, v, o = m.heads * m.head_dim, m.kv_heads * m.head_dim, m.kv_heads * vd, m.heads * vd
        n = h * q + h * k + h * v + o * h  # W_q, W_k, W_v, W_o
        n += h * o if m.gated else 0  # output gate projection
        n += (q + k + v) if m.qkv_bias else 0
        n += h if m.out_bias else 0
        n += m.heads if m.sinks else 0
        n += 2 * norm_params(spec, m.head_dim) if qk_norm_of(spec, m) else 0
        return n + indexer_params(m.sparse, h, h)

    def cache_values(self, m: Attention) -> int:
        return m.kv_heads * (m.head_dim + (m.v_head_dim or m.head_dim))

    def span(self, m: Attention) -> int | None:
        return m.window or m.chunk

    def heads(self, m: Attention) -> tuple[int, int]:
        return (m.heads, m.kv_heads)

    def side_inputs(self, spec: ModelSpec, m: Attention, path: str) -> tuple[SideInput, ...]:
        out = []
        pos = position_text(spec, m.rope, m.rope_theta)
        if pos:
            out.append(SideInput(pos[0], pos[1], "rope" if pos[1] == "rope" else f"{path}.rope"))
        if qk_norm_of(spec, m):
            out.append(SideInput("QK-Norm", "qk_norm", "norm.qk_norm"))
        return tuple(out)

    def graph_key(self, spec: ModelSpec, m: Attention) -> tuple[object, ...]:
        return (
            self.kind,
            m.heads,
            m.kv_heads,
            m.head_dim,
            m.v_head_dim,
            m.gated,
            m.sinks,
            m.qkv_bias,
            m.out_bias,
            qk_norm_of(spec, m),
            m.sparse,
        )

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        mixers: list[Attention] = [x for _, x in group]
        path = f"mixers.{name}"
        h, vd = spec.hidden_size, m.v_head_dim or m.head_dim
        code = variant_code(m)
        streams = (*(("index",) if m.sparse else ()), "q", "k", "v", *(("gate",) if m.gated else ()))
        title = f"Inside {'gated ' if m.gated else ''}{WORDS[code]} attention" + (
            " + sparse indexer" if m.sparse else ""
        )
        g = GraphBuilder(path, title, streams)
        x = g.add("input", "Input", role="io", path="hidden_size", tooltip=f"Hidden state, {h:,} wide")
        bias = " + bias" if m.qkv_bias else ""
        q = g.add("q", "Linear Q", detail=bias.strip(), role="linear", stream="q", path=f"{path}.heads")
        k = g.add("k", "Linear K", detail=bias.strip(), role="linear", stream="k", path=f"{path}.kv_heads")
        v = g.add("v", "Linear V", detail=bias.strip(), role="linear", stream="v", path=f"{path}.kv_heads")
        for node in (q, k, v):
            g.edge(x, node)
        tails = {"q": q, "k": k}
        shapes = {"q": dims(m.heads, m.head_dim), "k": dims(m.kv_heads, m.head_dim)}
        first = dict(shapes)
        if qk_norm_of(spec, m):
            for s in ("q", "k"):
                n = g.add(f"{s}-norm", "QK-Norm", stream=s, path="norm.qk_norm", tooltip=f"{norm_name(spec)} per head")
                g.edge(tails[s], n, first.pop(s, ""))
                tails[s] = n
        ropes = [a.rope and spec.positions == "rope" for a in mixers]
        if any(ropes):
            partial = spec.rope is not None and spec.rope.partial < 1
            label = f"RoPE ({spec.rope.partial:.0%})" if partial and spec.rope else "RoPE"
            for s in ("q", "k"):
                n = g.add(f"{s}-rope", label, stream=s, partial=not all(ropes), path="rope")
                g.edge(tails[s], n, first.pop(s, ""))
                tails[s] = n
        g.update(tails["k"], cached=True)
        g.update(v, cached=True)
        reach = []
        for a in mixers:
            r = f"window {a.window:,}" if a.window else f"chunks of {a.chunk:,}" if a.chunk else "global"
            if r not in reach:
                reach.append(r)
        notes = [" or ".join(r for r in reach if reach != ["global"]), "sinks" if m.sinks else ""]
        notes.append("ALiBi bias" if spec.positions == "alibi" else "")
        core = g.add(
            "attention",
            "Masked attention",
            detail=" · ".join(n for n in notes if n),
            role="core",
            path=path,
            tooltip="Scaled dot-product attention with a causal mask"
            + (", plus a per-head penalty growing with distance (ALiBi)" if spec.positions == "alibi" else ""),
        )
        g.edge(tails["q"], core, first.get("q", ""))
        g.edge(tails["k"], core, first.get("k", ""))
        g.edge(v, core, dims(m.kv_heads, vd))
        if m.sparse:
            add_indexer(g, m.sparse, path, x, core)
        top = core
        if m.gated:
            gate = g.add("gate", "Linear gate", role="linear", stream="gate", path=f"{path}.gated")
            act = g.add("gate-act", "Sigmoid", stream="gate", path=f"{path}.gated")
            mul = g.add("gate-mul", "×", role="operator", symbol="×", path=f"{path}.gated", tooltip="Output gate")
            g.edge(x, gate)
            g.edge(gate, act, dims(m.heads, vd))
            g.edge(core, mul, dims(m.heads, vd))
            g.edge(act, mul, style="side")
            top = mul
        out = g.add("out", "Linear out", detail="+ bias" if m.out_bias else "", role="linear", path=path)
        g.edge(top, out, "" if m.gated else dims(m.heads, vd))
        y = g.add("output", "Output", role="io", path="hidden_size")
        g.edge(out, y, f"{h:,}")
        per = m.heads // m.kv_heads
        g.caption(
            "Heads",
            f"{m.heads} query, {m.kv_heads} KV · dim {m.head_dim}" + (f", values {vd}" if vd != m.head_dim else ""),
        )
        if not all(ropes) and any(ropes):
            g.caption("RoPE (dashed)", "only in the layers that have it, not in the NoPE layers")
        g.caption(
            "Cached per token and layer",
            f"K and V, {m.kv_heads}\u00a0×\u00a0({m.head_dim}\u00a0+\u00a0{vd}) = {self.cache_values(m):,}\u00a0values",
        )
        tip = f"{code}: {per} query head{'s' if per > 1 else ''} per KV head"
        return g.build(tip)


register_mixer(AttentionKind())
