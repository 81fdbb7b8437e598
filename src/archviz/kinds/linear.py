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


def scan_and_gate(g: GraphBuilder, path: str, state_size: int, scope: str = "") -> tuple[str, str, str]:
    """The Mamba family's selective scan and its z gate: the SiLU on z, the scan (a state of
    `state_size` per channel), and the multiply that gates the scan's output; their ids."""
    act = g.add("gate-act", "SiLU", stream="gate", path=path)
    core = g.add(
        "scan",
        "Selective scan",
        detail=f"state {state_size} per channel",
        role="core",
        path=path,
        tooltip="h ← exp(Δt·A)·h + Δt·B·x; y = C·h + D·x" + scope,
    )
    mul = g.add("gate-mul", "×", role="operator", symbol="×", path=path, tooltip="Gate z")
    return act, core, mul


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


def delta_rule_graph(
    g: GraphBuilder,
    path: str,
    conv_kernel: int,
    shapes: tuple[str, str],
    gates: tuple[str, str, str],
    core: tuple[str, str, str],
    heads_paths: tuple[str, str],
) -> str:
    """The DeltaNet family's inside, up to its core: Q and K (convolved, L2-normed), V (convolved)
    and the decay/step gates merge into the delta rule. `shapes` are the (Q and K, V) edge labels,
    `gates` the (label, detail, edge label) of the gate projection, `core` the rule's (label,
    detail, tooltip). Returns the core's id; the gated output comes after it."""
    x = g.add("input", "Input", role="io", path="hidden_size")
    qk = g.add("qk", "Linear Q, K", role="linear", stream="qk", path=heads_paths[0])
    qk_conv = g.add("qk-conv", "Conv1d, SiLU", detail=f"kernel {conv_kernel}", stream="qk", path=path)
    qk_norm = g.add("qk-norm", "L2 norm", stream="qk", path=path)
    v = g.add("v", "Linear V", role="linear", stream="v", path=heads_paths[1])
    v_conv = g.add("v-conv", "Conv1d, SiLU", detail=f"kernel {conv_kernel}", stream="v", path=path)
    ab = g.add("ab", gates[0], detail=gates[1], role="linear", stream="ab", path=path)
    rule = g.add("delta-rule", core[0], detail=core[1], role="core", path=path, tooltip=core[2])
    for n in (qk, v, ab):
        g.edge(x, n)
    g.edge(qk, qk_conv, shapes[0])
    g.flow(qk_conv, qk_norm, rule)
    g.edge(v, v_conv, shapes[1])
    g.edge(v_conv, rule)
    g.edge(ab, rule, gates[2])
    return rule


def finish(g: GraphBuilder, top: str, h: int, path: str, label: str = "Linear out") -> None:
    out = g.add("out", label, role="linear", path=path)
    y = g.add("output", "Output", role="io", path="hidden_size")
    g.edge(top, out)
    g.edge(out, y, f"{h:,}")
