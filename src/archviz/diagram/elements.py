"""What a model figure shows, as frozen values tagged with the spec paths they come from.

The diagram stage decides *what* to draw: the canonical blocks of the stack with their slots and
the alternatives each slot holds, the per-layer strip, zoom-in panels (dataflow graphs from each
kind's module), callouts, legend and footer. Where things go is the layout's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from archviz.kinds import Graph, SideInput


@dataclass(frozen=True)
class Alternative:
    """One mixer or FFN that a slot holds in some layers."""

    name: str
    """Its key in the spec's `mixers` or `ffns`."""
    path: str
    """'mixers.local', 'ffns.moe'."""
    title: str
    """'Sliding-window GQA', 'Feed forward'."""
    detail: str
    """'window 1,024'; 'SwiGLU'."""
    share: str
    """Which layers use it: '52 of 62 layers', 'layers 1-3' ('' when all do)."""
    colour: str
    """The strip colour role of its layers (a chip role for mixers, a cue role for FFNs)."""
    tags: tuple[str, ...]
    side: tuple[SideInput, ...] = ()
    tooltip: str = ""


@dataclass(frozen=True)
class Slot:
    """The mixer or FFN position of a block, with every alternative it holds."""

    which: Literal["mixer", "ffn"]
    alternatives: tuple[Alternative, ...]

    @property
    def path(self) -> str:
        return self.alternatives[0].path if len(self.alternatives) == 1 else f"{self.which}s"


@dataclass(frozen=True)
class NormBox:
    """A norm in the stack, named by its role."""

    role: Literal["pre", "post", "inside_post", "final"]
    label: str
    """'Pre-RMSNorm', 'Post-RMSNorm', 'Final RMSNorm'."""
    special: bool
    """Model-specific (post-norms, sandwich norms): drawn with the accent outline."""
    tooltip: str


@dataclass(frozen=True)
class Add:
    """A residual addition."""


@dataclass(frozen=True)
class Parallel:
    """Mixer and FFN reading one normed input side by side (GPT-J, PaLM style)."""

    mixer: Slot
    ffn: Slot


Element = NormBox | Slot | Add | Parallel


@dataclass(frozen=True)
class Block:
    """One canonical block: every layer with the same wiring, drawn once."""

    key: str
    """'mixer-ffn', 'mixer', 'ffn' or 'parallel': the wiring."""
    title: str
    """'Mixer and feed forward', 'Mixer only', ...: what sets its wiring apart."""
    elements: tuple[Element, ...]
    """Bottom to top."""
    residuals: tuple[tuple[int, int], ...]
    """(index of a sublayer's first element, index of its Add): where each residual skip runs."""
    layers: tuple[int, ...]


@dataclass(frozen=True)
class Chip:
    """One layer in the layer strip."""

    layer: int
    """0 = the first layer, drawn at the bottom."""
    mixer: str | None
    ffn: str | None
    colour: str
    """Role of the chip's colour: its mixer (or layer_ffn for FFN-only layers)."""
    cue: str | None
    """Role of the FFN cue (dense vs MoE), when the FFN kind varies."""


@dataclass(frozen=True)
class Run:
    """Consecutive layers from one group of the spec: `repeat` times a period of `period` layers."""

    first: int
    last: int
    repeat: int
    period: int

    @property
    def label(self) -> str:
        return f"× {self.repeat}" if self.repeat > 1 and self.period > 1 else ""


@dataclass(frozen=True)
class Strip:
    """The per-layer pattern: what every layer is, in order, and how it repeats."""

    chips: tuple[Chip, ...]
    runs: tuple[Run, ...]
    phrase: str
    """'5 : 1 sliding-window : global'; '' for a uniform stack."""
    legend: tuple[tuple[str, str], ...]
    """(colour role, what it means), in the order the slots list them."""


@dataclass(frozen=True)
class MacroRow:
    """One group of the spec as a row of chips (one period) with its multiplier."""

    chips: tuple[Chip, ...]
    repeat: int
    first: int
    last: int


@dataclass(frozen=True)
class Panel:
    """A zoom-in panel: a dataflow graph, or the macro-block pattern."""

    path: str
    """Its `data-panel`: the spec path it zooms into."""
    title: str
    graph: Graph | None = None
    macro: tuple[MacroRow, ...] = ()
    sources: tuple[str, ...] = ()
    """What it zooms into: spec paths of stack slots, or 'panel-path#node' for a node of another
    panel (an expert)."""
    heads: tuple[int, int] | None = None
    """(query heads, KV heads): draw how queries share keys and values."""
    tags: tuple[str, ...] = ()
    """The kind tags of what it zooms into (highlighting selects panels by them too)."""


@dataclass(frozen=True)
class Callout:
    """A labelled value on a leader line to what it describes."""

    id: str
    label: str
    value: str
    target: Literal["tokens", "embedding", "output"]
    path: str
    note: str = ""
    """A smaller line under the value ('YaRN ×40')."""


@dataclass(frozen=True)
class Stack:
    """The main column, bottom to top."""

    input_text: str
    embedding: str
    embedding_detail: str
    """A second line under the embedding: per-layer embeddings ('+ per-layer, 256 a layer')."""
    positions: str | None
    """Learned absolute positions ('learned, 1,024'), added after the embedding."""
    dropout: float
    blocks: tuple[Block, ...]
    """One per distinct wiring; several are alternatives (each layer is one of them)."""
    final_norm: NormBox | None
    output: str
    tied: bool
    layers: int
    mtp: tuple[int, str] | None
    """(modules, what one holds) for multi-token prediction."""
    residual: str = ""
    """What the residual additions do when the path is richer than one stream ('4 residual
    streams, mixed by a Sinkhorn matrix (mHC)'); '' for a plain residual."""


@dataclass(frozen=True)
class Diagram:
    """Everything one model's figure shows."""

    id: str
    """The spec id; prefixes every element id in the output."""
    name: str
    subtitle: str
    accent: str
    description: str
    """For <desc>: the architecture in words, and where it comes from (sources, caveats)."""
    stack: Stack
    strip: Strip
    panels: tuple[Panel, ...]
    callouts: tuple[Callout, ...]
    facts: str
    """The footer's key figures: parameters, KV cache, context, layers."""
    facts_short: str
    """The same, terse, for compact figures (poster panels, concept pages)."""
    key_detail: str
    notes: tuple[str, ...]
    legend: tuple[tuple[str, str, str], ...]
    """(fill role, stroke role, meaning) for the figure's legend."""
