"""Per-family facts from transformers' configuration classes, so a config is read as transformers reads it.

Defaults fill the keys a config.json leaves out; aliases and renamed keys map each family's own
spellings; required keys are those without a trustworthy default; traits say which attention,
bias and norm variants a family uses (fixed, or read from a config key).
"""

from __future__ import annotations

from typing import Any

SUPPORTED = (
    "gpt2",
    "llama",
    "mistral",
    "mixtral",
    "qwen2",
    "qwen2_moe",
    "qwen3",
    "qwen3_moe",
    "qwen3_next",
    "gemma",
    "gemma2",
    "gemma3",
    "gemma3_text",
    "olmo2",
    "olmo3",
    "phi3",
    "deepseek_v3",
    "kimi_k2",
    "gpt_oss",
    "glm4_moe",
    "smollm3",
    "llama4",
    "llama4_text",
    "minimax_m2",
    "nemotron_h",
)

FAMILY = {"gemma3_text": "gemma3", "llama4": "llama4_text", "kimi_k2": "deepseek_v3"}
"""model_type -> the family whose defaults and mapping it shares."""

_LLAMA = {"rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": False, "hidden_act": "silu"}
_QWEN_SWA = {"use_sliding_window": False, "sliding_window": 4096, "max_window_layers": 28}
_GEMMA = {**_LLAMA, "tie_word_embeddings": True, "head_dim": 256, "hidden_activation": "gelu_pytorch_tanh"}

DEFAULTS: dict[str, dict[str, Any]] = {
    "gpt2": {
        "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5,
        "tie_word_embeddings": True,
        "resid_pdrop": 0.1,
    },
    "llama": _LLAMA,
    "mistral": {**_LLAMA, "sliding_window": 4096},
    "mixtral": {**_LLAMA, "rms_norm_eps": 1e-5, "rope_theta": 1e6},
    "qwen2": {**_LLAMA, **_QWEN_SWA},
    "qwen2_moe": {**_LLAMA, **_QWEN_SWA, "decoder_sparse_step": 1, "mlp_only_layers": []},
    "qwen3": {**_LLAMA, **_QWEN_SWA},
    "qwen3_moe": {**_LLAMA, **_QWEN_SWA, "decoder_sparse_step": 1, "mlp_only_layers": []},
    "qwen3_next": {
        **_LLAMA,
        "head_dim": 256,
        "partial_rotary_factor": 0.25,
        "full_attention_interval": 4,
        "linear_conv_kernel_dim": 4,
        "decoder_sparse_step": 1,
        "mlp_only_layers": [],
    },
    "gemma": {**_GEMMA, "vocab_size": 256000, "max_position_embeddings": 8192},
    "gemma2": {**_GEMMA, "vocab_size": 256000, "max_position_embeddings": 8192, "sliding_window": 4096},
    "gemma3": {
        **_GEMMA,
        "vocab_size": 262208,
        "max_position_embeddings": 131072,
        "rope_theta": 1e6,
        "rope_local_base_freq": 10000.0,
        "sliding_window": 4096,
        "sliding_window_pattern": 6,
    },
    "olmo2": {**_LLAMA, "rms_norm_eps": 1e-5},
    "olmo3": {**_LLAMA, "rms_norm_eps": 1e-5, "sliding_window": 4096},
    "phi3": {**_LLAMA, "rms_norm_eps": 1e-5, "partial_rotary_factor": 1.0, "sliding_window": None},
    "deepseek_v3": {
        **_LLAMA,
        "moe_layer_freq": 1,
        "scoring_func": "sigmoid",
        "topk_method": "noaux_tc",
        "num_nextn_predict_layers": 0,
    },
    "gpt_oss": {**_LLAMA, "rms_norm_eps": 1e-5, "rope_theta": 150000.0, "sliding_window": 128, "attention_bias": True},
    "glm4_moe": {
        **_LLAMA,
        "rms_norm_eps": 1e-5,
        "head_dim": 128,
        "partial_rotary_factor": 0.5,
        "first_k_dense_replace": 1,
        "n_shared_experts": 1,
        "num_nextn_predict_layers": 0,
    },
    "smollm3": {
        **_LLAMA,
        "rope_theta": 2e6,
        "tie_word_embeddings": True,
        "no_rope_layer_interval": 4,
        **_QWEN_SWA,
        "sliding_window": None,
    },
    "llama4_text": {
        **_LLAMA,
        "rms_norm_eps": 1e-5,
        "rope_theta": 500000.0,
        "head_dim": 128,
        "attention_chunk_size": 8192,
        "no_rope_layer_interval": 4,
        "interleave_moe_layer_step": 1,
        "use_qk_norm": True,
    },
    "minimax_m2": {
        **_LLAMA,
        "scoring_func": "sigmoid",
        "use_routing_bias": True,
        "use_qk_norm": True,
        "shared_intermediate_size": 0,
    },
    "nemotron_h": {
        "layer_norm_epsilon": 1e-5,
        "tie_word_embeddings": False,
        "mlp_hidden_act": "relu2",
        "conv_kernel": 4,
        "n_groups": 8,
        "n_shared_experts": 0,
        "use_conv_bias": True,
    },
}

ALIASES: dict[str, dict[str, str]] = {
    "gpt2": {
        "hidden_size": "n_embd",
        "num_hidden_layers": "n_layer",
        "num_attention_heads": "n_head",
        "intermediate_size": "n_inner",
        "max_position_embeddings": "n_positions",
        "hidden_act": "activation_function",
        "rms_norm_eps": "layer_norm_epsilon",
    },
    "gemma": {"hidden_act": "hidden_activation"},
    "gemma2": {"hidden_act": "hidden_activation"},
    "gemma3": {"hidden_act": "hidden_activation"},
    "nemotron_h": {"hidden_act": "mlp_hidden_act", "rms_norm_eps": "layer_norm_epsilon"},
}
"""Generic key -> the name a family's config.json uses for it (errors name the config's key)."""

RENAMED = (("experts_per_token", "num_experts_per_tok"), ("attention_head_dim", "head_dim"))
"""Older spellings read as the current key when only they are present (gpt-oss, Nemotron-H)."""

_CORE = ("hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size", "max_position_embeddings")
_MLA = ("q_lora_rank", "kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim")
_QWEN_MOE = ("num_experts", "num_experts_per_tok", "moe_intermediate_size")
_DS_MOE = ("n_routed_experts", "num_experts_per_tok", "moe_intermediate_size", "first_k_dense_replace")
_GDN = ("linear_num_key_heads", "linear_key_head_dim", "linear_num_value_heads", "linear_value_head_dim")

REQUIRED: dict[str, tuple[str, ...]] = {
    "gpt2": _CORE,
    "llama": (*_CORE, "intermediate_size"),
    "mistral": (*_CORE, "intermediate_size"),
    "mixtral": (*_CORE, "intermediate_size", "num_local_experts", "num_experts_per_tok"),
    "qwen2": (*_CORE, "intermediate_size"),
    "qwen2_moe": (*_CORE, *_QWEN_MOE, "shared_expert_intermediate_size"),
    "qwen3": (*_CORE, "intermediate_size"),
    "qwen3_moe": (*_CORE, *_QWEN_MOE),
    "qwen3_next": (*_CORE, *_QWEN_MOE, *_GDN, "shared_expert_intermediate_size"),
    "gemma": (*_CORE, "intermediate_size"),
    "gemma2": (*_CORE, "intermediate_size"),
    "gemma3": (*_CORE, "intermediate_size"),
    "olmo2": (*_CORE, "intermediate_size"),
    "olmo3": (*_CORE, "intermediate_size"),
    "phi3": (*_CORE, "intermediate_size"),
    "deepseek_v3": (*_CORE, *_MLA, *_DS_MOE, "n_shared_experts"),
    "gpt_oss": (*_CORE, "head_dim", "intermediate_size", "num_local_experts", "num_experts_per_tok"),
    "glm4_moe": (*_CORE, *_DS_MOE),
    "smollm3": (*_CORE, "intermediate_size"),
    "llama4_text": (*_CORE, "intermediate_size", "intermediate_size_mlp", "num_local_experts", "num_experts_per_tok"),
    "minimax_m2": (*_CORE, "head_dim", "intermediate_size", "num_local_experts", "num_experts_per_tok"),
    "nemotron_h": (*_CORE, "hybrid_override_pattern", "mamba_num_heads", "mamba_head_dim", "ssm_state_size"),
}
"""Keys without a trustworthy default: a config lacking any of them is refused, naming them all."""

NULLABLE = {"q_lora_rank"}
"""Required keys whose null is meaningful (DeepSeek: no query compression)."""

QK_NORM: dict[str, bool | str] = {
    **dict.fromkeys(("qwen3", "qwen3_moe", "qwen3_next", "olmo2", "olmo3", "gemma3"), True),
    **dict.fromkeys(("glm4_moe", "minimax_m2", "llama4_text"), "use_qk_norm"),
}
_NO_BIAS = dict.fromkeys(("mistral", "mixtral", "phi3", "minimax_m2", "deepseek_v3"), False)
QKV_BIAS: dict[str, bool | str] = {"gpt2": True, "qwen2": True, "qwen2_moe": True, **_NO_BIAS}
OUT_BIAS: dict[str, bool | str] = {"gpt2": True, "qwen2": False, "qwen2_moe": False, "glm4_moe": False, **_NO_BIAS}
MLP_BIAS: dict[str, bool | str] = {"gpt2": True, "llama": "mlp_bias", "smollm3": "mlp_bias", "nemotron_h": "mlp_bias"}
PLACEMENT = {"olmo2": "inside_post", "olmo3": "inside_post", "gemma2": "sandwich", "gemma3": "sandwich"}

MOE_KEYS = {
    **dict.fromkeys(("qwen2_moe", "qwen3_moe", "qwen3_next"), ("num_experts", "moe_intermediate_size")),
    **dict.fromkeys(("deepseek_v3", "glm4_moe", "nemotron_h"), ("n_routed_experts", "moe_intermediate_size")),
}
"""Family -> (routed experts key, expert size key); others use num_local_experts, intermediate_size."""
