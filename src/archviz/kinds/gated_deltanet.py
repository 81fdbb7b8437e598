"""Gated DeltaNet (Qwen3-Next): linear attention whose matrix state per head is updated by the
delta rule with a decay gate; no KV cache."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, finish, gated_output
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
        x = g.add("input", "Input", role="io", path="hidden_size")
        qk = g.add("qk", "Linear Q, K", role="linear", stream="qk", path=f"{path}.key_heads")
        qk_conv = g.add("qk-conv", "Conv1d, SiLU", detail=f"kernel {m.conv_kernel}", stream="qk", path=path)
        qk_norm = g.add("qk-norm", "L2 norm", stream="qk", path=path)
        v = g.add("v", "Linear V", role="linear", stream="v", path=f"{path}.value_heads")
        v_conv = g.add("v-conv", "Conv1d, SiLU", detail=f"kernel {m.conv_kernel}", stream="v", path=path)
        ab = g.add("ab", "Linear α, β", detail="decay, step", role="linear", stream="ab", path=path)
        core = g.add(
            "delta-rule",
            "Gated delta rule",
            detail=f"state {m.key_head_dim}×{m.value_head_dim} per head",
            role="core",
            path=path,
            tooltip="S ← α·S + β·(v − S k) kᵀ: the state forgets by α and overwrites what k stored",
        )
        for n in (qk, v, ab):
            g.edge(x, n)
        g.edge(qk, qk_conv, f"2 × {dims(m.key_heads, m.key_head_dim)}")
        g.flow(qk_conv, qk_norm, core)
        g.edge(v, v_conv, dims(m.value_heads, m.value_head_dim))
        g.edge(v_conv, core)
        g.edge(ab, core, f"2 × {m.value_heads}")
        mul = gated_output(g, core, "Linear Z", path)
        finish(g, mul, spec.hidden_size, path)
        g.caption("Heads", f"{m.key_heads} for Q and K ({m.key_head_dim}), {m.value_heads} for V ({m.value_head_dim})")
        g.caption("No KV cache", f"a fixed state of {m.value_heads} × {m.key_head_dim}×{m.value_head_dim} per layer")
        return g.build("Linear attention with a delta-rule state update and a decay gate")


register_mixer(GatedDeltaNetKind())
