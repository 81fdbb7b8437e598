"""Residual paths richer than one stream: hyper-connections (mHC with a Sinkhorn mixing matrix,
iHC without) and Kimi K3's block attention residuals. One place says how each is counted, named
and drawn, as the mixer and FFN kinds do for theirs."""

from __future__ import annotations

from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.spec.models import ModelSpec, Residual


def site_params(r: Residual, h: int) -> int:
    """Weights at one sublayer (the mixer's or the FFN's): hyper-connections project the n
    flattened streams (n·h) to the pre weights (n), post weights (n) and, with mixing, the n×n
    matrix, plus a bias per output and a scale per group; block attention has a norm weight and
    a one-row projection that score the earlier block sums."""
    if r.kind == "block_attention":
        return 2 * h
    n = r.streams or 1
    outputs = (2 + n) * n if r.mixing else 2 * n
    return outputs * n * h + outputs + (3 if r.mixing else 2)


def merge_params(r: Residual, h: int) -> int:
    """Weights that merge the streams (or the block sums) into one before the final norm."""
    if r.kind == "block_attention":
        return 2 * h
    n = r.streams or 1
    return n * n * h + n + 1 if r.merge == "weighted" else 0


def params(spec: ModelSpec) -> int:
    """All weights of the residual path, MTP modules' included when they share it."""
    r = spec.residual
    if r is None:
        return 0
    h = spec.hidden_size
    return sum(b.sublayers for b in spec.expanded()) * site_params(r, h) + merge_params(r, h)


def mtp_params(spec: ModelSpec) -> int:
    """Residual weights of one MTP module (its two sublayers and its own merge), if it has them."""
    r = spec.residual
    if r is None or not r.in_mtp:
        return 0
    return 2 * site_params(r, spec.hidden_size) + merge_params(r, spec.hidden_size)


def phrase(r: Residual) -> str:
    """The strip's words for it: '4 residual streams, mixed (mHC)'."""
    if r.kind == "block_attention":
        return f"each sublayer attends over the sums of earlier {r.block}-layer blocks"
    how = "mixed by a Sinkhorn matrix (mHC)" if r.mixing else "each adds the output (iHC)"
    return f"{r.streams}\u00a0residual streams, {how}"


def title(r: Residual) -> str:
    if r.kind == "block_attention":
        return "Block attention residuals"
    return "Manifold-constrained hyper-connections (mHC)" if r.mixing else "Hyper-connections without mixing (iHC)"


def graph(spec: ModelSpec) -> Graph | None:
    """One sublayer's residual path as a dataflow graph."""
    r = spec.residual
    if r is None:
        return None
    h = spec.hidden_size
    if r.kind == "block_attention":
        g = GraphBuilder("residual", "Inside block attention residuals", ("past", "score", "now"))
        blocks = g.add(
            "blocks",
            "Earlier block sums",
            detail=f"one per {r.block} layers",
            role="io",
            stream="past",
            path="residual.block",
        )
        now = g.add("running", "Running sum", detail="this block so far", role="io", stream="now", path="residual")
        score = g.add(
            "score",
            "Norm · w",
            detail="one score each",
            role="linear",
            stream="score",
            path="residual",
            tooltip="An RMSNorm weight times a one-row projection scores each source",
        )
        mix = g.add("softmax", "Softmax mix", role="core", path="residual", tooltip="A weighted sum of the sources")
        sub = g.add("sublayer", "Sublayer", detail="mixer or FFN", role="linear", path="residual")
        add = g.add("add", "+", role="operator", symbol="+", path="residual", tooltip="Added to the running sum")
        out = g.add("output", "Running sum", role="io", path="residual")
        g.edge(blocks, score)
        g.edge(now, score)
        g.edge(score, mix)
        g.edge(blocks, mix, style="side")
        g.flow(mix, sub, add, out)
        g.edge(now, add, style="side")
        g.caption("Sources", f"the embedding, the sum of each earlier block of {r.block} layers, and the running sum")
        g.caption("Weights per sublayer", f"norm {h:,} + projection {h:,} = {site_params(r, h):,}")
        return g.build("Each sublayer reads a learned, input-dependent mix of earlier block sums")
    n = r.streams or 1
    name = title(r)
    g = GraphBuilder("residual", f"Inside {name[0].lower()}{name[1:]}", ("streams", "gate", "sub"))
    x = g.add("input", f"{n} streams", detail=dims(n, h), role="io", stream="streams", path="residual.streams")
    fn = g.add(
        "fn",
        "Linear mix weights",
        detail="pre, post" + (", n×n" if r.mixing else ""),
        role="linear",
        stream="gate",
        path="residual",
        tooltip="From the flattened streams: n pre weights, n post weights"
        + (" and an n×n mixing matrix" if r.mixing else ""),
    )
    pre = g.add(
        "pre", "Collapse", detail="weighted sum", stream="sub", path="residual", tooltip="One input for the sublayer"
    )
    norm = g.add("norm", "RMSNorm", stream="sub", path="norm")
    sub = g.add("sublayer", "Sublayer", detail="mixer or FFN", role="linear", stream="sub", path="residual")
    post = g.add("post", "Spread", detail="post ⊗ output", stream="sub", path="residual")
    g.edge(x, fn)
    g.edge(x, pre)
    g.edge(fn, pre)
    g.flow(pre, norm, sub, post, label=f"{h:,}")
    g.edge(fn, post, style="side")
    add = g.add("add", "+", role="operator", symbol="+", path="residual", tooltip="The new streams")
    g.edge(post, add)
    if r.mixing:
        mix = g.add(
            "mix",
            "Sinkhorn mix",
            detail=f"{n}×{n}, doubly stochastic",
            stream="streams",
            path="residual.mixing",
            tooltip="The streams mixed with each other by a matrix whose rows and columns sum to 1",
        )
        g.edge(fn, mix)
    else:
        mix = g.add(
            "mix",
            "Streams as they are",
            detail="no mixing",
            stream="streams",
            path="residual",
            tooltip="Each stream keeps its value and adds its share of the sublayer's output",
        )
    g.edge(x, mix)
    g.edge(mix, add)
    out = g.add("output", f"{n} streams", role="io", path="residual.streams")
    g.edge(add, out, dims(n, h))
    merge = "a learned weighting" if r.merge == "weighted" else "their mean"
    g.caption("Streams", f"{n} copies of the embedding at the start; {merge} before the output head")
    merged = f"{merge_params(r, h):,} more to merge" if merge_params(r, h) else "the mean needs none"
    g.caption("Weights", f"{site_params(r, h):,} per sublayer; {merged}")
    return g.build("Several residual streams, collapsed into each sublayer's input and updated from its output")


__all__ = ["graph", "merge_params", "mtp_params", "params", "phrase", "site_params", "title"]
