"""Every catalog model lays out without overlaps, stray text, loose connectors or clipping."""

from __future__ import annotations

import pytest

from archviz.layout import model_layout
from archviz.layout.geometry import Connector, Layout, Shape
from archviz.spec import catalog_ids, load
from archviz.style import DEFAULT_STYLE, POSTER_STYLE
from geometry_checks import assert_clean, loose_connectors, overlaps, text_outside


@pytest.mark.parametrize("compact", [False, True], ids=["full", "compact"])
@pytest.mark.parametrize("model_id", catalog_ids())
def test_catalog_layout_is_clean(model_id: str, compact: bool) -> None:
    layout = model_layout(load(model_id), POSTER_STYLE if compact else DEFAULT_STYLE, compact=compact)
    assert_clean(layout)
    kinds = {s.kind for s in layout.shapes}
    assert {"embedding", "block", "norm", "output", "add", "count", "brace", "title", "footer"} <= kinds
    assert kinds & {"attention", "mixer"}


@pytest.mark.parametrize("model_id", catalog_ids())
def test_every_layer_kind_is_counted(model_id: str) -> None:
    spec = load(model_id)
    layout = model_layout(spec)
    counts = [int(s.texts[0].text.split()[0]) for s in layout.shapes if s.kind == "count"]
    assert sum(counts) == spec.model.num_layers


def test_checks_catch_problems() -> None:
    """The invariants are not vacuous: each one fails on a broken layout."""
    a = Shape("a", "norm", 0, 0, 50, 20, fill="white_fill", stroke="white_stroke")
    b = Shape("b", "norm", 40, 10, 50, 20)
    assert overlaps(Layout("t", 100, 100, "t", "t", "#000000", (a, b), ())) == [("a", "b")]
    from archviz.layout.geometry import TextRun

    c = Shape("c", "norm", 0, 50, 10, 10, texts=(TextRun("far too long", 5, 58, 12, 70),))
    assert text_outside(Layout("t", 100, 100, "t", "t", "#000000", (c,), ()))
    loose = Connector("x", ((25, 20), (25, 45)), source="a", target="c")
    assert loose_connectors(Layout("t", 100, 100, "t", "t", "#000000", (a, c), (loose,)))
    good = Connector("y", ((5, 20), (5, 50)), source="a", target="c")
    assert not loose_connectors(Layout("t", 100, 100, "t", "t", "#000000", (a, c), (good,)))
