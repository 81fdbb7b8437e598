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

from archviz.spec.hf.build import NO_FIGURE, NOT_STATED, Metadata, ParamCounter, spec_dict_from_config
from archviz.spec.hf.config import HFConfig
from archviz.spec.hf.families import (
    ALIASES,
    FAMILY,
    LEGACY,
    MLP_BIAS,
    MOE_KEYS,
    NULLABLE,
    OUT_BIAS,
    PLACEMENT,
    QK_NORM,
    QKV_BIAS,
    RENAMED,
    REQUIRED,
    SUPPORTED,
)
from archviz.spec.hf.files import import_config, load_hf
from archviz.spec.hf.pattern import LAYER_TYPES, NEMOTRON_CHARS, Layer, compress
from archviz.spec.hf.sections import ACTIVATIONS, ROPE_TYPES
from archviz.spec.hf.yaml_out import KEY_ORDER, SCHEMA_LINE, spec_yaml

__all__ = [
    "ACTIVATIONS",
    "ALIASES",
    "FAMILY",
    "KEY_ORDER",
    "LAYER_TYPES",
    "LEGACY",
    "MLP_BIAS",
    "MOE_KEYS",
    "NEMOTRON_CHARS",
    "NOT_STATED",
    "NO_FIGURE",
    "NULLABLE",
    "OUT_BIAS",
    "PLACEMENT",
    "QKV_BIAS",
    "QK_NORM",
    "RENAMED",
    "REQUIRED",
    "ROPE_TYPES",
    "SCHEMA_LINE",
    "SUPPORTED",
    "HFConfig",
    "Layer",
    "Metadata",
    "ParamCounter",
    "compress",
    "import_config",
    "load_hf",
    "spec_dict_from_config",
    "spec_yaml",
]
