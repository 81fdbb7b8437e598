"""Gated short convolutions (LFM2): the spec format, the arithmetic by hand, the import from an
LFM2 config, the drawing and the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import archviz
from archviz.errors import SpecError
from archviz.facts import breakdown, kv_bytes_per_token
from archviz.spec import parse

SPEC = """
name: Tiny LFM
organization: Test
license: MIT
decoder_type: hybrid
key_detail: Short convolutions with a few attention layers.
sources: [{url: https://example.org, covers: everything}]
params: {total: 1M, source: https://example.org}
context_length: 1024
vocab_size: 1000
hidden_size: 64
tie_embeddings: true
positions: rope
rope: {theta: 10000}
norm: {kind: rmsnorm, qk_norm: true}
mixers:
  conv: {kind: short_conv, channels: 64, kernel: 3}
  attn: {kind: attention, heads: 4, kv_heads: 2, head_dim: 16}
ffns:
  mlp: {kind: mlp, hidden: 128}
layers:
  - repeat: 2
    blocks: [{mixer: conv, ffn: mlp, count: 2}, {mixer: attn, ffn: mlp}]
"""


def test_short_conv_parameters_and_state_by_hand() -> None:
    """Per conv layer: in-projection 64 -> 3 x 64, depthwise conv 64 x 3, out-projection 64 x 64;
    per attention layer: Q 64x64, K and V 64x32, O 64x64, QK-norms 2 x 16; SwiGLU 3 x 64 x 128;
    two norms a layer, a final one, a tied embedding."""
    m = parse(SPEC, id="tiny-lfm").model
    conv = 64 * 192 + 64 * 3 + 64 * 64
    attn = 64 * 64 + 2 * 64 * 32 + 64 * 64 + 2 * 16
    layer_rest = 3 * 64 * 128 + 2 * 64
    assert breakdown(m).total == 1000 * 64 + 4 * conv + 2 * attn + 6 * layer_rest + 64
    assert kv_bytes_per_token(m) == 2 * (2 * 2 * 16) * 2  # two attention layers
    assert archviz.facts(parse(SPEC, id="tiny-lfm")).state_bytes == 4 * 64 * 2 * 2  # last 2 inputs, bf16


def test_a_short_conv_names_its_missing_field() -> None:
    with pytest.raises(SpecError, match=r"m\.yaml:17: mixers\.conv\.channels: required field is missing"):
        parse(SPEC.replace("channels: 64, ", ""), file="m.yaml", id="m")


def test_an_lfm2_config_imports_its_layer_types_and_ffn_width(tmp_path: Path) -> None:
    """LFM2's layer_types ('conv', 'full_attention') and Lfm2MLP's width: 2/3 of 12,288, rounded
    up to a multiple of 256 = 8,192."""
    config = {
        "model_type": "lfm2",
        "hidden_size": 2048,
        "num_hidden_layers": 6,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "intermediate_size": 12288,
        "block_multiple_of": 256,
        "layer_types": ["conv", "conv", "full_attention", "conv", "conv", "full_attention"],
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    spec = archviz.load(path)
    m = spec.model
    assert m.ffns["mlp"].hidden == 8192 and m.norm.qk_norm
    kinds = [m.mixers[b.mixer].kind for b in m.expanded()]
    assert kinds == ["short_conv", "short_conv", "attention"] * 2
    assert m.decoder_type == "hybrid"
    from geometry_checks import assert_clean

    fig = archviz.draw(spec)
    assert_clean(fig.layout)
    assert 'data-panel="mixers.conv"' in fig.svg()
    d = archviz.diff(spec, "llama-3-8b").text()
    assert "Short conv" in d or "short" in d.lower()
