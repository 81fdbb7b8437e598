"""Importing Hugging Face config.json files (issue 7): computed figures against the published ones,
round trips against the hand-written catalog specs, YAML output, and errors that name the file.

The configs in tests/data/hf/ are copies of public config.json files; SOURCES.md there says
where each was found and which figure it is checked against.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from archviz.errors import SpecError
from archviz.facts import breakdown, kv_bytes_per_token
from archviz.facts.describe import layer_mix
from archviz.facts.params import as_published, tolerance
from archviz.spec import catalog_ids, load, parse, validate
from archviz.spec.hf import SUPPORTED, compress, load_hf, spec_dict_from_config, spec_yaml
from archviz.spec.loader import Spec
from archviz.spec.models import ModelSpec, PublishedParams

DATA = Path(__file__).resolve().parent / "data" / "hf"
KIB = 1024
CONFIGS = sorted(p.stem for p in DATA.glob("*.json"))


def count(model: ModelSpec) -> int:
    return breakdown(model).total


def imported(name: str) -> Spec:
    return load_hf(DATA / f"{name}.json", count_params=count)


@dataclass(frozen=True)
class Published:
    """A vendor's figures and what they count (the flags of PublishedParams)."""

    total: str | None  # None: compare with the catalog spec's computed text-only total
    active: str | None
    kv_kib: float  # KV cache per token, bf16
    convention: dict[str, Any] = field(default_factory=dict)
    label_only: bool = False  # only a size label ('7B'): within half a unit, as the catalog tests


NO_EMBEDDING = {"includes_embedding": False, "includes_output_head": False}

PUBLISHED = {
    # OpenAI's checkpoint name: 1558M with token + position embeddings and the tied head once.
    "gpt-2-xl": Published("1558M", None, 300),
    # Meta "8B"; untied embedding and head counted.
    "llama-3-8b": Published("8B", None, 128),
    # Mistral AI: 46.7B total, 12.9B active, embedding and untied head counted; KV 32 x 2 x 8 x 128 x 2 B.
    "mixtral-8x7b": Published("46.7B", "12.9B", 128),
    # Qwen cards: totals count the untied embedding and head.
    "qwen3-8b": Published("8.2B", None, 144),
    "qwen3-30b-a3b": Published("30.5B", "3.3B", 96),
    # "80B in total" is a rounded label; "3B activated" is the A3B name (3.9B computed), not compared.
    "qwen3-next-80b-a3b": Published("80B", None, 24, label_only=True),
    # OLMo and SmolLM3 publish only size labels.
    "olmo-2-7b": Published("7B", None, 512, label_only=True),
    "olmo-3-7b": Published("7B", None, 512, label_only=True),
    "smollm3-3b": Published("3B", None, 72, label_only=True),
    # Microsoft's model page: 14.7B.
    "phi-4": Published("14.7B", None, 200),
    # "24 billion" reads as the whole multimodal checkpoint: + ~0.4B Pixtral encoder and projector.
    "mistral-small-3.1-24b": Published("24B", None, 160, {"includes_other": {"vision encoder": "0.4B"}}),
    # Gemma 3's 27B counts the 417M SigLIP tower: compare the text decoder with the catalog's.
    "gemma-3-27b": Published(None, None, 496),
    # DeepSeek: 671B / 37B without the 14B MTP module.
    "deepseek-v3": Published("671B", "37B", 68.625),
    # Kimi K2 report: 1.04T / 32B; the arithmetic supports leaving out the input embedding.
    "kimi-k2": Published("1.04T", "32B", 68.625, {"includes_embedding": False}),
    # gpt-oss model card: the active figure counts the unembedding but not the embedding.
    "gpt-oss-120b": Published("116.83B", "5.13B", 72, {"active_includes_embedding": False}),
    "gpt-oss-20b": Published("20.91B", "3.61B", 48, {"active_includes_embedding": False}),
    # Meta: "17B active parameters out of ~400B total" (text decoder, untied embedding and head).
    "llama-4-maverick": Published("400B", "17B", 192),
    # Z.ai 355B / 32B and MiniMax 229.9B / 9.8B: active matches only without embedding and head.
    "glm-4.5-355b": Published("355B", "32B", 368, NO_EMBEDDING),
    "minimax-m2-230b": Published("229.9B", "9.8B", 248, NO_EMBEDDING),
    # NVIDIA paper: 31.6B total, 3.6B active including embeddings.
    "nemotron-3-nano-30b-a3b": Published("31.6B", "3.6B", 6),
    # Model types beyond the catalog (tests/data/hf/SOURCES.md says where each file and figure is from).
    # IBM's model cards: "8B" and 1.3B total / 400M active (size labels).
    "granite-3.3-8b": Published("8B", None, 160, label_only=True),
    "granite-3.1-1b-a400m": Published("1.3B", "400M", 48, label_only=True),
    # OLMoE paper (arXiv 2409.02060): 6.9B total, 1.3B active.
    "olmoe-1b-7b-0125": Published("6.9B", "1.3B", 128),
    # Microsoft: 41.9B total, 6.6B active.
    "phi-3.5-moe": Published("41.9B", "6.6B", 128),
    # Stability AI's model card: 2,795,443,200 parameters.
    "stablelm-3b-4e1t": Published("2795443200", None, 320),
    # Parallel attention and FFN. EleutherAI's card: 6,053,381,344.
    "gpt-j-6b": Published("6053381344", None, 448),
    # SantaCoder (gpt_bigcode, multi-query attention): 1.1B in its paper.
    "santacoder": Published("1.1B", None, 12, label_only=True),
    # Falcon Mamba: "7B" in the transformers docs; no KV cache at all.
    "falcon-mamba-7b": Published("7B", None, 0, label_only=True),
    # Gemma 4 model card: 30.7B and 25.2B / 3.8B count the text decoder; E2B's 5.1B counts its
    # vision and audio encoders, so its text decoder is compared with the catalog's.
    "gemma-4-31b": Published("30.7B", None, 840),
    "gemma-4-26b-a4b": Published("25.2B", "3.8B", 210),
    "gemma-4-e2b": Published(None, None, 18),
    # xLSTM 7B paper, Table 4: 6,865,424,896 (mLSTM layers, no KV cache).
    "xlstm-7b": Published("6865424896", None, 0),
}

D, V = "hidden_size", "vocab_size"


def _hand_count(c: dict[str, Any]) -> int:
    """A decoder counted by hand from its config.json, the way its modeling code builds it:
    embedding and untied head, then per layer the Q, K, V and output projections (with the biases
    the family uses), the FFN, and two norms; a final norm. Written apart from archviz's counter."""
    d, v, layers = c[D], c[V], c["num_hidden_layers"]
    if c["model_type"] == "mamba":  # each layer: an RMSNorm and a Mamba-1 mixer (transformers' MambaMixer)
        inner, n, k = c["intermediate_size"], c["state_size"], c["conv_kernel"]
        rank = c["time_step_rank"]
        mixer = d * 2 * inner + inner * k + inner + inner * (rank + 2 * n) + rank * inner + inner
        mixer += inner * n + inner + inner * d  # A_log, D, out_proj (no biases: use_bias is false)
        return v * d * (1 if c.get("tie_word_embeddings", True) else 2) + layers * (mixer + d) + d
    heads, kv, ff = c["num_attention_heads"], c["num_key_value_heads"], c["intermediate_size"]
    hd = d // heads
    t = c["model_type"]
    qkv_bias = {"starcoder2": c.get("use_bias"), "internlm2": c.get("bias"), "qwen2_5_vl": True, "phi": True}[t]
    out_bias = {"starcoder2": c.get("use_bias"), "internlm2": c.get("bias"), "qwen2_5_vl": False, "phi": True}[t]
    norm = 2 * d if t in ("starcoder2", "phi") else d  # LayerNorm has a bias too
    norms = 1 if t == "phi" else 2  # Phi-2's attention and FFN share one norm, side by side
    attn = d * heads * hd + 2 * d * kv * hd + heads * hd * d
    attn += (heads * hd + 2 * kv * hd) * bool(qkv_bias) + d * bool(out_bias)
    mlp = 2 * d * ff + ff + d if t in ("starcoder2", "phi") else 3 * d * ff  # two linears with biases, not gated
    embeddings = v * d * (1 if c.get("tie_word_embeddings") else 2)
    return embeddings + layers * (attn + mlp + norms * norm) + norm


HAND_COUNTED = {
    # No published count to compare with: StarCoder2's "15B" and InternLM2.5's "7B" are names
    # (the files count 15.96B and 7.74B), Qwen2.5-VL's 8.3B counts the vision tower.
    "starcoder2-15b": 80,
    "internlm2.5-7b-chat": 128,
    "qwen2.5-vl-7b": 56,
    # Mamba 2.8B states no count of its own; a recurrent model keeps no KV cache.
    "mamba-2.8b": 0,
    # Microsoft's "2.7 billion" rounds down the 2.78B its weights hold: counted by hand instead.
    "phi-2": 320,
}
"""Configs checked against _hand_count, with their KV cache per token in KiB (2 x KV heads x
head dim x layers x 2 bytes)."""

ROUND_TRIP = [name for name in CONFIGS if name in catalog_ids()]


def test_every_config_has_published_figures() -> None:
    assert sorted([*PUBLISHED, *HAND_COUNTED]) == CONFIGS
    types = {_model_type(name) for name in CONFIGS}
    assert len(CONFIGS) >= 12
    assert {"gpt2", "llama", "mixtral", "qwen3", "qwen3_moe", "qwen3_next", "olmo2", "deepseek_v3"} <= types
    assert {"gpt_oss", "gemma3_text", "smollm3", "llama4_text", "glm4_moe", "minimax_m2"} <= types
    assert types <= set(SUPPORTED)


def _model_type(name: str) -> str:
    data = json.loads((DATA / f"{name}.json").read_text())
    return str(data.get("text_config", {}).get("model_type") or data["model_type"])


def _as_vendor(model: ModelSpec, pub: Published) -> tuple[int, int]:
    """(total, active) computed from the imported spec, counted as the vendor counts."""
    assert pub.total is not None
    params = PublishedParams(total=pub.total, active=pub.active, source="test", **pub.convention)
    return as_published(model.model_copy(update={"params": params}))


@pytest.mark.parametrize("name", sorted(HAND_COUNTED))
def test_params_match_a_hand_count(name: str) -> None:
    config = json.loads((DATA / f"{name}.json").read_text())
    computed, by_hand = count(imported(name).model), _hand_count(config)
    assert abs(computed - by_hand) <= 0.02 * by_hand, f"{name}: {computed / 1e9:.3f}B vs {by_hand / 1e9:.3f}B by hand"
    assert kv_bytes_per_token(imported(name).model) == HAND_COUNTED[name] * KIB


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_params_match_published(name: str) -> None:
    model = imported(name).model
    pub = PUBLISHED[name]
    if pub.total is None:  # compare like with like: the catalog's text-only decoder
        reference = breakdown(load(name).model).total
        assert abs(count(model) - reference) <= 0.02 * reference
        return
    total, active = _as_vendor(model, pub)
    published = PublishedParams(total=pub.total, active=pub.active, source="test")
    checks = [("total", total, published.total)]
    if published.active is not None:
        checks.append(("active", active, published.active))
    for which, computed, figure in checks:
        tol = tolerance(figure, pub.label_only, 0.02)
        assert abs(computed - figure) <= tol, (
            f"{name} {which}: computed {computed / 1e9:.3f}B vs published {figure / 1e9:.3f}B "
            f"({100 * (computed / figure - 1):+.2f}%)"
        )


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_kv_cache_matches_published(name: str) -> None:
    assert kv_bytes_per_token(imported(name).model) == PUBLISHED[name].kv_kib * KIB


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_matches_catalog(name: str) -> None:
    got, want = imported(name).model, load(name).model
    assert abs(count(got) - count(want)) <= 0.005 * count(want)
    assert kv_bytes_per_token(got) == kv_bytes_per_token(want)
    assert got.num_layers == want.num_layers
    assert layer_mix(got) == layer_mix(want)
    assert got.decoder_type == want.decoder_type


def test_round_trip_covers_most_configs() -> None:
    assert len(ROUND_TRIP) >= 12


# --- the layer pattern ---------------------------------------------------------------------------


def test_gemma_pattern_compresses_to_five_local_one_global() -> None:
    layers = [g.model_dump(exclude_defaults=True) for g in imported("gemma-3-27b").model.layers]
    assert layers == [
        {"repeat": 10, "blocks": [{"mixer": "sliding", "ffn": "mlp", "count": 5}, {"mixer": "global", "ffn": "mlp"}]},
        {"blocks": [{"mixer": "sliding", "ffn": "mlp", "count": 2}]},
    ]


def test_compress_keeps_every_layer_in_order() -> None:
    pattern = "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME"
    groups = compress(pattern)
    expanded = "".join(item * n for repeat, runs in groups for _ in range(repeat) for item, n in runs)
    assert expanded == pattern
    assert compress("DDD" + "M" * 58) == [(1, [("D", 3)]), (1, [("M", 58)])]
    assert compress("A" * 32) == [(1, [("A", 32)])]


def test_dense_prefix_and_mtp_from_deepseek() -> None:
    m = imported("deepseek-v3").model
    assert [(b.ffn, b.count) for g in m.layers for b in g.blocks] == [("dense", 3), ("moe", 58)]
    assert m.mtp is not None and m.mtp.modules == 1
    moe = m.ffns["moe"]
    assert moe.kind == "moe" and moe.router.scoring == "sigmoid" and moe.router.bias


def test_multimodal_config_uses_text_config() -> None:
    spec = imported("llama-4-maverick")
    assert spec.model.hidden_size == 5120
    assert "llama4_text" in spec.model.key_detail
    assert not spec.model.tie_embeddings


# --- metadata the config cannot tell -------------------------------------------------------------


def test_unknown_metadata_is_marked_not_guessed() -> None:
    m = imported("mixtral-8x7b").model
    assert {u.what for u in m.undisclosed} >= {"organization", "release date", "license", "published parameter count"}
    assert m.release_date is None and m.date_text == "date not stated"
    assert m.params.total == count(m)
    assert "no published figure" in m.params.note
    assert m.sources[0].url.endswith("mixtral-8x7b.json")


def test_hub_name_gives_name_and_organization() -> None:
    data = json.loads((DATA / "llama-3-8b.json").read_text())
    d = spec_dict_from_config(
        {**data, "_name_or_path": "meta-llama/Meta-Llama-3-8B"}, source="https://example.org", count_params=count
    )
    assert (d["name"], d["organization"]) == ("Meta-Llama-3-8B", "meta-llama")
    assert "organization" not in {u["what"] for u in d["undisclosed"]}


# --- YAML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONFIGS)
def test_spec_yaml_reloads_equal(name: str) -> None:
    d = spec_dict_from_config(
        json.loads((DATA / f"{name}.json").read_text()),
        source=f"https://example.org/{name}",
        id=name,
        count_params=count,
    )
    text = spec_yaml(d)
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/spec.schema.json"
    assert lines[1].startswith("# Imported by archviz from https://example.org/")
    keys = [line.split(":")[0] for line in lines if line[:1].isalpha()]
    assert keys[:4] == ["name", "organization", "license", "decoder_type"]
    assert keys.index("params") < keys.index("hidden_size") < keys.index("mixers") < keys.index("layers")
    assert parse(text, file=f"{name}.yaml", id=name) == validate(d, id=name)


# --- errors ----------------------------------------------------------------------------------------


def _write(tmp_path: Path, data: object, name: str = "config.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2))
    return path


def test_not_json_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '{\n  "model_type": "llama",\n  "hidden_size": 4096,,\n}\n')
    with pytest.raises(SpecError) as err:
        load_hf(path, count_params=count)
    assert f"{path}:3:" in str(err.value)
    assert "not valid JSON" in str(err.value)


def test_unsupported_model_type_lists_supported(tmp_path: Path) -> None:
    path = _write(tmp_path, {"model_type": "acme_lm", "hidden_size": 768})
    with pytest.raises(SpecError) as err:
        load_hf(path, count_params=count)
    message = str(err.value)
    assert str(path) in message and "model_type" in message and "'acme_lm'" in message
    assert "deepseek_v3" in message and "nemotron_h" in message


def test_keys_left_out_take_the_defaults_of_transformers(tmp_path: Path) -> None:
    """As transformers reads it: LlamaConfig's defaults fill what a trimmed config leaves out
    (tools/hf_defaults.py generated them), and derived values follow from what is given."""
    data = json.loads((DATA / "llama-3-8b.json").read_text())
    del data["max_position_embeddings"], data["rms_norm_eps"], data["num_key_value_heads"]
    spec = load_hf(_write(tmp_path, data), count_params=count)
    assert spec.model.context_length == 2048 and spec.model.norm.eps == 1e-6  # LlamaConfig's defaults
    assert spec.model.mixers["attn"].kv_heads == 32, "num_key_value_heads defaults to the heads"


def test_a_multimodal_text_part_without_its_head_counts(tmp_path: Path) -> None:
    """Gemma 3's multimodal config.json may leave its text part's head counts to Gemma3TextConfig."""
    data = json.loads((DATA / "gemma-3-27b.json").read_text())
    text = data["text_config"]
    for key in ("num_attention_heads", "num_key_value_heads", "head_dim", "model_type"):
        text.pop(key, None)
    spec = load_hf(_write(tmp_path, data), count_params=count)
    attn = next(iter(spec.model.mixers.values()))
    assert (attn.heads, attn.kv_heads, attn.head_dim) == (8, 4, 256)  # Gemma3TextConfig's defaults


def test_required_keys_without_a_default_are_all_named(tmp_path: Path) -> None:
    data = json.loads((DATA / "qwen3-30b-a3b.json").read_text())
    data["num_experts_per_tok"] = None
    data["moe_intermediate_size"] = None
    path = _write(tmp_path, data)
    with pytest.raises(SpecError) as err:
        load_hf(path, count_params=count)
    fields = {p.field for p in err.value.problems}
    assert fields == {"num_experts_per_tok", "moe_intermediate_size"}
    assert all(p.file == str(path) for p in err.value.problems)
    assert "moe_intermediate_size: required key is missing" in str(err.value)


def test_bad_value_names_the_key(tmp_path: Path) -> None:
    data = {**json.loads((DATA / "llama-3-8b.json").read_text()), "num_attention_heads": "32"}
    with pytest.raises(SpecError) as err:
        load_hf(_write(tmp_path, data), count_params=count)
    assert "num_attention_heads: expected a whole number" in str(err.value)


def test_folder_with_config_json(tmp_path: Path) -> None:
    folder = tmp_path / "My-Model"
    folder.mkdir()
    (folder / "config.json").write_text((DATA / "qwen3-8b.json").read_text())
    spec = load_hf(folder, count_params=count)
    assert spec.id == "my-model" and spec.origin == str(folder / "config.json")
    want = imported("qwen3-8b").model
    for part in ("mixers", "ffns", "layers", "norm", "rope"):
        assert getattr(spec.model, part) == getattr(want, part)
    assert spec.model.params.total == want.params.total


def test_folder_without_config_json(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"no config\.json in this folder"):
        load_hf(tmp_path, count_params=count)


def test_the_defaults_table_is_generated_and_nothing_typed_by_hand_shadows_it() -> None:
    """transformers.json comes from tools/hf_defaults.py; the hand-kept extras (keys that only
    older transformers had) never override a key the table has."""
    from archviz.spec.hf import LEGACY, SUPPORTED, table

    assert re.fullmatch(r"\d+\.\d+\.\d+", table.version())
    for model_type in SUPPORTED:
        own = table.text_type(model_type) or model_type
        remote = ("kimi_k2", "minicpm", "internlm2")  # code on the Hub, not in transformers: their family's defaults
        assert table.known(own) or model_type in remote, model_type
    for family, extra in LEGACY.items():
        shadowed = set(extra) & set(table.defaults(table.text_type(family) or family))
        assert not shadowed, f"{family}: {shadowed} are in the generated table"
    assert table.attribute_map("gpt2")["hidden_size"] == "n_embd"
    assert table.text_type("gemma3") == "gemma3_text" and table.text_type("llama") is None


def test_a_window_as_long_as_the_context_is_global_attention(tmp_path: Path) -> None:
    """Phi-3-mini-128k and Phi-4-mini set sliding_window at or beyond their context: every layer
    attends to the whole context, so no layer is drawn as sliding-window attention."""
    data = json.loads((DATA / "phi-4.json").read_text())
    for window in (data["max_position_embeddings"], 2 * data["max_position_embeddings"]):
        spec = load_hf(_write(tmp_path, {**data, "sliding_window": window}), count_params=count)
        assert [m.window for m in spec.model.mixers.values() if hasattr(m, "window")] == [None]
    spec = load_hf(_write(tmp_path, {**data, "sliding_window": 2047}), count_params=count)
    assert next(iter(spec.model.mixers.values())).window == 2047


@pytest.mark.parametrize(
    ("model_type", "construct"),
    [
        ("zamba2", "shared across the stack"),
        ("recurrent_gemma", "RG-LRU"),
        ("rwkv", "RWKV"),
    ],
)
def test_a_type_archviz_cannot_draw_is_refused_naming_the_construct(
    tmp_path: Path, model_type: str, construct: str
) -> None:
    path = _write(tmp_path, {"model_type": model_type, "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 10})
    with pytest.raises(SpecError) as err:
        load_hf(path, count_params=count)
    assert construct in str(err.value) and "cannot draw yet" in str(err.value) and str(path) in str(err.value)


def test_parallel_residuals_make_parallel_blocks(tmp_path: Path) -> None:
    """StableLM 2 12B's use_parallel_residual: attention and FFN read one normed input, so each
    layer has one norm fewer; the rest of the count is the same."""
    data = json.loads((DATA / "stablelm-3b-4e1t.json").read_text())
    sequential = load_hf(_write(tmp_path, data), count_params=count).model
    parallel = load_hf(_write(tmp_path, {**data, "use_parallel_residual": True}), count_params=count).model
    assert [b.parallel for g in parallel.layers for b in g.blocks] == [True]
    norm = 2 * data["hidden_size"]  # a LayerNorm's weight and bias
    assert count(sequential) - count(parallel) == data["num_hidden_layers"] * norm
    assert kv_bytes_per_token(parallel) == kv_bytes_per_token(sequential)


@pytest.mark.parametrize(
    ("config", "figure"),
    [
        # MPT-7B (MosaicML): 6.7B; no biases, GELU, 4x FFN, ALiBi.
        ({"model_type": "mpt", "d_model": 4096, "n_heads": 32, "n_layers": 32, "expansion_ratio": 4}, "6.7B"),
        # BLOOM-560M: LayerNorms with biases, an embedding LayerNorm, ALiBi; 559M.
        ({"model_type": "bloom", "n_embed": 1024, "n_head": 16, "n_layer": 24, "seq_length": 2048}, "559M"),
        # Falcon-RW-1B: Falcon with alibi on, and sequential (not parallel) blocks; 1.3B.
        ({"model_type": "falcon", "alibi": True, "parallel_attn": False, "hidden_size": 2048, "num_attention_heads": 32,
          "num_hidden_layers": 24, "multi_query": False, "bias": True, "vocab_size": 50304}, "1.3B"),
    ],
)  # fmt: skip
def test_alibi_models_have_no_position_parameters(tmp_path: Path, config: dict[str, Any], figure: str) -> None:
    spec = load_hf(_write(tmp_path, config), count_params=count)
    assert spec.model.positions == "alibi" and breakdown(spec.model).positions == 0
    published = PublishedParams(total=figure, source="test").total
    assert abs(count(spec.model) - published) <= tolerance(published, True, 0.02)
    side = [s for s in _groups_svg(spec) if s.get("data-kind") == "rope"]
    assert side and "ALiBi" in "".join(side[0].itertext())
    core = [s for s in _groups_svg(spec) if s.get("data-node") == "attention"]
    assert core and "ALiBi bias" in "".join(core[0].itertext()), "the attention panel says where ALiBi acts"


def test_the_readme_and_docs_list_the_model_types_the_code_imports() -> None:
    """tools/hf_types.py writes the lists; run it after adding a model type."""
    import runpy

    root = Path(__file__).resolve().parent.parent
    block = runpy.run_path(str(root / "tools" / "hf_types.py"))["block"]()
    for name in ("README.md", "docs/cli.md"):
        assert block in (root / name).read_text(), f"run `python tools/hf_types.py` to refresh {name}"
    assert "`granitemoe`" in block and "`jamba`" in block and "RG-LRU" in block


@pytest.mark.parametrize(
    ("model_type", "figure", "kv_kib"),
    [
        # GPT-NeoX-20B (arXiv 2204.06745): 20,554,567,680; archviz draws its two parallel norms as one
        # (44 x 2 x 6,144 = 540,672 fewer, 0.003 %).
        ("gpt_neox", "20554567680", 1056),
        ("falcon", "7B", 8),  # Falcon-7B: multi-query attention, one K/V head
        ("olmo", "7B", 512),  # OLMo 7B
        ("gptj", "6053381344", 448),  # GPT-J 6B
        ("exaone", "7.8B", 128),  # EXAONE 3.0 7.8B
        ("internlm3", "8.8B", 48),  # InternLM3 8B (8.8B with its embeddings)
        ("mamba2", "7.3B", 0),  # Codestral Mamba 7B: Mamba-2 layers only, no KV cache
        ("mistral4", "119B", 22.5),  # Mistral Small 4: MLA with a 256-wide latent, 128 experts
    ],
)
def test_a_config_of_only_its_model_type_is_the_class_example(
    tmp_path: Path, model_type: str, figure: str, kv_kib: float
) -> None:
    """transformers' configuration classes default to a real model's sizes (their docstrings name
    it): a config.json that states only its model_type imports as that model."""
    spec = load_hf(_write(tmp_path, {"model_type": model_type}), count_params=count)
    published = PublishedParams(total=figure, source="test").total
    assert abs(count(spec.model) - published) <= tolerance(published, figure.endswith("B"), 0.02)
    assert kv_bytes_per_token(spec.model) == kv_kib * KIB


def test_opt_reads_its_own_key_names_and_post_norm(tmp_path: Path) -> None:
    """OPT 1.3B: ffn_dim, ReLU, biases from enable_bias, learned positions, tied embedding; 1.3B.
    OPT 350M's post-norm (do_layer_norm_before false) is drawn as post-norm, and its narrower
    embedding (word_embed_proj_dim) is refused, naming it."""
    opt = {"model_type": "opt", "hidden_size": 2048, "ffn_dim": 8192, "num_attention_heads": 32}
    opt |= {"num_hidden_layers": 24, "vocab_size": 50272, "max_position_embeddings": 2048}
    m = load_hf(_write(tmp_path, opt), count_params=count).model
    assert abs(count(m) - 1.3e9) <= 0.05e9 and m.positions == "learned"
    assert m.ffns["mlp"].activation == "relu" and m.ffns["mlp"].bias and not m.ffns["mlp"].gated
    post = load_hf(_write(tmp_path, {**opt, "do_layer_norm_before": False}), count_params=count).model
    assert post.norm.placement == "post"
    with pytest.raises(SpecError, match=r"word_embed_proj_dim: OPT with word_embed_proj_dim"):
        load_hf(_write(tmp_path, {**opt, "word_embed_proj_dim": 512}), count_params=count)


def _groups_svg(spec: Spec) -> list[Any]:
    import xml.etree.ElementTree as ET

    import archviz

    root = ET.fromstring(archviz.draw(spec).svg().split("?>", 1)[1])
    return [g for g in root.iter() if g.get("data-kind")]


def test_a_wrappers_text_part_without_a_model_type_takes_the_one_transformers_gives_it(tmp_path: Path) -> None:
    """LLaVA's text_config may leave out its model_type: LlavaConfig reads it as llama."""
    text = json.loads((DATA / "llama-3-8b.json").read_text())
    text.pop("model_type")
    spec = load_hf(_write(tmp_path, {"model_type": "llava", "text_config": text}), count_params=count)
    assert "model_type llama" in spec.model.key_detail
    assert abs(count(spec.model) - count(imported("llama-3-8b").model)) == 0


def test_hand_kept_defaults_never_override_a_types_own_class(tmp_path: Path) -> None:
    """dots.llm1 shares GLM-4.5's stack, but not GLM-4.5's hand-kept defaults (half-rotary RoPE,
    128-wide heads): transformers ships Dots1Config, and its defaults are the ones that apply."""
    config = {"model_type": "dots1", "n_routed_experts": 128, "num_experts_per_tok": 6, "first_k_dense_replace": 1}
    config |= {"n_shared_experts": 2, "moe_intermediate_size": 1408, "hidden_size": 4096, "num_attention_heads": 32}
    m = load_hf(_write(tmp_path, config), count_params=count).model
    attn = m.mixers["attn"]
    assert attn.head_dim == 128 and m.rope is not None and m.rope.partial == 1.0
    assert m.norm.qk_norm and m.ffns["moe"].shared_experts == 2 and m.ffns["moe"].router.bias


def test_qwen3_5_dense_and_moe_text_parts(tmp_path: Path) -> None:
    """Qwen3.5: Qwen3-Next's Gated DeltaNet and gated attention, with dense FFNs in the dense models."""
    dense = {"model_type": "qwen3_5", "text_config": {"model_type": "qwen3_5_text"}}
    m = load_hf(_write(tmp_path, dense), count_params=count).model
    assert {f.kind for f in m.ffns.values()} == {"mlp"} and m.decoder_type == "hybrid"
    moe = {"model_type": "qwen3_5_moe", "text_config": {"model_type": "qwen3_5_moe_text"}}
    m = load_hf(_write(tmp_path, moe), count_params=count).model
    assert m.decoder_type == "hybrid_moe" and m.rope is not None and m.rope.partial == 0.25


def test_deepseek_v32s_class_is_the_catalogs_deepseek_v32(tmp_path: Path) -> None:
    """DeepseekV32Config's defaults are DeepSeek-V3.2: MLA with the sparse indexer, 3 dense + 58
    MoE layers; the import matches the catalog's hand-written spec, parameters and KV cache."""
    m = load_hf(_write(tmp_path, {"model_type": "deepseek_v32"}), count_params=count).model
    want = load("deepseek-v3.2").model
    assert count(m) == count(want) and kv_bytes_per_token(m) == kv_bytes_per_token(want)
    assert m.mixers["mla"].sparse is not None and m.mixers["mla"].sparse.top_k == 2048
    listed = {
        "model_type": "deepseek_v32",
        "num_hidden_layers": 4,
        "mlp_layer_types": ["dense", "sparse", "dense", "sparse"],
    }
    m = load_hf(_write(tmp_path, listed), count_params=count).model
    assert [b.ffn for b in m.expanded()] == ["dense", "moe", "dense", "moe"]


def test_granite_4_hybrid_mamba2_attention_and_moe(tmp_path: Path) -> None:
    """GraniteMoeHybrid (Granite 4.0-H): Mamba-2 layers ('mamba') with a few NoPE attention
    layers, every layer an MoE with a shared MLP; a head size of 'auto' is expand x hidden / heads."""
    types = (["mamba"] * 4 + ["attention"]) * 2
    config = {"model_type": "granitemoehybrid", "hidden_size": 1536, "num_hidden_layers": 10, "mamba_d_head": "auto"}
    config |= {"mamba_n_heads": 48, "mamba_expand": 2, "num_local_experts": 8, "layer_types": types}
    config |= {"shared_intermediate_size": 1024, "position_embedding_type": "nope", "num_attention_heads": 12}
    spec = load_hf(_write(tmp_path, config), count_params=count)
    m = spec.model
    assert m.mixers["mamba"].head_dim == 2 * 1536 // 48 and m.positions == "none"
    assert m.ffns["moe"].shared_hidden == 1024 and m.decoder_type == "hybrid_moe"
    assert [m.mixers[b.mixer].kind for b in m.expanded()] == [
        ("mamba2" if t == "mamba" else "attention") for t in types
    ]
    import archviz

    layout = archviz.draw(spec).layout  # its Mamba-2 panel would break 'Conv1d,' beside the stack: it goes under
    texts = [" ".join(t.text for t in s.texts) for s in layout.shapes if s.path == "mixers.mamba" and s.texts]
    assert "Conv1d, SiLU kernel 4" in texts, texts
    dense = load_hf(_write(tmp_path, {**config, "num_local_experts": 0}), count_params=count).model
    assert {f.kind for f in dense.ffns.values()} == {"mlp"} and dense.ffns["mlp"].hidden == 1024


@pytest.mark.parametrize(
    ("model_type", "says"),
    [
        ("bert", "is a bidirectional encoder (a masked language model); archviz draws decoder-only"),
        ("t5", "is an encoder-decoder model; archviz draws decoder-only"),
        ("persimmon", "is a decoder archviz has no mapping for yet; if it is built like one archviz reads, `--as"),
        ("no_such_type", "unsupported model_type 'no_such_type'; supported:"),
    ],
)
def test_every_refusal_says_what_the_model_is(tmp_path: Path, model_type: str, says: str) -> None:
    path = _write(tmp_path, {"model_type": model_type, "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 10})
    with pytest.raises(SpecError) as err:
        load_hf(path, count_params=count)
    assert says in str(err.value) and str(path) in str(err.value)


def test_an_xlstm_config_under_either_name_of_its_width(tmp_path: Path) -> None:
    """xLSTMConfig keeps embedding_dim and hidden_size (num_blocks and num_hidden_layers) as two
    names of one value: a config may give either."""
    base = {"model_type": "xlstm", "num_heads": 4, "vocab_size": 1000, "qk_dim_factor": 0.5, "v_dim_factor": 1.0}
    counts = []
    for names in ({"embedding_dim": 256, "num_blocks": 3}, {"hidden_size": 256, "num_hidden_layers": 3}):
        path = tmp_path / f"{len(counts)}.json"
        path.write_text(json.dumps({**base, **names}))
        m = load_hf(path, count_params=count).model
        assert (m.hidden_size, m.num_layers, m.decoder_type, m.context_length) == (256, 3, "recurrent", None)
        assert (m.mixers["mlstm"].qk_head_dim, m.mixers["mlstm"].v_head_dim) == (32, 64)
        assert m.ffns["mlp"].hidden == 704  # 256 x 2.667 = 682.8, up to a multiple of 64
        counts.append(breakdown(m).total)
    assert counts[0] == counts[1]


def test_gemma_4_configs_import_their_new_attention() -> None:
    """Gemma 4: full layers of global_head_dim with K = V and their own KV heads, rotating a
    quarter of their dims; E2B's last 20 layers reuse earlier K/V and have double-wide MLPs, and
    its per-layer embeddings are on by default."""
    big = imported("gemma-4-31b").model
    full = big.mixers["global"]
    assert (full.head_dim, full.kv_heads, full.k_eq_v, full.rope_partial) == (512, 4, True, 0.25)
    assert big.rope is not None and big.rope.partial == 1.0 and big.per_layer_embeddings is None
    assert big.mixers["sliding"].rope_theta == 10000 and big.norm.placement == "sandwich"
    small = imported("gemma-4-e2b").model
    shared = [b.mixer for b in small.expanded()][15:]
    assert set(shared) == {"sliding_shared", "global_shared"} and small.mixers["global_shared"].kv_shared
    assert small.ffns["wide"].hidden == 2 * small.ffns["dense"].hidden == 12288
    assert small.per_layer_embeddings is not None and small.per_layer_embeddings.width == 256
    moe = imported("gemma-4-26b-a4b").model.ffns["moe"]
    assert (moe.experts, moe.top_k, moe.expert_hidden, moe.shared_hidden) == (128, 8, 704, 2112)
