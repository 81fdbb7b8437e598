"""Stage 5: products built from layouts and renderers (diagram, and more to come)."""

from archviz.products.diagram import draw
from archviz.products.output import Figure
from archviz.products.poster import Poster, poster
from archviz.products.select import select

__all__ = ["Figure", "Poster", "draw", "poster", "select"]
