"""A Mamba-2 selective state-space layer (Nemotron-H, Nemotron 3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, finish, scan_and_gate
from archviz.spec.models import Mamba2, ModelSpec


class Mamba2Kind(LinearMixer):
    kind = "mamba2"
    name = "Mamba-2"
    long_name = "Mamba-2"

    def params(self, spec: ModelSpec, m: Mamba2) -> int:
        h = spec.hidden_size
        inner = m.heads * m.head_dim
        conv = inner + 2 * m.groups * m.state_size
        return (
            h * (2 * inner + 2 * m.groups * m.state_size + m.heads)  # x, z, B, C, dt
            + conv * m.conv_kernel
            + conv  # depthwise conv with bias
            + 3 * m.heads  # dt bias, A, D
            + inner  # gated norm
            + inner * h  # output projection
        )

    def state_values(self, m: Mamba2) -> int:
        inner = m.heads * m.head_dim
        return inner * m.state_size + (inner + 2 * m.groups * m.state_size) * (m.conv_kernel - 1)

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        inner = dims(m.heads, m.head_dim)
        g = GraphBuilder(path, "Inside Mamba-2", ("x", "bc", "dt", "gate"))
        x = g.add("input", "Input", role="io", path="hidden_size")
        proj = g.add("in-proj", "In-projection", detail="x, B, C, Δt, z", role="linear", path=path)
        xc = g.add("x-conv", "Conv1d, SiLU", detail=f"kernel {m.conv_kernel}", stream="x", path=path)
        bc = g.add("bc-conv", "Conv1d, SiLU", detail="B and C", stream="bc", path=path)
        dt = g.add("dt", "Softplus", detail="step Δt", stream="dt", path=path)
        act, core, mul = scan_and_gate(g, path, m.state_size)
        norm = g.add("out-norm", "RMSNorm", detail="gated norm", path=path)
        g.edge(x, proj)
        g.edge(proj, xc, inner)
        g.edge(proj, bc, f"2 × {dims(m.groups, m.state_size)}")
        g.edge(proj, dt, f"{m.heads}")
        g.edge(proj, act, f"z {inner}")
        for n in (xc, bc, dt):
            g.edge(n, core)
        g.flow(core, mul, norm)
        g.edge(act, mul, style="side")
        finish(g, norm, spec.hidden_size, path, "Out-projection")
        g.caption("Heads", f"{m.heads} × {m.head_dim}, {m.groups} groups for B and C")
        g.caption("No KV cache", f"a fixed state of {inner} × {m.state_size} per layer")
        return g.build("A selective state-space scan with input-dependent step and gate")


register_mixer(Mamba2Kind())
