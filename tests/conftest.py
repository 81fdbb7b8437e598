"""Shared fixtures: the catalog, and a minimal valid spec to mutate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

MINIMAL = """\
# yaml-language-server: $schema=../schema/spec.schema.json
name: Tiny Test
organization: Test Org
release_date: 2025-01-01
license: MIT
decoder_type: dense
key_detail: A minimal model used by the tests.
sources:
  - url: https://example.org/config.json
params:
  total: 1M
  source: https://example.org
context_length: 1024
vocab_size: 1000
hidden_size: 64
tie_embeddings: true
positions: rope
rope:
  theta: 10000
norm:
  kind: rmsnorm
mixers:
  attn:
    kind: attention
    heads: 4
    kv_heads: 2
    head_dim: 16
ffns:
  mlp:
    kind: mlp
    hidden: 256
layers:
  - repeat: 2
    blocks:
      - {mixer: attn, ffn: mlp}
"""


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL


@pytest.fixture
def minimal_data() -> dict:
    return yaml.safe_load(MINIMAL)
