"""A gated short convolution (LFM2's operator in most layers): no attention and no KV cache, only
the last few inputs of each channel as state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder
from archviz.kinds.linear import LinearMixer, finish
from archviz.spec.models import ModelSpec, ShortConv


class ShortConvKind(LinearMixer):
    kind = "short_conv"
    name = "short conv"  # a common noun, lower-case mid-phrase ("5 short conv : 3 global")
    long_name = "Gated short convolution"

    def params(self, spec: ModelSpec, m: ShortConv) -> int:
        h, c, bias = spec.hidden_size, m.channels, int(m.bias)
        return (
            h * 3 * c + bias * 3 * c  # in-projection to B, C and x
            + c * m.kernel + bias * c  # depthwise convolution
            + c * h + bias * h  # out-projection
        )  # fmt: skip

    def state_values(self, m: ShortConv) -> int:
        return m.channels * (m.kernel - 1)

    def detail(self, m: ShortConv) -> str:
        return f"kernel {m.kernel}, no KV cache"

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        g = GraphBuilder(path, "Inside the gated short convolution", ("x", "c"))
        x = g.add("input", "Input", role="io", path="hidden_size")
        proj = g.add("in-proj", "In-projection", detail="B, C and x", role="linear", path=path)
        gate_in = g.add(
            "b-gate", "B · x", detail="gate", stream="x", path=path, tooltip="B gates x, channel by channel"
        )
        conv = g.add(
            "conv",
            "Conv1d",
            detail=f"depthwise, kernel {m.kernel}",
            role="core",
            stream="x",
            path=path,
            tooltip=f"Each channel mixes its last {m.kernel} inputs",
        )
        c = g.add("c", "C", detail="gate", stream="c", path=path, tooltip="The output gate, from the in-projection")
        gate_out = g.add("c-mul", "×", role="operator", symbol="×", path=path, tooltip="C gates the result")
        g.edge(x, proj)
        g.edge(proj, gate_in, f"B, x {m.channels:,}")
        g.flow(gate_in, conv, gate_out)
        g.edge(proj, c, f"{m.channels:,}")
        g.edge(c, gate_out, style="side")
        finish(g, gate_out, spec.hidden_size, path, "Out-projection")
        g.caption("Channels", f"{m.channels:,}, each convolved over its last {m.kernel} inputs")
        g.caption("No KV cache", f"the last {m.kernel - 1} inputs of each channel per layer")
        return g.build("A depthwise convolution over a few tokens, gated before and after")


register_mixer(ShortConvKind())
