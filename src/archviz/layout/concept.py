"""One concept's figure: its example model's compact diagram with the components that show the
concept outlined in the highlight colour."""

from __future__ import annotations

from dataclasses import replace

from archviz.facts.concepts import Concept
from archviz.layout.compose import highlight
from archviz.layout.geometry import Layout
from archviz.layout.model import model_layout
from archviz.spec.catalog import load
from archviz.spec.loader import Spec
from archviz.style import DEFAULT_STYLE, Style


def concept_layout(concept: Concept, spec: Spec | None = None, style: Style = DEFAULT_STYLE) -> Layout:
    """`spec` (default: the concept's example model) drawn compact, the concept's parts outlined."""
    spec = spec or load(concept.example)
    base = highlight(model_layout(spec, style, compact=True), concept.highlight)
    desc = f"{concept.title} in {spec.model.name}: the outlined components show it. {concept.explanation}"
    meta = {**base.meta, "concept": concept.id}
    return replace(base, id=f"concept-{concept.id}", title=f"{concept.title}: {spec.model.name}", desc=desc, meta=meta)
