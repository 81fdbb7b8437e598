"""Model-vs-model diffs: what the issue's pairs must report, symmetry, self-diffs, the figure."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

import archviz
from archviz.facts.diff import diff_specs
from archviz.spec import catalog_ids, load
from geometry_checks import assert_clean
from markdown_checks import assert_inert


def _texts(a: str, b: str) -> dict[str, str]:
    return {d.path: d.describe() for d in archviz.diff(a, b).differences}


def test_gpt2_to_llama3() -> None:
    d = archviz.diff("gpt-2-xl", "llama-3-8b")
    t = {x.path: x for x in d.differences}
    assert t["norm.kind"].describe() == "normalisation: LayerNorm → RMSNorm"
    assert t["positions.kind"].describe() == "positional encoding: learned absolute → RoPE"
    assert t["attention.variant"].describe() == "attention: MHA → GQA"
    assert t["ffn.activation"].describe() == "FFN: GELU MLP → SwiGLU"
    assert t["embedding.dropout"].kind == "removed"
    assert t["stack.layers"].kind == t["width"].kind == "changed number"
    kv = next(e for e in d.result.effects if e.path == "kv_cache_per_token")
    assert kv.describe() == "KV cache per token (bf16): 300 KiB → 128 KiB (×0.43)"


def test_deepseek_v3_to_v32_is_only_sparse_attention() -> None:
    d = archviz.diff("deepseek-v3", "deepseek-v3.2")
    assert [(x.path, x.kind) for x in d.differences] == [("attention.sparse_indexer", "added")]
    assert {m.path for m in d.result.metadata} >= {"name", "release_date"}


def test_olmo2_to_llama3() -> None:
    t = _texts("olmo-2-7b", "llama-3-8b")
    assert t["norm.placement"] == "norm placement: post-norm inside the residual → pre-norm"
    assert t["attention.variant"] == "attention: MHA → GQA"


def test_identical_architecture_says_so() -> None:
    d = archviz.diff("deepseek-v3", "deepseek-r1")
    assert d.identical and not d.differences and d.result.metadata
    assert "architecture identical, metadata differs" in d.text("table")


PAIRS = list(itertools.combinations(catalog_ids(), 2))[::7]  # a spread of pairs, fast enough


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_diff_is_symmetric(a: str, b: str) -> None:
    ab, ba = diff_specs(load(a), load(b)), diff_specs(load(b), load(a))
    assert ab.reversed() == ba


@pytest.mark.parametrize("model_id", catalog_ids())
def test_self_diff_is_empty(model_id: str) -> None:
    d = diff_specs(load(model_id), load(model_id))
    assert d.identical and not d.metadata and not d.effects


def test_text_formats() -> None:
    d = archviz.diff("olmo-2-7b", "llama-3-8b")
    data = json.loads(d.text("json"))
    assert data["a"] == "olmo-2-7b" and any(r["path"] == "norm.placement" for r in data["differences"])
    md = d.text("markdown")
    assert md.startswith("**OLMo 2 7B → Llama 3 8B**") and "| norm placement |" in md
    assert d._repr_markdown_() == md


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gpt-2-xl", "llama-3-8b"),
        ("deepseek-v3", "deepseek-v3.2"),
        ("qwen3-235b-a22b", "deepseek-v3"),
        ("deepseek-v3", "deepseek-r1"),
    ],
)
def test_diff_figure_geometry_and_highlights(a: str, b: str) -> None:
    d = archviz.diff(a, b)
    layout = d.figure().layout
    assert_clean(layout)
    lit = [s for s in layout.shapes if s.stroke == "highlight" and s.kind != "legend"]
    if d.identical:
        assert not lit
    else:
        assert {s.id.split("_")[0] for s in lit} == {"a", "b"}  # shown on both sides
    if (a, b) == ("deepseek-v3", "deepseek-v3.2"):
        assert {s.kind for s in lit} <= {"attention", "panel"}


def test_diff_saves_by_suffix(tmp_path: Path) -> None:
    d = archviz.diff("olmo-2-7b", "llama-3-8b")
    for suffix, magic in ((".svg", b"<?xml"), (".pdf", b"%PDF"), (".png", b"\x89PNG"), (".md", b"**"), (".json", b"{")):
        assert d.save(tmp_path / f"d{suffix}").read_bytes().startswith(magic)


def test_markdown_escapes_spec_text(hostile_spec: Path) -> None:
    """A name, note or mixer name from a spec cannot inject HTML or Markdown into the table."""
    d = archviz.diff("llama-3-8b", hostile_spec)
    md = d.text("markdown")
    assert "KV heads" in md and "| name | metadata |" in md and "Evil x&lt;img src=x" in md
    assert_inert(md, columns=3, strong=1)
    assert d._repr_markdown_() == md
