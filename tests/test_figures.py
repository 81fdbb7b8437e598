"""What every model figure promises its readers and other tools: legible type at article width,
a layer strip that matches the spec layer by layer, one block per wiring, tagged components,
dataflow panels that branch and merge, and ids that never collide between figures."""

from __future__ import annotations

import itertools
import statistics
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import cache

import pytest

from archviz.diagram import describe
from archviz.diagram.stack import wiring
from archviz.layout import model_layout
from archviz.layout.geometry import Layout
from archviz.render import to_svg
from archviz.spec import catalog_ids, load

NS = "{http://www.w3.org/2000/svg}"
MODELS = catalog_ids()


@cache
def figure(model_id: str) -> tuple[Layout, ET.Element]:
    layout = model_layout(load(model_id))
    return layout, ET.fromstring(to_svg(layout))


@pytest.mark.parametrize("model_id", MODELS)
def test_text_is_legible_in_a_700px_column(model_id: str) -> None:
    """Scaled to 700 px wide, no text is under 9 px and the median is at least 11 px."""
    layout, _ = figure(model_id)
    k = 700 / layout.width
    sizes = [t.size * k for s in layout.shapes for t in s.texts]
    assert min(sizes) >= 9, f"{model_id}: smallest text {min(sizes):.2f} px at 700 px"
    assert statistics.median(sizes) >= 11, f"{model_id}: median text {statistics.median(sizes):.2f} px"
    labels = [s.texts[0].size * k for s in layout.shapes if s.outline == "rect" and s.texts]
    assert min(labels) >= 0.015 * 700, "box labels are at least 1.5% of the canvas width"


@pytest.mark.parametrize("model_id", MODELS)
def test_layer_strip_matches_the_spec(model_id: str) -> None:
    """One chip per layer, first layer at the bottom, naming the spec's mixer and FFN."""
    _, root = figure(model_id)
    layers = load(model_id).model.expanded()
    chips = {int(g.get("data-layer")): g for g in root.iter(f"{NS}g") if g.get("data-layer") is not None}
    assert sorted(chips) == list(range(len(layers)))
    for i, b in enumerate(layers):
        assert chips[i].get("data-mixer") == (b.mixer or ""), (model_id, i)
        assert chips[i].get("data-ffn") == (b.ffn or ""), (model_id, i)
    ys = [float(chips[i].find(f"{NS}rect").get("y")) for i in range(len(layers))]
    assert all(a > b for a, b in itertools.pairwise(ys)), "layer 0 at the bottom, each next one above"


@pytest.mark.parametrize("model_id", MODELS)
def test_one_block_per_wiring(model_id: str) -> None:
    _, root = figure(model_id)
    blocks = [g for g in root.iter(f"{NS}g") if g.get("data-kind") == "block"]
    assert len(blocks) == len({wiring(b) for b in load(model_id).model.expanded()})


@pytest.mark.parametrize("model_id", MODELS)
def test_panels_name_their_nodes_and_edges(model_id: str) -> None:
    _, root = figure(model_id)
    panels = [g for g in root.iter(f"{NS}g") if g.get("data-panel")]
    assert panels, "every figure zooms into its mixer and FFN"
    assert len({p.get("data-panel") for p in panels}) == len(panels)
    for p in panels:
        nodes = [e.get("data-node") for e in p.iter() if e.get("data-node")]
        assert len(nodes) == len(set(nodes)), p.get("data-panel")
        for e in p.iter():
            if e.get("data-from") is not None:
                assert {e.get("data-from"), e.get("data-to")} <= set(nodes), (p.get("data-panel"), e.get("id"))


COMPONENT_KINDS = {"attention", "mixer", "ffn", "moe", "norm", "embedding", "output", "rope", "block", "router",
                   "expert", "linear", "core", "op", "layer-chip", "panel", "mtp", "annotation"}  # fmt: skip


@pytest.mark.parametrize("model_id", MODELS)
def test_components_carry_their_spec_path(model_id: str) -> None:
    layout, _ = figure(model_id)
    untagged = [s.id for s in layout.shapes if s.kind in COMPONENT_KINDS and not s.path]
    assert not untagged
    spec = load(model_id).model
    mtp = [s for s in layout.shapes if s.path.startswith("mtp")]
    assert bool(mtp) == (spec.mtp is not None)
    norms = {t.text for s in layout.shapes if s.kind == "norm" for t in s.texts}
    assert all(n.startswith(("Pre-", "Post-", "Final ", "QK-")) for n in norms), norms


@pytest.mark.parametrize("model_id", MODELS)
def test_ids_are_unique_and_prefixed_by_the_model(model_id: str) -> None:
    _, root = figure(model_id)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{model_id}-") for i in ids)


def test_two_figures_share_no_ids_on_one_page() -> None:
    a = {e.get("id") for e in figure("llama-3-8b")[1].iter() if e.get("id")}
    b = {e.get("id") for e in figure("qwen3-8b")[1].iter() if e.get("id")}
    assert not a & b


@pytest.mark.parametrize("model_id", MODELS)
def test_graph_panels_branch_merge_and_flow_through(model_id: str) -> None:
    """Every internals graph fans out from its input (or takes a second stream from outside the
    layer, as a layer reusing another's keys and values does) into parallel streams, merges them again,
    and every node lies on a path from the input to the output (no dead ends). (A plain MLP,
    linear-activation-linear, is the one chain without branches.)"""
    for panel in describe(load(model_id)).panels:
        g = panel.graph
        if g is None:
            continue
        chain = len(g.streams) == 1 and len(g.edges) == len(g.nodes) - 1
        outs, ins = defaultdict(set), defaultdict(set)
        for e in g.edges:
            outs[e.src].add(e.dst)
            ins[e.dst].add(e.src)
        entries = [n.id for n in g.nodes if not ins[n.id]]  # the input, and what comes from outside the layer
        assert chain or max(len(v) for v in outs.values()) >= 2 or len(entries) >= 2, f"{g.path}: no branch"
        assert chain or max(len(v) for v in ins.values()) >= 2, f"{g.path}: no merge"
        ids = {n.id for n in g.nodes}

        def reach(start: str, step: dict[str, set[str]]) -> set[str]:
            seen, todo = {start}, [start]
            while todo:
                for n in step[todo.pop()]:
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
            return seen

        reached = set().union(*(reach(e, outs) for e in entries))
        assert reached == ids, f"{g.path}: not all reached from the input or an outside stream"
        assert reach("output", ins) == ids, f"{g.path}: dead ends"


def test_interleaved_stacks_are_one_block_with_alternatives() -> None:
    """Gemma 3's sliding and global layers share one block whose mixer slot names both, with
    their share of the layers; the strip and its phrase give the pattern."""
    d = describe(load("gemma-3-27b"))
    assert len(d.stack.blocks) == 1
    slot = next(e for e in d.stack.blocks[0].elements if getattr(e, "which", "") == "mixer")
    assert [(a.title, a.share) for a in slot.alternatives] == [
        ("Sliding-window GQA", "52 of 62\u00a0layers"),
        ("Global GQA", "10 of 62\u00a0layers"),
    ]
    assert d.strip.phrase == "5\u00a0sliding-window : 1\u00a0global"
    assert [r.label for r in d.strip.runs] == ["× 10", ""]
    ffn = describe(load("deepseek-v3")).stack.blocks[0].elements[-2]
    assert [a.share for a in ffn.alternatives] == ["layers\u00a01-3", "layers\u00a04-61"]  # type: ignore[union-attr]


def test_nested_patterns_get_a_macro_panel() -> None:
    d = describe(load("nemotron-3-nano-30b-a3b"))
    macro = next(p for p in d.panels if p.macro)
    assert [(len(r.chips), r.repeat) for r in macro.macro] == [(6, 1), (7, 4), (9, 1), (9, 1)]
    assert len(d.stack.blocks) == 2  # mixer-only and FFN-only layers: each layer is one of them
    assert not any(p.macro for p in describe(load("gemma-3-27b")).panels)


def test_every_mixer_kind_draws_cleanly(minimal_text: str) -> None:
    """Kinds no catalog model uses yet (Lightning) still get a clean figure with a real graph."""
    from archviz.spec import parse
    from geometry_checks import assert_clean

    text = minimal_text.replace("decoder_type: dense", "decoder_type: hybrid").replace(
        "mixers:\n",
        "mixers:\n  lin:\n    kind: lightning\n    heads: 4\n    head_dim: 16\n",
    )
    text = text.replace(
        "      - {mixer: attn, ffn: mlp}", "      - {mixer: lin, ffn: mlp, count: 3}\n      - {mixer: attn, ffn: mlp}"
    )
    spec = parse(text, file="hybrid.yaml", id="tiny-hybrid")
    layout = model_layout(spec)
    assert_clean(layout)
    graph = next(p.graph for p in describe(spec).panels if p.path == "mixers.lin")
    assert graph is not None and graph.title == "Inside Lightning attention"
    assert {"q", "k", "v", "gate", "linear-attention"} <= {n.id for n in graph.nodes}
