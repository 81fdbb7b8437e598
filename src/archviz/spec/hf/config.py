"""Typed access to a config.json, so every bad or missing value is reported with its file and key."""

from __future__ import annotations

from typing import Any

from archviz.errors import Problem, SpecError
from archviz.spec.hf import table
from archviz.spec.hf.families import (
    ALIASES,
    BOTH_NAMES,
    FAMILY,
    LEGACY,
    NULLABLE,
    RENAMED,
    REQUIRED,
    SUPPORTED,
    UNDRAWABLE,
)
from archviz.spec.models import MAX_LAYERS


class HFConfig:
    """A config.json mapping with its family's defaults, read through typed accessors whose errors
    name the file and the config key."""

    def __init__(self, data: dict[str, Any], model_type: str, file: str) -> None:
        self.model_type = model_type
        self.family = FAMILY.get(model_type, model_type)
        self.file = file
        self.raw = data
        renamed = {new: data[old] for old, new in RENAMED if old in data and new not in data}
        # transformers' own class for the type; a type it does not ship (code on the Hub) reads as its family
        own = table.text_type(model_type) or model_type
        source = own if table.known(own) else self.family
        # keys older transformers had: the type's own, or (for a type transformers does not ship) its family's
        legacy = LEGACY.get(model_type, LEGACY.get(self.family, {}) if source == self.family else {})
        self.defaults = {**table.defaults(source), **legacy}
        self.aliases = {**table.attribute_map(source), **ALIASES.get(self.family, {}), **ALIASES.get(model_type, {})}
        self.data = {**self.defaults, **data, **renamed}
        # transformers stores a mapped attribute under the class's own name, whichever name the file
        # (or the class's default) used
        for generic, stored in table.attribute_map(source).items():
            if generic in data and stored not in data:
                self.data[stored] = data[generic]
            elif generic in self.data and self.data.get(stored) is None:
                self.data[stored] = self.data[generic]
        for own, other in BOTH_NAMES.get(model_type, {}).items():
            if self.data.get(own) is None:
                self.data[own] = self.data.get(other)

    def key(self, name: str) -> str:
        """The name this family's config uses for a generic key."""
        return self.aliases.get(name, name)

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
        """A whole number >= minimum (an integral float such as 4096.0 is accepted); a layer count
        is also capped, since the importer builds one entry per layer."""
        value = self.get(name, default)
        if name == "num_hidden_layers" and isinstance(value, int | float) and value > MAX_LAYERS:
            raise self.error(name, f"{value} layers; more than {MAX_LAYERS} is not a real model")
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

    def rule(self, table: dict[str, Any], default: Any) -> Any:
        """The model type's own entry in a trait table, else its family's, else `default`."""
        return table.get(self.model_type, table.get(self.family, default))

    def trait(self, table: dict[str, bool | str], default: bool | str) -> bool:
        """A trait: fixed (True/False) or read from a config key."""
        rule = self.rule(table, default)
        return rule if isinstance(rule, bool) else self.flag(rule)

    def missing(self) -> list[str]:
        """Required keys the config lacks (by the config's own names)."""
        out = []
        for name in (*REQUIRED.get(self.model_type, REQUIRED[self.family]), *self._required_by_pattern()):
            if name in self._not_required():
                continue
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

    def _not_required(self) -> set[str]:
        """Required keys a config may leave out because another key says the same."""
        if self.family == "deepseek_v3" and (self.data.get("mlp_layer_types") or self.model_type == "glm4_moe_lite"):
            return {"first_k_dense_replace"}  # the per-layer list, or Glm4MoeLiteConfig's own pattern
        return set()


def text_part(config: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The decoder's own config (a multimodal config's text_config, with what the outer config
    says for it) and its model_type as the file gives it (or transformers' default for the part)."""
    outer_type = config.get("model_type")
    text = config.get("text_config")
    if not isinstance(text, dict):
        return config, outer_type
    carried: dict[str, Any] = {k: config[k] for k in ("_name_or_path", "tie_word_embeddings") if k in config}
    return {**carried, **text}, text.get("model_type") or table.text_type(str(outer_type)) or outer_type


def unread_keys(config: dict[str, Any], family: str) -> list[str]:
    """Keys of a config's text part that `family`'s configuration class has no field for (what
    reading it as that family leaves unchecked)."""
    data, _ = text_part(config)
    own = table.text_type(family) or family
    amap = table.attribute_map(own)
    known = set(table.defaults(own)) | set(amap) | set(amap.values()) | GENERIC_KEYS
    return sorted(k for k in data if k not in known)


GENERIC_KEYS = frozenset(
    {
        "architectures", "auto_map", "model_type", "torch_dtype", "dtype", "transformers_version", "_name_or_path",
        "bos_token_id", "eos_token_id", "pad_token_id", "initializer_range", "use_cache", "text_config",
        "vision_config", "quantization_config", "attn_implementation", "pretraining_tp", "tokenizer_class",
    }
)  # fmt: skip
"""Keys every configuration has that say nothing about the architecture."""


def text_config(config: dict[str, Any], file: str, as_family: str | None = None) -> tuple[dict[str, Any], str]:
    """The decoder's own config (a multimodal config's text_config) and the model_type to read it
    as: its own, or `as_family` when the user maps an unknown type onto a known one."""
    data, model_type = text_part(config)
    if not model_type:
        raise SpecError([Problem("required key is missing", file, field="model_type")])
    if not isinstance(model_type, str):
        raise SpecError([Problem(f"expected a name, got {model_type!r:.60}", file, field="model_type")])
    if as_family is not None:
        if as_family not in SUPPORTED:
            message = f"--as {as_family}: not a model_type archviz reads; choose from {', '.join(SUPPORTED)}"
            raise SpecError([Problem(message, file, field="model_type")])
        return data, as_family
    if model_type in UNDRAWABLE:
        message = f"model_type '{model_type}' uses {UNDRAWABLE[model_type]}, which archviz cannot draw yet"
        raise SpecError([Problem(message, file, field="model_type")])
    if model_type not in SUPPORTED and table.role(model_type):
        what = {
            "encoder": "a bidirectional encoder (a masked language model)",
            "encoder-decoder": "an encoder-decoder model",
        }
        kind = what[str(table.role(model_type))]
        message = f"model_type '{model_type}' is {kind}; archviz draws decoder-only language models"
        raise SpecError([Problem(message, file, field="model_type")])
    if model_type not in SUPPORTED and table.known(model_type):
        message = (
            f"model_type '{model_type}' is a decoder archviz has no mapping for yet; if it is built like one "
            f"archviz reads, `--as FAMILY` reads it so ({', '.join(SUPPORTED)})"
        )
        raise SpecError([Problem(message, file, field="model_type")])
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
