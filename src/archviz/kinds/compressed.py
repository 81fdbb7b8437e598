"""DeepSeek V4's compressed attention: one key-and-value head over a window of recent tokens and,
in CSA and HCA layers, over compressed entries that each stand for `ratio` tokens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.attention import position_text
from archviz.kinds.base import MixerKind, SideInput, norm_name, register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.spec.models import Compressed, ModelSpec


def compressor_params(h: int, ratio: int, width: int, overlap: bool) -> int:
    """A compressor: an absolute-position bias per offset in the block, projections of entries
    and of their gates (twice as wide when blocks overlap), and a norm."""
    wide = 2 * width if overlap else width
    return ratio * wide + 2 * h * wide + width


def kind_of(m: Compressed) -> str:
    """'CSA' (compressed, searched by an indexer), 'HCA' (compressed, all kept) or 'window'."""
    return "window" if not m.ratio else "CSA" if m.indexer else "HCA"


NAMES = {
    "CSA": "Compressed sparse attention",
    "HCA": "Heavily compressed attention",
    "window": "Sliding-window attention",
}


class CompressedKind(MixerKind):
    kind = "compressed"

    def label(self, m: Compressed) -> str:
        return kind_of(m) if m.ratio else "sliding-window"

    def reach(self, m: Compressed) -> str:
        return self.label(m)

    def title(self, m: Compressed, short: bool = False) -> str:
        name = kind_of(m)
        return (f"{name} (1 KV head)" if name != "window" else "Sliding-window, 1 KV head") if short else NAMES[name]

    def family(self, m: Compressed) -> str:
        return "compressed attention (CSA/HCA)"

    def variant(self, m: Compressed) -> str:
        return NAMES[kind_of(m)] + (f" ({kind_of(m)})" if m.ratio else "")

    def detail(self, m: Compressed) -> str:
        """The window when that is all it sees; else how it compresses (every layer has the window)."""
        if not m.ratio:
            return f"window {m.window:,}"
        return f"1 entry per {m.ratio} tokens" + (f", top-{m.indexer.top_k:,}" if m.indexer else "")

    def filters(self, m: Compressed) -> tuple[str, ...]:
        return ("compressed", *(("sparse",) if m.indexer else ()))

    def tags(self, m: Compressed) -> tuple[str, ...]:
        flags = {"sparse": m.indexer, "sinks": m.sinks, "k_eq_v": True, "compressed": m.ratio}
        return ("mixer", "compressed", "softmax", *(k for k, v in flags.items() if v))

    def params(self, spec: ModelSpec, m: Compressed) -> int:
        h, c, r = spec.hidden_size, m.head_dim, m.q_lora_rank
        n = m.heads if m.sinks else 0
        n += h * r + r + r * m.heads * c  # queries through the latent (and its norm)
        n += h * c + c  # the one key-and-value head and its norm
        n += m.heads * c * m.out_rank + m.out_groups * m.out_rank * h  # grouped output, then back
        if m.ratio:
            n += compressor_params(h, m.ratio, c, m.overlap)
        if (ix := m.indexer) is not None and m.ratio:
            n += r * ix.heads * ix.head_dim + h * ix.heads  # queries from the latent, head weights
            n += compressor_params(h, m.ratio, ix.head_dim, m.overlap)  # its own compressed keys
        return n

    def cache_values(self, m: Compressed) -> int:
        """One entry of head_dim per `ratio` tokens; the window is a fixed state, not per token."""
        return m.head_dim // m.ratio if m.ratio else 0

    def state_values(self, m: Compressed) -> int:
        return m.window * m.head_dim

    def heads(self, m: Compressed) -> tuple[int, int]:
        return (m.heads, 1)

    def side_inputs(self, spec: ModelSpec, m: Compressed, path: str) -> tuple[SideInput, ...]:
        pos = position_text(spec, True, m.rope_theta)
        return (SideInput(pos[0], pos[1], "rope"),) if pos else ()

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        h, c = spec.hidden_size, m.head_dim
        streams = (*(("index",) if m.indexer else ()), "q", "kv", *(("comp",) if m.ratio else ()))
        g = GraphBuilder(path, f"Inside {NAMES[kind_of(m)][0].lower()}{NAMES[kind_of(m)][1:]}", streams)
        x = g.add("input", "Input", role="io", path="hidden_size", tooltip=f"Hidden state, {h:,} wide")
        qd = g.add("q-down", "Linear ↓", detail=f"→ {m.q_lora_rank:,}", role="linear", stream="q", path=path)
        qn = g.add("q-norm", norm_name(spec), stream="q", path="norm")
        qu = g.add("q-up", "Linear ↑ Q", role="linear", stream="q", path=f"{path}.heads")
        g.edge(x, qd)
        g.flow(qd, qn, qu)
        kv = g.add(
            "kv",
            "Linear K = V",
            detail="1 head",
            role="linear",
            stream="kv",
            cached=not m.ratio,
            path=f"{path}.head_dim",
            tooltip="One head whose keys are also the values; the last window of it is kept",
        )
        g.edge(x, kv)
        core = g.add(
            "attention",
            "Masked attention",
            detail=" · ".join(p for p in (f"window {m.window:,}", "sinks" if m.sinks else "") if p),
            role="core",
            path=path,
            tooltip="Over the window of recent tokens" + (" and the compressed entries" if m.ratio else ""),
        )
        g.edge(qu, core, dims(m.heads, c))
        g.edge(kv, core, f"{c}")
        if m.ratio:
            comp = g.add(
                "compressor",
                "Compressor",
                detail=f"{m.ratio} tokens → 1" + (", overlapping" if m.overlap else ""),
                role="linear",
                stream="comp",
                cached=True,
                path=f"{path}.ratio",
                tooltip="Gated, position-weighted sums of blocks of tokens: the cached entries",
            )
            g.edge(x, comp)
            g.edge(comp, core, f"{c} per {m.ratio}")
        if (ix := m.indexer) is not None:
            idx = g.add(
                "indexer",
                "Indexer",
                detail=f"{ix.heads} heads × {ix.head_dim}",
                role="linear",
                stream="index",
                path=f"{path}.indexer",
                tooltip="Scores the compressed entries from the query latent (its keys have a compressor of their own)",
            )
            top = g.add("top-k", "Top-k select", detail=f"{ix.top_k:,} entries", stream="index", path=f"{path}.indexer")
            g.edge(qn, idx)
            g.flow(idx, top, core)
        grouped = g.add(
            "out-groups",
            "Grouped out",
            detail=f"{m.out_groups} groups → {m.out_rank:,}",
            role="linear",
            path=f"{path}.out_groups",
        )
        out = g.add("out", "Linear out", role="linear", path=path)
        g.edge(core, grouped, dims(m.heads, c))
        g.edge(grouped, out, dims(m.out_groups, m.out_rank))
        y = g.add("output", "Output", role="io", path="hidden_size")
        g.edge(out, y, f"{h:,}")
        g.caption("Heads", f"{m.heads} query heads over 1 key-and-value head of {c}")
        if m.ratio:
            cached = f"one {c}-wide entry per {m.ratio} tokens = {self.cache_values(m):,}\u00a0values a token"
        else:
            cached = "nothing that grows: only the window"
        g.caption("Cached per token and layer", f"{cached}; the last {m.window:,} tokens are kept apart")
        return g.build("Attention over a window of recent tokens" + (" and compressed entries" if m.ratio else ""))


register_mixer(CompressedKind())
