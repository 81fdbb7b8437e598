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


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the commands they run) keep archviz's per-user caches in a folder of their own,
    and read no user config (a test that wants one sets ARCHVIZ_CONFIG)."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    os.environ["ARCHVIZ_CONFIG"] = ""


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL


@pytest.fixture
def minimal_data() -> dict:
    return yaml.safe_load(MINIMAL)


HOSTILE = 'x<img src=x onerror=alert(1)>|*a*[l](javascript:alert(1)) `c` _e_ ~~s~~ $m$ \\*\n# h | "q"'
"""Spec text that would run a script, link, format or break a table if printed raw."""


@pytest.fixture
def hostile_spec(tmp_path: Path) -> Path:
    """llama-3-8b with HOSTILE text in its name, metadata and notes (mixer and FFN names are
    identifiers, so they cannot carry it), fewer
    KV heads (so a diff with llama-3-8b has rows) and a second, sliding-window mixer (so the
    figure has a shape per mixer name)."""
    data = yaml.safe_load((SPECS / "llama-3-8b.yaml").read_text(encoding="utf-8"))
    line = HOSTILE.replace("\n", " ")  # one-line fields refuse newlines outright
    data |= {"name": f"Evil {line}", "organization": line, "license": line, "notes": [HOSTILE]}
    attn = data["mixers"]["attn"]
    data["mixers"] = {"attn": {**attn, "kv_heads": 4}, "attn_swa": {**attn, "kv_heads": 4, "window": 1024}}
    data["layers"][0] = {"repeat": 16, "blocks": [{"mixer": "attn", "ffn": "mlp"}, {"mixer": "attn_swa", "ffn": "mlp"}]}
    path = tmp_path / "evil.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
