"""Lightning attention (MiniMax, Ling): linear attention with a fixed-size state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.kinds.base import register_mixer
from archviz.kinds.graph import Graph, GraphBuilder, dims
from archviz.kinds.linear import LinearMixer, finish, gated_output
from archviz.spec.models import Lightning, ModelSpec


class LightningKind(LinearMixer):
    kind = "lightning"
    name = "Lightning"
    long_name = "Lightning attention"

    def params(self, spec: ModelSpec, m: Lightning) -> int:
        h = spec.hidden_size
        w = m.heads * m.head_dim
        return 3 * h * w + (h * w if m.gated else 0) + w + w * h

    def state_values(self, m: Lightning) -> int:
        return m.heads * m.head_dim * m.head_dim

    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        name, m = group[0]
        path = f"mixers.{name}"
        shape = dims(m.heads, m.head_dim)
        g = GraphBuilder(path, "Inside Lightning attention", ("q", "k", "v", *(("gate",) if m.gated else ())))
        x = g.add("input", "Input", role="io", path="hidden_size")
        core = g.add(
            "linear-attention",
            "Linear attention",
            detail=f"state {m.head_dim}×{m.head_dim} per head",
            role="core",
            path=path,
        )
        for s in ("q", "k", "v"):
            n = g.add(s, f"Linear {s.upper()}", role="linear", stream=s, path=f"{path}.heads")
            g.edge(x, n)
            g.edge(n, core, shape)
        if m.gated:
            top = gated_output(g, core, "Linear gate", path, act="Sigmoid")
        else:
            top = g.add("out-norm", "RMSNorm", path=path)
            g.edge(core, top)
        finish(g, top, spec.hidden_size, path)
        g.caption("Heads", shape)
        g.caption("No KV cache", f"a fixed state of {m.heads} × {m.head_dim}×{m.head_dim} per layer")
        return g.build("Linear attention: a running sum of key-value products")


register_mixer(LightningKind())
