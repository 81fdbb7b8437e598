"""The lineage graph: every model once, every based_on an edge, time flowing down, clean geometry,
safe links, deterministic SVG, and a clear error without Graphviz."""

from __future__ import annotations

import sys

import pytest

from archviz.errors import ArchvizError
from archviz.layout.geometry import Layout, Shape
from archviz.layout.lineage import lineage_layout
from archviz.products.lineage import lineage
from archviz.products.select import select
from archviz.render import to_svg
from archviz.spec import load_all
from geometry_checks import assert_clean


@pytest.fixture(scope="module")
def catalog() -> Layout:
    return lineage_layout(select())


def _nodes(layout: Layout) -> dict[str, Shape]:
    return {s.id: s for s in layout.shapes if s.kind == "lineage-node"}


def test_catalog_lineage_geometry_is_clean(catalog: Layout) -> None:
    assert_clean(catalog)


def test_every_model_appears_exactly_once(catalog: Layout) -> None:
    ids = [s.id for s in catalog.shapes if s.kind == "lineage-node"]
    assert sorted(ids) == sorted(s.id for s in load_all())
    assert len(ids) == len(set(ids))
    for spec in load_all():
        node = catalog.shape(spec.id)
        assert node.texts[0].text == spec.model.name
        assert spec.model.organization in node.texts[1].text and spec.model.date_text in node.texts[1].text
        assert node.fill == f"type_{spec.model.decoder_type}"


def test_every_based_on_is_an_edge(catalog: Layout) -> None:
    edges = {(c.source, c.target) for c in catalog.connectors if c.kind == "lineage-edge"}
    expected = {(parent, s.id) for s in load_all() for parent in s.model.based_on}
    assert edges == expected
    assert {("deepseek-v3", "deepseek-r1"), ("deepseek-v3", "kimi-k2"), ("qwen3-next-80b-a3b", "qwen3.5-397b")} <= edges
    for c in catalog.connectors:
        assert c.curve and c.arrow and (len(c.points) - 1) % 3 == 0


def test_time_flows_down(catalog: Layout) -> None:
    nodes = _nodes(catalog)
    specs = {s.id: s for s in load_all()}
    for a in nodes.values():
        for b in nodes.values():
            da, db = specs[a.id].model.sort_date, specs[b.id].model.sort_date
            if (da.year, da.month) < (db.year, db.month):
                assert b.y >= a.bottom, f"{b.id} ({db}) drawn above {a.id} ({da})"
            if (da.year, da.month) == (db.year, db.month):
                assert a.cy == pytest.approx(b.cy)
    years = [s for s in catalog.shapes if s.kind == "axis" and s.id.removeprefix("axis-").isdigit()]
    assert [s.texts[0].text for s in years] == sorted({str(s.model.sort_date.year) for s in specs.values()})


def test_isolated_models_still_appear() -> None:
    layout = lineage_layout(select(["gpt-2-xl", "phi-4", "deepseek-v3", "deepseek-r1"]))
    assert set(_nodes(layout)) == {"gpt-2-xl", "phi-4", "deepseek-v3", "deepseek-r1"}
    assert [(c.source, c.target) for c in layout.connectors] == [("deepseek-v3", "deepseek-r1")]
    assert_clean(layout)


def test_links_are_set_and_escaped() -> None:
    fig = lineage(["llama-3-8b", "llama-3.2-1b"], link=lambda i: f"https://example.org/m/{i}?a=1&b=<{i}>")
    assert fig.layout.shape("llama-3-8b").href == "https://example.org/m/llama-3-8b?a=1&b=<llama-3-8b>"
    svg = fig.svg()
    assert 'href="https://example.org/m/llama-3-8b?a=1&amp;b=&lt;llama-3-8b&gt;"' in svg
    assert "<llama-3-8b>" not in svg
    unsafe = lineage(["llama-3-8b"], link=lambda i: "javascript:alert(1)").svg()
    assert "javascript:" not in unsafe
    assert "href=" not in lineage(["llama-3-8b"]).svg()


def test_svg_is_byte_identical_across_runs() -> None:
    first = to_svg(lineage_layout(select()), "light")
    second = to_svg(lineage_layout(select()), "light")
    assert first == second
    assert lineage(theme="dark").svg() == lineage(theme="dark").svg()


def test_missing_pygraphviz_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygraphviz", None)
    with pytest.raises(ArchvizError, match=r"needs Graphviz: pip install pygraphviz \(it bundles Graphviz\)"):
        lineage_layout(select(["llama-3-8b"]))


def test_bad_theme_is_an_error() -> None:
    with pytest.raises(ArchvizError, match="unknown theme"):
        lineage(["llama-3-8b"], theme="neon")
