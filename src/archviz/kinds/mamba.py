"""A Mamba-1 selective state-space layer (Mamba, Falcon Mamba, Jamba's Mamba layers).

Unlike Mamba-2 it has no heads: every one of the `inner` channels keeps its own state of
`state_size`, and the step Δt, B and C come from one small projection of the convolved input
(Δt through a rank-`dt_rank` bottleneck).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder
from archviz.kinds.linear import LinearMixer, finish, scan_and_gate
from archviz.spec.models import Mamba, ModelSpec


class MambaKind(LinearMixer):
    kind = "mamba"
    name = "Mamba"
    long_name = "Mamba (selective SSM)"

    def params(self, spec: ModelSpec, m: Mamba) -> int:
        h, d, n, r = spec.hidden_size, m.inner, m.state_size, m.dt_rank
        return (
            h * 2 * d + (2 * d if m.bias else 0)  # in-projection to x and z
            + d * m.conv_kernel + (d if m.conv_bias else 0)  # depthwise conv
            + d * (r + 2 * n)  # x-projection to Δt (low rank), B and C
            + r * d + d  # Δt up-projection with its bias
            + d * n + d  # A (as log) and D
            + (r + 2 * n if m.inner_norms else 0)  # Jamba's norms on Δt, B and C
            + d * h + (h if m.bias else 0)  # out-projection
        )  # fmt: skip

    def state_values(self, m: Mamba) -> int:
        return m.inner * m.state_size + m.inner * (m.conv_kernel - 1)

    def detail(self, m: Mamba) -> str:
        return f"state {m.state_size} per channel, no KV cache"

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        g = GraphBuilder(path, "Inside Mamba", ("x", "gate"))
        x = g.add("input", "Input", role="io", path="hidden_size")
        proj = g.add("in-proj", "In-projection", detail="x and z", role="linear", path=path)
        conv = g.add("x-conv", "Conv1d, SiLU", detail=f"kernel {m.conv_kernel}", stream="x", path=path)
        sel = g.add(
            "x-proj", "x-projection", detail=f"Δt (rank {m.dt_rank}), B, C", role="linear", stream="x", path=path
        )
        act, core, mul = scan_and_gate(g, path, m.state_size, ", for each channel")
        g.edge(x, proj)
        g.edge(proj, conv, f"{m.inner:,}")
        g.edge(proj, act, f"z {m.inner:,}")
        g.flow(conv, sel, core)
        g.flow(core, mul)
        g.edge(act, mul, style="side")
        finish(g, mul, spec.hidden_size, path, "Out-projection")
        g.caption("Channels", f"{m.inner:,}, each with its own state")
        g.caption("No KV cache", f"a fixed state of {m.inner:,} × {m.state_size} per layer")
        return g.build("A selective state-space scan with an input-dependent step and gate")


register_mixer(MambaKind())
