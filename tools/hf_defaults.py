"""Write src/archviz/spec/hf/transformers.json: what transformers' configuration classes say about
each model type, so archviz reads a config.json as transformers reads it without depending on it.

For every model type whose configuration describes a decoder (it has a layer count and a
vocabulary, or holds such a text_config), the table keeps:
- `defaults`: each field's default where it is a plain value (what a config.json may leave out),
  with the class's default RoPE base as `rope_theta` (and a local one as `rope_local_base_freq`);
  fields whose default is computed from others (head_dim, num_key_value_heads) stay null;
- `attribute_map`: the family's own key names for the generic ones (gpt2's n_embd is hidden_size);
- `text_config`: for a multimodal configuration, the model type of its text part (for a part
  any model may fill, such as LLaVA's, the type transformers takes when the file names none);
- `role`: for a type that is no decoder-only language model, what it is instead ('encoder' for a
  masked language model such as BERT, 'encoder-decoder' for T5 and BART), from transformers'
  auto-model mappings.

Run it with transformers installed (it is not a dependency of archviz):

    pip install transformers
    python tools/hf_defaults.py

The table records the transformers version it came from; tests check its shape and that the
families archviz maps read their defaults from it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "archviz" / "spec" / "hf" / "transformers.json"
GENERIC = {
    "transformers_version",
    "architectures",
    "output_hidden_states",
    "return_dict",
    "dtype",
    "chunk_size_feed_forward",
    "is_encoder_decoder",
    "id2label",
    "label2id",
    "problem_type",
    "initializer_range",
    "use_cache",
    "pad_token_id",
    "bos_token_id",
    "eos_token_id",
    "output_attentions",
    "tokenizer_class",
    "prefix",
    "sep_token_id",
    "decoder_start_token_id",
    "task_specific_params",
    "finetuning_task",
    "torchscript",
    "pruned_heads",
    "tf_legacy_loss",
    "use_bfloat16",
    "_name_or_path",
}
LAYERS = ("num_hidden_layers", "n_layer", "num_layers", "n_layers")


def plain(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list | tuple):
        return len(value) <= 64 and all(plain(v) for v in value)
    return False


def defaults_of(cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in GENERIC or f.name.startswith("_"):
            continue
        if f.default is not dataclasses.MISSING:
            value = f.default
        elif f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        else:
            continue
        if plain(value):
            out[f.name] = list(value) if isinstance(value, tuple) else value
    theta = getattr(cls, "default_theta", None)
    if isinstance(theta, dict):
        out.setdefault("rope_theta", theta.get("global"))
        out.setdefault("rope_local_base_freq", theta.get("local"))
    elif isinstance(theta, int | float):
        out.setdefault("rope_theta", float(theta))
    return dict(sorted(out.items()))


def is_decoder(cls: type, defaults: dict[str, Any]) -> bool:
    amap = getattr(cls, "attribute_map", {}) or {}
    names = set(defaults) | set(amap)
    layered = bool(set(LAYERS) & names) or isinstance(getattr(cls, "num_hidden_layers", None), property)
    return layered and "vocab_size" in names and not defaults.get("is_encoder_decoder")


def main() -> None:
    import transformers
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING, CONFIG_MAPPING_NAMES
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
        MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES,
    )

    logging.getLogger("transformers").setLevel(logging.ERROR)
    types: dict[str, Any] = {}
    for name in sorted(CONFIG_MAPPING_NAMES):
        try:
            cls = CONFIG_MAPPING[name]
        except (KeyError, ValueError, ImportError):
            continue
        if not dataclasses.is_dataclass(cls):
            continue
        entry: dict[str, Any] = {}
        text = (getattr(cls, "sub_configs", None) or {}).get("text_config")
        spec = (getattr(cls, "sub_configs_defaults", None) or {}).get("text_config")
        if text is not None and dataclasses.is_dataclass(text) and getattr(text, "model_type", ""):
            entry["text_config"] = text.model_type
        elif getattr(spec, "model_type", None):  # an AutoConfig sub-config: the type it defaults to
            entry["text_config"] = spec.model_type
        defaults = defaults_of(cls)
        if is_decoder(cls, defaults):
            entry["defaults"] = defaults
            entry["attribute_map"] = dict(sorted((getattr(cls, "attribute_map", {}) or {}).items()))
        if name in MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES:
            entry["role"] = "encoder-decoder"
        elif name in MODEL_FOR_MASKED_LM_MAPPING_NAMES:
            entry["role"] = "encoder"
        if entry:
            types[name] = entry
        if text is not None and dataclasses.is_dataclass(text):  # text parts not registered on their own
            sub = text.model_type
            if sub and sub not in types and sub not in CONFIG_MAPPING_NAMES:
                d = defaults_of(text)
                if is_decoder(text, d):
                    types[sub] = {"defaults": d, "attribute_map": dict(sorted((text.attribute_map or {}).items()))}
    lines = [f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(types.items())]
    body = ",\n".join(lines)
    OUT.write_text(f'{{\n "transformers": {json.dumps(transformers.__version__)},\n "types": {{\n{body}\n }}\n}}\n')
    print(f"wrote {OUT} ({len(types)} model types, transformers {transformers.__version__})")


if __name__ == "__main__":
    main()
