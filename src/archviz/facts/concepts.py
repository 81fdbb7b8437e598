"""A registry of architectural concepts (GQA, MLA, MoE, ...): what each is, which specs use it,
and which components of an example model's diagram show it.

`uses` reads a ModelSpec (only mixers and FFNs the layer stack actually uses count); `highlight`
reads a drawn shape by its semantic tags and spec path (never its text), so this module needs
nothing from the layout stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from archviz.spec.loader import Spec
from archviz.spec.models import (
    MLA,
    MLSTM,
    Attention,
    Compressed,
    GatedDeltaNet,
    KimiDelta,
    Mamba2,
    ModelSpec,
    MoE,
    ShortConv,
)


class ShapeLike(Protocol):
    """What a highlight predicate may read of a layout shape."""

    @property
    def kind(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Concept:
    """One architectural idea, with a predicate over specs and one over diagram shapes."""

    id: str
    title: str
    explanation: str
    uses: Callable[[ModelSpec], bool]
    example: str
    """Catalog id of the model drawn to show the concept."""
    highlight: Callable[[ShapeLike], bool]
    """Which shapes of the example's compact diagram show the concept."""

    @property
    def text(self) -> str:
        """The explanation (the name pages and sheets use)."""
        return self.explanation


# --- reading specs ----------------------------------------------------------------------------


def _mixers(m: ModelSpec) -> list[object]:
    return [m.mixers[b.mixer] for g in m.layers for b in g.blocks if b.mixer]


def _attention(m: ModelSpec) -> list[Attention]:
    return [x for x in _mixers(m) if isinstance(x, Attention)]


def _moes(m: ModelSpec) -> list[MoE]:
    return [f for g in m.layers for b in g.blocks if b.ffn for f in [m.ffns[b.ffn]] if isinstance(f, MoE)]


def _gqa(m: ModelSpec) -> bool:
    return any(1 < a.kv_heads < a.heads for a in _attention(m))


def _mqa(m: ModelSpec) -> bool:
    return any(a.kv_heads == 1 < a.heads for a in _attention(m))


def _nope(m: ModelSpec) -> bool:
    softmax = [x for x in _mixers(m) if isinstance(x, Attention | MLA)]
    return m.positions != "learned" and any(m.positions == "none" or not x.rope for x in softmax)


def _qk_norm(m: ModelSpec) -> bool:
    return any(m.norm.qk_norm if a.qk_norm is None else a.qk_norm for a in _attention(m))


def _sparse(m: ModelSpec) -> bool:
    return any(isinstance(x, Attention | MLA) and x.sparse is not None for x in _mixers(m))


# --- reading shapes ---------------------------------------------------------------------------


def tagged(*tags: str) -> Callable[[ShapeLike], bool]:
    """Shapes carrying any of `tags` (mixer slots and rows, side inputs, norms, panels)."""
    return lambda s: any(t in s.tags for t in tags)


def _block_norm(s: ShapeLike) -> bool:
    return "norm" in s.tags and "qk_norm" not in s.tags and "final" not in s.tags


# --- the registry -----------------------------------------------------------------------------

_CONCEPTS = (
    Concept(
        "gqa",
        "Grouped-query attention (GQA)",
        "Several query heads share one key/value head: with 32 query heads and 8 KV heads, each group of "
        "four query heads reads the same keys and values. The KV cache shrinks by the group factor (4× here) "
        "while quality stays close to full multi-head attention. Ainslie et al. (2023) proposed it and "
        "Llama 2 70B used it; Llama 3, Mistral 7B and Qwen3 use it in every layer.",
        _gqa,
        "llama-3-8b",
        tagged("gqa"),
    ),
    Concept(
        "mqa",
        "Multi-query attention (MQA)",
        "The extreme of GQA: all query heads share a single key/value head. It divides the KV cache, and "
        "the memory traffic of decoding, by the number of heads, at some cost in quality. Noam Shazeer "
        "proposed it in 2019 ('Fast Transformer Decoding: One Write-Head is All You Need'); PaLM and "
        "Falcon-7B used it, and small models such as Gemma 3 270M still do.",
        _mqa,
        "gemma-3-270m",
        tagged("mqa"),
    ),
    Concept(
        "mla",
        "Multi-head latent attention (MLA)",
        "Keys and values are compressed into one low-rank latent vector per token (512 values in "
        "DeepSeek-V3), and only that latent plus a small shared rotary key is cached; per-head keys and "
        "values are projected back up from it. The cache is many times smaller than multi-head "
        "attention's, and DeepSeek reported quality on par with it. DeepSeek introduced MLA in "
        "DeepSeek-V2 (2024) and kept it in V3 and R1; Kimi K2 reuses the design.",
        lambda m: any(isinstance(x, MLA) for x in _mixers(m)),
        "deepseek-v3",
        tagged("mla"),
    ),
    Concept(
        "sliding-window",
        "Sliding-window attention",
        "Each token attends only to the most recent W tokens instead of the whole context, so the work "
        "per token and the cache these layers need stop growing once the context exceeds W. Models "
        "interleave it with global layers that still see everything: Gemma 3 has five 1,024-token window "
        "layers per global layer, gpt-oss alternates 128-token windows with full attention. Longformer "
        "used local windows earlier; Mistral 7B brought it to open LLMs.",
        lambda m: any(a.window for a in _attention(m)),
        "gemma-3-27b",
        tagged("sliding"),
    ),
    Concept(
        "chunked-attention",
        "Chunked attention",
        "The sequence is cut into fixed blocks and each token attends only to earlier tokens of its own "
        "block. Like a sliding window it bounds the attention span, and with it the cost of these layers "
        "at long context, but with block boundaries instead of a moving window. Llama 4 uses 8,192-token "
        "chunks with RoPE in three of every four layers and global attention without RoPE in the fourth.",
        lambda m: any(a.chunk for a in _attention(m)),
        "llama-4-maverick",
        tagged("chunked"),
    ),
    Concept(
        "sparse-attention",
        "Sparse attention (DSA)",
        "Each query attends to a selected subset of past tokens instead of all of them. DeepSeek Sparse "
        "Attention (DeepSeek-V3.2) adds a small, cheap 'lightning indexer' that scores the past tokens; "
        "each query then attends with MLA only to its top 2,048. Attention cost per token stops growing "
        "with context, while the latent cache is still kept for every token, since any may be selected.",
        _sparse,
        "deepseek-v3.2",
        tagged("sparse"),
    ),
    Concept(
        "attention-sinks",
        "Attention sinks",
        "A head gets somewhere to put attention it does not need: gpt-oss learns one extra logit per "
        "head that joins the softmax denominator without contributing a value, so a head can attend to "
        "almost nothing. Xiao et al. (StreamingLLM, 2023) observed that models park attention on the "
        "first tokens and that keeping those 'sink' tokens keeps windowed inference stable; learned sinks "
        "make this explicit at the cost of one parameter per head and no cache.",
        lambda m: any(a.sinks for a in _attention(m)),
        "gpt-oss-120b",
        tagged("sinks"),
    ),
    Concept(
        "nope",
        "No positional encoding (NoPE)",
        "Attention layers apply no RoPE or other position signal; the causal mask alone lets the model "
        "infer token order. Kazemnejad et al. (2023) found that NoPE can generalise to longer contexts "
        "than explicit encodings, which makes it attractive for long-context models at no memory or "
        "compute cost. Llama 4 and SmolLM3 drop RoPE in every fourth layer; Kimi Linear's MLA layers use "
        "none and leave position to its recurrent layers.",
        _nope,
        "smollm3-3b",
        tagged("nope"),
    ),
    Concept(
        "qk-norm",
        "QK-norm",
        "Queries and keys are normalised per head (RMSNorm in most LLMs) before their dot product. "
        "This bounds the attention logits, whose uncontrolled growth causes loss spikes in large-scale "
        "training, for almost no parameters or compute. It was used to stabilise ViT-22B (Dehghani et "
        "al., 2023) and is now standard in OLMo 2, Gemma 3 and Qwen3.",
        _qk_norm,
        "qwen3-8b",
        tagged("qk_norm"),
    ),
    Concept(
        "sandwich-norm",
        "Sandwich norm",
        "A norm sits both before each sublayer (attention or FFN) and after it, on the sublayer's output "
        "before it is added to the residual stream. The second norm keeps each sublayer's contribution "
        "to the residual stream in scale, which helps training stability at almost no cost. CogView "
        "introduced 'Sandwich-LN' (2021); Gemma 2 and Gemma 3 put RMSNorm before and after every sublayer.",
        lambda m: m.norm.placement == "sandwich",
        "gemma-3-27b",
        _block_norm,
    ),
    Concept(
        "moe",
        "Mixture of experts (MoE)",
        "The feed-forward network is replaced by many expert FFNs and a router that sends each token to "
        "its top-k experts. Capacity grows with the number of experts while compute per token grows only "
        "with k: DeepSeek-V3 holds 671B parameters but activates about 37B per token, though all experts "
        "must still sit in memory. Shazeer et al. (2017) introduced the sparsely gated MoE layer, GShard "
        "and Switch Transformer scaled it, and Mixtral 8x7B brought it to widely used open models.",
        lambda m: bool(_moes(m)),
        "qwen3-235b-a22b",
        tagged("moe"),
    ),
    Concept(
        "shared-expert",
        "Shared expert",
        "Inside an MoE layer, one (or a few) expert FFNs process every token alongside the routed "
        "experts. The shared expert learns what all tokens need, leaving the routed experts free to "
        "specialise, for a fixed extra cost per token. DeepSeekMoE (2024) introduced shared-expert "
        "isolation; DeepSeek-V2 and V3, Qwen2-MoE (with a sigmoid gate on it) and Llama 4 use one.",
        lambda m: any(f.shared_experts for f in _moes(m)),
        "deepseek-v3",
        tagged("shared"),
    ),
    Concept(
        "latent-moe",
        "Latent MoE",
        "The routed experts work in a smaller latent space: one projection, shared by all experts, maps "
        "the hidden state down before them and another maps their output back up. Each expert's weights, "
        "and the data sent to the experts, shrink accordingly, which can pay for more experts or more "
        "active experts at the same cost. NVIDIA's Nemotron 3 Super uses it, with a 1,024-wide latent.",
        lambda m: any(f.latent_size for f in _moes(m)),
        "nemotron-3-super-120b-a12b",
        tagged("latent"),
    ),
    Concept(
        "mtp",
        "Multi-token prediction (MTP)",
        "The model is also trained to predict tokens beyond the next one. DeepSeek-V3 adds a module after "
        "the main stack, one transformer block sharing the embedding and output head, that predicts the "
        "token after next; the extra objective densifies the training signal, and at inference the "
        "module is dropped or drafts tokens for speculative decoding. Gloeckle et al. (2024) proposed "
        "parallel prediction heads; GLM-4.5 and Qwen3-Next also ship MTP layers.",
        lambda m: m.mtp is not None,
        "deepseek-v3",
        tagged("mtp"),
    ),
    Concept(
        "gated-deltanet",
        "Gated DeltaNet",
        "A linear-attention layer: instead of caching every past key and value it keeps a fixed-size "
        "matrix state per head, updated with the delta rule (which overwrites what a key stored before) "
        "and a decay gate (which forgets). Memory per sequence is constant and compute grows linearly "
        "with context rather than quadratically. Yang, Kautz and Hatamizadeh proposed it (ICLR 2025); "
        "Qwen3-Next pairs three Gated DeltaNet layers with one gated attention layer.",
        lambda m: any(isinstance(x, GatedDeltaNet) for x in _mixers(m)),
        "qwen3-next-80b-a3b",
        tagged("gated_deltanet"),
    ),
    Concept(
        "mamba2",
        "Mamba-2",
        "A selective state-space layer: a recurrence with input-dependent decay updates a fixed-size "
        "state, and training computes it in chunks with matrix multiplications (the 'state space "
        "duality' of Dao and Gu, 2024). Like other linear mixers it needs no KV cache and its cost per "
        "token does not grow with context. NVIDIA's Nemotron-H and Nemotron 3 models interleave mostly "
        "Mamba-2 layers with a few attention layers.",
        lambda m: any(isinstance(x, Mamba2) for x in _mixers(m)),
        "nemotron-3-nano-30b-a3b",
        tagged("mamba2"),
    ),
    Concept(
        "gated-attention",
        "Gated attention",
        "A sigmoid gate, computed from the layer's input, scales the attention output before the "
        "output projection. It lets a head switch itself off, which curbs attention sinks and the "
        "huge activations they bring (Qiu et al., 2025). Qwen3-Next and Qwen3.5 gate every value; "
        "Poolside's Laguna uses one scalar per head, a far smaller projection.",
        lambda m: any(x.gated for x in _mixers(m) if isinstance(x, Attention | MLA)),
        "qwen3-next-80b-a3b",
        tagged("gated"),
    ),
    Concept(
        "kimi-delta",
        "Kimi Delta Attention",
        "A linear-attention layer in the Gated DeltaNet family: a fixed-size state per head is "
        "updated with the delta rule. Its forgetting gate acts per channel rather than per head, "
        "which gives finer control of what the state keeps. Moonshot's Kimi Linear interleaves three "
        "of these layers with one MLA layer, cutting the KV cache by about three quarters.",
        lambda m: any(isinstance(x, KimiDelta) for x in _mixers(m)),
        "kimi-linear-48b-a3b",
        tagged("kimi_delta"),
    ),
    Concept(
        "short-convolution",
        "Gated short convolution",
        "A token mixer without attention: the input is projected into three parts, one gates the "
        "next, a depthwise convolution mixes each channel over the last few tokens (three in LFM2), "
        "and the third part gates the result. It needs no KV cache, only the last few inputs, and "
        "runs fast on phones and laptops. Liquid AI's LFM2 and LFM2.5 use it in most layers and "
        "keep a few GQA layers for long-range recall.",
        lambda m: any(isinstance(x, ShortConv) for x in _mixers(m)),
        "lfm2.5-1.2b",
        tagged("short_conv"),
    ),
    Concept(
        "k-eq-v",
        "Keys as values (K = V)",
        "An attention layer without a value projection: the values are made from the keys' own "
        "projection (normalised, without RoPE), so each KV head caches one tensor instead of two. "
        "It halves the cache of the layers that use it and saves a weight matrix. Gemma 4 uses it "
        "in its global layers, whose 512-dim heads would otherwise dominate the KV cache.",
        lambda m: any(a.k_eq_v for a in _attention(m)),
        "gemma-4-31b",
        tagged("k_eq_v"),
    ),
    Concept(
        "looped-depth",
        "Looped depth",
        "A looped model runs every token through the same stack of layers several times, so the "
        "weights of one stack do the work of a deeper one. Parameters are counted once, but each "
        "pass keeps its own KV cache, so the cache grows with the number of passes. ByteDance's "
        "Ouro runs its 48 layers four times; Nanbeige 4.2 runs its 22 layers twice.",
        lambda m: m.loops > 1,
        "ouro-2.6b-thinking",
        lambda s: s.kind in ("count", "phrase"),
    ),
    Concept(
        "mlstm",
        "mLSTM (matrix memory)",
        "The mLSTM of xLSTM is a recurrent layer whose state per head is a matrix: each token writes "
        "the product of its value and key into it, scaled by an exponential input gate, while a "
        "forget gate decays what is there. Queries read the memory, a normaliser keeps the result in "
        "range, and an output gate scales it. Like other linear mixers it needs no KV cache. NXAI's "
        "xLSTM 7B stacks 32 of these layers with no attention at all.",
        lambda m: any(isinstance(x, MLSTM) for x in _mixers(m)),
        "xlstm-7b",
        tagged("mlstm"),
    ),
    Concept(
        "multi-stream-residuals",
        "Multi-stream residuals",
        "Instead of one residual stream, hyper-connections keep several copies of the hidden state. "
        "Before each sublayer learned, input-dependent weights collapse them into its input, and after "
        "it they spread the output back; DeepSeek's mHC also mixes the streams by a matrix kept doubly "
        "stochastic with Sinkhorn steps, which keeps deep stacks stable. Tencent's iHC drops that "
        "mixing, and Kimi K3's block attention residuals let each sublayer attend over the sums of "
        "earlier blocks instead. The weights are tiny, the effect on training large.",
        lambda m: m.residual is not None,
        "glm-5.3-flash-320b",
        tagged("residual"),
    ),
    Concept(
        "compressed-attention",
        "Compressed attention (CSA, HCA)",
        "DeepSeek V4 keeps one 512-wide head whose keys are also its values, and lets every layer "
        "see the last 128 tokens in full. Older tokens are seen through compressed entries: a learned, "
        "gated sum of every 4 tokens (CSA, searched by an indexer for the best 512 or 1,024) or of "
        "every 128 tokens (HCA, all of them). Only the entries grow with the context, so V4-Flash "
        "needs 5.4 KiB of cache per token at a 1M-token context.",
        lambda m: any(isinstance(x, Compressed) for x in _mixers(m)),
        "deepseek-v4-flash",
        tagged("compressed"),
    ),
    Concept(
        "kv-sharing",
        "Cross-layer KV sharing",
        "Some layers compute no keys or values of their own: they attend over those of an earlier "
        "layer of the same kind, so they have no K and V projections and add nothing to the cache. "
        "Gemma 4 E2B shares in its last 20 of 35 layers, which with its small per-layer widths brings "
        "its cache to 18 KiB per token. Queries stay per layer, so each layer still asks its own "
        "questions of the shared memory.",
        lambda m: any(a.kv_shared for a in _attention(m)),
        "gemma-4-e2b",
        tagged("kv_shared"),
    ),
    Concept(
        "per-layer-embeddings",
        "Per-layer embeddings",
        "Besides the token embedding, Gemma 3n and Gemma 4 E2B and E4B look every token up in a second "
        "table that holds a small vector for each layer. Each layer gates its vector with the hidden "
        "state, projects it back to the model's width and adds it to the residual stream. The table is "
        "as large as the rest of the model but is only read, never multiplied, so Google counts it out "
        "of the 'effective' size: E2B has 5.1B parameters and 2.3B effective.",
        lambda m: m.per_layer_embeddings is not None,
        "gemma-4-e2b",
        tagged("embedding"),
    ),
)


def concepts() -> list[Concept]:
    """Every registered concept, in reading order."""
    return list(_CONCEPTS)


def concept(id: str) -> Concept:
    """A concept by its id."""
    for c in _CONCEPTS:
        if c.id == id:
            return c
    raise KeyError(f"no concept '{id}'; choose from {', '.join(c.id for c in _CONCEPTS)}")


def models_using(concept: Concept, specs: Iterable[Spec]) -> list[Spec]:
    """The specs whose architecture uses `concept`, in the order given."""
    return [s for s in specs if concept.uses(s.model)]


def concepts_of(spec: Spec) -> list[Concept]:
    """The concepts `spec` uses, in registry order."""
    return [c for c in _CONCEPTS if c.uses(spec.model)]
