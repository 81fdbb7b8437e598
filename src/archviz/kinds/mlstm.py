"""The mLSTM of xLSTM 7B: a matrix memory per head, written with input and forget gates (one
scalar per head each) and read by the queries, then normalised per head and output-gated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, finish
from archviz.spec.models import MLSTM, ModelSpec


class MLSTMKind(LinearMixer):
    kind = "mlstm"
    name = "mLSTM"
    long_name = "mLSTM (matrix memory)"

    def params(self, spec: ModelSpec, m: MLSTM) -> int:
        h = spec.hidden_size
        qk, v = m.heads * m.qk_head_dim, m.heads * m.v_head_dim
        return (
            2 * h * qk  # queries, keys
            + h * v  # values
            + 2 * (h * m.heads + m.heads)  # input and forget gates: one scalar per head, with bias
            + h * v  # output gate, per value
            + v  # the per-head norm's weights
            + v * h  # output projection
        )

    def state_values(self, m: MLSTM) -> int:
        """Per head: the memory C (qk x v), the normaliser n (qk) and the stabiliser m (1)."""
        return m.heads * (m.qk_head_dim * m.v_head_dim + m.qk_head_dim + 1)

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        g = GraphBuilder(path, "Inside the mLSTM", ("qk", "v", "if", "gate"))
        x = g.add("input", "Input", role="io", path="hidden_size")
        core = g.add(
            "memory",
            "Matrix memory",
            detail=f"{m.qk_head_dim}×{m.v_head_dim} per head",
            role="core",
            path=path,
            tooltip="C ← f·C + i·v kᵀ; n ← f·n + i·k; h = C q / max(|nᵀq|, 1)",
        )
        shapes = {"qk": f"2 × {dims(m.heads, m.qk_head_dim)}", "v": dims(m.heads, m.v_head_dim)}
        for stream, shape in shapes.items():
            label = "Linear Q, K" if stream == "qk" else "Linear V"
            n = g.add(stream, label, role="linear", stream=stream, path=f"{path}.heads")
            g.edge(x, n)
            g.edge(n, core, shape)
        gates = g.add("if", "Gates i, f", detail="per head", role="linear", stream="if", path=path)
        g.edge(x, gates)
        g.edge(gates, core, f"2 × {m.heads}")
        norm = g.add("norm", "Norm per head", path=path)
        o = g.add("gate", "Linear o", role="linear", stream="gate", path=path)
        act = g.add("gate-act", "Sigmoid", stream="gate", path=path)
        mul = g.add("gate-mul", "×", role="operator", symbol="×", path=path, tooltip="Output gate")
        g.edge(x, o)
        g.edge(o, act, dims(m.heads, m.v_head_dim))
        g.flow(core, norm, mul)
        g.edge(act, mul, style="side")
        finish(g, mul, spec.hidden_size, path)
        g.caption("Heads", f"{m.heads} · keys and queries {m.qk_head_dim}, values {m.v_head_dim}")
        g.caption(
            "No KV cache",
            f"a fixed state of {m.heads} × ({m.qk_head_dim}×{m.v_head_dim} + {m.qk_head_dim} + 1) per layer",
        )
        return g.build("A recurrent matrix memory written by exponentially gated key-value products")


register_mixer(MLSTMKind())
