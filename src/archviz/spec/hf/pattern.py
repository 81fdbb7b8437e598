"""The per-layer pattern, rebuilt as transformers builds it and compressed into the spec's repeated groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archviz.spec.hf.config import HFConfig

LAYER_TYPES = {
    "full_attention": "full",
    "sliding_attention": "sliding",
    "chunked_attention": "chunked",
    "linear_attention": "linear",
    "conv": "conv",
}
OWN_LAYER_TYPES = {
    "granitemoehybrid": {"linear_attention": "mamba", "mamba": "mamba", "attention": "full"},
}
"""A model type's own layer-type names, over LAYER_TYPES (Granite 4.0-H's 'linear_attention' is
Mamba-2, not Gated DeltaNet)."""
NEMOTRON_CHARS = {"M": ("mamba", None), "*": ("full", None), "E": (None, "moe"), "-": (None, "dense")}

Layer = tuple[str | None, str | None]
"""One layer as (mixer kind, ffn kind): kinds such as 'full', 'sliding', 'mla' and 'dense', 'moe'."""


def _attention_kinds(c: HFConfig, n: int) -> list[str]:
    """Each layer's mixer kind: 'full', 'sliding', 'chunked', 'linear', 'mla' or 'mamba'. A window
    at least as long as the context is no window: those layers attend globally (Phi-3-mini-128k's
    262,144-token window over a 131,072-token context)."""
    kinds = _listed_or_derived_kinds(c, n)
    whole_context = "sliding" in kinds and c.has("sliding_window") and c.has("max_position_embeddings")
    if whole_context and c.whole("sliding_window") >= c.whole("max_position_embeddings"):
        return ["full" if k == "sliding" else k for k in kinds]
    return kinds


def _listed_or_derived_kinds(c: HFConfig, n: int) -> list[str]:
    if c.family == "mamba":  # Mamba (1) or Mamba-2 layers, with no attention
        return ["mamba" if c.model_type == "mamba2" else "mamba1"] * n
    if c.family == "xlstm":  # mLSTM layers, each with its FFN
        return ["mlstm"] * n
    if c.model_type == "granitemoehybrid" and c.get("layer_types") is None:  # GraniteMoeHybridConfig: all Mamba-2
        return ["mamba"] * n
    if c.model_type == "lfm2" and c.get("layer_types") is None:  # full_attn_idxs: attention; the rest conv
        idxs = set(c.wholes("full_attn_idxs") or range(n))
        return ["full" if i in idxs else "conv" for i in range(n)]
    if c.family == "jamba":  # attention every attn_layer_period layers, from attn_layer_offset
        period, offset = c.whole("attn_layer_period"), c.whole("attn_layer_offset", minimum=0)
        return ["full" if i % period == offset else "mamba1" for i in range(n)]
    if c.family == "deepseek_v3":
        return ["mla"] * n
    listed = c.get("layer_types")
    if listed is not None:
        names = {**LAYER_TYPES, **OWN_LAYER_TYPES.get(c.model_type, {})}
        if not isinstance(listed, list) or len(listed) != n:
            raise c.error("layer_types", f"expected a list of {n} layer types (one per layer)")
        unknown = sorted({str(t) for t in listed} - set(names))
        if unknown:
            raise c.error("layer_types", f"unknown layer type(s) {', '.join(unknown)}")
        return [names[t] for t in listed]
    return [_derived_kind(c, i) for i in range(n)]


def _derived_kind(c: HFConfig, i: int) -> str:
    """Layer i's mixer kind as transformers derives it when the config has no layer_types."""
    f = c.family
    if f in ("gemma2", "gpt_oss"):
        return "sliding" if (i + 1) % 2 else "full"
    if f == "gemma3":
        return "sliding" if (i + 1) % c.whole("sliding_window_pattern") else "full"
    if f == "gemma4":  # Gemma4TextConfig: five sliding, one full, and the last layer always full
        return "full" if (i + 1) % 6 == 0 or i == c.whole("num_hidden_layers") - 1 else "sliding"
    if f == "olmo3":
        return "sliding" if (i + 1) % 4 else "full"
    if f == "qwen3_next":
        return "linear" if (i + 1) % c.whole("full_attention_interval") else "full"
    if f == "llama4_text":
        return "chunked" if c.has("attention_chunk_size") and _rope_layers(c)[i] else "full"
    if f in ("mistral", "mixtral", "phi3"):
        return "sliding" if c.has("sliding_window") else "full"
    if f in ("qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "smollm3"):
        swa = c.flag("use_sliding_window") and c.has("sliding_window")
        return "sliding" if swa and i >= c.whole("max_window_layers", minimum=0) else "full"
    if f == "minimax_m2":
        return _minimax_kind(c, i)
    if c.model_type == "exaone4":
        return _exaone_kind(c, i)
    if c.model_type == "cohere2":
        return "sliding" if c.has("sliding_window") and (i + 1) % c.whole("sliding_window_pattern") else "full"
    return "full"


def _exaone_kind(c: HFConfig, i: int) -> str:
    """EXAONE 4's sliding_window_pattern: a period ('LLLG', or 4 for three local then a global)."""
    if not c.has("sliding_window"):
        return "full"
    pattern = c.get("sliding_window_pattern")
    if isinstance(pattern, str) and pattern and set(pattern) <= {"L", "G"}:
        return "sliding" if pattern[i % len(pattern)] == "L" else "full"
    return "sliding" if (i + 1) % c.whole("sliding_window_pattern") else "full"


def _minimax_kind(c: HFConfig, i: int) -> str:
    """MiniMax-M2's attn_type_list: 1 is softmax attention (the only kind M2 uses)."""
    kinds = c.wholes("attn_type_list")
    if kinds is None:
        return "full"
    if len(kinds) != c.whole("num_hidden_layers"):
        raise c.error("attn_type_list", "expected one entry per layer")
    if kinds[i] != 1:
        raise c.error("attn_type_list", "linear-attention layers (0) are not supported for minimax_m2")
    return "full"


def _rope_layers(c: HFConfig) -> list[int]:
    """Llama 4 / SmolLM3 no_rope_layers: 1 where a layer uses RoPE, 0 for NoPE."""
    n = c.whole("num_hidden_layers")
    listed = c.wholes("no_rope_layers")
    if listed:
        if len(listed) < n:
            raise c.error("no_rope_layers", f"expected at least {n} entries (one per layer)")
        return listed[:n]
    every = c.whole("no_rope_layer_interval")
    return [int((i + 1) % every != 0) for i in range(n)]


def _ffn_kinds(c: HFConfig, n: int) -> list[str]:
    """Each layer's FFN kind: 'dense' or 'moe'."""
    f = c.family
    if c.model_type == "granitemoehybrid":  # MoE with its shared MLP, or the shared MLP alone as a dense FFN
        return ["moe" if c.whole("num_local_experts", 0, minimum=0) else "dense"] * n
    if f in ("mixtral", "gpt_oss", "minimax_m2"):
        return ["moe"] * n
    if c.model_type in ("qwen3_5", "qwen3_5_text"):  # Qwen3.5's dense models: Qwen3-Next's mixers, dense FFNs
        return ["dense"] * n
    if f in ("qwen2_moe", "qwen3_moe", "qwen3_next"):
        dense_only = set(c.wholes("mlp_only_layers") or [])
        step = c.whole("decoder_sparse_step")
        return ["moe" if i not in dense_only and (i + 1) % step == 0 else "dense" for i in range(n)]
    if f == "jamba":
        period, offset = c.whole("expert_layer_period"), c.whole("expert_layer_offset", minimum=0)
        return ["moe" if i % period == offset else "dense" for i in range(n)]
    listed = c.get("mlp_layer_types")  # transformers 5: 'dense' or 'sparse' per layer
    if f == "deepseek_v3" and isinstance(listed, list) and len(listed) == n:
        unknown = sorted({str(t) for t in listed} - {"dense", "sparse"})
        if unknown:
            raise c.error("mlp_layer_types", f"unknown MLP type(s) {', '.join(unknown)}; known: dense, sparse")
        return ["moe" if t == "sparse" else "dense" for t in listed]
    if c.model_type == "glm4_moe_lite" and listed is None:  # Glm4MoeLiteConfig: one dense layer, then MoE
        return ["dense"] + ["moe"] * (n - 1)
    if f in ("deepseek_v3", "glm4_moe"):
        first, freq = c.whole("first_k_dense_replace", minimum=0), c.whole("moe_layer_freq", 1)
        return ["moe" if i >= first and i % freq == 0 else "dense" for i in range(n)]
    if f == "gemma4":  # with enable_moe_block every layer has experts beside its dense MLP
        return ["moe" if c.flag("enable_moe_block") else "dense"] * n
    if f == "llama4_text":
        step = c.whole("interleave_moe_layer_step")
        moe = set(c.wholes("moe_layers") or range(step - 1, n, step))
        return ["moe" if i in moe else "dense" for i in range(n)]
    return ["dense"] * n


def _nemotron_layers(c: HFConfig, n: int) -> list[Layer]:
    """Nemotron-H's hybrid_override_pattern: M Mamba-2, * attention, E MoE, - MLP (one per layer)."""
    pattern = c.get("hybrid_override_pattern")
    if not isinstance(pattern, str) or len(pattern) != n:
        raise c.error("hybrid_override_pattern", f"expected a string of {n} characters (one per layer)")
    unknown = sorted(set(pattern) - set(NEMOTRON_CHARS))
    if unknown:
        raise c.error("hybrid_override_pattern", f"unknown layer character(s) {' '.join(unknown)}; known: M * E -")
    return [NEMOTRON_CHARS[ch] for ch in pattern]


def layer_kinds(c: HFConfig) -> list[Layer]:
    """The stack, one (mixer kind, ffn kind) per layer, bottom to top."""
    n = c.whole("num_hidden_layers")
    if c.family == "nemotron_h":
        return _nemotron_layers(c, n)
    mixers = _attention_kinds(c, n)
    if c.family == "mamba":  # a Mamba layer is a mixer alone, with no FFN
        return [(m, None) for m in mixers]
    if c.family in ("llama4_text", "smollm3"):  # NoPE layers: their own mixer kind
        mixers = [k if rope else f"{k}_nope" for k, rope in zip(mixers, _rope_layers(c), strict=True)]
    if c.model_type in ("exaone4", "cohere2") and "sliding" in mixers:  # their global layers skip RoPE
        mixers = [f"{k}_nope" if k == "full" else k for k in mixers]
    ffns = _ffn_kinds(c, n)
    if c.family == "gemma4":  # the last num_kv_shared_layers reuse earlier K/V (and may have wide MLPs)
        first = n - c.whole("num_kv_shared_layers", 0, minimum=0)
        mixers = [f"{k}_shared" if i >= first else k for i, k in enumerate(mixers)]
        if c.flag("use_double_wide_mlp"):
            ffns = ["wide" if i >= first and f == "dense" else f for i, f in enumerate(ffns)]
    return list(zip(mixers, ffns, strict=True))


def layer_groups(named: list[Layer]) -> list[dict[str, Any]]:
    """The named per-layer list as spec layer groups; a uniform stack is `repeat: n` of one block."""
    groups = compress(named)
    if len(groups) == 1 and len(groups[0][1]) == 1:
        (mixer, ffn), count = groups[0][1][0]
        groups = [(groups[0][0] * count, [((mixer, ffn), 1)])]
    out = []
    for repeat, runs in groups:
        blocks = []
        for (mixer, ffn), count in runs:
            block: dict[str, Any] = {k: v for k, v in (("mixer", mixer), ("ffn", ffn)) if v}
            blocks.append({**block, "count": count} if count > 1 else block)
        out.append({"repeat": repeat, "blocks": blocks} if repeat > 1 else {"blocks": blocks})
    return out


def compress(seq: Sequence[Any]) -> list[tuple[int, list[tuple[Any, int]]]]:
    """Groups (repeat, [(item, count), ...]) covering `seq`: runs of equal items become counts,
    and the longest stretch that repeats a period of runs (the shortest such period) becomes one
    repeated group; e.g. 62 Gemma 3 layers -> 10 x (5 local, 1 global) + (2 local)."""
    runs: list[tuple[Any, int]] = []
    for item in seq:
        if runs and runs[-1][0] == item:
            runs[-1] = (item, runs[-1][1] + 1)
        else:
            runs.append((item, 1))
    groups: list[tuple[int, list[tuple[Any, int]]]] = []
    loose: list[tuple[Any, int]] = []  # runs that repeat nothing, gathered into one group
    i = 0
    while i < len(runs):
        period, repeat = _best_period(runs, i)
        if repeat > 1 or runs[i][1] > 1 or len(runs) == 1:
            if loose:
                groups.append((1, loose))
                loose = []
            groups.append((repeat, runs[i : i + period]))
            i += period * repeat
        else:
            loose.append(runs[i])
            i += 1
    if loose:
        groups.append((1, loose))
    return groups


def _best_period(runs: list[tuple[Any, int]], start: int) -> tuple[int, int]:
    """(period, repeats) of runs from `start` covering the most layers; ties go to the shortest."""
    best, best_cover = (1, 1), 0
    for period in range(1, (len(runs) - start) // 2 + 1):
        unit = runs[start : start + period]
        repeat = 1
        while runs[start + repeat * period : start + (repeat + 1) * period] == unit:
            repeat += 1
        cover = repeat * sum(count for _, count in unit)
        if repeat > 1 and cover > best_cover:
            best, best_cover = (period, repeat), cover
    return best
