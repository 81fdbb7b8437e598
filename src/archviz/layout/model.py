"""One model's architecture figure: its description (archviz.diagram) laid out by the arranger."""

from __future__ import annotations

from archviz.diagram import describe
from archviz.layout.figure import figure_layout
from archviz.layout.geometry import Layout
from archviz.spec.loader import Spec
from archviz.style import DEFAULT_STYLE, Style


def model_layout(spec: Spec, style: Style = DEFAULT_STYLE, compact: bool = False) -> Layout:
    """The architecture figure of one model, as a frozen Layout (compact: for poster panels)."""
    return figure_layout(describe(spec), style, compact)
