"""Catalog charts (model size, KV cache) and the concept registry with its highlighted figures."""

from __future__ import annotations

import itertools

import pytest

from archviz.facts import kvcache, params
from archviz.facts.concepts import Concept, concepts, concepts_of, models_using
from archviz.layout.charts import kv_chart, params_chart
from archviz.layout.concept import concept_layout
from archviz.layout.geometry import Layout
from archviz.numbers import count
from archviz.spec import load
from archviz.spec.catalog import load_all
from archviz.spec.loader import Spec
from geometry_checks import assert_clean


@pytest.fixture(scope="module")
def catalog() -> list[Spec]:
    return load_all()


def _link(model_id: str) -> str:
    return f"models/{model_id}.html"


def _bars(layout: Layout, key: str) -> dict[str, float]:
    """Bar length per model id for bars named bar-<id>-<key>."""
    suffix = f"-{key}"
    return {s.id[4 : -len(suffix)]: s.w for s in layout.shapes if s.id.startswith("bar-") and s.id.endswith(suffix)}


@pytest.mark.parametrize("chart", [params_chart, kv_chart], ids=["params", "kv"])
def test_charts_are_clean_and_linked(catalog: list[Spec], chart: object) -> None:
    layout = chart(catalog, link=_link)  # type: ignore[operator]
    assert_clean(layout)
    names = [s for s in layout.shapes if s.id.startswith("row-") and s.id.endswith("-name")]
    bars = [s for s in layout.shapes if s.kind == "bar"]
    assert len(names) == len(catalog)
    for s in names + bars:
        assert s.href is not None and s.href.startswith("models/") and s.href.endswith(".html"), s.id
    assert {s.href for s in names} == {_link(sp.id) for sp in catalog}
    plain = chart(catalog)  # type: ignore[operator]
    assert all(s.href is None for s in plain.shapes)


def test_params_bars_follow_the_values(catalog: list[Spec]) -> None:
    layout = params_chart(catalog)
    totals = {s.id: params.breakdown(s.model).total for s in catalog}
    actives = {s.id: params.breakdown(s.model).active for s in catalog}
    for key, values in (("total", totals), ("active", actives)):
        lengths = _bars(layout, key)
        assert lengths.keys() == values.keys()
        for a, b in itertools.permutations(values, 2):
            if values[a] > values[b]:
                assert lengths[a] > lengths[b], (key, a, b)
    order = [s.id.removeprefix("row-").removesuffix("-name") for s in layout.shapes if s.id.endswith("-name")]
    assert [totals[i] for i in order] == sorted(totals.values(), reverse=True)
    ticks = {t.text for s in layout.shapes if s.kind == "tick" for t in s.texts}
    assert {"100M", "1B", "10B", "100B", "1T"} <= ticks
    assert {s.id for s in layout.shapes if s.kind == "legend"} >= {"legend-1", "legend-2"}


def test_kv_bars_follow_the_values_and_tiers(catalog: list[Spec]) -> None:
    layout = kv_chart(catalog)
    kv = {s.id: kvcache.kv_bytes_per_token(s.model) for s in catalog}
    lengths = _bars(layout, "kv")
    for a, b in itertools.permutations(kv, 2):
        if kv[a] > kv[b]:
            assert lengths[a] > lengths[b], (a, b)
    fills = {s.id: s.fill for s in layout.shapes if s.kind == "bar"}
    by_tier: dict[str, set[str]] = {}
    for i, v in kv.items():
        by_tier.setdefault(kvcache.tier(v), set()).add(fills[f"bar-{i}-kv"])
    assert all(len(f) == 1 for f in by_tier.values()), "one colour per tier"
    assert len({next(iter(f)) for f in by_tier.values()}) == len(by_tier), "tiers differ in colour"
    values = {t.text for s in layout.shapes if s.kind == "value" for t in s.texts}
    assert "68.625 KiB" in values


def test_count_keeps_round_numbers() -> None:
    assert [count(v) for v in (1e8, 269.5e9, 1.0264e12, 37.6e9, 268e6)] == ["100M", "270B", "1.03T", "37.6B", "268M"]


def test_every_concept_has_a_model(catalog: list[Spec]) -> None:
    ids = [c.id for c in concepts()]
    assert len(ids) == len(set(ids))
    for c in concepts():
        using = models_using(c, catalog)
        assert using, c.id
        assert c.uses(load(c.example).model), f"{c.id}: its example {c.example} does not use it"
        assert 3 <= c.explanation.count(". ") + 1 <= 6, c.id


@pytest.mark.parametrize(
    ("model_id", "present", "absent"),
    [
        ("deepseek-v3", {"mla", "moe", "shared-expert", "mtp"}, {"gqa", "sparse-attention"}),
        ("llama-3-8b", {"gqa"}, {"moe", "mla", "sliding-window", "nope", "qk-norm"}),
        ("gemma-3-27b", {"sliding-window", "qk-norm", "sandwich-norm", "gqa"}, {"moe"}),
        ("qwen3-next-80b-a3b", {"gated-deltanet", "moe", "shared-expert", "mtp"}, {"mamba2"}),
        ("nemotron-3-nano-30b-a3b", {"mamba2", "moe", "nope"}, {"gated-deltanet", "latent-moe"}),
        ("nemotron-3-super-120b-a12b", {"mamba2", "latent-moe"}, set()),
        ("deepseek-v3.2", {"sparse-attention", "mla"}, set()),
        ("gpt-oss-120b", {"attention-sinks", "sliding-window", "moe"}, {"shared-expert"}),
        ("gemma-3-270m", {"mqa"}, {"gqa"}),
        ("llama-4-maverick", {"chunked-attention", "nope", "shared-expert"}, set()),
        ("gpt-2-xl", set(), {"nope", "gqa", "mqa"}),
    ],
)
def test_concepts_of(model_id: str, present: set[str], absent: set[str]) -> None:
    found = {c.id for c in concepts_of(load(model_id))}
    assert present <= found
    assert not absent & found


@pytest.mark.parametrize("concept", concepts(), ids=lambda c: c.id)
def test_concept_figures_highlight_and_are_clean(concept: Concept) -> None:
    layout = concept_layout(concept)
    assert_clean(layout)
    outlined = [s for s in layout.shapes if s.stroke == "highlight"]
    assert outlined, concept.id
    assert layout.meta["concept"] == concept.id
