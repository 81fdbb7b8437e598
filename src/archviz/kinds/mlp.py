"""A dense feed-forward network (gated: SwiGLU/GeGLU with two input projections), and the graph
of any dense FFN, which MoE experts reuse."""

from __future__ import annotations

from collections.abc import Sequence

from archviz.kinds.base import ACTIVATIONS, FFNKind, FFNParams, Inner, activation_name, register_ffn
from archviz.kinds.graph import Graph, GraphBuilder
from archviz.spec.models import MLP, ModelSpec


def mlp_params(h: int, f: int, gated: bool, bias: bool) -> int:
    """A dense FFN: gated ones (SwiGLU, GeGLU) have two input projections."""
    n = (3 if gated else 2) * h * f
    return n + ((2 * f if gated else f) + h if bias else 0)


class MLPKind(FFNKind):
    kind = "mlp"

    def label(self, f: MLP) -> str:
        return "dense"

    def title(self, f: MLP) -> str:
        return "Feed forward"

    def detail(self, f: MLP) -> str:
        return activation_name(f.activation, f.gated)

    def tags(self, f: MLP) -> tuple[str, ...]:
        return ("ffn", "mlp", "dense")

    def params(self, spec: ModelSpec, f: MLP) -> FFNParams:
        return FFNParams(dense=mlp_params(spec.hidden_size, f.hidden, f.gated, f.bias))

    def inner(self, spec: ModelSpec, f: MLP) -> tuple[Inner, ...]:
        return (Inner(f.activation, f.gated, f.bias, spec.hidden_size, f.hidden, "dense layers"),)


def ffn_graph(path: str, inners: Sequence[Inner], title: str) -> Graph:
    """Linear, activation, (parallel linear, multiply,) linear: the inside of a dense FFN, for
    every FFN in `inners` (same activation and gating; sizes may differ and are captioned)."""
    first = inners[0]
    act = ACTIVATIONS[first.activation]
    sizes = {(i.width, i.hidden) for i in inners}
    width, hidden = next(iter(sizes))
    one = len(sizes) == 1
    bias = "+ bias" if first.bias else ""
    g = GraphBuilder(path, title, ("gate", "up") if first.gated else ("up",))
    x = g.add("input", "Input", role="io", path="hidden_size")
    if first.gated:
        gate = g.add("gate", "Linear gate", detail=bias, role="linear", stream="gate", path=path)
        up = g.add("up", "Linear up", detail=bias, role="linear", stream="up", path=path)
        a = g.add("act", act, stream="gate", path=path)
        mul = g.add("mul", "×", role="operator", symbol="×", path=path)
        g.edge(x, gate)
        g.edge(x, up)
        g.edge(gate, a, f"{hidden:,}" if one else "")
        g.edge(a, mul)
        g.edge(up, mul, f"{hidden:,}" if one else "", style="side")
        top = mul
    else:
        up = g.add("up", "Linear up", detail=bias, role="linear", stream="up", path=path)
        a = g.add("act", act, stream="up", path=path)
        g.edge(x, up)
        g.edge(up, a, f"{hidden:,}" if one else "")
        top = a
    down = g.add("down", "Linear down", detail=bias, role="linear", path=path)
    y = g.add("output", "Output", role="io", path="hidden_size")
    g.edge(top, down)
    g.edge(down, y, f"{width:,}" if one else "")
    seen: list[str] = []
    for i in inners:
        text = f"{i.hidden:,} ({i.who})" + (  # a latent MoE's experts say their width in `who`
            "" if i.width == inners[0].width or one or "wide" in i.who else f", {i.width:,} wide"
        )
        if text not in seen:
            seen.append(text)
    g.caption("Intermediate hidden size", " · ".join(seen) if not one or len(inners) > 1 else f"{hidden:,}")
    return g.build(f"{activation_name(first.activation, first.gated)}: hidden size {', '.join(seen)}")


register_ffn(MLPKind())
