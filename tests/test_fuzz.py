"""A seeded mutation fuzzer: specs and config.json files, changed at random, driven through load,
facts, layout and SVG. The only acceptable outcomes are a result or archviz's own error type.

Mutations start from the real catalog specs and configs, so most cases get deep into the stages
instead of failing at the first key. The seed is fixed: a failure reproduces with its case number.
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from archviz.errors import ArchvizError
from archviz.facts import facts
from archviz.layout import model_layout
from archviz.products.models import resolve
from archviz.render import to_svg
from archviz.spec import parse

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.yaml"))
CONFIGS = sorted((ROOT / "tests" / "data" / "hf").glob("*.json"))
CASES = 2400
CHUNKS = 8

HOSTILE: list[Any] = [
    None, True, False, 0, -1, 1, 2, 3, 7, 64, 10**6, 10**12, 10**20, 10**400, -(10**30),
    0.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan"), "", " ", "x", "yes", "1B", "-5B", "nanB",
    "a" * 300, "Llama\x01", "evil\u202e", "line\nbreak", "<script>alert(1)</script>", '"quoted"', "[", "{",
    "dense", "moe", "attention", "mla", "rmsnorm", "sandwich", "rope", "learned", "2024-02-30",
    [], [1], ["x"], [None], {}, {"kind": "attention"}, {"a": {"b": {"c": {}}}},
]  # fmt: skip


def _paths(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += _paths(v, (*path, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += _paths(v, (*path, i))
    return out


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        tree = tree[p]
    return tree


def mutate(tree: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One to four random edits: replace a value, delete or add a key, copy a subtree elsewhere."""
    tree = copy.deepcopy(tree)
    for _ in range(rng.randint(1, 4)):
        paths = [p for p in _paths(tree) if p]
        path = rng.choice(paths)
        parent = _get(tree, path[:-1])
        op = rng.random()
        if op < 0.55:
            parent[path[-1]] = copy.deepcopy(rng.choice(HOSTILE))
        elif (op < 0.7 and isinstance(parent, dict)) or (op < 0.8 and isinstance(parent, list) and len(parent) > 1):
            del parent[path[-1]]
        elif op < 0.9 and isinstance(parent, dict):
            parent[rng.choice(["kind", "heads", "window", "count", "repeat", "extra", "sparse"])] = copy.deepcopy(
                rng.choice(HOSTILE)
            )
        else:
            parent[path[-1]] = copy.deepcopy(_get(tree, rng.choice(paths)))
    return tree


def _text(tree: Any, rng: random.Random) -> str:
    """YAML text of a mutated tree; sometimes also damaged as text (cut, a character swapped)."""
    text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=rng.random() < 0.5)
    if rng.random() < 0.15:
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(["", ":", "- ", "&a ", "*a", "\t", "'", '"', "{", "!!python/object "]) + text[i:]
    if rng.random() < 0.05:
        text = text[: rng.randrange(len(text))]
    if rng.random() < 0.1:  # values only YAML's own syntax can carry: unquoted dates, huge numbers
        bad = rng.choice(["2024-02-30", "2024-13-01", "9" * 5000, ".nan", "-.inf", "0x" + "f" * 300, "*undefined"])
        text = re.sub(r"(?m)^(release_date|hidden_size|vocab_size|context_length): .*$", rf"\1: {bad}", text, count=1)
    return text


def _drive(spec: Any) -> None:
    facts(spec)
    layout = model_layout(spec)
    svg = to_svg(layout, "light")
    assert svg.startswith("<?xml")


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_specs_end_in_a_result_or_a_clean_error(chunk: int) -> None:
    trees = [yaml.safe_load(p.read_text()) for p in SPECS]
    accepted = refused = 0
    for case in range(chunk, CASES, CHUNKS):
        rng = random.Random(case)
        text = _text(mutate(rng.choice(trees), rng), rng)
        try:
            spec = parse(text, file=f"case-{case}.yaml", id="fuzz")
            _drive(spec)
            accepted += 1
        except ArchvizError as exc:
            assert exc.problems and all(p.message for p in exc.problems), case
            refused += 1
        except Exception as exc:  # pragma: no cover - the failure report
            raise AssertionError(f"case {case}: {type(exc).__name__}: {exc}\n{text}") from exc
    assert accepted and refused  # the mutations reach both outcomes, so the test exercises both paths


@pytest.mark.parametrize("chunk", range(CHUNKS // 2))
def test_mutated_configs_end_in_a_result_or_a_clean_error(chunk: int, tmp_path: Path) -> None:
    configs = [json.loads(p.read_text()) for p in CONFIGS]
    accepted = refused = 0
    for case in range(chunk, CASES // 4, CHUNKS // 2):
        rng = random.Random(10**6 + case)
        data = mutate(rng.choice(configs), rng)
        file = tmp_path / f"case-{case}.json"
        file.write_text(json.dumps(data, allow_nan=True))
        try:
            _drive(resolve(file))
            accepted += 1
        except ArchvizError as exc:
            assert exc.problems, case
            refused += 1
        except Exception as exc:  # pragma: no cover - the failure report
            raise AssertionError(f"case {case}: {type(exc).__name__}: {exc}\n{json.dumps(data)}") from exc
    assert accepted and refused
