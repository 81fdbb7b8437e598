"""One module per mixer and FFN kind: how each is named, counted and drawn (a registry).

Look a kind up with `mixer_kind(m)` or `ffn_kind(f)`; every module below registers itself.
"""

from archviz.kinds import (  # noqa: F401
    attention,
    compressed,
    gated_deltanet,
    kimi_delta,
    lightning,
    mamba,
    mamba2,
    mla,
    mlp,
    mlstm,
    moe,
    residual,
    short_conv,
)
from archviz.kinds.base import (
    FFNKind,
    FFNParams,
    Inner,
    MixerKind,
    SideInput,
    activation_name,
    ffn_kind,
    mixer_kind,
    norm_params,
)
from archviz.kinds.graph import Caption, Edge, Graph, Node

__all__ = [
    "Caption",
    "Edge",
    "FFNKind",
    "FFNParams",
    "Graph",
    "Inner",
    "MixerKind",
    "Node",
    "SideInput",
    "activation_name",
    "ffn_kind",
    "mixer_kind",
    "norm_params",
]
