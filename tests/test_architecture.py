"""Each pipeline stage imports only the stages before it (spec -> kinds -> facts -> diagram ->
layout -> render -> products -> cli -> the entry point), so the folder layout tells the truth about dependencies."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "archviz"
ORDER = [
    "errors",
    "style",
    "numbers",
    "spec",
    "kinds",
    "facts",
    "diagram",
    "layout",
    "render",
    "products",
    "integrations",  # documentation tools (Sphinx, Markdown) drawing figures at build time
    "cli",
    "quick",  # the entry point: before the command line loads, it may copy a cached render
]
BASE = {"errors", "style", "numbers"}  # shared by every stage


def _stage(module: str) -> str:
    return module.split(".")[1] if module.startswith("archviz.") else ""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("archviz"):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("archviz")}
    return names


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_stage_imports_point_backwards(path: Path) -> None:
    rel = path.relative_to(SRC)
    stage = rel.parts[0].removesuffix(".py")
    if stage == "__init__":
        return  # the package front door may use everything
    assert stage in ORDER, f"{rel}: unknown stage; add it to ORDER"
    allowed = set(ORDER[: ORDER.index(stage) + 1]) | BASE
    bad = {m for m in _imports(path) if _stage(m) and _stage(m) not in allowed}
    assert not bad, f"{rel} ({stage}) imports later stages: {sorted(bad)}"
