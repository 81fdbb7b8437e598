"""Assembling a spec mapping from a config: named mixers and FFNs, layer groups, MTP and metadata."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archviz.errors import Problem, SpecError
from archviz.spec.hf import sections
from archviz.spec.hf.config import HFConfig, text_config
from archviz.spec.hf.families import PARALLEL
from archviz.spec.hf.pattern import Layer, layer_groups, layer_kinds
from archviz.spec.loader import validate
from archviz.spec.models import LINEAR_MIXERS, ModelSpec


@dataclass(frozen=True)
class Metadata:
    """What a config.json cannot tell and a user (import-hf's options) or the Hub's model card
    can: each given field replaces a 'not stated' placeholder."""

    name: str | None = None
    organization: str | None = None
    release_date: dt.date | None = None
    license: str | None = None
    published: tuple[str, str | None] | None = None
    """The published total and active parameter counts ('8B', '3B'), as the vendor states them."""
    published_source: str | None = None
    based_on: tuple[str, ...] = ()
    as_family: str | None = None
    """Read the config as this model_type (import-hf --as), whatever its own says."""


ParamCounter = Callable[[ModelSpec], int]
"""Counts a validated spec's parameters, e.g. `lambda m: breakdown(m).total`."""

NOT_STATED = "not stated in config.json"
"""Metadata a config cannot tell (organization, licence); the spec lists it under `undisclosed`."""
NO_FIGURE = "computed from config.json; no published figure"


def _mixer_name(m: dict[str, Any], attention_variants: int) -> str:
    """'attn', 'sliding', 'global', 'chunked', 'global_nope', 'mla', 'deltanet', 'mamba'."""
    if m["kind"] != "attention":
        names = {
            "mla": "mla",
            "gated_deltanet": "deltanet",
            "mamba2": "mamba",
            "mamba": "mamba",
            "short_conv": "conv",
            "mlstm": "mlstm",
        }
        return names[m["kind"]]
    base = "sliding" if "window" in m else "chunked" if "chunk" in m else "attn"
    if attention_variants == 1:
        return base
    if base == "attn":
        base = "global"
    base = f"{base}_nope" if m.get("rope") is False else base
    return f"{base}_shared" if m.get("kv_shared") else base


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
    layers = layer_kinds(c)
    mixer_of = {k: sections.mixer(c, k) for k in dict.fromkeys(m for m, _ in layers if m)}
    builders = {"dense": sections.dense_ffn, "wide": sections.wide_ffn, "moe": sections.moe_ffn}
    ffn_of = {k: builders[k](c) for k in dict.fromkeys(f for _, f in layers if f)}
    variants = sum(m["kind"] == "attention" for m in mixer_of.values())
    mixers = _named(list(mixer_of.values()), lambda m: _mixer_name(m, variants))
    kind_names = {"moe": "moe", "wide": "wide", "dense": "dense" if len(ffn_of) > 1 else "mlp"}
    ffns = {kind_names[k]: f for k, f in ffn_of.items()}
    mixer_names = {k: next(n for n, v in mixers.items() if v == m) for k, m in mixer_of.items()}
    ffn_names = {k: kind_names[k] for k in ffn_of}
    named = [(mixer_names[m] if m else None, ffn_names[f] if f else None) for m, f in layers]
    groups = layer_groups(named)
    if c.trait(PARALLEL, False):  # attention and FFN side by side on one normed input
        for g in groups:
            g["blocks"] = [{**b, "parallel": True} if "mixer" in b and "ffn" in b else b for b in g["blocks"]]
    return mixers, ffns, groups, named


def _decoder_type(mixers: dict[str, Any], ffns: dict[str, Any]) -> str:
    """dense, moe, hybrid or hybrid_moe, as archviz.spec.models.derive_decoder_type decides it."""
    linear = any(m["kind"] in LINEAR_MIXERS for m in mixers.values())
    moe = any(f["kind"] == "moe" for f in ffns.values())
    if all(m["kind"] in LINEAR_MIXERS for m in mixers.values()) and not moe:
        return "recurrent"
    return {(False, False): "dense", (False, True): "moe", (True, False): "hybrid"}.get((linear, moe), "hybrid_moe")


def _mtp(c: HFConfig, ffns: dict[str, Any], top: Layer) -> dict[str, Any] | None:
    """DeepSeek-style MTP modules declared by num_nextn_predict_layers (one block like the top one)."""
    if c.family not in ("deepseek_v3", "glm4_moe"):
        return None
    modules = c.whole("num_nextn_predict_layers", 0, minimum=0)
    mixer, ffn = top
    if not modules or mixer is None or ffn is None:
        return None
    return {"modules": modules, "mixer": mixer, "ffn": "moe" if "moe" in ffns else ffn}


def _per_layer_embeddings(c: HFConfig) -> dict[str, int] | None:
    """Gemma 4's per-layer embeddings: on unless hidden_size_per_layer_input is 0 or null."""
    if c.family != "gemma4" or not c.whole("hidden_size_per_layer_input", 0, minimum=0):
        return None
    return {"width": c.whole("hidden_size_per_layer_input"), "vocab": c.whole("vocab_size_per_layer_input")}


def _notes(c: HFConfig) -> list[str]:
    """Short remarks about what the spec format does not draw."""
    notes = []
    if c.family in ("gemma2", "gemma3") and c.has("attn_logit_softcapping"):
        notes.append(f"Attention logit soft-capping at {c.num('attn_logit_softcapping'):g}")
    if c.family == "gemma4" and c.has("final_logit_softcapping"):
        notes.append(f"Final logits soft-capped at {c.num('final_logit_softcapping'):g}")
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
    ffn = f"MoE with {moe['experts']} experts, top-{moe['top_k']}" if moe else "dense FFN" if ffns else "no FFN"
    return (
        f"Imported from a Hugging Face config.json (model_type {c.model_type}): {layers} layers "
        f"({kinds}; {ffn}), hidden size {c.whole('hidden_size')}."
    )


def _undisclosed(organization: str | None, meta: Metadata) -> list[dict[str, str]]:
    """The metadata a config cannot tell, and nobody told."""
    items = {
        "organization": organization is None,
        "release date": meta.release_date is None,
        "license": meta.license is None,
        "published parameter count": meta.published is None,
    }
    return [{"what": what, "note": "not in config.json"} for what, missing in items.items() if missing]


def spec_dict_from_config(
    config: dict[str, Any],
    *,
    source: str,
    count_params: ParamCounter,
    id: str | None = None,
    file: str | None = None,
    meta: Metadata | None = None,
) -> dict[str, Any]:
    """A spec (a plain mapping with the keys of specs/*.yaml) from a config.json mapping.

    `source` is where the config comes from (a URL or a path); errors name `file` (default:
    source). params.total is `count_params` of the imported model: a config has no published
    figure, so the spec says so in params.note and under `undisclosed`, unless `meta` gives the
    published counts (and the name, organization, date, licence and base models it gives)."""
    meta = meta or Metadata()
    where = file or source
    data, model_type = text_config(config, where, meta.as_family)
    c = HFConfig(data, model_type, where)
    attn_config = c.get("attn_config")
    if model_type == "mpt" and isinstance(attn_config, dict) and attn_config.get("alibi") is False:
        raise c.error("attn_config", "MPT without ALiBi (learned positions): archviz cannot draw that yet")
    if model_type == "opt" and c.get("word_embed_proj_dim") not in (None, c.get("hidden_size")):
        message = "OPT with word_embed_proj_dim: projections between a narrower embedding and the stack"
        raise c.error("word_embed_proj_dim", f"{message}, which archviz cannot draw yet")
    missing = c.missing()
    if missing:
        message = f"required key is missing (model_type {model_type})"
        raise SpecError([Problem(message, where, field=key) for key in missing])
    mixers, ffns, groups, named = _stack(c)
    name, organization = _identity(c, id)
    name, organization = meta.name or name, meta.organization or organization
    spec: dict[str, Any] = {
        "name": name,
        "organization": organization or NOT_STATED,
        "release_date": meta.release_date,
        "license": meta.license or NOT_STATED,
        "decoder_type": _decoder_type(mixers, ffns),
        "key_detail": _key_detail(c, mixers, ffns, len(named)),
        "based_on": list(meta.based_on),
        "links": {"config": source},
        "sources": [{"url": source, "covers": "hyperparameters (imported by archviz import-hf)"}],
        "params": {"total": 1, "source": source, "includes_embedding": True, "includes_output_head": True},
        "context_length": None if c.family in ("mamba", "xlstm") else c.whole("max_position_embeddings"),
        "vocab_size": c.whole("vocab_size"),
        "hidden_size": c.whole("hidden_size"),
        "tie_embeddings": c.flag("tie_word_embeddings"),
        **sections.positions(c),
        "dropout": c.real("resid_pdrop") if c.family == "gpt2" else None,
        "norm": sections.norm(c),
        "mixers": mixers,
        "ffns": ffns,
        "layers": groups,
        "per_layer_embeddings": _per_layer_embeddings(c),
        "mtp": _mtp(c, ffns, named[-1]),
        "undisclosed": _undisclosed(organization, meta) or None,
        "notes": _notes(c) or None,
    }
    spec = {k: v for k, v in spec.items() if v is not None}
    if meta.published is not None:
        total, active = meta.published
        published = {"total": total, **({"active": active} if active else {})}
        spec["params"] = {**spec["params"], **published, "source": meta.published_source or source}
        return spec
    model = validate(spec, file=where, id=id).model  # first pass, to count the parameters
    spec["params"] = {**spec["params"], "total": count_params(model), "computed": True, "note": NO_FIGURE}
    return spec
