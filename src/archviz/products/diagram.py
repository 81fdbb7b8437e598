"""The architecture diagram of one model."""

from __future__ import annotations

from pathlib import Path

from archviz.layout import model_layout
from archviz.products.models import resolve
from archviz.products.output import Figure
from archviz.spec import Spec
from archviz.style import theme as check_theme


def draw(model: str | Path | Spec, theme: str = "light", text_as_paths: bool = False) -> Figure:
    """Lay out `model` (a catalog id, a spec or config.json path, or a Spec) as a Figure."""
    check_theme(theme)
    return Figure(model_layout(resolve(model)), theme, text_as_paths)
