"""Per-family facts, so a config is read as transformers reads it.

Defaults and attribute maps come from the generated table (table.py); here are the few keys it
does not cover (LEGACY, ALIASES), the renamed keys, the keys required to draw a family, and the
traits that say which attention, bias and norm variants a family uses (fixed, or read from a key).
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
    "granite",
    "granitemoe",
    "olmoe",
    "phimoe",
    "starcoder2",
    "minicpm",
    "internlm2",
    "glm4",
    "qwen2_vl",
    "qwen2_vl_text",
    "qwen2_5_vl",
    "qwen2_5_vl_text",
    "deepseek_v2",
    "stablelm",
    "exaone4",
    "gptj",
    "gpt_neox",
    "phi",
    "cohere",
    "cohere2",
    "falcon",
    "jamba",
    "gpt_bigcode",
    "mamba",
    "falcon_mamba",
    "opt",
    "glm",
    "olmo",
    "nemotron",
    "helium",
    "seed_oss",
    "arcee",
    "hunyuan_v1_dense",
    "ernie4_5",
    "qwen3_vl",
    "qwen3_vl_text",
    "qwen3_vl_moe",
    "qwen3_vl_moe_text",
    "glm4v",
    "glm4v_text",
    "mpt",
    "bloom",
    "lfm2",
    "dots1",
    "qwen3_5",
    "qwen3_5_text",
    "qwen3_5_moe",
    "qwen3_5_moe_text",
    "granitemoeshared",
    "deepseek_v32",
    "glm4_moe_lite",
    "granitemoehybrid",
    "ministral",
    "ministral3",
    "internlm3",
    "exaone",
    "mamba2",
    "xlstm",
    "gemma4",
    "gemma4_text",
    "mistral4",
)

FAMILY = {
    "gemma3_text": "gemma3",
    "llama4": "llama4_text",
    "kimi_k2": "deepseek_v3",
    "deepseek_v2": "deepseek_v3",
    **dict.fromkeys(("granite", "minicpm", "internlm2", "glm4", "stablelm", "exaone4"), "llama"),
    **dict.fromkeys(("gptj", "gpt_neox", "phi", "cohere", "cohere2", "falcon"), "llama"),
    **dict.fromkeys(("granitemoe", "olmoe", "phimoe"), "mixtral"),
    **dict.fromkeys(("qwen2_vl", "qwen2_vl_text", "qwen2_5_vl", "qwen2_5_vl_text"), "qwen2"),
    "starcoder2": "mistral",
    "gpt_bigcode": "gpt2",
    "falcon_mamba": "mamba",
    "opt": "gpt2",
    **dict.fromkeys(("mpt", "bloom", "lfm2"), "llama"),
    "dots1": "glm4_moe",
    **dict.fromkeys(("qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text"), "qwen3_next"),
    **dict.fromkeys(("granitemoeshared", "granitemoehybrid"), "mixtral"),
    **dict.fromkeys(("ministral", "ministral3"), "mistral"),
    **dict.fromkeys(("internlm3", "exaone"), "llama"),
    "mamba2": "mamba",
    "gemma4_text": "gemma4",
    **dict.fromkeys(("deepseek_v32", "glm4_moe_lite", "mistral4"), "deepseek_v3"),
    **dict.fromkeys(
        ("glm", "olmo", "nemotron", "helium", "seed_oss", "arcee", "hunyuan_v1_dense", "ernie4_5"), "llama"
    ),
    **dict.fromkeys(("glm4v", "glm4v_text"), "llama"),
    **dict.fromkeys(("qwen3_vl", "qwen3_vl_text"), "qwen3"),
    **dict.fromkeys(("qwen3_vl_moe", "qwen3_vl_moe_text"), "qwen3_moe"),
}
"""model_type -> the family whose stack and mapping it shares (the Llama recipe under other key
names, Mixtral's all-MoE stack, DeepSeek's MLA and MoE); what differs is in the traits below,
which a model type may set for itself (its own entry wins over its family's)."""

LEGACY: dict[str, dict[str, Any]] = {
    "qwen3_moe": {"max_window_layers": 28},
    **{
        t: {"partial_rotary_factor": 0.25, "full_attention_interval": 4}
        for t in ("qwen3_next", "qwen3_5", "qwen3_5_text")
    },
    **{
        t: {"partial_rotary_factor": 0.25, "full_attention_interval": 4, "decoder_sparse_step": 1}
        for t in ("qwen3_5_moe", "qwen3_5_moe_text")
    },
    "gemma": {"hidden_activation": "gelu_pytorch_tanh"},
    **{t: {"sliding_window_pattern": 6} for t in ("gemma3", "gemma3_text")},
    "phi3": {"partial_rotary_factor": 1.0},
    "deepseek_v3": {
        "moe_layer_freq": 1,
        "scoring_func": "sigmoid",
        "topk_method": "noaux_tc",
        "num_nextn_predict_layers": 0,
    },
    "glm4_moe": {"head_dim": 128, "partial_rotary_factor": 0.5, "num_nextn_predict_layers": 0},
    "smollm3": {"max_window_layers": 28},
    "minimax_m2": {
        "scoring_func": "sigmoid",
        "use_routing_bias": True,
        "use_qk_norm": True,
        "shared_intermediate_size": 0,
    },
    "deepseek_v2": {"moe_layer_freq": 1, "scoring_func": "softmax", "num_nextn_predict_layers": 0},
    **{
        t: {"moe_layer_freq": 1, "scoring_func": "sigmoid", "topk_method": "noaux_tc", "num_nextn_predict_layers": 0}
        for t in ("deepseek_v32", "glm4_moe_lite")
    },
    "stablelm": {"partial_rotary_factor": 0.25},
    "gpt_neox": {"rotary_pct": 0.25},
    "phi": {"partial_rotary_factor": 0.5},
    "cohere2": {"sliding_window_pattern": 4},
    **{t: {"partial_rotary_factor": 0.5} for t in ("glm4", "glm", "nemotron", "glm4v", "glm4v_text")},
    "opt": {"layer_norm_epsilon": 1e-5},
    "olmo": {"rms_norm_eps": 1e-5},  # OLMo's LayerNorm has a fixed eps (and no weights)
    "mpt": {"hidden_act": "gelu"},  # MptMLP's nn.GELU
    "bloom": {"hidden_act": "gelu_pytorch_tanh"},  # bloom_gelu_forward, the tanh approximation
}
"""Defaults of keys that transformers 4 configuration classes had and that its generated table
(table.py, from transformers 5) no longer lists as fields (moved into rope_parameters or computed
into layer_types): config.json files written before then still use them. A test checks that no
key here shadows one of the table's."""

ALIASES: dict[str, dict[str, str]] = {
    "gpt2": {"intermediate_size": "n_inner", "hidden_act": "activation_function", "rms_norm_eps": "layer_norm_epsilon"},
    "gemma": {"hidden_act": "hidden_activation"},
    "gemma2": {"hidden_act": "hidden_activation"},
    "gemma3": {"hidden_act": "hidden_activation"},
    "gemma4": {"hidden_act": "hidden_activation", "num_experts_per_tok": "top_k_experts"},
    "nemotron_h": {"hidden_act": "mlp_hidden_act", "rms_norm_eps": "layer_norm_epsilon"},
    "starcoder2": {"rms_norm_eps": "norm_epsilon"},
    "stablelm": {"rms_norm_eps": "layer_norm_eps"},
    "gptj": {"rms_norm_eps": "layer_norm_epsilon", "hidden_act": "activation_function", "intermediate_size": "n_inner"},
    "falcon": {
        "rms_norm_eps": "layer_norm_epsilon",
        "hidden_act": "activation",
        "intermediate_size": "ffn_hidden_size",
    },
    **{t: {"rms_norm_eps": "layer_norm_eps"} for t in ("gpt_neox", "phi", "cohere", "cohere2")},
    "mamba": {"rms_norm_eps": "layer_norm_epsilon"},
    "opt": {"intermediate_size": "ffn_dim", "hidden_act": "activation_function"},
    "nemotron": {"rms_norm_eps": "norm_eps"},
    "lfm2": {"rms_norm_eps": "norm_eps"},
    "mamba2": {"mamba_num_heads": "num_heads", "mamba_head_dim": "head_dim", "ssm_state_size": "state_size"},
    "granitemoehybrid": {
        "mamba_num_heads": "mamba_n_heads",
        "mamba_head_dim": "mamba_d_head",
        "ssm_state_size": "mamba_d_state",
        "n_groups": "mamba_n_groups",
        "conv_kernel": "mamba_d_conv",
        "use_bias": "mamba_proj_bias",
    },
    "mpt": {"rms_norm_eps": "layer_norm_epsilon", "max_position_embeddings": "max_seq_len"},
    "bloom": {"rms_norm_eps": "layer_norm_epsilon", "max_position_embeddings": "seq_length"},
    "xlstm": {
        "hidden_size": "embedding_dim",
        "num_hidden_layers": "num_blocks",
        "num_attention_heads": "num_heads",
        "rms_norm_eps": "norm_eps",
    },
}
"""Generic key -> a family's own name for it, beyond the attribute maps of the generated table
(table.py): names its configuration class reads itself rather than through an attribute map."""

BOTH_NAMES: dict[str, dict[str, str]] = {"xlstm": {"embedding_dim": "hidden_size", "num_blocks": "num_hidden_layers"}}
"""A class that keeps two names for one value and fills either from the other (xLSTMConfig's
embedding_dim and hidden_size): own name -> the other, read when the own one is null."""

RENAMED = (("experts_per_token", "num_experts_per_tok"), ("attention_head_dim", "head_dim"), ("n_embed", "hidden_size"))
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
    **dict.fromkeys(("qwen3_5", "qwen3_5_text"), (*_CORE, *_GDN, "intermediate_size")),
    "gemma": (*_CORE, "intermediate_size"),
    "gemma2": (*_CORE, "intermediate_size"),
    "gemma3": (*_CORE, "intermediate_size"),
    "gemma4": (*_CORE, "intermediate_size", "head_dim", "global_head_dim", "sliding_window"),
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
    "jamba": (*_CORE, "intermediate_size", "num_local_experts", "num_experts_per_tok", "mamba_d_state", "mamba_expand"),
    **dict.fromkeys(("gptj", "falcon", "mpt", "bloom"), _CORE),  # the FFN width follows from the hidden size
    "mamba": ("hidden_size", "num_hidden_layers", "vocab_size", "state_size", "expand", "conv_kernel"),
    "mamba2": ("hidden_size", "num_hidden_layers", "vocab_size", "state_size", "num_heads", "head_dim"),
    "xlstm": ("hidden_size", "num_hidden_layers", "vocab_size", "num_attention_heads", "qk_dim_factor", "v_dim_factor"),
}
"""Keys without a trustworthy default: a config lacking any of them is refused, naming them all."""

NULLABLE = {"q_lora_rank"}
"""Required keys whose null is meaningful (DeepSeek: no query compression)."""

QK_NORM: dict[str, bool | str] = {
    **dict.fromkeys(("qwen3", "qwen3_moe", "qwen3_next", "olmo2", "olmo3", "gemma3", "olmoe", "exaone4"), True),
    "gemma4": True,
    "stablelm": "qk_layernorm",
    "phi": "qk_layernorm",
    "cohere": "use_qk_norm",
    "hunyuan_v1_dense": True,
    "lfm2": True,
    "dots1": True,
    **dict.fromkeys(("glm4_moe", "minimax_m2", "llama4_text"), "use_qk_norm"),
}
_NO_BIAS = dict.fromkeys(("mistral", "mixtral", "phi3", "minimax_m2", "deepseek_v3"), False)
_OWN_KEY = {
    **dict.fromkeys(("granitemoe", "olmoe", "phimoe", "deepseek_v2"), "attention_bias"),
    "internlm2": "bias",
    "starcoder2": "use_bias",
}
QKV_BIAS: dict[str, bool | str] = {
    "gpt2": True,
    "qwen2": True,
    "qwen2_moe": True,
    **_NO_BIAS,
    **_OWN_KEY,
    "stablelm": "use_qkv_bias",
    "exaone4": False,
    "gptj": False,
    "phi": True,
    "falcon": "bias",
    "opt": "enable_bias",
    "ernie4_5": "use_bias",
    "mpt": False,
    "bloom": True,
}
OUT_BIAS: dict[str, bool | str] = {
    "gpt2": True,
    "qwen2": False,
    "qwen2_moe": False,
    "glm4_moe": False,
    **_NO_BIAS,
    **_OWN_KEY,
    **dict.fromkeys(("glm4", "stablelm", "exaone4", "gptj", "glm", "helium", "glm4v", "glm4v_text"), False),
    "phi": True,
    "falcon": "bias",
    "opt": "enable_bias",
    "ernie4_5": "use_bias",
    "seed_oss": "attention_out_bias",
    "mpt": False,
    "bloom": True,
}
MLP_BIAS: dict[str, bool | str] = {
    "gpt2": True,
    "llama": "mlp_bias",
    "smollm3": "mlp_bias",
    "nemotron_h": "mlp_bias",
    "starcoder2": "use_bias",
    **dict.fromkeys(("internlm2", "glm4", "stablelm", "exaone4", "minicpm", "cohere", "cohere2"), False),
    **dict.fromkeys(("gptj", "gpt_neox", "phi"), True),
    "falcon": "bias",
    "opt": "enable_bias",
    "ernie4_5": "use_bias",
    **dict.fromkeys(("glm", "olmo", "hunyuan_v1_dense", "glm4v", "glm4v_text", "mpt"), False),
    "bloom": True,
}
GATED: dict[str, bool | str] = dict.fromkeys(
    ("gpt2", "nemotron_h", "starcoder2", "gptj", "gpt_neox", "phi", "falcon", "nemotron", "arcee", "mpt", "bloom"),
    False,
)
"""Whether the dense FFN is gated (SwiGLU-style); the rest are."""
NORM_KIND = dict.fromkeys(
    (
        "gpt2",
        "phimoe",
        "starcoder2",
        "stablelm",
        "gptj",
        "gpt_neox",
        "phi",
        "cohere",
        "cohere2",
        "falcon",
        "nemotron",
        "olmo",
        "mpt",
        "bloom",
    ),
    "layernorm",
)
"""LayerNorm where the family uses it; the rest use RMSNorm."""
PLACEMENT = {
    **dict.fromkeys(("olmo2", "olmo3", "exaone4"), "inside_post"),
    **dict.fromkeys(("gemma2", "gemma3", "gemma4", "glm4", "glm4v", "glm4v_text"), "sandwich"),
}
_PARALLEL = "parallel attention and FFN branches in one block"
UNDRAWABLE: dict[str, str] = {
    "gpt_neox_japanese": _PARALLEL + " with a separate dense bias path",
    **dict.fromkeys(("rwkv", "rwkv7"), "RWKV time mixing (a recurrent mixer)"),
    **dict.fromkeys(("zamba", "zamba2"), "one attention block shared across the stack (with Mamba mixers)"),
    "falcon_h1": "Mamba-2 and attention side by side in each layer",
    "recurrent_gemma": "RG-LRU recurrent mixers",
    "gemma3n": "per-layer embeddings and AltUp residual streams",
}
"""model_type -> the construct its architecture needs that archviz cannot draw yet: a refusal
names it, rather than saying only that the type is unknown."""

PARALLEL: dict[str, bool | str] = {
    **dict.fromkeys(("gptj", "phi", "cohere", "cohere2"), True),
    "gpt_neox": "use_parallel_residual",
    "falcon": "parallel_attn",
    "stablelm": "use_parallel_residual",
}
"""Attention and FFN read the same normed input side by side and add into the residual together
(GPT-J, Phi-2, Command R, Pythia, Falcon), fixed or switched by a key."""


MOE_KEYS = {
    **dict.fromkeys(("qwen2_moe", "qwen3_moe", "qwen3_next"), ("num_experts", "moe_intermediate_size")),
    **dict.fromkeys(("deepseek_v3", "glm4_moe", "nemotron_h"), ("n_routed_experts", "moe_intermediate_size")),
    "gemma4": ("num_experts", "moe_intermediate_size"),
}
"""Family -> (routed experts key, expert size key); others use num_local_experts, intermediate_size."""
