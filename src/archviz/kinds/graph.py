"""The vocabulary of internal dataflow graphs: nodes on named streams, edges with tensor shapes.

A kind describes what happens inside one of its layers as a small graph: input at the bottom, one
stream per projected tensor (Q, K, V, gate, ...), the core operation they merge into, output on
top. Nothing here says where things go; the layout's graph engine decides that.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Literal

Role = Literal["io", "linear", "op", "core", "operator", "router", "expert", "shared", "ellipsis"]
"""How a node is drawn: io (input/output stub), linear (a projection), op (norm, activation,
convolution, RoPE), core (attention, delta rule, scan), operator (circled + or ×), router,
expert, shared (expert), ellipsis."""


@dataclass(frozen=True)
class Node:
    """One operation or tensor of a graph."""

    id: str
    """Unique within its graph; becomes `data-node` in SVG."""
    label: str
    detail: str = ""
    """A second, smaller line: sizes, e.g. '4,096 → 32×128'."""
    role: Role = "op"
    stream: str | None = None
    """The stream (column) it sits on; None: it spans the streams it joins (the core op)."""
    symbol: str | None = None
    """'+' or '×' for operators."""
    cached: bool = False
    """What this node outputs goes into the KV cache."""
    active: bool = False
    """Drawn shaded: the experts a token is routed to."""
    partial: bool = False
    """Present in some of the layers the graph stands for only (dashed outline)."""
    path: str = ""
    """The spec path it draws."""
    tooltip: str = ""


@dataclass(frozen=True)
class Edge:
    """Data flowing from `src` to `dst`."""

    src: str
    dst: str
    label: str = ""
    """The tensor's shape, e.g. '32×128'."""
    style: Literal["flow", "fan", "side"] = "flow"
    """flow: straight or right-angled; fan: a straight line from a router to an expert; side: into
    an operator from the side (a gate)."""


@dataclass(frozen=True)
class Caption:
    """A labelled value printed in a panel, e.g. ('Cached per token', '2 × 8 × 128')."""

    label: str
    value: str


@dataclass(frozen=True)
class Graph:
    """The inside of a mixer or FFN kind as a dataflow graph."""

    path: str
    """The spec path it zooms into ('mixers.attn', 'ffns.moe'); becomes `data-panel`."""
    title: str
    streams: tuple[str, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    captions: tuple[Caption, ...] = ()
    tooltip: str = ""

    def node(self, id: str) -> Node:
        for n in self.nodes:
            if n.id == id:
                return n
        raise KeyError(id)


@dataclass
class GraphBuilder:
    """Collects nodes and edges in order; `build` freezes them into a Graph."""

    path: str
    title: str
    streams: tuple[str, ...]
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)

    def add(self, id: str, label: str, **kw: object) -> str:
        if any(n.id == id for n in self.nodes):
            raise ValueError(f"duplicate node {id!r} in {self.path}")
        self.nodes.append(Node(id, label, **kw))  # type: ignore[arg-type]
        return id

    def update(self, id: str, **changes: object) -> None:
        """Change a node already added (e.g. mark it cached once the chain is known)."""
        i = [n.id for n in self.nodes].index(id)
        self.nodes[i] = replace(self.nodes[i], **changes)  # type: ignore[arg-type]

    def flow(self, *ids: str, label: str = "") -> None:
        """Edges along a chain of nodes; `label` goes on the first."""
        for i, (a, b) in enumerate(itertools.pairwise(ids)):
            self.edges.append(Edge(a, b, label if i == 0 else ""))

    def edge(self, src: str, dst: str, label: str = "", style: Literal["flow", "fan", "side"] = "flow") -> None:
        self.edges.append(Edge(src, dst, label, style))

    def caption(self, label: str, value: str) -> None:
        self.captions.append(Caption(label, value))

    def build(self, tooltip: str = "") -> Graph:
        return Graph(
            self.path, self.title, self.streams, tuple(self.nodes), tuple(self.edges), tuple(self.captions), tooltip
        )


def dims(*parts: int) -> str:
    """Sizes joined with '×' and grouped digits: dims(32, 128) -> '32×128'."""
    return "×".join(f"{p:,}" for p in parts)
