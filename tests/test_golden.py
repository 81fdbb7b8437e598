"""Golden layouts and SVGs for a few models. Review changes by eye, then accept them with
ARCHVIZ_ACCEPT=1 (the PNGs in examples/gallery/ show what they draw). The SVGs are stored one
element per line so a change reads as a small diff."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from archviz.layout import model_layout
from archviz.render import to_svg
from archviz.spec import load

GOLDEN = Path(__file__).resolve().parent / "golden"
MODELS = ["llama-3-8b", "gemma-3-27b", "deepseek-v3", "qwen3-next-80b-a3b", "nemotron-3-nano-30b-a3b"]


def pretty(svg: str) -> str:
    """One element per line (text stays inside its element)."""
    return svg.replace("><", ">\n<")


def _compare(path: Path, actual: str) -> None:
    if os.environ.get("ARCHVIZ_ACCEPT") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with ARCHVIZ_ACCEPT=1 after reviewing the output"
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), path.name, "actual", n=1))[
                :60
            ]
        )
        pytest.fail(f"{path.name} changed; review, then accept with ARCHVIZ_ACCEPT=1:\n{diff}")


@pytest.mark.parametrize("model_id", MODELS)
def test_golden_layout(model_id: str) -> None:
    _compare(GOLDEN / f"{model_id}.layout.json", model_layout(load(model_id)).to_json() + "\n")


@pytest.mark.parametrize("model_id", MODELS)
def test_golden_svg(model_id: str) -> None:
    _compare(GOLDEN / f"{model_id}.svg", pretty(to_svg(model_layout(load(model_id)))))
