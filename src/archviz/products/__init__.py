"""Stage 5: products built from layouts and renderers (diagram, and more to come)."""

from archviz.products.diagram import draw
from archviz.products.output import Figure

__all__ = ["Figure", "draw"]
