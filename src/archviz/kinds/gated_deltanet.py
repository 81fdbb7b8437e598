"""Gated DeltaNet (Qwen3-Next): linear attention whose matrix state per head is updated by the
delta rule with a decay gate; no KV cache."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, delta_rule_graph, finish, gated_output
from archviz.spec.models import GatedDeltaNet, ModelSpec


class GatedDeltaNetKind(LinearMixer):
    kind = "gated_deltanet"
    name = "Gated DeltaNet"
    long_name = "Gated DeltaNet"

    def params(self, spec: ModelSpec, m: GatedDeltaNet) -> int:
        h = spec.hidden_size
        kd, vd = m.key_heads * m.key_head_dim, m.value_heads * m.value_head_dim
        return (
            h * (2 * kd + 2 * vd)  # q, k, v and the output gate z
            + h * 2 * m.value_heads  # beta and the decay gate a
            + (2 * kd + vd) * m.conv_kernel  # short causal convolution over q, k, v
            + 2 * m.value_heads  # dt bias and A
            + m.value_head_dim  # gated RMSNorm
            + vd * h  # output projection
        )

    def state_values(self, m: GatedDeltaNet) -> int:
        conv = (2 * m.key_heads * m.key_head_dim + m.value_heads * m.value_head_dim) * (m.conv_kernel - 1)
        return m.value_heads * m.key_head_dim * m.value_head_dim + conv

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        g = GraphBuilder(path, "Inside Gated DeltaNet", ("qk", "v", "ab", "gate"))
        core = delta_rule_graph(
            g,
            path,
            m.conv_kernel,
            (f"2 × {dims(m.key_heads, m.key_head_dim)}", dims(m.value_heads, m.value_head_dim)),
            ("Linear α, β", "decay, step", f"2 × {m.value_heads}"),
            (
                "Gated delta rule",
                f"state {m.key_head_dim}×{m.value_head_dim} per head",
                "S ← α·S + β·(v − S k) kᵀ: the state forgets by α and overwrites what k stored",
            ),
            (f"{path}.key_heads", f"{path}.value_heads"),
        )
        mul = gated_output(g, core, "Linear Z", path)
        finish(g, mul, spec.hidden_size, path)
        g.caption("Heads", f"{m.key_heads} for Q and K ({m.key_head_dim}), {m.value_heads} for V ({m.value_head_dim})")
        g.caption("No KV cache", f"a fixed state of {m.value_heads} × {m.key_head_dim}×{m.value_head_dim} per layer")
        return g.build("Linear attention with a delta-rule state update and a decay gate")


register_mixer(GatedDeltaNetKind())
