"""Import a Hugging Face config.json as a spec.

Each supported `model_type` is mapped with the semantics of its transformers configuration class:
keys a config leaves out take that class's defaults (e.g. Gemma 3's vocabulary and RoPE bases),
the real per-layer pattern is rebuilt (layer_types, sliding-window patterns, NoPE layers, dense
prefixes, MoE interleaving, Nemotron-H's pattern string) and compressed into repeated groups.

What a config cannot tell (organization, release date, licence, published parameter counts) is
listed under `undisclosed`; where the schema forces a value the placeholder is plainly one.
The parameter total is counted by a function the caller passes in (`count_params`, normally
`lambda m: archviz.facts.params.breakdown(m).total`), since the spec stage may not import facts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from archviz.errors import Problem, SpecError
from archviz.spec.loader import Spec, slug, validate
from archviz.spec.models import LINEAR_MIXERS, ModelSpec

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

ParamCounter = Callable[[ModelSpec], int]
"""Counts a validated spec's parameters, e.g. `lambda m: breakdown(m).total`."""

"""Release date forced by the schema but unknown to a config: 0001-01-01, plainly a placeholder."""
NOT_STATED = "not stated in config.json"
NO_FIGURE = "computed from config.json; no published figure"

# --- model families: defaults (transformers configuration classes) and traits ---------------

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
LAYER_TYPES = {
    "full_attention": "full",
    "sliding_attention": "sliding",
    "chunked_attention": "chunked",
    "linear_attention": "linear",
}
MOE_KEYS = {
    **dict.fromkeys(("qwen2_moe", "qwen3_moe", "qwen3_next"), ("num_experts", "moe_intermediate_size")),
    **dict.fromkeys(("deepseek_v3", "glm4_moe", "nemotron_h"), ("n_routed_experts", "moe_intermediate_size")),
}
"""Family -> (routed experts key, expert size key); others use num_local_experts, intermediate_size."""
NEMOTRON_CHARS = {"M": ("mamba", None), "*": ("full", None), "E": (None, "moe"), "-": (None, "dense")}

Layer = tuple[str | None, str | None]
"""One layer as (mixer kind, ffn kind): kinds such as 'full', 'sliding', 'mla' and 'dense', 'moe'."""


# --- reading a config ----------------------------------------------------------------------


class HFConfig:
    """A config.json mapping with its family's defaults, read through typed accessors whose errors
    name the file and the config key."""

    def __init__(self, data: dict[str, Any], model_type: str, file: str) -> None:
        self.model_type = model_type
        self.family = FAMILY.get(model_type, model_type)
        self.file = file
        self.raw = data
        renamed = {new: data[old] for old, new in RENAMED if old in data and new not in data}
        self.data = {**DEFAULTS.get(self.family, {}), **data, **renamed}

    def key(self, name: str) -> str:
        """The name this family's config uses for a generic key."""
        return ALIASES.get(self.family, {}).get(name, name)

    def get(self, name: str, default: Any = None) -> Any:
        """The value, or `default` when the key is absent or null."""
        value = self.data.get(self.key(name))
        return default if value is None else value

    def has(self, name: str) -> bool:
        """Whether the key is present and not null."""
        return self.get(name) is not None

    def error(self, name: str, message: str) -> SpecError:
        """A SpecError naming the file and the config's key."""
        return SpecError([Problem(message, self.file, field=self.key(name))])

    def whole(self, name: str, default: int | None = None, minimum: int = 1) -> int:
        """A whole number >= minimum (an integral float such as 4096.0 is accepted)."""
        value = self.get(name, default)
        if value is None:
            raise self.error(name, "required key is missing")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(name, f"expected a whole number >= {minimum}, got {value!r}")
        return value

    def num(self, name: str, default: float | None = None) -> float:
        """A positive number."""
        value = self.get(name, default)
        if value is None:
            raise self.error(name, "required key is missing")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.error(name, f"expected a positive number, got {value!r}")
        return value

    def real(self, name: str, default: float = 0.0) -> float:
        """A number >= 0 (a rate such as dropout)."""
        value = self.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self.error(name, f"expected a number >= 0, got {value!r}")
        return float(value)

    def flag(self, name: str, default: bool = False) -> bool:
        """A true/false value."""
        value = self.get(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {value!r}")
        return value

    def wholes(self, name: str) -> list[int] | None:
        """A list of whole numbers, or None when absent."""
        value = self.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise self.error(name, f"expected a list of whole numbers, got {value!r}")
        return value

    def trait(self, table: dict[str, bool | str], default: bool | str) -> bool:
        """A family trait: fixed (True/False) or read from a config key."""
        rule = table.get(self.family, default)
        return rule if isinstance(rule, bool) else self.flag(rule)

    def missing(self) -> list[str]:
        """Required keys the config lacks (by the config's own names)."""
        out = []
        for name in (*REQUIRED[self.family], *self._required_by_pattern()):
            key = self.key(name)
            if (key not in self.data or (self.data[key] is None and name not in NULLABLE)) and key not in out:
                out.append(key)
        return out

    def _required_by_pattern(self) -> tuple[str, ...]:
        """Keys needed only by some stacks: MoE or MLP layers in Nemotron-H, a dense prefix."""
        if self.family == "nemotron_h":
            pattern = str(self.data.get("hybrid_override_pattern") or "")
            moe = ("n_routed_experts", "num_experts_per_tok", "moe_intermediate_size") if "E" in pattern else ()
            return (*moe, *(("intermediate_size",) if "-" in pattern else ()))
        if self.family in ("deepseek_v3", "glm4_moe") and self.data.get("first_k_dense_replace"):
            return ("intermediate_size",)
        return ()


def _text_config(config: dict[str, Any], file: str) -> tuple[dict[str, Any], str]:
    """The decoder's own config (a multimodal config's text_config) and its model_type."""
    outer_type = config.get("model_type")
    text = config.get("text_config")
    data = config
    if isinstance(text, dict):
        carried: dict[str, Any] = {k: config[k] for k in ("_name_or_path", "tie_word_embeddings") if k in config}
        data = {**carried, **text}
    model_type = data.get("model_type") or outer_type
    if not model_type:
        raise SpecError([Problem("required key is missing", file, field="model_type")])
    if model_type not in SUPPORTED:
        raise SpecError(
            [
                Problem(
                    f"unsupported model_type '{model_type}'; supported: {', '.join(SUPPORTED)}",
                    file,
                    field="model_type",
                )
            ]
        )
    return data, str(model_type)


def _read(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a config.json (or a folder holding one) into a mapping."""
    file = path / "config.json" if path.is_dir() else path
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        what = "no config.json in this folder" if path.is_dir() else "no such file"
        raise SpecError([Problem(what, str(file if path.is_dir() else path))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem(f"cannot read: {exc}", str(file))]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError([Problem(f"not valid JSON: {exc.msg} (column {exc.colno})", str(file), exc.lineno)]) from None
    if not isinstance(data, dict):
        raise SpecError([Problem("a config.json must be a JSON object of keys to values", str(file), 1)])
    return data, str(file)


def _default_id(file: Path) -> str:
    """A model id from the file name, or from the folder name for a file called config.json."""
    stem = file.parent.name if file.name == "config.json" else file.stem
    return slug(stem) or "imported-model"


def import_config(
    path: str | Path, *, count_params: ParamCounter, id: str | None = None, source: str | None = None
) -> tuple[dict[str, Any], str, str]:
    """Read a config.json file (or a folder holding one): (spec mapping, its id, the file read).

    `source` is recorded as where the hyperparameters come from (default: the file's path)."""
    data, file = _read(Path(path))
    spec_id = id or _default_id(Path(file))
    spec_dict = spec_dict_from_config(data, source=source or file, id=spec_id, count_params=count_params, file=file)
    return spec_dict, spec_id, file


def load_hf(path: str | Path, *, count_params: ParamCounter, source: str | None = None) -> Spec:
    """Import a config.json file (or a folder holding config.json) as a validated spec."""
    spec_dict, spec_id, file = import_config(path, count_params=count_params, source=source)
    return validate(spec_dict, file=file, id=spec_id)


# --- the per-layer pattern -----------------------------------------------------------------


def _attention_kinds(c: HFConfig, n: int) -> list[str]:
    """Each layer's mixer kind: 'full', 'sliding', 'chunked', 'linear', 'mla' or 'mamba'."""
    if c.family == "deepseek_v3":
        return ["mla"] * n
    listed = c.get("layer_types")
    if listed is not None:
        if not isinstance(listed, list) or len(listed) != n:
            raise c.error("layer_types", f"expected a list of {n} layer types (one per layer)")
        unknown = sorted({str(t) for t in listed} - set(LAYER_TYPES))
        if unknown:
            raise c.error("layer_types", f"unknown layer type(s) {', '.join(unknown)}")
        return [LAYER_TYPES[t] for t in listed]
    return [_derived_kind(c, i) for i in range(n)]


def _derived_kind(c: HFConfig, i: int) -> str:
    """Layer i's mixer kind as transformers derives it when the config has no layer_types."""
    f = c.family
    if f in ("gemma2", "gpt_oss"):
        return "sliding" if (i + 1) % 2 else "full"
    if f == "gemma3":
        return "sliding" if (i + 1) % c.whole("sliding_window_pattern") else "full"
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
    return "full"


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
    if f in ("mixtral", "gpt_oss", "minimax_m2"):
        return ["moe"] * n
    if f in ("qwen2_moe", "qwen3_moe", "qwen3_next"):
        dense_only = set(c.wholes("mlp_only_layers") or [])
        step = c.whole("decoder_sparse_step")
        return ["moe" if i not in dense_only and (i + 1) % step == 0 else "dense" for i in range(n)]
    if f in ("deepseek_v3", "glm4_moe"):
        first, freq = c.whole("first_k_dense_replace", minimum=0), c.whole("moe_layer_freq", 1)
        return ["moe" if i >= first and i % freq == 0 else "dense" for i in range(n)]
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


def _layers(c: HFConfig) -> list[Layer]:
    """The stack, one (mixer kind, ffn kind) per layer, bottom to top."""
    n = c.whole("num_hidden_layers")
    if c.family == "nemotron_h":
        return _nemotron_layers(c, n)
    mixers = _attention_kinds(c, n)
    if c.family in ("llama4_text", "smollm3"):  # NoPE layers: their own mixer kind
        mixers = [k if rope else f"{k}_nope" for k, rope in zip(mixers, _rope_layers(c), strict=True)]
    return list(zip(mixers, _ffn_kinds(c, n), strict=True))


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


# --- sections ------------------------------------------------------------------------------


def _activation(c: HFConfig) -> str:
    """The FFN activation (an explicit null takes the family default, as transformers does)."""
    name = str(c.get("hidden_act", DEFAULTS[c.family].get(c.key("hidden_act"), "silu")))
    if name not in ACTIVATIONS:
        raise c.error("hidden_act", f"activation '{name}' is not one of {', '.join(sorted(ACTIVATIONS))}")
    return ACTIVATIONS[name]


def _head_dim(c: HFConfig) -> int:
    """head_dim, by default hidden_size / num_attention_heads."""
    return c.whole("head_dim", max(c.whole("hidden_size") // c.whole("num_attention_heads"), 1))


def _attention(c: HFConfig, kind: str) -> dict[str, Any]:
    """A softmax-attention mixer of the given kind ('full', 'sliding', 'chunked', '*_nope')."""
    base = kind.removesuffix("_nope")
    heads = c.whole("num_attention_heads")
    m: dict[str, Any] = {
        "kind": "attention",
        "heads": heads,
        "kv_heads": c.whole("num_key_value_heads", heads),
        "head_dim": _head_dim(c),
    }
    if base == "sliding":
        m["window"] = c.whole("sliding_window")
        local = _local_rope_theta(c)
        if local is not None:
            m["rope_theta"] = local
    if base == "chunked":
        m["chunk"] = c.whole("attention_chunk_size")
    if kind.endswith("_nope") or c.family == "nemotron_h":
        m["rope"] = False
    flags = {
        "gated": c.family == "qwen3_next",
        "sinks": c.family == "gpt_oss",
        "qkv_bias": c.trait(QKV_BIAS, "attention_bias"),
        "out_bias": c.trait(OUT_BIAS, "attention_bias"),
    }
    return {**m, **{k: True for k, on in flags.items() if on}}


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
    """Nemotron-H's Mamba-2 layers."""
    if c.flag("use_bias"):
        raise c.error("use_bias", "biases on Mamba-2 projections cannot be expressed in a spec")
    return {
        "kind": "mamba2",
        "heads": c.whole("mamba_num_heads"),
        "head_dim": c.whole("mamba_head_dim"),
        "state_size": c.whole("ssm_state_size"),
        "groups": c.whole("n_groups"),
        "conv_kernel": c.whole("conv_kernel"),
    }


def _mixer(c: HFConfig, kind: str) -> dict[str, Any]:
    """The mixer for a layer kind."""
    builders = {"mla": _mla, "linear": _gated_deltanet, "mamba": _mamba2}
    return builders[kind](c) if kind in builders else _attention(c, kind)


def _dense(c: HFConfig) -> dict[str, Any]:
    """The dense FFN (GPT-2's n_inner defaults to 4 x hidden; Llama 4's is intermediate_size_mlp)."""
    if c.family == "gpt2":
        hidden = c.whole("intermediate_size", 4 * c.whole("hidden_size"))
    elif c.family == "llama4_text":
        hidden = c.whole("intermediate_size_mlp")
    else:
        hidden = c.whole("intermediate_size")
    gated = c.family not in ("gpt2", "nemotron_h")
    f: dict[str, Any] = {"kind": "mlp", "hidden": hidden, "activation": _activation(c), "gated": gated}
    return {**f, "bias": True} if c.trait(MLP_BIAS, False) else f


def _moe(c: HFConfig) -> dict[str, Any]:
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
    if f in ("qwen2_moe", "qwen3_next"):
        size = c.whole("shared_expert_intermediate_size", minimum=0)
        return {"shared_experts": 1, "shared_hidden": size, "shared_gate": True} if size else {}
    if f in ("deepseek_v3", "glm4_moe"):
        n = c.whole("n_shared_experts", minimum=0)
        return {"shared_experts": n, "shared_hidden": c.whole("moe_intermediate_size")} if n else {}
    if f == "nemotron_h":
        n = c.whole("n_shared_experts", minimum=0)
        return {"shared_experts": n, "shared_hidden": c.whole("moe_shared_expert_intermediate_size")} if n else {}
    if f == "llama4_text":
        return {"shared_experts": 1, "shared_hidden": c.whole("intermediate_size")}
    if f == "minimax_m2":
        size = c.whole("shared_intermediate_size", minimum=0)
        return {"shared_experts": 1, "shared_hidden": size} if size else {}
    return {}


def _router(c: HFConfig) -> dict[str, Any]:
    """Scoring (softmax or sigmoid) and whether a learned per-expert bias steers selection."""
    f = c.family
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


def _positions(c: HFConfig) -> dict[str, Any]:
    """positions, learned_positions and rope."""
    if c.family == "gpt2":
        return {"positions": "learned", "learned_positions": c.whole("max_position_embeddings")}
    if c.family == "nemotron_h":
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
    if c.family == "minimax_m2" and c.has("rotary_dim"):
        partial = c.whole("rotary_dim") / _head_dim(c)
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
    if kind in (None, "default"):
        return None
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


def _norm(c: HFConfig) -> dict[str, Any]:
    """LayerNorm (GPT-2) or RMSNorm, its placement, and QK-norm."""
    return {
        "kind": "layernorm" if c.family == "gpt2" else "rmsnorm",
        "placement": PLACEMENT.get(c.family, "pre"),
        "qk_norm": c.trait(QK_NORM, False),
        "final": True,
        "eps": float(c.num("rms_norm_eps")),
    }


# --- naming and assembling -------------------------------------------------------------------


def _mixer_name(m: dict[str, Any], attention_variants: int) -> str:
    """'attn', 'sliding', 'global', 'chunked', 'global_nope', 'mla', 'deltanet', 'mamba'."""
    if m["kind"] != "attention":
        return {"mla": "mla", "gated_deltanet": "deltanet", "mamba2": "mamba"}[m["kind"]]
    base = "sliding" if "window" in m else "chunked" if "chunk" in m else "attn"
    if attention_variants == 1:
        return base
    if base == "attn":
        base = "global"
    return f"{base}_nope" if m.get("rope") is False else base


def _named(items: list[dict[str, Any]], name: Callable[[dict[str, Any]], str]) -> dict[str, dict[str, Any]]:
    """Distinct items under unique names (a clash gets a numeric suffix)."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        if item in out.values():
            continue
        base = key = name(item)
        n = 2
        while key in out:
            key, n = f"{base}{n}", n + 1
        out[key] = item
    return out


def _stack(c: HFConfig) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], list[Layer]]:
    """mixers, ffns, layer groups, and the stack as (mixer name, ffn name) per layer."""
    layers = _layers(c)
    mixer_of = {k: _mixer(c, k) for k in dict.fromkeys(m for m, _ in layers if m)}
    ffn_of = {k: _dense(c) if k == "dense" else _moe(c) for k in dict.fromkeys(f for _, f in layers if f)}
    variants = sum(m["kind"] == "attention" for m in mixer_of.values())
    mixers = _named(list(mixer_of.values()), lambda m: _mixer_name(m, variants))
    dense = "dense" if len(ffn_of) > 1 else "mlp"
    ffns = _named(list(ffn_of.values()), lambda f: "moe" if f["kind"] == "moe" else dense)
    mixer_names = {k: next(n for n, v in mixers.items() if v == m) for k, m in mixer_of.items()}
    ffn_names = {k: next(n for n, v in ffns.items() if v == f) for k, f in ffn_of.items()}
    named = [(mixer_names[m] if m else None, ffn_names[f] if f else None) for m, f in layers]
    return mixers, ffns, _groups(named), named


def _groups(named: list[Layer]) -> list[dict[str, Any]]:
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


def _decoder_type(mixers: dict[str, Any], ffns: dict[str, Any]) -> str:
    """dense, moe, hybrid or hybrid_moe, as archviz.spec.models.derive_decoder_type decides it."""
    linear = any(m["kind"] in LINEAR_MIXERS for m in mixers.values())
    moe = any(f["kind"] == "moe" for f in ffns.values())
    return {(False, False): "dense", (False, True): "moe", (True, False): "hybrid"}.get((linear, moe), "hybrid_moe")


def _mtp(c: HFConfig, ffns: dict[str, Any], top: Layer) -> dict[str, Any] | None:
    """DeepSeek-style MTP modules declared by num_nextn_predict_layers (one block like the top one)."""
    if c.family not in ("deepseek_v3", "glm4_moe"):
        return None
    modules = c.whole("num_nextn_predict_layers", minimum=0)
    mixer, ffn = top
    if not modules or mixer is None or ffn is None:
        return None
    return {"modules": modules, "mixer": mixer, "ffn": "moe" if "moe" in ffns else ffn}


def _notes(c: HFConfig) -> list[str]:
    """Short remarks about what the spec format does not draw."""
    notes = []
    if c.family in ("gemma2", "gemma3") and c.has("attn_logit_softcapping"):
        notes.append(f"Attention logit soft-capping at {c.num('attn_logit_softcapping'):g}")
    if c.family == "minimax_m2" and c.get("use_mtp") and c.has("num_mtp_modules"):
        notes.append(f"Config declares {c.get('num_mtp_modules')} MTP modules; not modelled")
    return notes


def _identity(c: HFConfig, id: str | None) -> tuple[str, str | None]:
    """(name, organization): from _name_or_path ('org/Model') when it is a Hub id, else from id."""
    hub = str(c.raw.get("_name_or_path") or "")
    if re.fullmatch(r"[A-Za-z0-9][\w.\-]*/[A-Za-z0-9][\w.\-]*", hub):
        org, name = hub.split("/")
        return name, org
    return id or f"{c.model_type} model", None


def _key_detail(c: HFConfig, mixers: dict[str, Any], ffns: dict[str, Any], layers: int) -> str:
    """A factual one-sentence summary (a config says nothing about what sets a model apart)."""
    kinds = ", ".join(dict.fromkeys(m["kind"].replace("_", " ") for m in mixers.values()))
    moe = next((f for f in ffns.values() if f["kind"] == "moe"), None)
    ffn = f"MoE with {moe['experts']} experts, top-{moe['top_k']}" if moe else "dense FFN"
    return (
        f"Imported from a Hugging Face config.json (model_type {c.model_type}): {layers} layers "
        f"({kinds}; {ffn}), hidden size {c.whole('hidden_size')}."
    )


def _undisclosed(organization: str | None) -> list[dict[str, str]]:
    """The metadata a config cannot tell."""
    items = ["release date", "license", "published parameter count"]
    if organization is None:
        items.insert(0, "organization")
    return [{"what": what, "note": "not in config.json"} for what in items]


def spec_dict_from_config(
    config: dict[str, Any],
    *,
    source: str,
    count_params: ParamCounter,
    id: str | None = None,
    file: str | None = None,
) -> dict[str, Any]:
    """A spec (a plain mapping with the keys of specs/*.yaml) from a config.json mapping.

    `source` is where the config comes from (a URL or a path); errors name `file` (default:
    source). params.total is `count_params` of the imported model: a config has no published
    figure, so the spec says so in params.note and under `undisclosed`."""
    where = file or source
    data, model_type = _text_config(config, where)
    c = HFConfig(data, model_type, where)
    missing = c.missing()
    if missing:
        message = f"required key is missing (model_type {model_type})"
        raise SpecError([Problem(message, where, field=key) for key in missing])
    mixers, ffns, groups, named = _stack(c)
    name, organization = _identity(c, id)
    spec: dict[str, Any] = {
        "name": name,
        "organization": organization or NOT_STATED,
        "license": NOT_STATED,
        "decoder_type": _decoder_type(mixers, ffns),
        "key_detail": _key_detail(c, mixers, ffns, len(named)),
        "based_on": [],
        "links": {"config": source},
        "sources": [{"url": source, "covers": "hyperparameters (imported by archviz import-hf)"}],
        "params": {"total": 1, "source": source, "includes_embedding": True, "includes_output_head": True},
        "context_length": c.whole("max_position_embeddings"),
        "vocab_size": c.whole("vocab_size"),
        "hidden_size": c.whole("hidden_size"),
        "tie_embeddings": c.flag("tie_word_embeddings"),
        **_positions(c),
        "dropout": c.real("resid_pdrop") if c.family == "gpt2" else None,
        "norm": _norm(c),
        "mixers": mixers,
        "ffns": ffns,
        "layers": groups,
        "mtp": _mtp(c, ffns, named[-1]),
        "undisclosed": _undisclosed(organization),
        "notes": _notes(c) or None,
    }
    spec = {k: v for k, v in spec.items() if v is not None}
    model = validate(spec, file=where, id=id).model  # first pass, to count the parameters
    spec["params"] = {**spec["params"], "total": count_params(model), "computed": True, "note": NO_FIGURE}
    return spec


# --- YAML ----------------------------------------------------------------------------------

KEY_ORDER = (
    "name",
    "organization",
    "release_date",
    "license",
    "decoder_type",
    "key_detail",
    "based_on",
    "accent",
    "links",
    "sources",
    "params",
    "context_length",
    "vocab_size",
    "hidden_size",
    "tie_embeddings",
    "positions",
    "learned_positions",
    "rope",
    "dropout",
    "norm",
    "mixers",
    "ffns",
    "layers",
    "mtp",
    "undisclosed",
    "notes",
)
"""Top-level keys in the order of the hand-written specs."""
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/spec.schema.json"


class _Flow(dict[str, Any]):
    """A mapping written on one line, as the catalog writes layer blocks."""


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, like the hand-written specs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    """{mixer: attn, ffn: mlp} on one line."""
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    """Whole floats as integers (theta: 500000, factor: 8), others as floats."""
    if data.is_integer() and abs(data) < 1e15:
        return dumper.represent_int(int(data))
    return dumper.represent_float(data)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(float, _represent_float)


def _for_yaml(spec: dict[str, Any]) -> dict[str, Any]:
    """Keys in catalog order; layer blocks and includes_other as one-line mappings."""
    out = {k: spec[k] for k in KEY_ORDER if k in spec}
    out.update({k: v for k, v in spec.items() if k not in out})
    if "layers" in out:
        out["layers"] = [{**g, "blocks": [_Flow(b) for b in g["blocks"]]} for g in out["layers"]]
    params = out.get("params")
    if isinstance(params, dict) and params.get("includes_other"):
        out["params"] = {**params, "includes_other": _Flow(params["includes_other"])}
    return out


def spec_yaml(spec_dict: dict[str, Any]) -> str:
    """YAML text of a spec mapping: the schema line, a comment naming the source, then the keys in
    the order of specs/*.yaml."""
    sources = spec_dict.get("sources") or [{}]
    source = (spec_dict.get("links") or {}).get("config") or sources[0].get("url", "an unknown source")
    header = f"{SCHEMA_LINE}\n# Imported by archviz from {source}; check every value against it.\n"
    body = yaml.dump(_for_yaml(spec_dict), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body
