"""What every mixer and FFN kind says about itself, and the registry that finds a kind by name.

One module per kind (attention.py, mla.py, ...) subclasses MixerKind or FFNKind and registers an
instance; facts count with it, the diagram stage names and draws with it. Adding a kind means
adding one module (and importing it in kinds/__init__.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from archviz.kinds.graph import Graph
from archviz.spec.models import ModelSpec


@dataclass(frozen=True)
class SideInput:
    """Something fed into a mixer from the side in the stack figure: RoPE, NoPE, QK-Norm."""

    text: str
    kind: str
    """rope, nope, alibi or qk_norm."""
    path: str


@dataclass(frozen=True)
class FFNParams:
    """An FFN layer's parameters, split so that active counts can be derived."""

    dense: int = 0
    routed: int = 0
    routed_active: int = 0
    shared: int = 0
    router: int = 0

    @property
    def total(self) -> int:
        return self.dense + self.routed + self.shared + self.router

    @property
    def active(self) -> int:
        return self.dense + self.routed_active + self.shared + self.router


@dataclass(frozen=True)
class Inner:
    """The feed-forward network inside an FFN kind (a dense MLP, or one expert): what its zoom
    panel draws."""

    activation: str
    gated: bool
    bias: bool
    width: int
    """Its input and output width (the model's hidden size, or a latent MoE's latent size)."""
    hidden: int
    who: str
    """Whose FFN it is: 'dense layers', 'each expert', 'shared expert'."""
    expert: bool = False
    """An expert of a mixture (routed or shared), not a dense FFN layer."""


class MixerKind(ABC):
    """A token mixer kind: attention, MLA, Gated DeltaNet, ..."""

    kind: ClassVar[str]
    linear: ClassVar[bool] = False
    """A fixed-size state instead of a per-token cache (linear attention, state-space)."""

    # --- names -------------------------------------------------------------------------------

    @abstractmethod
    def label(self, m: Any) -> str:
        """Short label in layer-mix phrases: 'sliding-window', 'global', 'Gated DeltaNet'."""

    @abstractmethod
    def title(self, m: Any, short: bool = False) -> str:
        """The name in a mixer box: 'Masked grouped-query attention' (short: 'Masked GQA')."""

    def reach(self, m: Any) -> str:
        """How far a layer sees, as the layer strip's ratio phrase names it ('sliding-window',
        'global NoPE'); kinds without a window go by their label."""
        return self.label(m)

    def family(self, m: Any) -> str:
        """The name in attention summaries: 'GQA', 'MLA', 'Gated DeltaNet'."""
        return self.label(m)

    def variant(self, m: Any) -> str:
        """One line naming this mixer among the alternatives of a layer: 'Sliding-window GQA'."""
        return self.title(m, short=True)

    def detail(self, m: Any) -> str:
        """What sets it apart, for the line under its name: 'window 1,024'."""
        return ""

    def filters(self, m: Any) -> tuple[str, ...]:
        """Names the gallery index filters by."""
        return (self.family(m),)

    def tags(self, m: Any) -> tuple[str, ...]:
        """Semantic tags of its drawn shapes (highlighting selects by them)."""
        return ("mixer", self.kind)

    # --- counts ------------------------------------------------------------------------------

    @abstractmethod
    def params(self, spec: ModelSpec, m: Any) -> int:
        """Parameters of one layer."""

    def cache_values(self, m: Any) -> int:
        """Values one layer adds to the KV cache per token."""
        return 0

    def span(self, m: Any) -> int | None:
        """How many past tokens a layer keeps (None: all of them)."""
        return None

    def state_values(self, m: Any) -> int:
        """Fixed recurrent (and convolution) state of one layer."""
        return 0

    def heads(self, m: Any) -> tuple[int, int] | None:
        """(query heads, key/value heads) when queries share keys and values (drawn as a sketch)."""
        return None

    # --- drawing -----------------------------------------------------------------------------

    def side_inputs(self, spec: ModelSpec, m: Any, path: str) -> tuple[SideInput, ...]:
        """RoPE / NoPE / QK-Norm fed in from the side of the mixer box."""
        return ()

    def graph_key(self, spec: ModelSpec, m: Any) -> tuple[object, ...]:
        """Mixers whose keys are equal share one internals panel."""
        return (self.kind, m.model_dump_json())

    @abstractmethod
    def graph(self, spec: ModelSpec, group: Sequence[tuple[str, Any]]) -> Graph:
        """The inside of a layer as a dataflow graph; `group` holds (name, mixer) pairs that share
        it (e.g. sliding-window and global attention), the first one's name giving its path."""


class FFNKind(ABC):
    """A feed-forward kind: a dense MLP or a mixture of experts."""

    kind: ClassVar[str]

    @abstractmethod
    def label(self, f: Any) -> str:
        """'dense' or 'MoE'."""

    @abstractmethod
    def title(self, f: Any) -> str:
        """'Feed forward' or 'Mixture of experts'."""

    @abstractmethod
    def detail(self, f: Any) -> str:
        """'SwiGLU'; '256 experts, top-8, 1 shared'."""

    def tags(self, f: Any) -> tuple[str, ...]:
        return ("ffn", self.kind)

    @abstractmethod
    def params(self, spec: ModelSpec, f: Any) -> FFNParams:
        """Parameters of one layer."""

    @abstractmethod
    def inner(self, spec: ModelSpec, f: Any) -> tuple[Inner, ...]:
        """The dense networks inside it (zoomed into by the feed-forward panel)."""

    def graph(self, spec: ModelSpec, name: str, f: Any) -> Graph | None:
        """Its own internals panel beyond the inner FFN (the MoE routing), if any."""
        return None


_MIXERS: dict[str, MixerKind] = {}
_FFNS: dict[str, FFNKind] = {}


def register_mixer(kind: MixerKind) -> MixerKind:
    _MIXERS[kind.kind] = kind
    return kind


def register_ffn(kind: FFNKind) -> FFNKind:
    _FFNS[kind.kind] = kind
    return kind


def mixer_kind(m: Any) -> MixerKind:
    """The kind module of a mixer from a spec."""
    try:
        return _MIXERS[m.kind]
    except KeyError:
        raise TypeError(f"unknown mixer kind {m.kind!r}") from None


def ffn_kind(f: Any) -> FFNKind:
    """The kind module of an FFN from a spec."""
    try:
        return _FFNS[f.kind]
    except KeyError:
        raise TypeError(f"unknown ffn kind {f.kind!r}") from None


ACTIVATIONS = {
    "silu": "SiLU",
    "gelu": "GELU",
    "gelu_tanh": "GELU (tanh)",
    "relu": "ReLU",
    "relu2": "ReLU²",
    "situ": "SiTU",
}


def activation_name(act: str, gated: bool) -> str:
    """'SwiGLU', 'GeGLU', 'GELU MLP' ..."""
    if gated:
        names = {"silu": "SwiGLU", "gelu": "GeGLU", "gelu_tanh": "GeGLU", "relu": "ReGLU", "situ": "SiTU-GLU"}
        return names.get(act, f"gated {act}")
    return f"{ACTIVATIONS[act].removesuffix(' (tanh)')} MLP"


def norm_name(spec: ModelSpec) -> str:
    return "RMSNorm" if spec.norm.kind == "rmsnorm" else "LayerNorm"


def norm_params(spec: ModelSpec, width: int) -> int:
    """One norm over `width` features: a scale, plus a bias for LayerNorm."""
    return width * (2 if spec.norm.has_bias else 1)
