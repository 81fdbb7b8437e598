"""The spec's sections built from a config: mixers, FFNs and MoE routers, positions and RoPE, and norms."""

from __future__ import annotations

import math
from typing import Any

from archviz.spec.hf.config import HFConfig
from archviz.spec.hf.families import GATED, MLP_BIAS, MOE_KEYS, NORM_KIND, OUT_BIAS, PLACEMENT, QK_NORM, QKV_BIAS

ACTIVATIONS = {
    "silu": "silu",
    "swish": "silu",
    "gelu": "gelu",
    "gelu_new": "gelu_tanh",
    "gelu_pytorch_tanh": "gelu_tanh",
    "gelu_fast": "gelu_tanh",
    "gelu_tanh": "gelu_tanh",
    "relu": "relu",
    "relu2": "relu2",
}
ROPE_TYPES = {"yarn", "linear", "dynamic", "llama3", "longrope", "ntk", "su"}


def _activation(c: HFConfig) -> str:
    """The FFN activation (an explicit null takes the family default, as transformers does)."""
    name = str(c.get("hidden_act", c.defaults.get(c.key("hidden_act"), "silu")))
    if name not in ACTIVATIONS:
        raise c.error("hidden_act", f"activation '{name}' is not one of {', '.join(sorted(ACTIVATIONS))}")
    return ACTIVATIONS[name]


def _head_dim(c: HFConfig) -> int:
    """head_dim, by default hidden_size / num_attention_heads."""
    return c.whole("head_dim", max(c.whole("hidden_size") // c.whole("num_attention_heads"), 1))


def _attention(c: HFConfig, kind: str) -> dict[str, Any]:
    """A softmax-attention mixer of the given kind ('full', 'sliding', 'chunked', '*_nope',
    '*_shared' for Gemma 4's layers that reuse earlier K/V)."""
    if c.family == "gemma4":
        return _gemma4_attention(c, kind)
    base = kind.removesuffix("_nope")
    heads = c.whole("num_attention_heads")
    m: dict[str, Any] = {"kind": "attention", "heads": heads, "kv_heads": _kv_heads(c), "head_dim": _head_dim(c)}
    if base == "sliding":
        m["window"] = c.whole("sliding_window")
        local = _local_rope_theta(c)
        if local is not None:
            m["rope_theta"] = local
    if base == "chunked":
        m["chunk"] = c.whole("attention_chunk_size")
    nope = c.model_type == "granitemoehybrid" and c.get("position_embedding_type") != "rope"
    if kind.endswith("_nope") or c.family in ("nemotron_h", "jamba") or nope:
        m["rope"] = False
    flags = {
        "gated": c.family == "qwen3_next",
        "sinks": c.family == "gpt_oss",
        "qkv_bias": c.trait(QKV_BIAS, "attention_bias"),
        "out_bias": c.trait(OUT_BIAS, "attention_bias"),
    }
    return {**m, **{k: True for k, on in flags.items() if on}}


def _kv_heads(c: HFConfig) -> int:
    """KV heads: num_key_value_heads, else as many as query heads; Falcon says it its own way
    (multi_query: one; the new decoder architecture: num_kv_heads)."""
    heads = c.whole("num_attention_heads")
    if c.model_type == "gpt_bigcode":  # SantaCoder, StarCoder 1: one K/V head with multi_query
        return 1 if c.flag("multi_query") else heads
    if c.model_type == "falcon":
        if c.flag("new_decoder_architecture"):
            return c.whole("num_kv_heads", heads)
        return 1 if c.flag("multi_query") else heads
    return c.whole("num_key_value_heads", heads)


def _gemma4_attention(c: HFConfig, kind: str) -> dict[str, Any]:
    """Gemma 4: sliding layers of head_dim; full layers of global_head_dim, with their own KV heads
    and no value projection when attention_k_eq_v, rotating partial_rotary_factor of their dims;
    '_shared' layers reuse an earlier layer's K/V."""
    base, shared = kind.removesuffix("_shared"), kind.endswith("_shared")
    m: dict[str, Any] = {"kind": "attention", "heads": c.whole("num_attention_heads"), "kv_heads": _kv_heads(c)}
    if base == "sliding":
        m |= {"head_dim": c.whole("head_dim"), "window": c.whole("sliding_window")}
        local = _local_rope_theta(c)
        if local is not None:
            m["rope_theta"] = local
    else:
        m["head_dim"] = c.whole("global_head_dim")
        if c.flag("attention_k_eq_v"):
            m |= {"kv_heads": c.whole("num_global_key_value_heads"), "k_eq_v": True}
        partial = _positive(_rope_parameters(c).get("partial_rotary_factor"))
        if partial is not None and partial < 1:
            m["rope_partial"] = float(partial)
    if shared:
        m["kv_shared"] = True
        m.pop("k_eq_v", None)
    return m


def _local_rope_theta(c: HFConfig) -> float | None:
    """Gemma 3's separate RoPE base for sliding-window layers."""
    per_type = c.get("rope_parameters")
    if isinstance(per_type, dict) and isinstance(per_type.get("sliding_attention"), dict):
        return _positive(per_type["sliding_attention"].get("rope_theta"))
    return c.num("rope_local_base_freq") if c.family == "gemma3" else None


def _positive(value: Any) -> float | None:
    """A positive number as a float, else None (for values read from nested rope_parameters)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return float(value) if ok else None


def _mla(c: HFConfig) -> dict[str, Any]:
    """Multi-head latent attention (DeepSeek V3, Kimi K2); q_lora_rank null means a full-rank query."""
    if c.flag("attention_bias"):
        raise c.error("attention_bias", "biases on MLA projections cannot be expressed in a spec")
    q_rank = c.get("q_lora_rank")
    m: dict[str, Any] = {"kind": "mla", "heads": c.whole("num_attention_heads")}
    if q_rank is not None:
        m["q_lora_rank"] = c.whole("q_lora_rank")
    for key in ("kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim"):
        m[key] = c.whole(key)
    if c.has("index_n_heads"):  # DeepSeek Sparse Attention's lightning indexer (V3.2)
        m["sparse"] = {
            "heads": c.whole("index_n_heads"),
            "head_dim": c.whole("index_head_dim"),
            "top_k": c.whole("index_topk"),
        }
    return m


def _gated_deltanet(c: HFConfig) -> dict[str, Any]:
    """Qwen3-Next's linear-attention layers."""
    return {
        "kind": "gated_deltanet",
        "key_heads": c.whole("linear_num_key_heads"),
        "key_head_dim": c.whole("linear_key_head_dim"),
        "value_heads": c.whole("linear_num_value_heads"),
        "value_head_dim": c.whole("linear_value_head_dim"),
        "conv_kernel": c.whole("linear_conv_kernel_dim"),
    }


def _mamba2(c: HFConfig) -> dict[str, Any]:
    """Nemotron-H's and Granite 4.0-H's Mamba-2 layers (a head size of 'auto': expand x hidden / heads)."""
    if c.flag("use_bias"):
        raise c.error("use_bias", "biases on Mamba-2 projections cannot be expressed in a spec")
    heads = c.whole("mamba_num_heads")
    auto = c.get("mamba_head_dim") == "auto"
    return {
        "kind": "mamba2",
        "heads": heads,
        "head_dim": c.whole("mamba_expand") * c.whole("hidden_size") // heads if auto else c.whole("mamba_head_dim"),
        "state_size": c.whole("ssm_state_size"),
        "groups": c.whole("n_groups"),
        "conv_kernel": c.whole("conv_kernel"),
    }


MAMBA1_KEYS = {
    "jamba": ("mamba_expand", "mamba_d_state", "mamba_dt_rank", "mamba_d_conv", "mamba_conv_bias", "mamba_proj_bias"),
    "mamba": ("expand", "state_size", "time_step_rank", "conv_kernel", "use_conv_bias", "use_bias"),
}
"""Each family's names for (expand, state size, Δt rank, conv kernel, conv bias, projection bias)."""


def _mamba1(c: HFConfig) -> dict[str, Any]:
    """Mamba-1 layers (Mamba, Falcon Mamba, Jamba): d_inner = expand x hidden, and a Δt rank
    ('auto': hidden / 16, rounded up)."""
    expand, state, rank, conv, conv_bias, bias = MAMBA1_KEYS[c.family]
    hidden = c.whole("hidden_size")
    # a stated intermediate_size is the width the weights have (Falcon Mamba 7B states 8,192 beside
    # an expand of 16 that would make it 65,536 and the model 54B instead of its 7.3B)
    inner = c.whole("intermediate_size") if c.family == "mamba" and "intermediate_size" in c.raw else None
    return {
        "kind": "mamba",
        "inner": inner or c.whole(expand) * hidden,
        "state_size": c.whole(state),
        "dt_rank": -(-hidden // 16) if c.get(rank) == "auto" else c.whole(rank),
        "conv_kernel": c.whole(conv),
        "conv_bias": c.flag(conv_bias),
        "bias": c.flag(bias),
        "inner_norms": c.family == "jamba",  # JambaMambaMixer's dt, B and C RMSNorms (Falcon Mamba's have no weights)
    }


def _short_conv(c: HFConfig) -> dict[str, Any]:
    """LFM2's gated short convolutions, as wide as the hidden size."""
    kernel, bias = c.whole("conv_L_cache"), c.flag("conv_bias")
    return {"kind": "short_conv", "channels": c.whole("hidden_size"), "kernel": kernel, "bias": bias}


def _mlstm(c: HFConfig) -> dict[str, Any]:
    """xLSTM's mLSTM: query/key and value widths as factors of the hidden size, split over the heads."""
    h, heads = c.whole("hidden_size"), c.whole("num_attention_heads")
    widths = {"qk_head_dim": c.num("qk_dim_factor"), "v_head_dim": c.num("v_dim_factor")}
    return {"kind": "mlstm", "heads": heads, **{k: int(h * f) // heads for k, f in widths.items()}}


def mixer(c: HFConfig, kind: str) -> dict[str, Any]:
    """The mixer for a layer kind."""
    builders = {
        "mla": _mla,
        "linear": _gated_deltanet,
        "mamba": _mamba2,
        "mamba1": _mamba1,
        "conv": _short_conv,
        "mlstm": _mlstm,
    }
    return builders[kind](c) if kind in builders else _attention(c, kind)


def wide_ffn(c: HFConfig) -> dict[str, Any]:
    """Gemma 4 E2B's double-wide MLP on its KV-shared layers."""
    f = dense_ffn(c)
    return {**f, "hidden": 2 * f["hidden"]}


def dense_ffn(c: HFConfig) -> dict[str, Any]:
    """The dense FFN (GPT-2's n_inner defaults to 4 x hidden; Llama 4's is intermediate_size_mlp)."""
    if c.family == "llama4_text":
        hidden = c.whole("intermediate_size_mlp")
    elif c.model_type == "mpt":
        hidden = c.whole("expansion_ratio") * c.whole("hidden_size")
    elif c.model_type == "lfm2":
        hidden = _lfm2_ffn(c)
    elif c.model_type == "granitemoehybrid":  # its shared MLP, the only FFN when there are no experts
        hidden = c.whole("shared_intermediate_size")
    elif c.family == "xlstm":  # ffn_proj_factor x the width, rounded up to a multiple
        step = c.whole("ffn_round_up_to_multiple_of")
        hidden = math.ceil(c.whole("hidden_size") * c.num("ffn_proj_factor") / step) * step
    else:  # GPT-2's n_inner, GPT-J's and Falcon's null: four times the width, as transformers builds it
        hidden = c.whole("intermediate_size", 4 * c.whole("hidden_size"))
    gated = c.trait(GATED, True)
    f: dict[str, Any] = {"kind": "mlp", "hidden": hidden, "activation": _activation(c), "gated": gated}
    return {**f, "bias": True} if c.trait(MLP_BIAS, False) else f


def _lfm2_ffn(c: HFConfig) -> int:
    """LFM2's FFN width as Lfm2MLP computes it: two thirds of intermediate_size, times a
    multiplier, rounded up to a multiple of block_multiple_of (when block_auto_adjust_ff_dim)."""
    hidden = c.whole("intermediate_size")
    if not c.flag("block_auto_adjust_ff_dim"):
        return hidden
    hidden = int(2 * hidden / 3)
    if c.has("block_ffn_dim_multiplier"):
        step = c.whole("block_multiple_of")
        hidden = int(c.num("block_ffn_dim_multiplier") * hidden)
        hidden = step * ((hidden + step - 1) // step)
    return hidden


def moe_ffn(c: HFConfig) -> dict[str, Any]:
    """The MoE FFN: experts, top-k, expert size, shared experts and router, per family."""
    f = c.family
    experts, expert_size = MOE_KEYS.get(f, ("num_local_experts", "intermediate_size"))
    moe: dict[str, Any] = {
        "kind": "moe",
        "experts": c.whole(experts),
        "top_k": c.whole("num_experts_per_tok"),
        "expert_hidden": c.whole(expert_size),
        "activation": _activation(c),
        "gated": f != "nemotron_h",
    }
    if f == "gpt_oss" or (f == "nemotron_h" and c.flag("mlp_bias")):
        moe["bias"] = True
    moe.update(_shared(c))
    if f == "nemotron_h" and c.has("moe_latent_size"):
        moe["latent_size"] = c.whole("moe_latent_size")
    moe["router"] = _router(c)
    return moe


def _shared(c: HFConfig) -> dict[str, Any]:
    """Shared experts: count, size and (Qwen) sigmoid gate."""
    f = c.family
    if c.model_type in ("granitemoeshared", "granitemoehybrid"):
        size = c.whole("shared_intermediate_size", 0, minimum=0)
        return {"shared_experts": 1, "shared_hidden": size} if size else {}
    if f in ("qwen2_moe", "qwen3_next"):
        size = c.whole("shared_expert_intermediate_size", minimum=0)
        return {"shared_experts": 1, "shared_hidden": size, "shared_gate": True} if size else {}
    if f in ("deepseek_v3", "glm4_moe"):
        n = c.whole("n_shared_experts", minimum=0)
        return {"shared_experts": n, "shared_hidden": c.whole("moe_intermediate_size")} if n else {}
    if f == "nemotron_h":
        n = c.whole("n_shared_experts", minimum=0)
        return {"shared_experts": n, "shared_hidden": c.whole("moe_shared_expert_intermediate_size")} if n else {}
    if f in ("llama4_text", "gemma4"):  # Gemma 4: the dense MLP that runs beside the experts
        return {"shared_experts": 1, "shared_hidden": c.whole("intermediate_size")}
    if f == "minimax_m2":
        size = c.whole("shared_intermediate_size", minimum=0)
        return {"shared_experts": 1, "shared_hidden": size} if size else {}
    return {}


def _router(c: HFConfig) -> dict[str, Any]:
    """Scoring (softmax or sigmoid) and whether a learned per-expert bias steers selection."""
    f = c.family
    if c.model_type == "mistral4":  # Mistral4's router: a plain softmax, no correction bias
        return {"scoring": "softmax", "bias": False}
    if f in ("deepseek_v3", "minimax_m2"):
        scoring = str(c.get("scoring_func"))
        if scoring not in ("softmax", "sigmoid"):
            raise c.error("scoring_func", f"router scoring '{scoring}' is not softmax or sigmoid")
        bias = c.get("topk_method") == "noaux_tc" if f == "deepseek_v3" else c.flag("use_routing_bias")
        return {"scoring": scoring, "bias": bias}
    if f in ("glm4_moe", "nemotron_h"):
        return {"scoring": "sigmoid", "bias": True}  # e_score_correction_bias in the checkpoints
    if f == "llama4_text":
        return {"scoring": "sigmoid", "bias": False}
    return {"scoring": "softmax", "bias": f == "gpt_oss"}  # gpt-oss's router linear has a bias


def positions(c: HFConfig) -> dict[str, Any]:
    """positions, learned_positions and rope."""
    if c.family == "gpt2":
        return {"positions": "learned", "learned_positions": c.whole("max_position_embeddings")}
    if c.family in ("nemotron_h", "jamba", "mamba", "xlstm"):  # no position encoding in any layer
        return {"positions": "none"}
    if c.model_type in ("mpt", "bloom") or (c.model_type == "falcon" and c.flag("alibi")):
        return {"positions": "alibi"}
    if c.model_type == "granitemoehybrid" and c.get("position_embedding_type") != "rope":
        return {"positions": "none"}
    return {"positions": "rope", "rope": _rope(c)}


def _rope_parameters(c: HFConfig) -> dict[str, Any]:
    """transformers-5 `rope_parameters` (for Gemma 3 nested per layer type), or {}."""
    params = c.get("rope_parameters")
    if not isinstance(params, dict):
        return {}
    nested = params.get("full_attention")
    return nested if isinstance(nested, dict) else params


def _rope(c: HFConfig) -> dict[str, Any]:
    """Base frequency, partial rotation (MiniMax: rotary_dim / head_dim) and scaling."""
    params = _rope_parameters(c)
    rope: dict[str, Any] = {"theta": float(_positive(params.get("rope_theta")) or c.num("rope_theta"))}
    partial = _positive(params.get("partial_rotary_factor")) or c.num("partial_rotary_factor", 1.0)
    if c.family == "gemma4":  # full layers rotate part of their dims, sliding layers all (per mixer)
        partial = 1.0
    if c.model_type in ("minimax_m2", "gptj") and c.has("rotary_dim"):  # rotated dims of each head
        partial = c.whole("rotary_dim") / _head_dim(c)
    if c.model_type == "gpt_neox" and not params.get("partial_rotary_factor"):
        partial = c.num("rotary_pct")
    if not 0 < partial <= 1:
        raise c.error("partial_rotary_factor", f"expected a fraction in (0, 1], got {partial!r}")
    if partial != 1:
        rope["partial"] = float(partial)
    scaling = _rope_scaling(c, c.get("rope_scaling") or params)
    return {**rope, "scaling": scaling} if scaling else rope


def _rope_scaling(c: HFConfig, raw: Any) -> dict[str, Any] | None:
    """rope_scaling (type, factor, original context), or None for plain RoPE."""
    if not isinstance(raw, dict):
        return None
    kind = raw.get("rope_type") or raw.get("type")
    if kind in (None, "default", "mrope", "proportional"):  # M-RoPE splits rotary dims by axis, Gemma 4's
        return None  # proportional RoPE rotates part of them: neither scales the context
    if kind not in ROPE_TYPES:
        raise c.error("rope_scaling", f"RoPE scaling type '{kind}' is not one of {', '.join(sorted(ROPE_TYPES))}")
    original = raw.get("original_max_position_embeddings") or c.get("original_max_position_embeddings")
    if original is not None and (isinstance(original, bool) or not isinstance(original, int) or original < 1):
        raise c.error("rope_scaling", f"original_max_position_embeddings must be a whole number, got {original!r}")
    factor = raw.get("factor")
    if factor is None and original:  # longrope gives per-dimension factors; the overall one is the ratio
        factor = c.whole("max_position_embeddings") / original
    if not isinstance(factor, int | float) or factor <= 0:
        raise c.error("rope_scaling", "RoPE scaling has no usable 'factor'")
    out: dict[str, Any] = {"type": "longrope" if kind == "su" else kind, "factor": float(factor)}
    return {**out, "original_context": int(original)} if original else out


def norm(c: HFConfig) -> dict[str, Any]:
    """LayerNorm (GPT-2) or RMSNorm, its placement, and QK-norm."""
    return {
        "kind": c.rule(NORM_KIND, "rmsnorm"),
        "placement": "post"
        if c.model_type == "opt" and not c.flag("do_layer_norm_before")
        else c.rule(PLACEMENT, "pre"),
        "qk_norm": c.trait(QK_NORM, False),
        "final": True,
        "eps": float(c.num("rms_norm_eps")),
    }
