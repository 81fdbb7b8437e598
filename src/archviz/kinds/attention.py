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


def indexer_params(ix: SparseIndexer | str | None, h: int, q_in: int) -> int:
    """DSA lightning indexer: queries from the (compressed) query input, one key, head weights
    (none for a layer that reuses an earlier layer's choice)."""
    if not isinstance(ix, SparseIndexer):
        return 0
    weights = h * ix.heads if ix.head_weights else 0
    return q_in * ix.heads * ix.head_dim + h * ix.head_dim + 2 * ix.head_dim + weights


def add_indexer(
    g: GraphBuilder, ix: SparseIndexer | str, path: str, source: str, core: str, query: str | None = None
) -> None:
    """The DSA branch: a lightning indexer scores past tokens (keys from the hidden state,
    queries from `query`, the compressed query, when there is one); the top k go to attention.
    A layer that shares an earlier layer's choice gets those tokens instead."""
    if not isinstance(ix, SparseIndexer):
        shared = g.add(
            "top-k",
            "Shared top-k",
            detail="an earlier layer's choice",
            stream="index",
            path=f"{path}.sparse",
            tooltip="Reuses the tokens an earlier layer's indexer selected (IndexShare): no indexer here",
        )
        g.edge(shared, core)
        return
    blocks = ix.block is not None
    idx = g.add(
        "indexer",
        "Block indexer" if blocks else "Lightning indexer",
        detail=f"{ix.heads} heads × {ix.head_dim}",
        role="linear",
        stream="index",
        path=f"{path}.sparse",
        tooltip="Scores past tokens, pooled over blocks (MiniMax Sparse Attention)"
        if blocks
        else "Scores every past token cheaply (DeepSeek Sparse Attention)",
    )
    kept = f"{ix.top_k // ix.block} blocks of {ix.block}" if ix.block else f"{ix.top_k:,} tokens"
    top = g.add("top-k", "Top-k select", detail=kept, stream="index", path=f"{path}.sparse")
    g.edge(source, idx)
    if query is not None:
        g.edge(query, idx)
    g.flow(idx, top, core)


def gate_width(gated: bool | str, heads: int, value_dim: int) -> int:
    """Outputs of an output gate's projection: one per value (gated: true), one per head
    (per_head), none without a gate."""
    if not gated:
        return 0
    return heads if gated == "per_head" else heads * value_dim


def add_output_gate(
    g: GraphBuilder, gated: bool | str, heads: int, value_dim: int, x: str, core: str, path: str
) -> str:
    """The sigmoid gate from the layer's input onto the attention output; returns the node that
    now carries the output."""
    per_head = gated == "per_head"
    gate = g.add(
        "gate",
        "Linear gate",
        detail="one per head" if per_head else "",
        role="linear",
        stream="gate",
        path=f"{path}.gated",
    )
    act = g.add("gate-act", "Sigmoid", stream="gate", path=f"{path}.gated")
    tip = "Output gate: one scalar scales each head's output" if per_head else "Output gate"
    mul = g.add("gate-mul", "×", role="operator", symbol="×", path=f"{path}.gated", tooltip=tip)
    g.edge(x, gate)
    g.edge(gate, act, f"{heads}" if per_head else dims(heads, value_dim))
    g.edge(core, mul, dims(heads, value_dim))
    g.edge(act, mul, style="side")
    return mul


def indexer_words(ix: SparseIndexer | str | None, short: bool = False) -> str:
    """' + sparse indexer' (short: ' + indexer'), ' + shared top-k' for a layer reusing an earlier
    layer's choice, '' without DSA."""
    if ix is None:
        return ""
    if not isinstance(ix, SparseIndexer):
        return " + shared top-k"
    return " + indexer" if short else " + sparse indexer"


def sparse_detail(ix: SparseIndexer | str) -> str:
    """'top-2,048 tokens', or 'shared top-k' for a layer reusing an earlier layer's choice."""
    if not isinstance(ix, SparseIndexer):
        return "shared top-k"
    if ix.block:
        return f"top-{ix.top_k // ix.block} blocks of {ix.block}"
    return f"top-{ix.top_k:,} tokens"


def qk_norm_of(spec: ModelSpec, m: Attention) -> bool:
    return spec.norm.qk_norm if m.qk_norm is None else m.qk_norm


def position_text(
    spec: ModelSpec, rope: bool, theta: float | None, partial: float | None = None
) -> tuple[str, str] | None:
    """The side input naming how positions enter attention: (text, kind), or None."""
    if spec.positions == "learned":
        return None  # added once, at the embedding
    if spec.positions == "alibi":
        return ("ALiBi", "alibi")
    if not rope or spec.positions == "none" or spec.rope is None:
        return ("NoPE", "nope")
    base = f"θ\u00a0{theta_text(theta or spec.rope.theta)}"
    share = spec.rope.partial if partial is None else partial
    if share < 1:
        return (f"Partial RoPE {percent(share)}, {base}", "rope")
    return (f"RoPE {base}", "rope")


def percent(share: float) -> str:
    """0.25 -> '25%', 0.125 -> '12.5%' (a rounded 12% would misstate 64 of 512 dims)."""
    return f"{round(100 * share, 2):g}%"


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def theta_text(theta: float | str) -> str:
    """A RoPE base as people write it: 10K, 500K, 1M, and powers of ten above that (10⁹); 'not
    disclosed' for an undisclosed one."""
    if isinstance(theta, str):
        return "not disclosed"
    exponent = round(math.log10(theta)) if theta > 0 else 0
    if theta >= 1e7 and abs(theta - 10**exponent) < 1e-6 * theta:
        return "10" + str(exponent).translate(SUPERSCRIPT)
    return fmt.count(theta)


class AttentionKind(MixerKind):
    kind = "attention"

    def label(self, m: Attention) -> str:
        if m.gated and (m.window or m.chunk):
            return f"gated {self.reach(m)}"
        if m.gated:
            return "gated attention" if m.rope else "gated attention NoPE"
        return self.reach(m)

    def reach(self, m: Attention) -> str:
        base = "sliding-window" if m.window else "chunked" if m.chunk else "sparse" if m.sparse else "global"
        return base if m.rope else f"{base} NoPE"

    def title(self, m: Attention, short: bool = False) -> str:
        code = variant_code(m)
        if short:
            return f"{'Gated' if m.gated else 'Masked'} {code}" + indexer_words(m.sparse, short=True)
        words = f"{'Gated' if m.gated else 'Masked'} {WORDS[code]} attention"
        return words + indexer_words(m.sparse)

    def family(self, m: Attention) -> str:
        return variant_code(m)

    def variant(self, m: Attention) -> str:
        reach = self.reach(m).removesuffix(" NoPE").capitalize()
        suffix = ("" if m.rope else " (NoPE)") + (" (reused K/V)" if m.kv_shared else "")
        return f"{reach} {'gated ' if m.gated else ''}{variant_code(m)}{suffix}"

    def detail(self, m: Attention) -> str:
        parts = []
        if m.window:
            parts.append(f"window {m.window:,}")
        elif m.chunk:
            parts.append(f"chunks of {m.chunk:,}")
        if m.gated == "per_head":
            parts.append("gate per head")
        if m.k_eq_v:
            parts.append("K = V")
        if m.sinks:
            parts.append("sinks")
        if m.sparse:
            parts.append(sparse_detail(m.sparse))
        return " · ".join(parts)

    def filters(self, m: Attention) -> tuple[str, ...]:
        return (variant_code(m), *(("sliding-window",) if m.window else ()), *(("sparse",) if m.sparse else ()))

    def tags(self, m: Attention) -> tuple[str, ...]:
        flags = {
            "sliding": m.window,
            "chunked": m.chunk,
            "gated": m.gated,
            "head_gate": m.gated == "per_head",
            "k_eq_v": m.k_eq_v,
            "kv_shared": m.kv_shared,
            "sparse": m.sparse,
            "sinks": m.sinks,
            "nope": not m.rope,
        }
        return ("mixer", "attention", "softmax", variant_code(m).lower(), *(k for k, v in flags.items() if v))

    def params(self, spec: ModelSpec, m: Attention) -> int:
        h = spec.hidden_size
        vd = m.v_head_dim or m.head_dim
        q, o = m.heads * m.head_dim, m.heads * vd
        k = 0 if m.kv_shared else m.kv_heads * m.head_dim
        v = 0 if m.k_eq_v or m.kv_shared else m.kv_heads * vd
        n = h * q + h * k + h * v + o * h  # W_q, W_k, W_v (none when K = V), W_o
        n += h * gate_width(m.gated, m.heads, vd)  # output gate projection
        n += (q + k + v) if m.qkv_bias else 0
        n += h if m.out_bias else 0
        n += m.heads if m.sinks else 0
        n += (1 if m.kv_shared else 2) * norm_params(spec, m.head_dim) if qk_norm_of(spec, m) else 0
        return n + indexer_params(m.sparse, h, h)

    def cache_values(self, m: Attention) -> int:
        if m.kv_shared:
            return 0
        if m.k_eq_v:
            return m.kv_heads * m.head_dim
        return m.kv_heads * (m.head_dim + (m.v_head_dim or m.head_dim))

    def span(self, m: Attention) -> int | None:
        return m.window or m.chunk

    def heads(self, m: Attention) -> tuple[int, int]:
        return (m.heads, m.kv_heads)

    def side_inputs(self, spec: ModelSpec, m: Attention, path: str) -> tuple[SideInput, ...]:
        out = []
        pos = position_text(spec, m.rope, m.rope_theta, m.rope_partial)
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
            m.k_eq_v,
            m.kv_shared,
            m.rope_partial,
            m.gated,
            m.sinks,
            m.qkv_bias,
            m.out_bias,
            qk_norm_of(spec, m),
            m.sparse,
        )

    def reused_graph(self, spec: ModelSpec, name: str, m: Attention) -> Graph:
        """A layer that reuses an earlier layer's keys and values: only queries are computed."""
        path = f"mixers.{name}"
        h, vd = spec.hidden_size, m.v_head_dim or m.head_dim
        g = GraphBuilder(path, f"Inside {WORDS[variant_code(m)]} attention with reused K/V", ("q", "k"))
        x = g.add("input", "Input", role="io", path="hidden_size", tooltip=f"Hidden state, {h:,} wide")
        q = g.add("q", "Linear Q", role="linear", stream="q", path=f"{path}.heads")
        g.edge(x, q)
        tail, label = q, dims(m.heads, m.head_dim)
        steps = [("QK-Norm", "norm.qk_norm")] if qk_norm_of(spec, m) else []
        share = m.rope_partial or (spec.rope.partial if spec.rope else 1.0)
        if m.rope and spec.positions == "rope":
            steps.append((f"RoPE ({percent(share)})" if share < 1 else "RoPE", "rope"))
        for i, (text, where) in enumerate(steps):
            n = g.add(f"q-step{i}", text.replace("QK-Norm", "Q-Norm"), stream="q", path=where)
            g.edge(tail, n, label)
            tail, label = n, ""
        kv = g.add(
            "kv",
            "K, V of an earlier layer",
            detail="nothing cached here",
            stream="k",
            path=f"{path}.kv_shared",
            tooltip="The last earlier layer of the same reach computes and caches the keys and values",
        )
        reach = f"window {m.window:,}" if m.window else f"chunks of {m.chunk:,}" if m.chunk else ""
        core = g.add("attention", "Masked attention", detail=reach, role="core", path=path)
        g.edge(tail, core, label)
        g.edge(kv, core, dims(m.kv_heads, m.head_dim))
        top = add_output_gate(g, m.gated, m.heads, vd, x, core, path) if m.gated else core
        out = g.add("out", "Linear out", role="linear", path=path)
        g.edge(top, out, "" if m.gated else dims(m.heads, vd))
        y = g.add("output", "Output", role="io", path="hidden_size")
        g.edge(out, y, f"{h:,}")
        g.caption("Heads", f"{m.heads} query, {m.kv_heads} KV · dim {m.head_dim}")
        g.caption("Cached per token and layer", "nothing (the keys and values come from an earlier layer)")
        return g.build("Queries attend over an earlier layer's keys and values (cross-layer KV sharing)")

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        if m.kv_shared:
            return self.reused_graph(spec, name, m)
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
        if m.k_eq_v:  # the values are the keys' projection, normalised without weights
            v = g.add("v", "V = K", detail="norm, no weights", stream="v", path=f"{path}.k_eq_v")
            g.edge(x, q)
            g.edge(x, k)
            g.edge(k, v)
        else:
            v = g.add("v", "Linear V", detail=bias.strip(), role="linear", stream="v", path=f"{path}.kv_heads")
            for node in (q, k, v):
                g.edge(x, node)
        tails = {"q": q, "k": k}
        shapes = {"q": dims(m.heads, m.head_dim), "k": dims(m.kv_heads, m.head_dim)}
        first = dict(shapes)
        if m.k_eq_v:  # the branch to V would cross the label; V's edge into attention gives the shape
            del first["k"]
        if qk_norm_of(spec, m):
            for s in ("q", "k"):
                n = g.add(f"{s}-norm", "QK-Norm", stream=s, path="norm.qk_norm", tooltip=f"{norm_name(spec)} per head")
                g.edge(tails[s], n, first.pop(s, ""))
                tails[s] = n
        ropes = [a.rope and spec.positions == "rope" for a in mixers]
        if any(ropes):
            share = m.rope_partial or (spec.rope.partial if spec.rope else 1.0)
            label = f"RoPE ({percent(share)})" if share < 1 else "RoPE"
            for s in ("q", "k"):
                n = g.add(f"{s}-rope", label, stream=s, partial=not all(ropes), path="rope")
                g.edge(tails[s], n, first.pop(s, ""))
                tails[s] = n
        if m.k_eq_v:  # one tensor, the keys' projection, from which K and V are made again
            g.update(k, cached=True)
        else:
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
            top = add_output_gate(g, m.gated, m.heads, vd, x, core, path)
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
        if m.k_eq_v:
            cached = f"one tensor for both K and V, {m.kv_heads}\u00a0×\u00a0{m.head_dim}"
        else:
            cached = f"K and V, {m.kv_heads}\u00a0×\u00a0({m.head_dim}\u00a0+\u00a0{vd})"
        g.caption("Cached per token and layer", f"{cached} = {self.cache_values(m):,}\u00a0values")
        tip = f"{code}: {per} query head{'s' if per > 1 else ''} per KV head"
        return g.build(tip)


register_mixer(AttentionKind())
