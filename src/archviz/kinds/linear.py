"""What the linear mixers share: a fixed-size state instead of a per-token cache."""

from __future__ import annotations

from typing import Any, ClassVar

from archviz.kinds.base import MixerKind
from archviz.kinds.graph import GraphBuilder


class LinearMixer(MixerKind):
    """A mixer with a recurrent state (linear attention, delta rule, state-space scan)."""

    linear = True
    name: ClassVar[str]
    """Its label in layer mixes and summaries."""
    long_name: ClassVar[str]
    """Its title in a mixer box."""

    def label(self, m: Any) -> str:
        return self.name

    def title(self, m: Any, short: bool = False) -> str:
        return self.long_name

    def variant(self, m: Any) -> str:
        return self.long_name

    def detail(self, m: Any) -> str:
        return "linear, fixed-size state"

    def tags(self, m: Any) -> tuple[str, ...]:
        return ("mixer", self.kind, "linear")


def gated_output(g: GraphBuilder, core: str, gate_label: str, path: str, act: str = "SiLU") -> str:
    """RMSNorm of the core's output times an activated gate projection (the 'gated norm' of
    DeltaNet and Mamba-2); returns the multiply node."""
    norm = g.add("out-norm", "RMSNorm", path=path)
    gate = g.add("gate", gate_label, role="linear", stream="gate", path=path)
    act_node = g.add("gate-act", act, stream="gate", path=path)
    mul = g.add("gate-mul", "×", role="operator", symbol="×", path=path, tooltip="Output gate")
    g.edge("input", gate)
    g.edge(gate, act_node)
    g.flow(core, norm, mul)
    g.edge(act_node, mul, style="side")
    return mul


def finish(g: GraphBuilder, top: str, h: int, path: str, label: str = "Linear out") -> None:
    out = g.add("out", label, role="linear", path=path)
    y = g.add("output", "Output", role="io", path="hidden_size")
    g.edge(top, out)
    g.edge(out, y, f"{h:,}")
