"""Kimi Delta Attention (Kimi Linear): DeltaNet with channel-wise (fine-grained) decay."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, delta_rule_graph, finish, gated_output
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
            + sum(h * w if full else h * m.head_dim + m.head_dim * w for full in (m.full_rank_decay, m.full_rank_gate))
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
        g = GraphBuilder(path, "Inside Kimi Delta Attention", ("qk", "v", "ab", "gate"))
        core = delta_rule_graph(
            g,
            path,
            m.conv_kernel,
            (f"2 × {shape}", shape),
            ("Linear f, β", "decay, step", f"{shape} + {m.heads}"),
            (
                "Delta rule",
                f"state {m.head_dim}×{m.head_dim}, decay per channel",
                "Gated delta rule with a decay for every channel instead of one per head",
            ),
            (f"{path}.heads", f"{path}.heads"),
        )
        mul = gated_output(g, core, "Gate g", path, act="Sigmoid")
        finish(g, mul, spec.hidden_size, path)
        g.caption("Heads", f"{m.heads} × {m.head_dim}")
        g.caption("No KV cache", f"a fixed state of {m.heads} × {m.head_dim}×{m.head_dim} per layer")
        return g.build("A delta-rule state with channel-wise decay")


register_mixer(KimiDeltaKind())
