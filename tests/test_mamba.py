"""Mamba-1 mixers (Mamba, Falcon Mamba, Jamba) and recurrent models: the spec format, the
arithmetic, the drawing and the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import archviz
from archviz.errors import SpecError
from archviz.facts import breakdown, kv_bytes_per_token
from archviz.spec import parse

DATA = Path(__file__).resolve().parent / "data" / "hf"

MAMBA_SPEC = """
name: Tiny Mamba
organization: Test
license: MIT
decoder_type: recurrent
key_detail: A stack of Mamba-1 layers with no attention.
sources: [{url: https://example.org, covers: everything}]
params: {total: 1M, source: https://example.org}
vocab_size: 1000
hidden_size: 64
tie_embeddings: true
positions: none
norm: {kind: rmsnorm}
mixers:
  ssm: {kind: mamba, inner: 128, state_size: 16, dt_rank: 4, conv_kernel: 4}
layers:
  - repeat: 3
    blocks: [{mixer: ssm}]
"""


def test_a_recurrent_spec_needs_no_context_length_but_a_transformer_does(minimal_text: str) -> None:
    spec = parse(MAMBA_SPEC, id="tiny-mamba")
    assert spec.model.context_length is None and spec.model.context_text == "no fixed limit (recurrent)"
    without = "\n".join(line for line in minimal_text.splitlines() if not line.startswith("context_length"))
    with pytest.raises(SpecError, match=r"context_length: required field is missing \(only a model without attention"):
        parse(without, file="x.yaml", id="x")


def test_a_mamba_mixer_names_its_missing_field() -> None:
    broken = MAMBA_SPEC.replace("inner: 128, ", "")
    with pytest.raises(SpecError) as err:
        parse(broken, file="m.yaml", id="m")
    assert "m.yaml:15: mixers.ssm.inner: required field is missing" in str(err.value)


def test_mamba_parameters_and_state_by_hand() -> None:
    """in_proj 64 -> 2 x 128; depthwise conv 128 x 4 + bias; x_proj 128 -> 4 + 2 x 16; dt_proj
    4 -> 128 + bias; A 128 x 16; D 128; out_proj 128 -> 64; a norm per layer, a final one, and
    the tied embedding."""
    m = parse(MAMBA_SPEC, id="tiny-mamba").model
    mixer = 64 * 256 + (128 * 4 + 128) + 128 * (4 + 32) + (4 * 128 + 128) + 128 * 16 + 128 + 128 * 64
    assert breakdown(m).total == 1000 * 64 + 3 * (mixer + 64) + 64
    assert kv_bytes_per_token(m) == 0
    f = archviz.facts(parse(MAMBA_SPEC, id="tiny-mamba"))
    assert f.decoder_type == "recurrent"
    assert f.state_bytes == 3 * (128 * 16 + 128 * 3) * 2  # scan state and conv window, bf16


def test_a_mamba_figure_is_clean_and_says_what_it_is() -> None:
    from geometry_checks import assert_clean

    fig = archviz.draw(DATA / "falcon-mamba-7b.json")
    assert_clean(fig.layout)
    svg = fig.svg()
    assert 'data-panel="mixers.mamba"' in svg and "Selective scan" in svg
    assert "no fixed limit (recurrent)" in svg and "Linear output layer" in svg
    assert 'data-kind="ffn"' not in svg, "a Mamba layer has no FFN"


def test_jamba_interleaves_attention_mamba_and_moe(tmp_path: Path) -> None:
    """Jamba v0.1's shape, as JambaConfig's defaults describe it: attention in every 8th layer
    from the 5th, MoE in every other layer, no position encoding; 52B total, 12B active."""
    config = {"model_type": "jamba", "mamba_dt_rank": 256, "tie_word_embeddings": False}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    spec = archviz.load(path)
    f = archviz.facts(spec)
    assert f.decoder_type == "hybrid_moe"
    layers = spec.model.expanded()
    assert [i for i, b in enumerate(layers) if spec.model.mixers[b.mixer].kind == "attention"] == [4, 12, 20, 28]
    assert [i for i, b in enumerate(layers) if spec.model.ffns[b.ffn].kind == "moe"] == list(range(1, 32, 2))
    assert abs(f.params_total - 52e9) < 0.5e9 and abs(f.params_active - 12e9) < 0.5e9
    assert f.kv_cache_bytes_per_token == 4 * 2 * 8 * 128 * 2  # four attention layers, 8 KV heads
    from geometry_checks import assert_clean

    assert_clean(archviz.draw(spec).layout)


def test_the_diff_names_the_mixer_kind_and_the_missing_ffn() -> None:
    d = archviz.diff(DATA / "mamba-2.8b.json", "llama-3-8b")
    text = d.text()
    assert "Mamba" in text and "attention" in text.lower()
    assert d.differences, "a recurrent stack and a transformer differ"
