"""One model's architecture figure: its description (archviz.diagram) laid out by the arranger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from archviz.diagram import choose_panels, describe
from archviz.layout.figure import figure_layout
from archviz.layout.geometry import Layout
from archviz.layout.text import in_face, measuring
from archviz.spec.loader import Spec
from archviz.style import DEFAULT_STYLE, Style, Typeface, check_accent


def model_layout(
    spec: Spec,
    style: Style = DEFAULT_STYLE,
    compact: bool = False,
    panels: Sequence[str] | None = None,
    accent: str | None = None,
    font: Typeface | None = None,
    side: float | None = None,
) -> Layout:
    """The architecture figure of one model, as a frozen Layout (compact: the stack alone, as on
    the poster). `panels` keeps only those zoom panels (by spec path; [] for none), and `accent`
    (#rrggbb) replaces the model's colour; its text is measured in `font` (default: the bundled
    DejaVu Sans). `side` sets the title, legend and footer in a column that wide beside the drawing (for slides
    and cards)."""
    d = describe(spec)
    if panels is not None:
        d = choose_panels(d, panels)
    if accent is not None:
        d = replace(d, accent=check_accent(accent))
    with measuring(font):
        layout = figure_layout(d, style, compact, side)
    return replace(layout, meta=in_face(layout.meta, font))
