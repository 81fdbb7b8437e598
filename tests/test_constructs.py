"""The constructs issue 12 added to the format, each on a tiny spec counted by hand: per-head output
gates, looped depth, keys as values, per-mixer partial RoPE, shared sparse indexers, cross-layer
KV sharing, per-layer embeddings, gated MLA, full-rank Kimi Delta gates, an undisclosed RoPE base
and encoders counted in the total only. Each has its loader error, its arithmetic, its diff line
and a clean drawing."""

from __future__ import annotations

import re

import pytest

import archviz
from archviz.errors import SpecError
from archviz.facts import breakdown, kv_bytes_per_token
from archviz.facts.params import as_published, effective
from archviz.spec import parse
from geometry_checks import assert_clean

BASE = """
name: Tiny
organization: Test
license: MIT
decoder_type: dense
key_detail: A tiny model for counting by hand.
sources: [{url: https://example.org, covers: everything}]
params: {total: 1M, source: https://example.org}
context_length: 1024
vocab_size: 1000
hidden_size: 64
tie_embeddings: true
positions: rope
rope: {theta: 10000}
norm: {kind: rmsnorm}
mixers:
  attn: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16}
ffns:
  mlp: {kind: mlp, hidden: 128}
layers:
  - blocks: [{mixer: attn, ffn: mlp, count: 2}]
"""
# Per layer: Q 64x64, K and V 64x32, O 64x64; SwiGLU 3 x 64 x 128; two norms. Embedding 1000 x 64
# (tied) and a final norm.
ATTN = 64 * 64 + 2 * 64 * 32 + 64 * 64
REST = 3 * 64 * 128 + 2 * 64
EMBED = 1000 * 64 + 64


def spec(text: str = BASE, **replace: str) -> archviz.Spec:
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return parse(text, file="tiny.yaml", id="tiny")


def with_mixers(mixers: str, layers: str, text: str = BASE) -> archviz.Spec:
    """BASE with its mixers and layers replaced."""
    head, _, _ = text.partition("mixers:\n")
    ffns = "ffns:\n  mlp: {kind: mlp, hidden: 128}\n"
    return parse(f"{head}mixers:\n{mixers}{ffns}layers:\n{layers}", file="tiny.yaml", id="tiny")


def clean(s: archviz.Spec) -> str:
    fig = archviz.draw(s)
    assert_clean(fig.layout)
    return fig.svg()


def texts(svg: str) -> str:
    """The figure's text runs joined by spaces (a box's words may be wrapped over two lines)."""
    return " ".join(re.findall(r">([^<>]*)</text>", svg))


def test_the_tiny_spec_counts_by_hand() -> None:
    m = spec().model
    assert breakdown(m).total == EMBED + 2 * (ATTN + REST)
    assert kv_bytes_per_token(m) == 2 * (2 * 2 * 16) * 2


# --- output gates ------------------------------------------------------------------------------


def test_a_per_head_gate_is_one_scalar_per_head() -> None:
    full = spec(**{"head_dim: 16}": "head_dim: 16, gated: true}"}).model
    head = spec(**{"head_dim: 16}": "head_dim: 16, gated: per_head}"}).model
    assert breakdown(full).total == EMBED + 2 * (ATTN + 64 * 64 + REST)
    assert breakdown(head).total == EMBED + 2 * (ATTN + 64 * 4 + REST)
    svg = clean(parse(BASE.replace("head_dim: 16}", "head_dim: 16, gated: per_head}"), id="tiny"))
    assert "one per head" in svg
    d = archviz.diff(
        parse(BASE, id="a"), parse(BASE.replace("head_dim: 16}", "head_dim: 16, gated: per_head}"), id="b")
    )
    assert "attention output gate added (per head)" in d.text()


def test_a_gate_must_be_true_false_or_per_head() -> None:
    with pytest.raises(
        SpecError, match=r"tiny\.yaml:17: mixers\.attn\.gated: expected true, false or per_head \(got .per_value.\)"
    ):
        spec(**{"head_dim: 16}": "head_dim: 16, gated: per_value}"})


# --- looped depth ------------------------------------------------------------------------------


def test_a_looped_stack_counts_weights_once_and_caches_every_pass() -> None:
    once, looped = spec().model, spec(**{"tie_embeddings: true": "tie_embeddings: true\nloops: 3"}).model
    assert breakdown(looped).total == breakdown(once).total
    assert kv_bytes_per_token(looped) == 3 * kv_bytes_per_token(once)
    assert looped.layers_text == "2\u00a0layers ×\u00a03\u00a0passes"
    f = archviz.facts(parse(BASE.replace("tie_embeddings: true", "tie_embeddings: true\nloops: 3"), id="l"))
    assert f.loops == 3 and f.kv_cache_bytes_per_token == 3 * 256
    d = archviz.diff(
        parse(BASE, id="a"), parse(BASE.replace("tie_embeddings: true", "tie_embeddings: true\nloops: 3"), id="b")
    )
    assert "passes through the stack (shared weights) added (3)" in d.text()
    svg = clean(parse(BASE.replace("tie_embeddings: true", "tie_embeddings: true\nloops: 3"), id="l"))
    assert "runs 3\u00a0times" in svg or "runs 3 times" in svg


def test_loops_are_a_positive_count() -> None:
    with pytest.raises(SpecError, match=r"tiny\.yaml:13: loops: Input should be greater than or equal to 1"):
        spec(**{"tie_embeddings: true": "tie_embeddings: true\nloops: 0"})


# --- keys as values, partial RoPE per mixer ----------------------------------------------------


def test_keys_as_values_drop_the_value_projection_and_half_the_cache() -> None:
    m = spec(**{"head_dim: 16}": "head_dim: 16, k_eq_v: true}"}).model
    assert breakdown(m).total == EMBED + 2 * (ATTN - 64 * 32 + REST)
    assert kv_bytes_per_token(m) == 2 * (2 * 16) * 2
    svg = clean(parse(BASE.replace("head_dim: 16}", "head_dim: 16, k_eq_v: true}"), id="kv"))
    assert "V = K" in svg and "both K and V, 2\u00a0×\u00a016 = 32" in svg


def test_keys_as_values_refuse_a_different_value_width() -> None:
    with pytest.raises(SpecError, match=r"mixers\.attn\.v_head_dim: with k_eq_v the values are the keys"):
        spec(**{"head_dim: 16}": "head_dim: 16, k_eq_v: true, v_head_dim: 8}"})


def test_a_mixer_rotates_its_own_share_of_dimensions() -> None:
    s = parse(BASE.replace("head_dim: 16}", "head_dim: 16, rope_partial: 0.25, rope_theta: 1000000}"), id="p")
    svg = clean(s)
    assert "Partial RoPE 25%" in svg and "RoPE (25%)" in svg
    assert breakdown(s.model).total == EMBED + 2 * (ATTN + REST)
    with pytest.raises(SpecError, match=r"mixers\.attn\.rope_partial: a NoPE layer"):
        spec(**{"head_dim: 16}": "head_dim: 16, rope: false, rope_partial: 0.5}"})


def test_an_undisclosed_rope_base_is_drawn_as_such() -> None:
    s = parse(BASE.replace("theta: 10000", "theta: undisclosed"), id="u")
    assert "θ\u00a0not disclosed" in clean(s)


# --- shared indexers and shared K/V ------------------------------------------------------------

SPARSE = """  own: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16, sparse: {heads: 2, head_dim: 8, top_k: 64}}
  reuse: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16, sparse: shared}
"""


def test_a_shared_indexer_has_no_weights_of_its_own() -> None:
    s = with_mixers(SPARSE, "  - blocks: [{mixer: own, ffn: mlp}, {mixer: reuse, ffn: mlp}]\n")
    indexer = 64 * 2 * 8 + 64 * 8 + 2 * 8 + 64 * 2  # queries, one key, its norm, head weights
    assert breakdown(s.model).total == EMBED + 2 * (ATTN + REST) + indexer
    assert "Shared top-k" in texts(clean(s))


def test_a_shared_indexer_needs_an_owner_before_it() -> None:
    with pytest.raises(SpecError, match=r"mixers\.reuse\.sparse: 'shared' reuses .* no layer before layer 1"):
        with_mixers(SPARSE, "  - blocks: [{mixer: reuse, ffn: mlp}, {mixer: own, ffn: mlp}]\n")


SHARED_KV = """  attn: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16}
  reuse: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16, kv_shared: true}
"""


def test_shared_keys_and_values_cost_no_weights_and_no_cache() -> None:
    s = with_mixers(SHARED_KV, "  - blocks: [{mixer: attn, ffn: mlp}, {mixer: reuse, ffn: mlp, count: 3}]\n")
    assert breakdown(s.model).total == EMBED + (ATTN + REST) + 3 * (64 * 64 * 2 + REST)
    assert kv_bytes_per_token(s.model) == 2 * 2 * 16 * 2
    svg = clean(s)
    assert "K, V of an earlier layer" in svg and "reused K/V" in svg


def test_shared_keys_and_values_need_an_earlier_layer_of_the_same_reach() -> None:
    sliding = SHARED_KV.replace("kv_shared: true}", "kv_shared: true, window: 64}")
    with pytest.raises(SpecError, match=r"mixers\.reuse\.kv_shared: layer 2 reuses .* \(window 64\)"):
        with_mixers(sliding, "  - blocks: [{mixer: attn, ffn: mlp}, {mixer: reuse, ffn: mlp}]\n")


# --- per-layer embeddings ----------------------------------------------------------------------


def test_per_layer_embeddings_by_hand_and_the_effective_size() -> None:
    text = BASE.replace("tie_embeddings: true", "tie_embeddings: true\nper_layer_embeddings: {width: 8, vocab: 500}")
    text = text.replace("total: 1M,", "total: 1M, effective: 0.1M,")
    s = parse(text, id="ple")
    table = 500 * 2 * 8
    inputs = 64 * 2 * 8 + 8 + 2 * (2 * 64 * 8 + 64)  # projection and its norm; per layer gate, back, norm
    b = breakdown(s.model)
    assert (b.per_layer_table, b.per_layer_inputs) == (table, inputs)
    assert b.total == EMBED + 2 * (ATTN + REST) + table + inputs
    assert effective(s.model) == b.total - 1000 * 64 - table
    f = archviz.facts(s)
    assert f.computed_effective == effective(s.model) and f.published_effective == 100_000
    assert "+ per-layer, 8 a layer" in clean(s)


# --- gated MLA, full-rank Kimi Delta gates -------------------------------------------------------

MLA = "  mla: {kind: mla, heads: 4, kv_lora_rank: 32, qk_rope_head_dim: 8, qk_nope_head_dim: 16, v_head_dim: 16GATE}\n"


def test_a_gated_mla_adds_its_gate_projection() -> None:
    plain = with_mixers(MLA.replace("GATE", ""), "  - blocks: [{mixer: mla, ffn: mlp, count: 2}]\n").model
    head = with_mixers(MLA.replace("GATE", ", gated: per_head"), "  - blocks: [{mixer: mla, ffn: mlp, count: 2}]\n")
    full = with_mixers(MLA.replace("GATE", ", gated: true"), "  - blocks: [{mixer: mla, ffn: mlp, count: 2}]\n").model
    assert breakdown(head.model).total - breakdown(plain).total == 2 * 64 * 4
    assert breakdown(full).total - breakdown(plain).total == 2 * 64 * 4 * 16
    svg = clean(head)
    assert "Gated MLA" in svg or "gated multi-head latent attention" in svg


def test_full_rank_kimi_delta_gates() -> None:
    kda = (
        "  kda: {kind: kimi_delta, heads: 2, head_dim: 16FULL}\n"
        "  attn: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16}\n"
    )
    layers = "  - blocks: [{mixer: kda, ffn: mlp}, {mixer: attn, ffn: mlp}]\n"
    text = BASE.replace("decoder_type: dense", "decoder_type: hybrid")
    low = with_mixers(kda.replace("FULL", ""), layers, text).model
    full = with_mixers(kda.replace("FULL", ", full_rank_decay: true, full_rank_gate: true"), layers, text).model
    w = 2 * 16
    assert breakdown(full).total - breakdown(low).total == 2 * (64 * w - (64 * 16 + 16 * w))


# --- published conventions -----------------------------------------------------------------------


def test_encoders_may_count_in_the_total_only() -> None:
    text = BASE.replace("source: https://example.org}", "source: https://example.org, includes_other: {vision: 1000}}")
    both = parse(text, id="a").model
    total_only = parse(text.replace("vision: 1000}", "vision: 1000}, active_includes_other: false"), id="b").model
    assert as_published(both)[0] == as_published(total_only)[0] == breakdown(both).total + 1000
    assert as_published(total_only)[1] == breakdown(both).active


# --- mLSTM ---------------------------------------------------------------------------------------


def test_an_mlstm_by_hand() -> None:
    """Q and K 64 -> 2x8, V 64 -> 2x16, i and f gates 64 -> 2 with bias, o gate 64 -> 32, a per-head
    norm of 32, out 32 -> 64; state per head 8x16 + 8 + 1."""
    text = BASE.replace("decoder_type: dense", "decoder_type: recurrent").replace("context_length: 1024\n", "")
    text = text.replace("positions: rope\nrope: {theta: 10000}", "positions: none")
    s = with_mixers(
        "  m: {kind: mlstm, heads: 2, qk_head_dim: 8, v_head_dim: 16}\n",
        "  - blocks: [{mixer: m, ffn: mlp, count: 2}]\n",
        text,
    )
    mlstm = 2 * 64 * 16 + 64 * 32 + 2 * (64 * 2 + 2) + 64 * 32 + 32 + 32 * 64
    assert breakdown(s.model).total == EMBED + 2 * (mlstm + REST)
    assert kv_bytes_per_token(s.model) == 0
    assert archviz.facts(s).state_bytes == 2 * 2 * (8 * 16 + 8 + 1) * 2
    assert "Matrix memory" in texts(clean(s))
    with pytest.raises(SpecError, match=r"mixers\.m\.v_head_dim: required field is missing"):
        with_mixers("  m: {kind: mlstm, heads: 2, qk_head_dim: 8}\n", "  - blocks: [{mixer: m, ffn: mlp}]\n", text)


# --- residual paths ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("residual", "site", "merge"),
    [
        # mHC: (2 + n)·n = 24 outputs from the 4·64 flattened streams, a bias each, 3 scales.
        ("{kind: hyper_connections, streams: 4}", 24 * 4 * 64 + 24 + 3, 4 * 4 * 64 + 4 + 1),
        ("{kind: hyper_connections, streams: 4, merge: mean}", 24 * 4 * 64 + 24 + 3, 0),
        # iHC: 2n = 8 outputs, 2 scales, no mixing matrix.
        ("{kind: hyper_connections, streams: 4, mixing: false}", 8 * 4 * 64 + 8 + 2, 4 * 4 * 64 + 4 + 1),
        # Block attention residuals: a norm and a one-row projection per site and for the merge.
        ("{kind: block_attention, block: 12}", 2 * 64, 2 * 64),
    ],
)
def test_residual_paths_by_hand(residual: str, site: int, merge: int) -> None:
    s = spec(**{"tie_embeddings: true": f"tie_embeddings: true\nresidual: {residual}"})
    b = breakdown(s.model)
    assert b.residual == 4 * site + merge  # two layers of two sublayers
    assert b.total == EMBED + 2 * (ATTN + REST) + b.residual
    assert kv_bytes_per_token(s.model) == kv_bytes_per_token(spec().model)
    svg = texts(clean(s))
    assert "residual" in svg.lower()
    d = archviz.diff(parse(BASE, id="a"), s)
    assert "residual path added" in d.text()


def test_a_residual_names_what_it_lacks() -> None:
    with pytest.raises(SpecError, match=r"residual\.streams: hyper_connections needs streams"):
        spec(**{"tie_embeddings: true": "tie_embeddings: true\nresidual: {kind: hyper_connections}"})
    with pytest.raises(SpecError, match=r"residual\.block: block_attention needs block"):
        spec(**{"tie_embeddings: true": "tie_embeddings: true\nresidual: {kind: block_attention}"})


def test_an_mla_without_a_shared_key_caches_only_its_latent() -> None:
    mla = MLA.replace("qk_rope_head_dim: 8", "qk_rope_head_dim: 0").replace("GATE", ", sinks: true")
    s = with_mixers(mla, "  - blocks: [{mixer: mla, ffn: mlp, count: 2}]\n")
    plain = with_mixers(MLA.replace("GATE", ""), "  - blocks: [{mixer: mla, ffn: mlp, count: 2}]\n").model
    # No shared key: W_kv_down loses 64 x 8 and W_q's heads lose 4 x 8 per input dim; 4 sink logits.
    assert breakdown(plain).total - breakdown(s.model).total == 2 * (64 * 8 + 64 * 4 * 8 - 4)
    assert kv_bytes_per_token(s.model) == 2 * 32 * 2
    assert "NoPE" in texts(clean(s))


def test_kimi_delta_gates_go_full_rank_one_at_a_time() -> None:
    kda = (
        "  kda: {kind: kimi_delta, heads: 2, head_dim: 16FULL}\n"
        "  attn: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16}\n"
    )
    layers = "  - blocks: [{mixer: kda, ffn: mlp}, {mixer: attn, ffn: mlp}]\n"
    text = BASE.replace("decoder_type: dense", "decoder_type: hybrid")
    count = lambda extra: breakdown(with_mixers(kda.replace("FULL", extra), layers, text).model).total  # noqa: E731
    step = 64 * 32 - (64 * 16 + 16 * 32)
    assert count(", full_rank_gate: true") - count("") == step == count(", full_rank_decay: true") - count("")


def test_situ_is_named_as_kimi_k3_names_it() -> None:
    s = spec(**{"mlp: {kind: mlp, hidden: 128}": "mlp: {kind: mlp, hidden: 128, activation: situ}"})
    assert breakdown(s.model).total == breakdown(spec().model).total
    assert "SiTU-GLU" in texts(clean(s))


def test_a_block_indexer_has_no_head_weights_and_keeps_whole_blocks() -> None:
    msa = SPARSE.replace("top_k: 64}", "top_k: 64, block: 16, head_weights: false}")
    s = with_mixers(msa, "  - blocks: [{mixer: own, ffn: mlp}, {mixer: reuse, ffn: mlp}]\n")
    indexer = 64 * 2 * 8 + 64 * 8 + 2 * 8  # queries, one key, the norms; no head weights
    assert breakdown(s.model).total == EMBED + 2 * (ATTN + REST) + indexer
    assert "4 blocks of 16" in texts(clean(s))
    with pytest.raises(SpecError, match=r"sparse\.top_k: top_k \(64\) is not a whole number of blocks of 24"):
        with_mixers(SPARSE.replace("top_k: 64}", "top_k: 64, block: 24}"), "  - blocks: [{mixer: own, ffn: mlp}]\n")


# --- compressed attention and router variants (DeepSeek V4) ---------------------------------------

COMPRESSED = (
    "  window: {kind: compressed, heads: 4, head_dim: 16, q_lora_rank: 8, out_groups: 2, out_rank: 8, window: 32}\n"
    "  csa: {kind: compressed, heads: 4, head_dim: 16, q_lora_rank: 8, out_groups: 2, out_rank: 8, window: 32,"
    " ratio: 4, overlap: true, indexer: {heads: 2, head_dim: 8, top_k: 16}}\n"
    "  hca: {kind: compressed, heads: 4, head_dim: 16, q_lora_rank: 8, out_groups: 2, out_rank: 8, window: 32,"
    " ratio: 16}\n"
)


def test_compressed_attention_by_hand() -> None:
    """Per layer: 4 sinks, queries 64 -> 8 (+ norm) -> 4 x 16, one 16-wide K = V head (+ norm),
    grouped output 4 x 16 -> 2 x 8 -> 64. A compressor has a position bias per offset, entry and
    gate projections (twice as wide when blocks overlap) and a norm; CSA's indexer adds queries
    from the latent, head weights and a compressor of its own."""
    s = with_mixers(
        COMPRESSED, "  - blocks: [{mixer: window, ffn: mlp}, {mixer: csa, ffn: mlp}, {mixer: hca, ffn: mlp}]\n"
    )
    core = 4 + 64 * 8 + 8 + 8 * 4 * 16 + 64 * 16 + 16 + 4 * 16 * 8 + 2 * 8 * 64
    csa = core + (4 * 32 + 2 * 64 * 32 + 16) + (8 * 2 * 8 + 64 * 2) + (4 * 16 + 2 * 64 * 16 + 8)
    hca = core + (16 * 16 + 2 * 64 * 16 + 16)
    assert breakdown(s.model).total == EMBED + 3 * REST + core + csa + hca
    assert kv_bytes_per_token(s.model) == (16 // 4 + 16 // 16) * 2  # one entry per ratio tokens
    assert archviz.facts(s).state_bytes == 3 * 32 * 16 * 2  # the windows
    svg = texts(clean(s))
    assert "Compressor" in svg and "Grouped out" in svg and "Indexer" in svg


def test_compressed_attention_refuses_what_it_cannot_do() -> None:
    with pytest.raises(
        SpecError, match=r"mixers\.window\.ratio: an indexer or overlapping blocks need compressed entries"
    ):
        with_mixers(
            COMPRESSED.replace("window: 32}", "window: 32, overlap: true}", 1), "  - blocks: [{mixer: window}]\n"
        )
    with pytest.raises(SpecError, match=r"mixers\.hca\.ratio: head_dim \(16\) must be a multiple of ratio \(5\)"):
        with_mixers(COMPRESSED.replace("ratio: 16", "ratio: 5"), "  - blocks: [{mixer: hca}]\n")


def test_hash_routing_counts_its_table() -> None:
    moe = "  moe: {kind: moe, experts: 4, top_k: 2, expert_hidden: 16, router: {scoring: sqrt_softplus, hash: true}}\n"
    text = BASE.replace("decoder_type: dense", "decoder_type: moe").replace(
        "ffns:\n  mlp: {kind: mlp, hidden: 128}\n", "ffns:\n" + moe
    )
    text = text.replace("{mixer: attn, ffn: mlp, count: 2}", "{mixer: attn, ffn: moe, count: 2}")
    plain = parse(text.replace(", hash: true", ""), id="p").model
    hashed = parse(text, id="h")
    assert breakdown(hashed.model).total - breakdown(plain).total == 2 * 1000 * 2  # vocab x top_k a layer
    assert "hashed by token" in texts(clean(hashed))


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"head_dim: 16}": "head_dim: 16, k_eq_v: true}"}, "layers whose keys are also values (K = V) added (2)"),
        ({"head_dim: 16}": "head_dim: 16, rope_partial: 0.5}"}, "layers with their own partial RoPE added (2)"),
        (
            {"tie_embeddings: true": "tie_embeddings: true\nper_layer_embeddings: {width: 8}"},
            "per-layer embeddings (width per layer) added (8)",
        ),
    ],
)
def test_the_diff_names_each_construct(change: dict[str, str], line: str) -> None:
    assert line in archviz.diff(parse(BASE, id="a"), spec(**change)).text()


def test_the_diff_counts_shared_indexers_and_reused_kv() -> None:
    own = with_mixers(SPARSE, "  - blocks: [{mixer: own, ffn: mlp, count: 2}]\n")
    shared = with_mixers(SPARSE, "  - blocks: [{mixer: own, ffn: mlp}, {mixer: reuse, ffn: mlp}]\n")
    assert "layers reusing an earlier layer's sparse selection added (1)" in archviz.diff(own, shared).text()
    reused = with_mixers(SHARED_KV, "  - blocks: [{mixer: attn, ffn: mlp}, {mixer: reuse, ffn: mlp}]\n")
    d = archviz.diff(parse(BASE, id="a"), reused).text()
    assert "KV cache" in d and "×0.50" in d
