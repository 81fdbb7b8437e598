"""The spec format: pydantic models for one LLM architecture, as written in specs/*.yaml.

Each section is strict (unknown keys are errors) and frozen. Sizes are plain integers; parameter
counts may also be written as "671B", "37B", "1.2T" or "270M".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from archviz.spec.base import Strict, did_you_mean
from archviz.spec.limits import LIMITS, bad_text

_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}


def _parse_count(value: Any) -> Any:
    """Read '671B', '37B', '1.2T', '270M' or a number as an integer count."""
    if isinstance(value, bool) or not isinstance(value, float | str):
        return value
    number: float = value if isinstance(value, float) else 0.0
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([KMBGT]?)\s*", value)
        if not m:
            raise PydanticCustomError(
                "count", "expected a count such as 8030000000, '8.03B' or '1T', got '{v}'", {"v": value}
            )
        number = float(m.group(1)) * _SUFFIX.get(m.group(2), 1)
    if not math.isfinite(number):
        raise PydanticCustomError("count", "expected a finite count, got '{v}'", {"v": str(value)})
    return round(number)


def _not_bool(value: Any) -> Any:
    """YAML reads yes/no/on/off as booleans, and pydantic would take true as 1: no size is a boolean."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "not_a_number", "expected a number, not a boolean (YAML reads yes/no/on/off as true/false)"
        )
    return value


def _gate(value: Any) -> Any:
    """An output gate is true, false or per_head; one clear error for anything else (not one per
    member of the union)."""
    if value is True or value is False or value == "per_head":
        return value
    raise PydanticCustomError("gate", "expected true, false or per_head")


def _theta(value: Any) -> Any:
    """A RoPE base is a positive number or 'undisclosed'; one clear error for anything else."""
    if value == "undisclosed":
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= LIMITS.theta:
        return value
    raise PydanticCustomError(
        "theta", "expected a positive RoPE base up to {m} or 'undisclosed'", {"m": f"{LIMITS.theta:g}"}
    )


Gate = Annotated[bool | Literal["per_head"], BeforeValidator(_gate)]
"""An output gate: none (false), one per value (true) or one scalar per head (per_head)."""


def _one_line(value: str) -> str:
    if why := bad_text(value, one_line=True):
        raise PydanticCustomError("text", "the text {why}", {"why": why})
    return value


Count = Annotated[int, BeforeValidator(_parse_count), Field(gt=0, le=LIMITS.params)]
"""A positive parameter count: an integer or a string like '671B'."""

# Sizes, each bounded far above any published model (limits.py): a larger value is a typo.
Heads = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=LIMITS.heads)]
Width = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=LIMITS.width)]
Experts = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=LIMITS.experts)]
Vocab = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=LIMITS.vocab)]
Tokens = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=LIMITS.context)]
Small = Annotated[int, BeforeValidator(_not_bool), Field(ge=1, le=LIMITS.small)]
Real = Annotated[float, BeforeValidator(_not_bool)]

Line = Annotated[str, AfterValidator(_one_line), Field(min_length=1, max_length=LIMITS.line)]
"""One line of text (a name, an organization, a licence): no tabs, newlines or control characters."""


Sentence = Annotated[str, Field(min_length=1, max_length=LIMITS.sentence)]
"""Text a figure prints in full: the key detail, a note."""


def _identifier(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,63}", value):
        raise PydanticCustomError(
            "name",
            "a mixer or FFN name is an identifier: a letter, then letters, digits, '_' or '-' (64 at most)",
        )
    return value


Key = Annotated[str, AfterValidator(_identifier)]
"""The name of a mixer or FFN: an identifier (letters, digits, '_', '-'), since figures, ids and
spec paths are built from it."""


def fail(field: str, message: str, **ctx: Any) -> PydanticCustomError:
    """An error about `field` (a dotted path below the model being validated)."""
    return PydanticCustomError("invalid", message, {"field": field, **ctx})


# --- metadata -----------------------------------------------------------------------------


class Links(Strict):
    """Where a reader can check the architecture."""

    config: str | None = None
    """The model's config.json (or params.json)."""
    report: str | None = None
    """The technical report or paper."""
    article: str | None = None
    """An article, blog post or model card that explains the model."""
    code: str | None = None
    """A reference or from-scratch implementation."""


class Source(Strict):
    """One place a number in the spec comes from."""

    url: str
    """Where it is published."""
    covers: str = ""
    """Which numbers it supports, e.g. 'hyperparameters', 'parameter count'."""


class PublishedParams(Strict):
    """Parameter counts as the vendor publishes them, and what they include."""

    total: Count
    """Total parameters as published."""
    active: Count | None = None
    """Parameters active per token (MoE models) as published."""
    source: str
    """Where the figures are stated."""
    includes_embedding: bool = True
    """Whether the published figures count the input embedding."""
    active_includes_embedding: bool | None = None
    """Whether the active figure counts it, when that differs from the total (gpt-oss)."""
    includes_output_head: bool = True
    """Whether they count the (untied) output head."""
    includes_mtp: bool = False
    """Whether they count multi-token-prediction modules."""
    effective: Count | None = None
    """An 'effective' size as published (Gemma's E2B = 2.3B): the total without the token and
    per-layer embedding tables."""
    includes_other: dict[str, Count] = Field(default_factory=dict)
    """Parts the spec does not model but the figures count, e.g. {vision encoder: 0.4B}."""
    active_includes_other: bool = True
    """Whether the active figure counts those parts too (False when only the total does, as
    MiMo-V2.5's 15B active is its language model alone)."""
    computed: bool = False
    """No figure is published: `total` is archviz's own count (specs imported from config.json)."""
    label_only: bool = False
    """The vendor gives only a rounded size label ('7B'), not a count: compare within half a unit of
    its last digit."""
    note: str = ""
    """Anything else about the convention."""


# --- positions and norms ------------------------------------------------------------------


class RopeScaling(Strict):
    """Context extension applied to RoPE."""

    type: Literal["yarn", "linear", "dynamic", "llama3", "longrope", "ntk"]
    factor: Real = Field(gt=0, le=1e6)
    original_context: Tokens | None = None
    """The context length the model was pre-trained with before scaling."""


class Rope(Strict):
    """Rotary position embedding."""

    theta: Annotated[float | Literal["undisclosed"], BeforeValidator(_theta)]
    """Base frequency, or 'undisclosed' when the vendor has not published it (figures then say
    'not disclosed'; no count depends on it)."""
    partial: Real = Field(default=1.0, gt=0, le=1)
    """Fraction of each head's dimensions that are rotated (partial RoPE)."""
    scaling: RopeScaling | None = None


class Norm(Strict):
    """Which normalisation, and where it sits relative to the residual stream."""

    kind: Literal["rmsnorm", "layernorm"]
    placement: Literal["pre", "post", "inside_post", "sandwich"] = "pre"
    """pre: norm, sublayer, add (GPT-2, Llama). post: sublayer, add, norm (original Transformer).
    inside_post: sublayer, norm, add, inside the residual branch (OLMo 2). sandwich: norm,
    sublayer, norm, add (Gemma 2/3)."""
    qk_norm: bool = False
    """Normalise queries and keys per head before attention."""
    final: bool = True
    """A norm after the last block, before the output head."""
    bias: bool | None = None
    """Whether the norm has a bias; defaults to True for LayerNorm, False for RMSNorm."""
    eps: Real | None = Field(default=None, gt=0, lt=1)

    @property
    def has_bias(self) -> bool:
        return self.kind == "layernorm" if self.bias is None else self.bias


# --- token mixers -------------------------------------------------------------------------


class SparseIndexer(Strict):
    """A cheap indexer that selects which past tokens each query attends to: DeepSeek Sparse
    Attention's lightning indexer, or MiniMax Sparse Attention's, which keeps whole blocks."""

    heads: Heads
    head_dim: Width
    top_k: Tokens
    """Tokens selected per query (with `block`: the blocks kept times the block size)."""
    block: Tokens | None = None
    """Scores are pooled over blocks of this many tokens and whole blocks are kept (MiniMax
    Sparse Attention); None: single tokens (DSA)."""
    head_weights: bool = True
    """A learned weight per index head mixes their scores (DSA); MSA has none."""

    @model_validator(mode="after")
    def _blocks(self) -> SparseIndexer:
        if self.block and self.top_k % self.block:
            raise fail("top_k", "top_k ({k}) is not a whole number of blocks of {b}", k=self.top_k, b=self.block)
        return self


class Attention(Strict):
    """Softmax attention with query and key/value heads: MHA, GQA or MQA by the head counts."""

    kind: Literal["attention"] = "attention"
    heads: Heads
    """Query heads."""
    kv_heads: Heads
    """Key/value heads: equal to heads for MHA, 1 for MQA, in between for GQA."""
    head_dim: Width
    """Dimension of each query and key head (and value head, unless v_head_dim says otherwise)."""
    v_head_dim: Width | None = None
    """Value head dimension when it differs from head_dim (MiMo-V2-Flash)."""
    window: Tokens | None = None
    """Sliding-window size in tokens (None: global attention)."""
    chunk: Tokens | None = None
    """Chunked attention: tokens attend only within chunks of this size (Llama 4)."""
    rope: bool = True
    """False for NoPE layers that use no positional encoding."""
    rope_theta: Real | None = Field(default=None, gt=0, le=LIMITS.theta)
    """RoPE base for this kind of layer when it differs from the model's."""
    rope_partial: Real | None = Field(default=None, gt=0, le=1)
    """Fraction of each head's dimensions rotated in this kind of layer when it differs from the
    model's rope.partial (Gemma 4's global layers rotate 25 % of 512, its sliding layers all)."""
    k_eq_v: bool = False
    """Keys double as values: no value projection, and one tensor per head is cached instead of
    two (Gemma 4's global layers)."""
    kv_shared: bool = False
    """The layer computes no keys and values: it attends over those of the last earlier layer of
    the same reach (sliding or global) that does, so it has no K/V projections and caches
    nothing (Gemma 4 E2B's last 20 layers)."""
    gated: Gate = False
    """An output gate (sigmoid of a projection of the input) multiplies the attention output:
    true for one gate per output value (Qwen3-Next, a hidden x heads·head_dim projection),
    per_head for one scalar per head (Laguna, a hidden x heads projection)."""
    sinks: bool = False
    """Learned per-head attention sinks (gpt-oss)."""
    qkv_bias: bool = False
    out_bias: bool = False
    qk_norm: bool | None = None
    """Overrides the model's norm.qk_norm for this kind of layer."""
    sparse: SparseIndexer | Literal["shared"] | None = None
    """DeepSeek Sparse Attention: the layer's own indexer, or 'shared' when the layer reuses the
    tokens an earlier layer's indexer chose (GLM-5.2's IndexShare) and has no indexer weights."""

    @model_validator(mode="after")
    def _heads(self) -> Attention:
        if self.kv_heads > self.heads:
            raise fail("kv_heads", "kv_heads ({kv}) exceeds heads ({q})", kv=self.kv_heads, q=self.heads)
        if self.heads % self.kv_heads:
            raise fail("kv_heads", "heads ({q}) is not a multiple of kv_heads ({kv})", kv=self.kv_heads, q=self.heads)
        if self.window and self.chunk:
            raise fail("chunk", "a layer is either sliding-window or chunked, not both")
        if self.k_eq_v and self.v_head_dim not in (None, self.head_dim):
            raise fail("v_head_dim", "with k_eq_v the values are the keys, so v_head_dim must equal head_dim")
        if self.kv_shared and (self.k_eq_v or self.sparse or self.qkv_bias):
            raise fail(
                "kv_shared", "a layer that reuses another layer's keys and values has no K/V of its own to change"
            )
        if self.rope_partial is not None and not self.rope:
            raise fail("rope_partial", "a NoPE layer (rope: false) rotates nothing, so rope_partial makes no sense")
        return self


class MLA(Strict):
    """Multi-head latent attention (DeepSeek V2/V3): keys and values from a compressed latent."""

    kind: Literal["mla"] = "mla"
    heads: Heads
    q_lora_rank: Width | None = None
    """Rank of the query compression (None: full-rank query projection)."""
    kv_lora_rank: Width
    """Width of the cached KV latent."""
    qk_rope_head_dim: Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=LIMITS.width)]
    """Per-head dimensions of the shared key (one for all heads, cached beside the latent), rotated
    by RoPE unless the layer is NoPE; 0 for none (GLM-5.3-Flash)."""
    qk_nope_head_dim: Width
    v_head_dim: Width
    rope: bool = True
    gated: Gate = False
    """An output gate on the attention output, as for Attention: true for one gate per value,
    per_head for one scalar per head (Ling 3.0's head-wise gate)."""
    sinks: bool = False
    """Learned per-head attention sinks (Hy4)."""
    sparse: SparseIndexer | Literal["shared"] | None = None
    """The layer's own DSA indexer, or 'shared' to reuse an earlier layer's choice (IndexShare)."""


class Compressed(Strict):
    """DeepSeek V4's attention: one KV head of head_dim whose keys are also its values, queries
    through a low-rank latent, a grouped low-rank output and per-head sinks. Every layer attends
    over a window of recent tokens; with `ratio` also over compressed entries, one per `ratio`
    tokens (CSA: ratio 4 over overlapping blocks, searched by an indexer; HCA: ratio 128, all of
    them)."""

    kind: Literal["compressed"] = "compressed"
    heads: Heads
    """Query heads."""
    head_dim: Width
    """Width of the single key-and-value head (and of each query head)."""
    q_lora_rank: Width
    out_groups: Small
    """The heads' outputs are projected in this many groups..."""
    out_rank: Width
    """...each to this width, before one projection back to the hidden size."""
    window: Tokens
    """Recent tokens every layer attends to uncompressed."""
    ratio: Tokens | None = None
    """Tokens per compressed entry (None: the window only)."""
    overlap: bool = False
    """Compressed blocks overlap (CSA): the compressor's projections are twice as wide."""
    indexer: SparseIndexer | None = None
    """Picks top_k compressed entries per query (CSA), with a compressor of its own; its queries
    come from the query latent."""
    sinks: bool = True
    rope_theta: Real | None = Field(default=None, gt=0, le=LIMITS.theta)

    @model_validator(mode="after")
    def _compression(self) -> Compressed:
        if self.heads % self.out_groups:
            raise fail(
                "out_groups", "heads ({h}) are not a whole number of groups of {g}", h=self.heads, g=self.out_groups
            )
        if self.ratio is None and (self.indexer or self.overlap):
            raise fail("ratio", "an indexer or overlapping blocks need compressed entries: give ratio")
        if self.ratio and self.head_dim % self.ratio:
            raise fail("ratio", "head_dim ({d}) must be a multiple of ratio ({r})", d=self.head_dim, r=self.ratio)
        return self


class GatedDeltaNet(Strict):
    """Gated DeltaNet linear attention (Qwen3-Next): a fixed-size state per head, no KV cache."""

    kind: Literal["gated_deltanet"] = "gated_deltanet"
    key_heads: Heads
    key_head_dim: Width
    value_heads: Heads
    value_head_dim: Width
    conv_kernel: Small = 4


class KimiDelta(Strict):
    """Kimi Delta Attention: DeltaNet with channel-wise (fine-grained) gating."""

    kind: Literal["kimi_delta"] = "kimi_delta"
    heads: Heads
    head_dim: Width
    conv_kernel: Small = 4
    full_rank_decay: bool = False
    """The decay (f) projection is full rank, hidden x heads·head_dim (Ling 3.0), rather than
    through a rank of head_dim (Kimi Linear)."""
    full_rank_gate: bool = False
    """The output-gate (g) projection is full rank (Ling 3.0, Kimi K3), rather than low rank."""


class Lightning(Strict):
    """Lightning attention (MiniMax, Ling): linear attention with a fixed-size state."""

    kind: Literal["lightning"] = "lightning"
    heads: Heads
    head_dim: Width
    gated: bool = True


class Mamba2(Strict):
    """A Mamba-2 selective state-space layer."""

    kind: Literal["mamba2"] = "mamba2"
    heads: Heads
    head_dim: Width
    state_size: Width
    groups: Small = 1
    conv_kernel: Small = 4


class Mamba(Strict):
    """A Mamba-1 selective state-space layer (Mamba, Falcon Mamba, Jamba): a state of `state_size`
    per channel of the `inner` width, with a step size projected through a low rank."""

    kind: Literal["mamba"] = "mamba"
    inner: Width
    """Channels of the scan (d_inner: expand x hidden size)."""
    state_size: Width
    """State per channel (d_state)."""
    dt_rank: Width
    """Rank of the step-size projection (often hidden size / 16, rounded up)."""
    conv_kernel: Small = 4
    conv_bias: bool = True
    bias: bool = False
    """Biases on the in- and out-projections."""
    inner_norms: bool = False
    """RMSNorms on the step, B and C inside the layer (Jamba)."""


class MLSTM(Strict):
    """An mLSTM layer (xLSTM 7B): per head a matrix memory of qk_head_dim x v_head_dim, written with
    exponential input and forget gates (one scalar per head each) and read by the queries, then
    normalised per head and gated per value."""

    kind: Literal["mlstm"] = "mlstm"
    heads: Heads
    qk_head_dim: Width
    """Query and key dimensions per head."""
    v_head_dim: Width
    """Value dimensions per head."""


class ShortConv(Strict):
    """A gated short convolution (LFM2): the input is projected to B, C and x; B gates x, a
    depthwise convolution over the last `kernel` tokens mixes it, and C gates the result."""

    kind: Literal["short_conv"] = "short_conv"
    channels: Width
    """Width of the convolution (the hidden size in LFM2)."""
    kernel: Small = 3
    bias: bool = False
    """Biases on the projections and the convolution."""


Mixer = Annotated[
    Attention | MLA | Compressed | GatedDeltaNet | KimiDelta | Lightning | Mamba2 | Mamba | MLSTM | ShortConv,
    Field(discriminator="kind"),
]
"""A token mixer: the part of a block that moves information between positions."""

LINEAR_MIXERS = ("gated_deltanet", "kimi_delta", "lightning", "mamba2", "mamba", "mlstm", "short_conv")


# --- feed-forward ---------------------------------------------------------------------------

Activation = Literal["gelu", "gelu_tanh", "relu", "relu2", "silu", "situ"]
"""situ: Kimi K3's SiTU, a SiLU whose gate and up branches are soft-capped by tanh (β 4 and 25)."""


class MLP(Strict):
    """A dense feed-forward network; gated means SwiGLU/GeGLU-style (two input projections)."""

    kind: Literal["mlp"] = "mlp"
    hidden: Width
    """Intermediate (hidden) size."""
    activation: Activation = "silu"
    gated: bool = True
    bias: bool = False


class Router(Strict):
    """How tokens choose experts."""

    scoring: Literal["softmax", "sigmoid", "sqrt_softplus"] = "softmax"
    """How expert scores are made: softmax, sigmoid, or the square root of softplus (DeepSeek V4)."""
    bias: bool = False
    """A learned per-expert bias for load balancing (DeepSeek V3's auxiliary-loss-free)."""
    hash: bool = False
    """Each token's experts come from a fixed table of vocab x top_k expert ids instead of the
    scores, which only weight them (DeepSeek V4's first layers); the table counts as weights."""


class MoE(Strict):
    """A mixture of experts: a router picks top_k of the routed experts per token."""

    kind: Literal["moe"] = "moe"
    experts: Experts
    """Routed experts."""
    top_k: Experts
    """Routed experts active per token."""
    expert_hidden: Width
    """Intermediate size of one expert."""
    activation: Activation = "silu"
    gated: bool = True
    bias: bool = False
    shared_experts: Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=LIMITS.small)] = 0
    """Experts every token passes through."""
    shared_hidden: Width | None = None
    """Intermediate size of one shared expert (default: expert_hidden)."""
    shared_gate: bool = False
    """A sigmoid gate scales the shared expert's output (Qwen2-MoE, Qwen3-Next)."""
    latent_size: Width | None = None
    """Routed experts work in a smaller latent space: one projection hidden -> latent before them
    and one latent -> hidden after, shared by all experts (Nemotron 3 Super's latent MoE)."""
    router: Router = Router()

    @model_validator(mode="after")
    def _k(self) -> MoE:
        if self.top_k > self.experts:
            raise fail("top_k", "top_k ({k}) exceeds experts ({e})", k=self.top_k, e=self.experts)
        return self


FFN = Annotated[MLP | MoE, Field(discriminator="kind")]


# --- the stack ------------------------------------------------------------------------------


MAX_LAYERS = 4096
"""No published LLM comes near this; a larger stack is a typo (and would only exhaust memory)."""


class Block(Strict):
    """One kind of layer: a mixer, a feed-forward, or both, repeated `count` times in a row."""

    mixer: Line | None = None
    """Name of an entry of `mixers` (None: an FFN-only layer, as in Nemotron-H)."""
    ffn: Line | None = None
    """Name of an entry of `ffns` (None: a mixer-only layer)."""
    count: Annotated[int, BeforeValidator(_not_bool)] = Field(default=1, ge=1, le=MAX_LAYERS)
    parallel: bool = False
    """Mixer and FFN read the same input and are added together (GPT-J, PaLM)."""

    @property
    def sublayers(self) -> int:
        """Residual branches of the layer: one per mixer and FFN, one when they sit side by side
        (each has its norm, and its residual weights when the path has streams)."""
        return 1 if self.parallel else int(self.mixer is not None) + int(self.ffn is not None)

    @model_validator(mode="after")
    def _something(self) -> Block:
        if self.mixer is None and self.ffn is None:
            raise fail("mixer", "a block needs a mixer, an ffn, or both")
        if self.parallel and (self.mixer is None or self.ffn is None):
            raise fail("parallel", "a parallel block needs both a mixer and an ffn")
        return self


class LayerGroup(Strict):
    """A run of blocks repeated `repeat` times: e.g. 10 x (5 sliding-window, 1 global)."""

    repeat: Annotated[int, BeforeValidator(_not_bool)] = Field(default=1, ge=1, le=MAX_LAYERS)
    blocks: list[Block] = Field(min_length=1)


class Residual(Strict):
    """A residual path richer than one stream. hyper_connections: `streams` copies of the hidden
    state; before each sublayer a learned, input-dependent mix collapses them into its input and
    after it spreads the output back (mHC, iHC). block_attention: each sublayer reads a softmax
    mix of the sums of earlier blocks of `block` layers (Kimi K3's Block Attention Residuals)."""

    kind: Literal["hyper_connections", "block_attention"]
    streams: Small | None = None
    """Residual streams (hyper_connections; DeepSeek V4 and GLM-5.3 use 4)."""
    mixing: bool = True
    """hyper_connections: the streams are also mixed with each other by a Sinkhorn-normalised
    matrix (mHC); false when each stream only adds the sublayer's output (Hy4's iHC)."""
    merge: Literal["weighted", "mean"] = "weighted"
    """How the streams become one before the output head: a learned weighting, or their mean."""
    block: Small | None = None
    """block_attention: layers per block."""
    in_mtp: bool = False
    """The MTP modules have the same residual (DeepSeek V4), rather than a plain one."""

    @model_validator(mode="after")
    def _fields(self) -> Residual:
        if self.kind == "hyper_connections" and (self.streams is None or self.streams < 2):
            raise fail("streams", "hyper_connections needs streams: 2 or more")
        if self.kind == "block_attention" and self.block is None:
            raise fail("block", "block_attention needs block: the layers per block")
        return self


class PerLayerEmbeddings(Strict):
    """A second embedding table giving every layer its own small vector per token (Gemma 3n and
    Gemma 4 E2B/E4B): a table of vocab x layers·width, a projection of the hidden state to the
    same size, and in each layer a gate (hidden -> width), a projection back (width -> hidden)
    and a norm, added to the residual."""

    width: Width
    """Per-layer vector size (hidden_size_per_layer_input)."""
    vocab: Vocab | None = None
    """Rows of the table (default: the model's vocab_size)."""


class MTP(Strict):
    """Multi-token-prediction modules that predict further tokens during training."""

    modules: Small
    mixer: Line
    ffn: Line


class Undisclosed(Strict):
    """A detail that is not public, so the spec cannot state it."""

    what: Line
    """The detail, e.g. 'training context length'."""
    note: str = "not disclosed"


class FigureStyle(Strict):
    """How a figure is drawn when the caller does not say (draw()'s keywords and render's options
    win over a spec's style:, which wins over the user config's). Field for field as draw()."""

    theme: Literal["light", "dark", "print"] | None = None
    accent: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    """The model's colour, #rrggbb."""
    highlight: list[Line] = Field(default_factory=list, max_length=LIMITS.items)
    """Parts to outline, the rest faded: spec paths ('mixers.attn') or tags ('moe', 'norm')."""
    caption: Sentence | None = None
    """With highlight: a sentence set under the figure on what it shows."""
    panels: list[Line] | None = None
    """Only these zoom panels, by spec path ([] for none)."""
    compact: bool | None = None
    """The stack alone, as on the poster."""
    size: Literal["article", "paper", "slide", "card"] | None = None
    """A size preset: article, paper, slide or card."""
    font: Line | None = None
    """An installed font family or a .ttf/.otf file for the text (default: DejaVu Sans)."""


class UserConfig(Strict):
    """archviz's config file (spec/userconfig.py): the user's defaults for figures."""

    style: FigureStyle | None = None


class ModelSpec(Strict):
    """One LLM architecture: metadata, dimensions, and the layer stack as a pattern."""

    name: Line
    """Display name, e.g. 'Llama 3 8B'."""
    organization: Line
    release_date: dt.date | None = None
    """Public release date (None: not stated, as for models imported from a bare config.json)."""
    license: Line
    decoder_type: Literal["dense", "moe", "hybrid", "hybrid_moe", "recurrent"]
    """dense, moe (sparse MoE), hybrid (linear/SSM and attention, dense FFN), hybrid_moe, or
    recurrent (linear/SSM layers only, no attention: Mamba)."""
    key_detail: Sentence
    """One sentence on what sets the architecture apart."""
    based_on: list[Line] = Field(default_factory=list, max_length=LIMITS.items)
    """Ids of catalog models this one derives from (for the lineage graph)."""
    accent: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    """Accent colour for diagrams (default: from the theme palette); style.accent says the same."""
    links: Links = Links()
    sources: list[Source] = Field(min_length=1, max_length=LIMITS.items)
    params: PublishedParams

    context_length: Tokens | None = None
    """The longest context the model takes, in tokens. Only a model without attention layers (a
    recurrent one, e.g. Mamba) may leave it out: its architecture sets no limit."""
    vocab_size: Vocab
    hidden_size: Width
    """Embedding (model) dimension."""
    tie_embeddings: bool
    """The output head reuses the input embedding matrix."""
    positions: Literal["rope", "learned", "none", "alibi"]
    """rope, learned absolute positions (GPT-2), none (NoPE everywhere), or alibi (a per-head linear
    bias on attention scores by distance, no parameters: MPT, BLOOM)."""
    learned_positions: Tokens | None = None
    """Number of learned absolute positions (with positions: learned)."""
    rope: Rope | None = None
    dropout: Real = Field(default=0.0, ge=0, lt=1)
    """Dropout rate used in training (0 for most modern models)."""
    norm: Norm
    mixers: dict[Key, Mixer] = Field(min_length=1, max_length=LIMITS.kinds)
    """Named token mixers used by the blocks."""
    ffns: dict[Key, FFN] = Field(default_factory=dict, max_length=LIMITS.kinds)
    """Named feed-forward networks used by the blocks."""
    layers: list[LayerGroup] = Field(min_length=1)
    """The stack, bottom to top, as groups of repeated blocks."""
    residual: Residual | None = None
    """A multi-stream or attention-mixed residual path (default: one plain residual stream)."""
    per_layer_embeddings: PerLayerEmbeddings | None = None
    """Per-layer embeddings (PLE), an embedding table as large as the rest of a small model."""
    loops: Annotated[int, BeforeValidator(_not_bool)] = Field(default=1, ge=1, le=LIMITS.small)
    """How many times every token runs through the whole stack, with the same weights each time
    (looped depth: Ouro, Nanbeige 4.2). Parameters count once; each pass has its own KV cache."""
    mtp: MTP | None = None
    undisclosed: list[Undisclosed] = Field(default_factory=list, max_length=LIMITS.items)
    """Details that are not public (shown as 'not disclosed')."""
    notes: list[Sentence] = Field(default_factory=list, max_length=LIMITS.notes)
    """Short remarks drawn on the diagram (e.g. 'First 3 blocks use a dense FFN')."""
    style: FigureStyle | None = None
    """How the model's figure is drawn unless the caller says otherwise."""

    @model_validator(mode="after")
    def _consistent(self) -> ModelSpec:
        for gi, group in enumerate(self.layers):
            for bi, block in enumerate(group.blocks):
                where = f"layers.{gi}.blocks.{bi}"
                for attr, table in (("mixer", self.mixers), ("ffn", self.ffns)):
                    ref = getattr(block, attr)
                    if ref is not None and ref not in table:
                        raise fail(
                            f"{where}.{attr}",
                            "no {attr} named '{ref}'{hint}",
                            attr=attr,
                            ref=ref,
                            hint=did_you_mean(ref, sorted(table)),
                        )
        self._shared_indexers()
        self._shared_kv()
        if self.mtp is not None:
            if self.mtp.mixer not in self.mixers:
                raise fail("mtp.mixer", "no mixer named '{ref}'", ref=self.mtp.mixer)
            if self.mtp.ffn not in self.ffns:
                raise fail("mtp.ffn", "no ffn named '{ref}'", ref=self.mtp.ffn)
        if self.num_layers > MAX_LAYERS:
            raise fail(
                "layers", "the stack has {n} layers; more than {m} is not a real model", n=self.num_layers, m=MAX_LAYERS
            )
        derived = derive_decoder_type(self)
        if derived != self.decoder_type:
            raise fail("decoder_type", "the layer stack makes this '{d}', not '{s}'", d=derived, s=self.decoder_type)
        if self.context_length is None and any(m.kind not in LINEAR_MIXERS for m in self.mixers.values()):
            raise fail("context_length", "required field is missing (only a model without attention may leave it out)")
        if self.positions == "rope" and self.rope is None:
            raise fail("rope", "positions is 'rope' but no rope section is given")
        if self.positions == "learned" and self.learned_positions is None:
            raise fail("learned_positions", "positions is 'learned' but learned_positions is missing")
        if self.style is not None and None not in (self.style.accent, self.accent) and self.style.accent != self.accent:
            raise fail(
                "style.accent", "accent is set twice, to {a} and {b}: keep one", a=self.accent, b=self.style.accent
            )
        return self

    def _shared_indexers(self) -> None:
        """A layer with sparse: shared reuses the choice of an earlier layer's own indexer."""
        owned = False
        for i, b in enumerate(self.layer_blocks):
            sparse = getattr(self.mixers[b.mixer], "sparse", None) if b.mixer else None
            if sparse == "shared" and not owned:
                raise fail(
                    f"mixers.{b.mixer}.sparse",
                    "'shared' reuses the tokens an earlier layer's indexer chose, but no layer before "
                    "layer {n} has an indexer of its own",
                    n=i + 1,
                )
            owned = owned or isinstance(sparse, SparseIndexer)

    def _shared_kv(self) -> None:
        """A layer with kv_shared reuses the K/V of an earlier layer of the same reach."""
        seen: set[tuple[int | None, int | None]] = set()
        for i, b in enumerate(self.layer_blocks):
            m = self.mixers[b.mixer] if b.mixer else None
            if not isinstance(m, Attention):
                continue
            reach = (m.window, m.chunk)
            if m.kv_shared and reach not in seen:
                raise fail(
                    f"mixers.{b.mixer}.kv_shared",
                    "layer {n} reuses the keys and values of an earlier layer, but no earlier layer of "
                    "its reach ({r}) computes its own",
                    n=i + 1,
                    r=f"window {m.window}" if m.window else f"chunks of {m.chunk}" if m.chunk else "global",
                )
            if not m.kv_shared:
                seen.add(reach)

    @property
    def accent_colour(self) -> str | None:
        """The model's own colour, from style.accent or accent (None: the theme's)."""
        return (self.style.accent if self.style else None) or self.accent

    # Derived views used by every later stage.

    @property
    def context_text(self) -> str:
        """'131,072 tokens', or what a recurrent model without a stated limit has instead."""
        return f"{self.context_length:,} tokens" if self.context_length else "no fixed limit (recurrent)"

    @property
    def date_text(self) -> str:
        """The release date as YYYY-MM-DD, or 'date not stated'."""
        return self.release_date.isoformat() if self.release_date else "date not stated"

    @property
    def sort_date(self) -> dt.date:
        """The release date for ordering; models without one sort first."""
        return self.release_date or dt.date.min

    def expanded(self) -> list[Block]:
        """The stack as one Block per layer, bottom to top."""
        return list(self.layer_blocks)

    @cached_property
    def layer_blocks(self) -> tuple[Block, ...]:
        """expanded(), worked out once per spec (facts and drawing ask for it many times)."""
        out: list[Block] = []
        for group in self.layers:
            single = [block.model_copy(update={"count": 1}) for block in group.blocks]
            for _ in range(group.repeat):
                for block, one in zip(group.blocks, single, strict=True):
                    out.extend([one] * block.count)
        return tuple(out)

    @property
    def num_layers(self) -> int:
        """Distinct layers (weights); a looped model runs them `loops` times."""
        return sum(g.repeat * sum(b.count for b in g.blocks) for g in self.layers)

    @property
    def layers_text(self) -> str:
        """'48 layers', or '24 layers × 4 passes' for a looped stack."""
        return f"{self.num_layers}\u00a0layers" + (f" ×\u00a0{self.loops}\u00a0passes" if self.loops > 1 else "")


def derive_decoder_type(spec: ModelSpec) -> str:
    """dense, moe, hybrid, hybrid_moe or recurrent, from the mixers and FFNs the stack actually uses."""
    used = {b.mixer for g in spec.layers for b in g.blocks if b.mixer}
    ffns = {b.ffn for g in spec.layers for b in g.blocks if b.ffn}
    linear = any(spec.mixers[m].kind in LINEAR_MIXERS for m in used if m in spec.mixers)
    moe = any(spec.ffns[f].kind == "moe" for f in ffns if f in spec.ffns)
    if used and all(spec.mixers[m].kind in LINEAR_MIXERS for m in used if m in spec.mixers) and not moe:
        return "recurrent"
    return {(False, False): "dense", (False, True): "moe", (True, False): "hybrid"}.get((linear, moe), "hybrid_moe")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a spec file (written to schema/spec.schema.json for editors)."""
    schema = ModelSpec.model_json_schema()
    return {**schema, "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "archviz model spec"}
