"""archviz in a real notebook: figures, fact sheets and diffs executed by nbconvert in a Jupyter
kernel, as JupyterLab, VS Code and GitHub's viewer will show them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")
from nbconvert.preprocessors import ExecutePreprocessor  # noqa: E402

CELLS = [
    "import archviz",
    'archviz.draw("llama-3-8b")',
    'archviz.draw("llama-3-8b", theme="dark")',
    'archviz.facts(archviz.load("llama-3-8b"))',
    'archviz.diff("gpt-2-xl", "llama-3-8b")',
    'archviz.diff("deepseek-v3", "deepseek-r1")',
    "archviz.facts(archviz.load(EVIL))",
]


def test_a_notebook_shows_figures_facts_and_diffs(tmp_path: Path, minimal_text: str) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text(minimal_text.replace("name: Tiny Test", 'name: "<script>alert(1)</script> *bold* | pipe"'))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"EVIL = {str(evil)!r}"), *map(nbformat.v4.new_code_cell, CELLS)]
    ExecutePreprocessor(timeout=180, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    out = [c.outputs[0]["data"] if c.outputs else {} for c in nb.cells[1:]]
    light, dark = out[1]["image/svg+xml"], out[2]["image/svg+xml"]
    ids = [set(re.findall(r'id="([^"]+)"', svg)) for svg in (light, dark)]
    assert ids[0] and not ids[0] & ids[1], "two figures on one page share no id"
    facts = out[3]["text/markdown"]
    assert "**Llama 3 8B**" in facts and "| KV cache" in facts
    diff = out[4]["text/markdown"]
    assert diff.startswith("**GPT-2 XL → Llama 3 8B**: 18 architectural differences.")
    assert "gpt-2-xl" not in diff.splitlines()[0], "the heading says the pair once, by name"
    same = out[5]["text/markdown"]
    assert "architecture identical, metadata differs" in same and same.count("identical") == 1
    hostile = out[6]["text/markdown"]
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    assert "None" not in "".join(o.get("text/markdown", "") for o in out)
