"""Kimi Delta Attention (Kimi Linear): DeltaNet with channel-wise (fine-grained) decay."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, finish, gated_output
from archviz.spec.models import KimiDelta, ModelSpec


class KimiDeltaKind(LinearMixer):
    kind = "kimi_delta"
    name = "Kimi Delta"
    long_name = "Kimi Delta Attention"

    def params(self, spec: ModelSpec, m: KimiDelta) -> int:
        h = spec.hidden_size
        w = m.heads * m.head_dim
        return (
            3 * h * w  # q, k, v
            + 3 * w * m.conv_kernel  # their short convolutions
            + 2 * (h * m.head_dim + m.head_dim * w)  # low-rank decay (f) and output gate (g)
            + m.heads
            + w  # A and dt bias
            + h * m.heads  # beta
            + m.head_dim  # output norm
            + w * h  # output projection
        )

    def state_values(self, m: KimiDelta) -> int:
        return m.heads * m.head_dim * m.head_dim + 3 * m.heads * m.head_dim * (m.conv_kernel - 1)

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        shape = dims(m.heads, m.head_dim)
        g = GraphBuilder(path, "Inside Kimi Delta Attention", ("qk", "v", "fb", "gate"))
        x = g.add("input", "Input", role="io", path="hidden_size")
        qk = g.add("qk", "Linear Q, K", role="linear", stream="qk", path=f"{path}.heads")
        qk_conv = g.add("qk-conv", "Conv1d, SiLU", detail=f"kernel {m.conv_kernel}", stream="qk", path=path)
        qk_norm = g.add("qk-norm", "L2 norm", stream="qk", path=path)
        v = g.add("v", "Linear V", role="linear", stream="v", path=f"{path}.heads")
        v_conv = g.add("v-conv", "Conv1d, SiLU", detail=f"kernel {m.conv_kernel}", stream="v", path=path)
        fb = g.add("fb", "Linear f, β", detail="decay, step", role="linear", stream="fb", path=path)
        core = g.add(
            "delta-rule",
            "Delta rule",
            detail=f"state {m.head_dim}×{m.head_dim}, decay per channel",
            role="core",
            path=path,
            tooltip="Gated delta rule with a decay for every channel instead of one per head",
        )
        for n in (qk, v, fb):
            g.edge(x, n)
        g.edge(qk, qk_conv, f"2 × {shape}")
        g.flow(qk_conv, qk_norm, core)
        g.edge(v, v_conv, shape)
        g.edge(v_conv, core)
        g.edge(fb, core, f"{shape} + {m.heads}")
        mul = gated_output(g, core, "Gate g", path, act="Sigmoid")
        finish(g, mul, spec.hidden_size, path)
        g.caption("Heads", f"{m.heads} × {m.head_dim}")
        g.caption("No KV cache", f"a fixed state of {m.heads} × {m.head_dim}×{m.head_dim} per layer")
        return g.build("A delta-rule state with channel-wise decay")


register_mixer(KimiDeltaKind())
